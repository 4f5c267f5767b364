//! Looking up gminas in the TERYT register, and the reference lists (spheres, commissioning modes).

use minijinja::context;
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::Template;

use super::Ctx;
use super::session::CurrentUser;
use crate::db::reference::{self, REGISTER_AS_OF_KEY};
use crate::db::{Db, gminy, settings};
use crate::error::AppResult;

pub fn routes() -> Vec<Route> {
    routes![search, lists]
}

#[get("/gminy?<q>")]
async fn search(
    ctx: Ctx,
    db: &State<Db>,
    _user: CurrentUser,
    q: Option<&str>,
) -> AppResult<Template> {
    let q = q.unwrap_or("").trim();
    let results = if q.is_empty() {
        Vec::new()
    } else {
        gminy::search(db, q, 50).await?
    };
    let results: Vec<_> = results
        .iter()
        .map(|g| {
            context! {
                teryt => &g.teryt, name => &g.name, kind => ctx.t(g.kind.label_key()),
                powiat => &g.powiat, voivodeship => &g.voivodeship,
            }
        })
        .collect();
    let as_of = settings::get(db, REGISTER_AS_OF_KEY).await?;
    Ok(ctx.render(
        "gminy/search",
        context! { q, results, searched => !q.is_empty(), as_of },
    ))
}

#[get("/reference")]
async fn lists(ctx: Ctx, db: &State<Db>, _user: CurrentUser) -> AppResult<Template> {
    let spheres = reference::spheres(db).await?;
    let modes = reference::modes(db).await?;
    Ok(ctx.render("gminy/reference", context! { spheres, modes }))
}
