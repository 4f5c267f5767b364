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

/// The signed-in, active user of this request (looked up once per request); `Err` when the
/// lookup itself failed, so an outage is a 500 rather than a silent sign-out.
pub async fn lookup(req: &Request<'_>) -> Result<Option<User>, ()> {
    struct Cached(Result<Option<User>, ()>);
    req.local_cache_async(async {
        let Some(cookie) = req.cookies().get_private(SESSION_COOKIE) else {
            return Cached(Ok(None));
        };
        let Some((id, expires)) = cookie.value().split_once(':') else {
            return Cached(Ok(None));
        };
        let (Ok(id), Ok(expires)) = (id.parse::<Id>(), expires.parse::<i64>()) else {
            return Cached(Ok(None));
        };
        if expires < Utc::now().timestamp() {
            return Cached(Ok(None));
        }
        let Some(db) = req.rocket().state::<Db>() else {
            return Cached(Err(()));
        };
        match users::find(db, id).await {
            Ok(user) => Cached(Ok(user.filter(|u| u.active))),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Cached(Err(()))
            }
        }
    })
    .await
    .0
    .clone()
}

/// The signed-in user, if any (a failed lookup counts as none: for page chrome only).
pub async fn user(req: &Request<'_>) -> Option<User> {
    lookup(req).await.ok().flatten()
}

fn guard_outcome<T>(
    found: Result<Option<User>, ()>,
    admit: impl FnOnce(User) -> Option<T>,
) -> Outcome<T, ()> {
    match found {
        Err(()) => Outcome::Error((Status::InternalServerError, ())),
        Ok(None) => Outcome::Error((Status::Unauthorized, ())),
        Ok(Some(user)) => match admit(user) {
            Some(guard) => Outcome::Success(guard),
            None => Outcome::Error((Status::Forbidden, ())),
        },
    }
}

/// Any signed-in user; without a session the request is answered by the login redirect (401 catcher).
pub struct CurrentUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        guard_outcome(lookup(req).await, |u| Some(CurrentUser(u)))
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
                guard_outcome(lookup(req).await, |u| matches!(u.role, $($role)|+).then(|| $name(u)))
            }
        }
    };
}

role_guard!(
    /// An administrator.
    AdminUser: Role::Admin
);

role_guard!(
    /// A coordinator or an administrator: who runs programmes, cohorts and enrolment.
    StaffUser: Role::Admin, Role::Coordinator
);

role_guard!(
    /// A trainer: sees and runs their own activities.
    TrainerUser: Role::Trainer
);

role_guard!(
    /// Who may read results reports: admins, coordinators and funders (the report service
    /// admits only members of the programme).
    ReportUser: Role::Admin, Role::Coordinator, Role::Funder
);
