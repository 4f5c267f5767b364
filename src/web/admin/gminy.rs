//! Loading a newer GUS TERC register from the browser (the same service as `akademia gminy load`).

use minijinja::context;
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::audit::Actor;
use crate::db::reference::REGISTER_AS_OF_KEY;
use crate::db::{Db, gminy, settings};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::service::gminy::load_register;
use crate::web::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::session::AdminUser;
use crate::web::upload::read_upload;

pub fn routes() -> Vec<Route> {
    routes![status, upload]
}

async fn page(ctx: &Ctx, db: &Db, extra: minijinja::Value) -> AppResult<Template> {
    let (active, retired) = gminy::counts(db).await?;
    let as_of = settings::get(db, REGISTER_AS_OF_KEY).await?;
    Ok(ctx.render("admin/gminy", context! { active, retired, as_of, ..extra }))
}

#[get("/admin/gminy")]
async fn status(ctx: Ctx, db: &State<Db>, _admin: AdminUser) -> AppResult<Template> {
    page(&ctx, db, context! {}).await
}

#[derive(FromForm)]
struct Upload<'r> {
    csrf_token: Option<String>,
    file: Option<TempFile<'r>>,
}
csrf_protected!(Upload<'_>);

#[post("/admin/gminy", data = "<form>")]
async fn upload(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    form: CsrfForm<Upload<'_>>,
) -> AppResult<(Status, Template)> {
    let (_, bytes) = read_upload(form.0.file.as_ref()).await?;
    if bytes.is_empty() {
        let mut errors = ValidationErrors::new();
        errors.add("file", "err.file_required");
        return failed(&ctx, db, &errors).await;
    }
    match load_register(db, &Actor::user(&admin.0), &bytes).await {
        Ok(summary) => Ok((Status::Ok, page(&ctx, db, context! { summary }).await?)),
        Err(AppError::Validation(errors)) => failed(&ctx, db, &errors).await,
        Err(e) => Err(e),
    }
}

async fn failed(ctx: &Ctx, db: &Db, errors: &ValidationErrors) -> AppResult<(Status, Template)> {
    let list: Vec<_> = errors
        .0
        .iter()
        .map(
            |e| context! { row => e.row, field => &e.field, message => e.message.render(ctx.lang) },
        )
        .collect();
    Ok((
        Status::UnprocessableEntity,
        page(ctx, db, context! { errors => list }).await?,
    ))
}
