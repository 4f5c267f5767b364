//! Error pages: every status gets a translated page without internals; 401 on a page sends the
//! browser to the login form and back afterwards.

use minijinja::context;
use rocket::catcher::{BoxFuture, Catcher};
use rocket::http::Status;
use rocket::response::{Redirect, Responder};
use rocket::{Request, catch, catchers};
use rocket_dyn_templates::Template;

use super::context::Ctx;
use super::csrf;
use crate::error::PendingError;

pub fn catchers() -> Vec<Catcher> {
    let mut all = catchers![page];
    all.push(Catcher::new(401, to_login));
    all
}

/// Translation key of the explanation shown for `status`.
pub fn message_key(status: Status, req: &Request<'_>) -> &'static str {
    match status.code {
        400 => "err.page.400",
        401 => "err.page.401",
        403 if csrf::was_rejected(req) => "err.page.csrf",
        403 => "err.page.403",
        404 => "err.page.404",
        405 => "err.page.405",
        409 => "err.page.409",
        413 => "err.page.413",
        415 => "err.page.415",
        422 => "err.page.422",
        429 => "err.page.429",
        500..=599 => "err.page.500",
        _ => "err.page.other",
    }
}

#[catch(default)]
async fn page(status: Status, req: &Request<'_>) -> Template {
    let ctx = Ctx::of(req).await;
    let detail = PendingError::get(req).unwrap_or_default();
    let errors: Vec<_> = detail
        .errors
        .0
        .iter()
        .map(
            |e| context! { row => e.row, field => &e.field, message => e.message.render(ctx.lang) },
        )
        .collect();
    ctx.render(
        "errors/error",
        context! {
            status => status.code,
            reason => status.reason().unwrap_or(""),
            message => detail.message.map(|m| m.render(ctx.lang)).unwrap_or_else(|| ctx.t(message_key(status, req))),
            errors,
        },
    )
}

fn to_login<'r>(_: Status, req: &'r Request<'_>) -> BoxFuture<'r> {
    Box::pin(async move {
        let next = req.uri().to_string();
        let target = if next == "/" || next.starts_with("/login") {
            String::from("/login")
        } else {
            format!(
                "/login?next={}",
                rocket::http::RawStr::new(&next).percent_encode()
            )
        };
        Redirect::to(target).respond_to(req)
    })
}
