//! The start page after login, and the health check for load balancers and scripts.

use minijinja::context;
use rocket::http::Status;
use rocket::serde::json::{Json, Value, json};
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::Template;

use super::Ctx;
use super::session::CurrentUser;
use crate::db::Db;
use crate::error::AppResult;
use crate::service::programmes;

pub fn routes() -> Vec<Route> {
    routes![home, health]
}

#[get("/")]
async fn home(ctx: Ctx, db: &State<Db>, user: CurrentUser) -> AppResult<Template> {
    let cohorts = if programmes::manages(&user.0) {
        programmes::list_cohorts(db, &user.0)
            .await?
            .into_iter()
            .filter(|c| !c.archived)
            .collect()
    } else {
        Vec::new()
    };
    Ok(ctx.render("home", context! { role => user.0.role.as_str(), cohorts }))
}

/// `{"status":"ok","database":"sqlite"|"postgres"}`, or 503 when the database does not answer.
#[get("/health")]
async fn health(db: &State<Db>) -> (Status, Json<Value>) {
    let database = db.backend().as_str();
    match db.ping().await {
        Ok(()) => (
            Status::Ok,
            Json(json!({ "status": "ok", "database": database })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                Status::ServiceUnavailable,
                Json(json!({ "status": "error", "database": database })),
            )
        }
    }
}
