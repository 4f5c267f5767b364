//! Signing in and out, and creating the first administrator of an empty installation.

use minijinja::context;
use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use super::csrf::{self, CsrfForm};
use super::{Ctx, done, error_map, safe_next, session};
use crate::config::AppConfig;
use crate::csrf_protected;
use crate::db::{Db, users};
use crate::error::{AppError, AppResult};
use crate::i18n::tf;
use crate::service::auth::{LoginOutcome, login};
use crate::service::users::{NewUserInput, create_first_admin};

pub fn routes() -> Vec<Route> {
    routes![login_page, login_submit, logout, setup_page, setup_submit]
}

type Page = Either<Template, Redirect>;

#[get("/login?<next>")]
async fn login_page(ctx: Ctx, db: &State<Db>, next: Option<&str>) -> AppResult<Page> {
    if !users::any_exists(db).await? {
        return Ok(Either::Right(Redirect::to("/setup")));
    }
    if ctx.user.is_some() {
        return Ok(Either::Right(Redirect::to(safe_next(next))));
    }
    Ok(Either::Left(
        ctx.render("auth/login", context! { next, email => "" }),
    ))
}

#[derive(FromForm)]
struct LoginForm {
    csrf_token: Option<String>,
    email: String,
    password: String,
    next: Option<String>,
}
csrf_protected!(LoginForm);

#[post("/login", data = "<form>")]
async fn login_submit(
    ctx: Ctx,
    db: &State<Db>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
    form: CsrfForm<LoginForm>,
) -> AppResult<Either<(Status, Template), Redirect>> {
    let form = form.0;
    if !users::any_exists(db).await? {
        return Ok(Either::Right(Redirect::to("/setup")));
    }
    let (status, message) = match login(db, &form.email, &form.password).await? {
        LoginOutcome::Success(user) => {
            session::start(cookies, config, user.id);
            csrf::rotate(cookies, config);
            return Ok(Either::Right(Redirect::to(safe_next(form.next.as_deref()))));
        }
        LoginOutcome::Invalid { locked: false } => (Status::Unauthorized, ctx.t("login.invalid")),
        LoginOutcome::Invalid { locked: true } => (Status::Unauthorized, ctx.t("login.now_locked")),
        LoginOutcome::Locked(until) => {
            let minutes = ((until - crate::db::now()).num_seconds() + 59) / 60;
            (
                Status::TooManyRequests,
                tf(
                    ctx.lang,
                    "login.locked",
                    &[("minutes", minutes.max(1).to_string())],
                ),
            )
        }
    };
    let page = ctx.render(
        "auth/login",
        context! { next => form.next, email => form.email.trim(), message },
    );
    Ok(Either::Left((status, page)))
}

#[derive(FromForm)]
struct LogoutForm {
    csrf_token: Option<String>,
}
csrf_protected!(LogoutForm);

#[post("/logout", data = "<_form>")]
fn logout(ctx: Ctx, cookies: &CookieJar<'_>, _form: CsrfForm<LogoutForm>) -> Flash<Redirect> {
    session::end(cookies);
    done(&ctx, String::from("/login"), "login.logged_out")
}

#[get("/setup")]
async fn setup_page(ctx: Ctx, db: &State<Db>) -> AppResult<Page> {
    if users::any_exists(db).await? {
        return Ok(Either::Right(Redirect::to("/login")));
    }
    Ok(Either::Left(
        ctx.render("auth/setup", context! { values => context! {} }),
    ))
}

#[derive(FromForm)]
struct SetupForm {
    csrf_token: Option<String>,
    name: String,
    email: String,
    password: String,
    password_confirm: String,
}
csrf_protected!(SetupForm);

#[post("/setup", data = "<form>")]
async fn setup_submit(
    ctx: Ctx,
    db: &State<Db>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
    form: CsrfForm<SetupForm>,
) -> AppResult<Either<(Status, Template), Flash<Redirect>>> {
    let form = form.0;
    if users::any_exists(db).await? {
        return Ok(Either::Right(Flash::error(
            Redirect::to("/login"),
            ctx.t("setup.already_done"),
        )));
    }
    let input = NewUserInput {
        email: form.email.clone(),
        name: form.name.clone(),
        role: String::from("admin"),
        password: form.password,
        password_confirm: Some(form.password_confirm),
    };
    match create_first_admin(db, &input).await {
        Ok(user) => {
            session::start(cookies, config, user.id);
            csrf::rotate(cookies, config);
            Ok(Either::Right(done(&ctx, String::from("/"), "setup.done")))
        }
        Err(AppError::Validation(errors)) => {
            let page = ctx.render(
                "auth/setup",
                context! { errors => error_map(&errors, ctx.lang), values => context! { name => form.name, email => form.email } },
            );
            Ok(Either::Left((Status::UnprocessableEntity, page)))
        }
        Err(AppError::Forbidden) => Ok(Either::Right(Flash::error(
            Redirect::to("/login"),
            ctx.t("setup.already_done"),
        ))),
        Err(e) => Err(e),
    }
}
