//! CSRF protection: a random token in a private cookie, repeated in each form's hidden
//! `csrf_token` field and compared in constant time. `CsrfForm<T>` is the only way HTML routes
//! accept a form, so no state-changing form can skip the check.

use rocket::data::{self, Data, FromData, Limits};
use rocket::form::{Form, FromForm, ValueField};
use rocket::http::RawStr;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::Request;

use crate::config::AppConfig;
use crate::domain::token::{random_string, secrets_equal};

pub const CSRF_COOKIE: &str = "akademia_csrf";
pub const CSRF_FIELD: &str = "csrf_token";

/// Forms carry their token in a `csrf_token: Option<String>` field; this reads it.
pub trait CsrfProtected {
    fn csrf_token(&self) -> Option<&str>;
}

/// Implements `CsrfProtected` for form structs with a `csrf_token: Option<String>` field.
#[macro_export]
macro_rules! csrf_protected {
    ($($ty:ty),+ $(,)?) => {
        $(impl $crate::web::csrf::CsrfProtected for $ty {
            fn csrf_token(&self) -> Option<&str> {
                self.csrf_token.as_deref()
            }
        })+
    };
}

/// The request's CSRF token, creating the cookie on first use.
pub fn token(req: &Request<'_>) -> String {
    struct Cached(String);
    req.local_cache(|| {
        if let Some(cookie) = req.cookies().get_private(CSRF_COOKIE) {
            return Cached(cookie.value().to_owned());
        }
        let fresh = random_string(32);
        let secure = req
            .rocket()
            .state::<AppConfig>()
            .is_some_and(|c| c.secure_cookies);
        set_cookie(req.cookies(), secure, &fresh);
        Cached(fresh)
    })
    .0
    .clone()
}

/// Replaces the token (after login, so a token planted before login is worthless).
pub fn rotate(cookies: &CookieJar<'_>, config: &AppConfig) {
    set_cookie(cookies, config.secure_cookies, &random_string(32));
}

fn set_cookie(cookies: &CookieJar<'_>, secure: bool, value: &str) {
    cookies.add_private(
        Cookie::build((CSRF_COOKIE, value.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure),
    );
}

/// True when `sent` matches the token in the request's cookie.
fn is_valid(req: &Request<'_>, sent: Option<&str>) -> bool {
    match (req.cookies().get_private(CSRF_COOKIE), sent) {
        (Some(cookie), Some(sent)) => secrets_equal(cookie.value(), sent),
        _ => false,
    }
}

/// Marks a request refused for its CSRF token, so the 403 page can say what happened.
pub struct CsrfRejected(pub bool);

pub fn was_rejected(req: &Request<'_>) -> bool {
    req.local_cache(|| CsrfRejected(false)).0
}

fn reject<'r, T>(req: &'r Request<'_>) -> data::Outcome<'r, T, ()> {
    req.local_cache(|| CsrfRejected(true));
    data::Outcome::Error((Status::Forbidden, ()))
}

/// A form whose CSRF token was checked. URL-encoded bodies are checked before they are parsed;
/// multipart bodies (file uploads) after Rocket has parsed them.
pub struct CsrfForm<T>(pub T);

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + CsrfProtected + Send + 'r> FromData<'r> for CsrfForm<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let is_multipart = req.content_type().is_some_and(|ct| ct.is_form_data());
        if is_multipart {
            return match Form::<T>::from_data(req, data).await {
                data::Outcome::Success(form) => {
                    let form = form.into_inner();
                    if is_valid(req, form.csrf_token()) {
                        data::Outcome::Success(CsrfForm(form))
                    } else {
                        reject(req)
                    }
                }
                data::Outcome::Error((status, _)) => data::Outcome::Error((status, ())),
                data::Outcome::Forward(f) => data::Outcome::Forward(f),
            };
        }
        let body = match super::read_text(req, data, "form", Limits::FORM).await {
            Ok(body) => body,
            Err(status) => return data::Outcome::Error((status, ())),
        };
        // Decode once (WHATWG: `+` is a space, then percent-decoding) into strings that live as
        // long as the request, so the form may borrow from them.
        struct Fields(Vec<(String, String)>);
        let fields: &'r [(String, String)] = &req.local_cache(|| Fields(decode_fields(&body))).0;
        let sent = fields
            .iter()
            .find(|(name, _)| name == CSRF_FIELD)
            .map(|(_, value)| value.as_str());
        if !is_valid(req, sent) {
            return reject(req);
        }
        match Form::<T>::parse_iter(
            fields
                .iter()
                .map(|(n, v)| ValueField::from((n.as_str(), v.as_str()))),
        ) {
            Ok(value) => data::Outcome::Success(CsrfForm(value)),
            Err(_) => data::Outcome::Error((Status::UnprocessableEntity, ())),
        }
    }
}

/// Splits an `application/x-www-form-urlencoded` body into decoded (name, value) pairs.
fn decode_fields(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                RawStr::new(name).url_decode_lossy().into_owned(),
                RawStr::new(value).url_decode_lossy().into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::decode_fields;

    #[test]
    fn form_bodies_are_decoded_like_browsers_encode_them() {
        let fields = decode_fields("email=jan%40gmina.pl&name=Zo%C5%9Bka+W%C3%B3jcik&empty=&flag");
        assert_eq!(
            fields,
            vec![
                ("email".to_owned(), "jan@gmina.pl".to_owned()),
                ("name".to_owned(), "Zośka Wójcik".to_owned()),
                ("empty".to_owned(), String::new()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }
}
