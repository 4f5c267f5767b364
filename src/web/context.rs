//! What every page needs: the reader's language, the signed-in user, the CSRF token, the flash
//! message, and the link to the same page in the other language. `Ctx::render` merges it with
//! the page's own values.

use minijinja::{Value, context};
use rocket::http::{Cookie, SameSite};
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::time::Duration;
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::{csrf, session};
use crate::db::users::User;
use crate::i18n::{self, Lang};

pub const LANG_COOKIE: &str = "lang";

/// The language of this request: `?lang=` first, then the remembered choice, then (for the API)
/// `Accept-Language`; Polish otherwise.
pub fn request_lang(req: &Request<'_>) -> Lang {
    if let Some(lang) = query_lang(req) {
        return lang;
    }
    if let Some(lang) = req
        .cookies()
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
    {
        return lang;
    }
    if req.uri().path().starts_with("/api/")
        && let Some(header) = req.headers().get_one("Accept-Language")
    {
        return Lang::from_accept_language(header);
    }
    Lang::Pl
}

fn query_lang(req: &Request<'_>) -> Option<Lang> {
    req.query_value::<&str>("lang")
        .and_then(|v| v.ok())
        .and_then(Lang::parse)
}

#[derive(Serialize)]
struct UserView<'a> {
    id: String,
    name: &'a str,
    email: &'a str,
    role: &'a str,
    is_admin: bool,
}

/// The page context guard; it never fails.
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    pub csrf_token: String,
    flash: Option<(String, String)>,
    path: String,
    switch_url: String,
}

impl Ctx {
    pub async fn of(req: &Request<'_>) -> Ctx {
        let lang = request_lang(req);
        if let Some(chosen) = query_lang(req) {
            req.cookies().add(
                Cookie::build((LANG_COOKIE, chosen.code()))
                    .path("/")
                    .same_site(SameSite::Lax)
                    .max_age(Duration::days(365)),
            );
        }
        let flash = req
            .guard::<Option<FlashMessage<'_>>>()
            .await
            .succeeded()
            .flatten();
        Ctx {
            lang,
            user: session::user(req).await,
            csrf_token: csrf::token(req),
            flash: flash.map(|f| (f.kind().to_owned(), f.message().to_owned())),
            path: req.uri().path().to_string(),
            switch_url: switch_url(req, lang),
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// Renders `name` with the page's values merged over the common ones.
    pub fn render(&self, name: &'static str, page: impl Serialize) -> Template {
        Template::render(name, self.context(page))
    }

    pub fn context(&self, page: impl Serialize) -> Value {
        let other = match self.lang {
            Lang::Pl => Lang::En,
            Lang::En => Lang::Pl,
        };
        let user = self.user.as_ref().map(|u| UserView {
            id: u.id.to_string(),
            name: &u.name,
            email: &u.email,
            role: u.role.as_str(),
            is_admin: u.role == crate::domain::Role::Admin,
        });
        let flash = self
            .flash
            .as_ref()
            .map(|(kind, message)| context! { kind, message });
        let base = context! {
            lang => self.lang.code(),
            user,
            csrf_token => &self.csrf_token,
            flash,
            path => &self.path,
            switch_lang => context! {
                code => other.code(),
                url => &self.switch_url,
                label => match other { Lang::Pl => "Polski", Lang::En => "English" },
            },
        };
        context! { ..Value::from_serialize(&page), ..base }
    }
}

/// The current URL with `lang` set to the other language.
fn switch_url(req: &Request<'_>, current: Lang) -> String {
    let other = if current == Lang::Pl { "en" } else { "pl" };
    let mut pairs: Vec<String> = req
        .uri()
        .query()
        .map(|q| {
            q.segments()
                .filter(|(k, _)| *k != "lang")
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect()
        })
        .unwrap_or_default();
    pairs.push(format!("lang={other}"));
    format!("{}?{}", req.uri().path(), pairs.join("&"))
}

fn enc(s: &str) -> String {
    rocket::http::RawStr::new(s).percent_encode().to_string()
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Ctx {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Ctx::of(req).await)
    }
}

/// The language of the request, as `request_lang` decides it, as a guard for JSON routes.
pub struct RequestLang(pub Lang);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for RequestLang {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(RequestLang(request_lang(req)))
    }
}
