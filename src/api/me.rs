//! `GET /api/v1/me`: who the token belongs to (to check a token and its role).

use rocket::serde::json::Json;
use rocket::{Route, get, routes};
use serde::Serialize;

use super::ApiUser;
use crate::domain::Role;

pub fn routes() -> Vec<Route> {
    routes![me]
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    #[schema(value_type = String, format = Uuid)]
    pub id: crate::db::Id,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// The user the bearer token belongs to.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "account",
    responses(
        (status = 200, description = "the token's user", body = Me),
        (status = 401, description = "no or invalid token", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
pub fn me(user: ApiUser) -> Json<Me> {
    let u = user.0;
    Json(Me {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
    })
}
