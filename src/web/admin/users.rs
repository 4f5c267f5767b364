//! Admin pages for users: list, create, rename, change role, deactivate, reset password, revoke tokens.

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::audit::Actor;
use crate::db::{Db, Id, tokens, users};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::service::tokens as token_service;
use crate::service::users::{self as user_service, NewUserInput};
use crate::web::csrf::CsrfForm;
use crate::web::session::AdminUser;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        new_form,
        create,
        show,
        update,
        set_active,
        reset_password,
        revoke_token
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

fn roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

#[get("/admin/users")]
async fn list(ctx: Ctx, db: &State<Db>, _admin: AdminUser) -> AppResult<Template> {
    let all = users::list(db).await?;
    Ok(ctx.render("admin/users", context! { users => all }))
}

#[get("/admin/users/new")]
fn new_form(ctx: Ctx, _admin: AdminUser) -> Template {
    ctx.render(
        "admin/user_new",
        context! { roles => roles(), values => context! { role => "coordinator" } },
    )
}

#[derive(FromForm)]
struct NewUserForm {
    csrf_token: Option<String>,
    name: String,
    email: String,
    role: String,
    password: String,
    password_confirm: String,
}
csrf_protected!(NewUserForm);

#[post("/admin/users", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    form: CsrfForm<NewUserForm>,
) -> FormResult {
    let f = form.0;
    let input = NewUserInput {
        email: f.email.clone(),
        name: f.name.clone(),
        role: f.role.clone(),
        password: f.password,
        password_confirm: Some(f.password_confirm),
    };
    match user_service::create(db, &Actor::user(&admin.0), &input).await {
        Ok(user) => Ok(Either::Left(done(
            &ctx,
            format!("/admin/users/{}", user.id),
            "users.created",
        ))),
        Err(AppError::Validation(errors)) => {
            let page = ctx.render(
                "admin/user_new",
                context! {
                    roles => roles(),
                    errors => error_map(&errors, ctx.lang),
                    values => context! { name => f.name, email => f.email, role => f.role },
                },
            );
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

async fn user_page(ctx: &Ctx, db: &Db, id: Id, extra: Value) -> AppResult<Template> {
    let user = users::find(db, id).await?.ok_or(AppError::NotFound)?;
    let tokens = tokens::list_for_user(db, id).await?;
    let is_self = ctx.user.as_ref().is_some_and(|u| u.id == id);
    Ok(ctx.render(
        "admin/user",
        context! { account => user, tokens, roles => roles(), is_self, ..extra },
    ))
}

/// Re-renders the user's page with the errors of a failed form (`which` names the form).
async fn with_errors(
    ctx: &Ctx,
    db: &Db,
    id: Id,
    which: &str,
    errors: &crate::error::ValidationErrors,
) -> FormResult {
    let extra = context! { failed_form => which, errors => error_map(errors, ctx.lang) };
    Ok(Either::Right((
        Status::UnprocessableEntity,
        user_page(ctx, db, id, extra).await?,
    )))
}

#[get("/admin/users/<id>")]
async fn show(ctx: Ctx, db: &State<Db>, _admin: AdminUser, id: Id) -> AppResult<Template> {
    user_page(&ctx, db, id, context! {}).await
}

#[derive(FromForm)]
struct UpdateForm {
    csrf_token: Option<String>,
    name: String,
    role: String,
}
csrf_protected!(UpdateForm);

#[post("/admin/users/<id>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    id: Id,
    form: CsrfForm<UpdateForm>,
) -> FormResult {
    let actor = Actor::user(&admin.0);
    let result = match user_service::rename(db, &actor, id, &form.0.name).await {
        Ok(_) => user_service::change_role(db, &actor, id, &form.0.role).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/admin/users/{id}"),
            "users.saved",
        ))),
        Err(AppError::Validation(errors)) => with_errors(&ctx, db, id, "profile", &errors).await,
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct ActiveForm {
    csrf_token: Option<String>,
    active: bool,
}
csrf_protected!(ActiveForm);

#[post("/admin/users/<id>/active", data = "<form>")]
async fn set_active(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    id: Id,
    form: CsrfForm<ActiveForm>,
) -> FormResult {
    let active = form.0.active;
    match user_service::set_active(db, &Actor::user(&admin.0), id, active).await {
        Ok(_) => {
            let key = if active {
                "users.reactivated"
            } else {
                "users.deactivated"
            };
            Ok(Either::Left(done(&ctx, format!("/admin/users/{id}"), key)))
        }
        Err(AppError::Validation(errors)) => with_errors(&ctx, db, id, "active", &errors).await,
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct ResetForm {
    csrf_token: Option<String>,
    password: String,
    password_confirm: String,
}
csrf_protected!(ResetForm);

#[post("/admin/users/<id>/password", data = "<form>")]
async fn reset_password(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    id: Id,
    form: CsrfForm<ResetForm>,
) -> FormResult {
    let f = form.0;
    let actor = Actor::user(&admin.0);
    match user_service::set_password(db, &actor, id, None, &f.password, Some(&f.password_confirm))
        .await
    {
        Ok(()) => Ok(Either::Left(done(
            &ctx,
            format!("/admin/users/{id}"),
            "users.password_reset",
        ))),
        Err(AppError::Validation(errors)) => with_errors(&ctx, db, id, "password", &errors).await,
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct RevokeForm {
    csrf_token: Option<String>,
}
csrf_protected!(RevokeForm);

#[post("/admin/users/<id>/tokens/<token>/revoke", data = "<_form>")]
async fn revoke_token(
    ctx: Ctx,
    db: &State<Db>,
    admin: AdminUser,
    id: Id,
    token: Id,
    _form: CsrfForm<RevokeForm>,
) -> AppResult<Flash<Redirect>> {
    let user = users::find(db, id).await?.ok_or(AppError::NotFound)?;
    token_service::revoke(db, &Actor::user(&admin.0), &user, token).await?;
    Ok(done(
        &ctx,
        format!("/admin/users/{id}"),
        "account.token_revoked",
    ))
}
