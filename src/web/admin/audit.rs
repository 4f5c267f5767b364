//! The audit log for administrators: newest first, filtered by kind of action, paged.

use minijinja::context;
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::Template;

use crate::db::{Db, audit};
use crate::error::AppResult;
use crate::web::Ctx;
use crate::web::session::AdminUser;

pub fn routes() -> Vec<Route> {
    routes![log]
}

const PAGE_SIZE: i64 = 50;
/// The action families the filter offers (prefixes of `action`).
const FILTERS: [&str; 5] = ["auth.", "user.", "token.", "gminy.", ""];

#[get("/admin/audit?<action>&<page>")]
async fn log(
    ctx: Ctx,
    db: &State<Db>,
    _admin: AdminUser,
    action: Option<&str>,
    page: Option<i64>,
) -> AppResult<Template> {
    let action = action.filter(|a| FILTERS.contains(a) && !a.is_empty());
    let total = audit::count(db, action).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.unwrap_or(1).clamp(1, pages);
    let entries = audit::list(db, action, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let entries: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                at => e.at.to_rfc3339(),
                actor => &e.actor_label,
                action => &e.action,
                entity => &e.entity,
                entity_id => &e.entity_id,
                before => e.before.as_ref().map(|v| serde_json::to_string_pretty(&v.0).unwrap_or_default()),
                after => e.after.as_ref().map(|v| serde_json::to_string_pretty(&v.0).unwrap_or_default()),
            }
        })
        .collect();
    let filters: Vec<&str> = FILTERS.iter().copied().filter(|f| !f.is_empty()).collect();
    Ok(ctx.render(
        "admin/audit",
        context! { entries, total, page, pages, action, filters },
    ))
}
