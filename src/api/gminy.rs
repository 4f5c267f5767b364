//! `GET /api/v1/gminy?q=`: gmina lookup by TERYT code or name prefix, ignoring case and diacritics.

use rocket::serde::json::Json;
use rocket::{Route, get, routes};

use super::{ApiUser, DbState};
use crate::db::gminy::{self, Gmina};
use crate::error::AppResult;

pub fn routes() -> Vec<Route> {
    routes![search]
}

/// Finds gminas by TERYT code prefix or by name (or a word of it) prefix; `srem` finds Śrem.
/// Results carry the powiat and voivodeship, so gminas of one name can be told apart.
#[utoipa::path(
    get,
    path = "/api/v1/gminy",
    tag = "reference",
    params(
        ("q" = String, Query, description = "TERYT code prefix or name prefix, any case, with or without diacritics"),
        ("limit" = Option<i64>, Query, description = "most results (1–100, default 20)"),
    ),
    responses(
        (status = 200, description = "matching active gminas, exact names first", body = [Gmina]),
        (status = 401, description = "no or invalid token", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/gminy?<q>&<limit>")]
pub async fn search(
    db: &DbState,
    _user: ApiUser,
    q: Option<&str>,
    limit: Option<i64>,
) -> AppResult<Json<Vec<Gmina>>> {
    let found = gminy::search(db, q.unwrap_or(""), limit.unwrap_or(20)).await?;
    Ok(Json(found))
}
