//! Sessions in a private (encrypted, authenticated) cookie, and the request guards that
//! authorise HTML routes by role.

use chrono::Utc;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::time::Duration;

use crate::config::AppConfig;
use crate::db::users::{self, User};
use crate::db::{Db, Id};
use crate::domain::Role;

pub const SESSION_COOKIE: &str = "akademia_session";

/// Starts a session for `user_id` lasting `session_hours`; the expiry is inside the encrypted value,
/// so a replayed old cookie stops working even if a browser keeps it.
pub fn start(cookies: &CookieJar<'_>, config: &AppConfig, user_id: Id) {
    let expires = Utc::now().timestamp() + i64::from(config.session_hours) * 3600;
    let cookie = Cookie::build((SESSION_COOKIE, format!("{user_id}:{expires}")))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(Duration::hours(i64::from(config.session_hours)));
    cookies.add_private(cookie);
}

pub fn end(cookies: &CookieJar<'_>) {
    cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
}

/// The signed-in, active user of this request, looked up once per request.
pub async fn user(req: &Request<'_>) -> Option<User> {
    struct Cached(Option<User>);
    req.local_cache_async(async {
        let Some(cookie) = req.cookies().get_private(SESSION_COOKIE) else {
            return Cached(None);
        };
        let Some((id, expires)) = cookie.value().split_once(':') else {
            return Cached(None);
        };
        let (Ok(id), Ok(expires)) = (id.parse::<Id>(), expires.parse::<i64>()) else {
            return Cached(None);
        };
        if expires < Utc::now().timestamp() {
            return Cached(None);
        }
        let Some(db) = req.rocket().state::<Db>() else {
            return Cached(None);
        };
        match users::find(db, id).await {
            Ok(Some(user)) if user.active => Cached(Some(user)),
            Ok(_) => Cached(None),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Cached(None)
            }
        }
    })
    .await
    .0
    .clone()
}

/// Any signed-in user; without a session the request is answered by the login redirect (401 catcher).
pub struct CurrentUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        match user(req).await {
            Some(u) => Outcome::Success(CurrentUser(u)),
            None => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

/// Declares a guard admitting signed-in users with one of the given roles (others get 403).
macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident: $($role:path),+) => {
        $(#[$doc])*
        pub struct $name(pub User);

        #[rocket::async_trait]
        impl<'r> FromRequest<'r> for $name {
            type Error = ();
            async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
                match user(req).await {
                    Some(u) if matches!(u.role, $($role)|+) => Outcome::Success($name(u)),
                    Some(_) => Outcome::Error((Status::Forbidden, ())),
                    None => Outcome::Error((Status::Unauthorized, ())),
                }
            }
        }
    };
}

role_guard!(
    /// An administrator.
    AdminUser: Role::Admin
);
