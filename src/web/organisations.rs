//! Organisation pages: the list, adding one, editing one (coordinators and admins).

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::{Db, Id};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::service::organisations::{self as service, OrganisationInput};
use crate::web::csrf::CsrfForm;
use crate::web::options;
use crate::web::session::StaffUser;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, show, update]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

#[get("/organisations")]
async fn list(ctx: Ctx, db: &State<Db>, staff: StaffUser) -> AppResult<Template> {
    let all = service::list(db, &staff.0).await?;
    Ok(ctx.render("organisations/list", context! { organisations => all }))
}

/// The organisation form, new (`id` none) or existing.
fn form_page(ctx: &Ctx, id: Option<Id>, values: Value, errors: &ValidationErrors) -> Template {
    ctx.render(
        "organisations/form",
        context! {
            id, values,
            errors => error_map(errors, ctx.lang),
            kind_options => options::organisation_kinds(ctx.lang),
        },
    )
}

#[get("/organisations/new")]
fn new_form(ctx: Ctx, _staff: StaffUser) -> Template {
    form_page(
        &ctx,
        None,
        context! { kind => "ngo" },
        &ValidationErrors::new(),
    )
}

#[derive(FromForm)]
struct OrganisationForm {
    csrf_token: Option<String>,
    name: String,
    kind: String,
    #[field(default = String::new())]
    krs: String,
    #[field(default = String::new())]
    gmina: String,
}
csrf_protected!(OrganisationForm);

impl OrganisationForm {
    fn input(&self) -> OrganisationInput {
        OrganisationInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            krs: self.krs.clone(),
            gmina: self.gmina.clone(),
        }
    }

    fn values(&self) -> Value {
        context! { name => &self.name, kind => &self.kind, krs => &self.krs, gmina => &self.gmina }
    }
}

#[post("/organisations", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    form: CsrfForm<OrganisationForm>,
) -> FormResult {
    match service::create(db, &staff.0, &form.0.input()).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            "/organisations".to_owned(),
            "org.created",
        ))),
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(&ctx, None, form.0.values(), &errors),
        ))),
        Err(e) => Err(e),
    }
}

#[get("/organisations/<id>")]
async fn show(ctx: Ctx, db: &State<Db>, staff: StaffUser, id: Id) -> AppResult<Template> {
    let org = service::find(db, &staff.0, id).await?;
    let values = context! {
        name => &org.name,
        kind => org.kind.as_str(),
        krs => org.krs.as_deref().unwrap_or(""),
        gmina => org.gmina_teryt.as_deref().unwrap_or(""),
        gmina_name => &org.gmina_name,
    };
    Ok(form_page(&ctx, Some(id), values, &ValidationErrors::new()))
}

#[post("/organisations/<id>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: Id,
    form: CsrfForm<OrganisationForm>,
) -> FormResult {
    match service::update(db, &staff.0, id, &form.0.input()).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/organisations/{id}"),
            "org.saved",
        ))),
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(&ctx, Some(id), form.0.values(), &errors),
        ))),
        Err(e) => Err(e),
    }
}
