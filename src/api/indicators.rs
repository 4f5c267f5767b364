//! A programme's indicators (target vs actual in the results report).

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, delete, get, post, put, routes};
use serde::Deserialize;

use super::{ApiJson, ApiStaff, DbState};
use crate::db::Id;
use crate::db::indicators::Indicator;
use crate::error::{AppError, AppResult};
use crate::service::indicators::{self as service, IndicatorInput};

pub fn routes() -> Vec<Route> {
    routes![list, create, update, remove]
}

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorBody {
    pub name: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: f64,
    /// `manual`, or a figure of the report: `participants`, `participants_official`,
    /// `participants_ngo`, `participants_at_risk`, `gminas_reached`, `complete_teams`,
    /// `activity_hours`, `attendance_rate`, `certificates_issued`, `new_tasks`,
    /// `gminas_commissioning`, `tasks_amount_pln`.
    pub source: String,
    /// The value of a manual indicator.
    pub manual_value: Option<f64>,
}

impl From<IndicatorBody> for IndicatorInput {
    fn from(b: IndicatorBody) -> Self {
        let text = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        IndicatorInput {
            name: b.name,
            unit: b.unit.unwrap_or_default(),
            baseline: text(b.baseline),
            target: b.target.to_string(),
            source: b.source,
            manual_value: text(b.manual_value),
        }
    }
}

/// The programme's indicators (coordinators of the programme).
#[utoipa::path(get, path = "/api/v1/programmes/{p}/indicators", tag = "outcomes",
    params(("p" = String, Path, description = "programme id or slug")),
    responses((status = 200, description = "the indicators"), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/programmes/<p>/indicators")]
pub async fn list(db: &DbState, user: ApiStaff, p: &str) -> AppResult<Json<Vec<Indicator>>> {
    Ok(Json(service::list(db, &user.0, p).await?.1))
}

/// Defines an indicator (audited).
#[utoipa::path(post, path = "/api/v1/programmes/{p}/indicators", tag = "outcomes", request_body = IndicatorBody,
    params(("p" = String, Path, description = "programme id or slug")),
    responses((status = 201, description = "the indicator"), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/programmes/<p>/indicators", data = "<body>")]
pub async fn create(
    db: &DbState,
    user: ApiStaff,
    p: &str,
    body: ApiJson<IndicatorBody>,
) -> AppResult<(Status, Json<Indicator>)> {
    let indicator = service::create(db, &user.0, p, &body.0.into()).await?;
    Ok((Status::Created, Json(indicator)))
}

/// Changes an indicator (all fields, as in POST).
#[utoipa::path(put, path = "/api/v1/indicators/{id}", tag = "outcomes", request_body = IndicatorBody,
    params(("id" = String, Path, description = "indicator id")),
    responses((status = 200, description = "the indicator"), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/indicators/<id>", data = "<body>")]
pub async fn update(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    body: ApiJson<IndicatorBody>,
) -> AppResult<Json<Indicator>> {
    Ok(Json(
        service::update(db, &user.0, parse_id(id)?, &body.0.into()).await?,
    ))
}

/// Removes an indicator (audited).
#[utoipa::path(delete, path = "/api/v1/indicators/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "indicator id")),
    responses((status = 204, description = "removed")),
    security(("bearer" = [])))]
#[delete("/indicators/<id>")]
pub async fn remove(db: &DbState, user: ApiStaff, id: &str) -> AppResult<Status> {
    service::delete(db, &user.0, parse_id(id)?).await?;
    Ok(Status::NoContent)
}
