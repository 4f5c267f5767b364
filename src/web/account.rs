//! The signed-in user's own page: profile, password change, API tokens (shown once, revocable).

use minijinja::context;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use super::csrf::CsrfForm;
use super::session::CurrentUser;
use super::{Ctx, done, error_map};
use crate::csrf_protected;
use crate::db::audit::Actor;
use crate::db::users::User;
use crate::db::{Db, Id, tokens};
use crate::error::{AppError, AppResult};
use crate::service::{tokens as token_service, users as user_service};

pub fn routes() -> Vec<Route> {
    routes![account, change_password, create_token, revoke_token]
}

async fn page(ctx: &Ctx, db: &Db, user: &User, extra: minijinja::Value) -> AppResult<Template> {
    let tokens = tokens::list_for_user(db, user.id).await?;
    Ok(ctx.render(
        "account/account",
        context! { account => user, tokens, ..extra },
    ))
}

#[get("/account")]
async fn account(ctx: Ctx, db: &State<Db>, user: CurrentUser) -> AppResult<Template> {
    page(&ctx, db, &user.0, context! {}).await
}

#[derive(FromForm)]
struct PasswordForm {
    csrf_token: Option<String>,
    current_password: String,
    password: String,
    password_confirm: String,
}
csrf_protected!(PasswordForm);

#[post("/account/password", data = "<form>")]
async fn change_password(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    form: CsrfForm<PasswordForm>,
) -> AppResult<Either<Flash<Redirect>, (Status, Template)>> {
    let f = form.0;
    let user = user.0;
    let result = user_service::set_password(
        db,
        &Actor::user(&user),
        user.id,
        Some(&f.current_password),
        &f.password,
        Some(&f.password_confirm),
    )
    .await;
    match result {
        Ok(()) => Ok(Either::Left(done(
            &ctx,
            String::from("/account"),
            "account.password_changed",
        ))),
        Err(AppError::Validation(errors)) => {
            let extra = context! { password_errors => error_map(&errors, ctx.lang) };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(&ctx, db, &user, extra).await?,
            )))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct TokenForm {
    csrf_token: Option<String>,
    label: String,
}
csrf_protected!(TokenForm);

/// Shows the new token in the response itself (never in a cookie or a redirect), once.
#[post("/account/tokens", data = "<form>")]
async fn create_token(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    form: CsrfForm<TokenForm>,
) -> AppResult<(Status, Template)> {
    let user = user.0;
    match token_service::issue(db, &Actor::user(&user), &user, &form.0.label).await {
        Ok((token, plain)) => {
            let extra = context! { new_token => plain, new_token_label => token.label };
            Ok((Status::Created, page(&ctx, db, &user, extra).await?))
        }
        Err(AppError::Validation(errors)) => {
            let extra = context! { token_errors => error_map(&errors, ctx.lang) };
            Ok((
                Status::UnprocessableEntity,
                page(&ctx, db, &user, extra).await?,
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct RevokeForm {
    csrf_token: Option<String>,
}
csrf_protected!(RevokeForm);

#[post("/account/tokens/<id>/revoke", data = "<_form>")]
async fn revoke_token(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    id: Id,
    _form: CsrfForm<RevokeForm>,
) -> AppResult<Flash<Redirect>> {
    let user = user.0;
    token_service::revoke(db, &Actor::user(&user), &user, id).await?;
    Ok(done(
        &ctx,
        String::from("/account"),
        "account.token_revoked",
    ))
}
