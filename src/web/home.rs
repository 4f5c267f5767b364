//! The start page after login, and the health check for load balancers and scripts.

use minijinja::context;
use rocket::http::Status;
use rocket::serde::json::{Json, Value, json};
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::Template;

use super::Ctx;
use super::session::CurrentUser;
use crate::db::Db;
use crate::db::programmes as db_programmes;
use crate::db::users::User;
use crate::domain::Role;
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
    let reports = if user.0.role == Role::Funder {
        funder_reports(db, &user.0).await?
    } else {
        Vec::new()
    };
    Ok(ctx.render(
        "home",
        context! { role => user.0.role.as_str(), cohorts, reports },
    ))
}

/// A funder's way in: the programmes they are attached to, each with its cohorts' reports.
async fn funder_reports(db: &Db, user: &User) -> AppResult<Vec<minijinja::Value>> {
    let programmes = db_programmes::list_visible(db, user.id, false).await?;
    let cohorts = db_programmes::cohorts_visible(db, user.id, false).await?;
    Ok(programmes
        .iter()
        .map(|p| {
            let cohorts: Vec<minijinja::Value> = cohorts
                .iter()
                .filter(|c| c.programme_id == p.id)
                .map(|c| context! { slug => &c.slug, name => &c.name, starts_on => c.starts_on, ends_on => c.ends_on })
                .collect();
            context! {
                slug => &p.slug, name => &p.name, starts_on => p.starts_on, ends_on => p.ends_on,
                cohorts,
            }
        })
        .collect())
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
