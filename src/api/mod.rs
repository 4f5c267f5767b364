//! The JSON API under `/api/v1`: bearer-token authentication, JSON errors with CONTRACT.md's
//! statuses, and the OpenAPI document generated from the route annotations.

pub mod activities;
pub mod attendance;
pub mod attendance_export;
pub mod body;
pub mod certificates;
pub mod enrolments;
pub mod gminy;
pub mod indicators;
pub mod me;
pub mod openapi;
pub mod programmes;
pub mod reports;
pub mod surveys;
pub mod tasks;

pub use body::{ApiJson, ApiJsonOrDefault};

use rocket::catcher::Catcher;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::{Json, Value, json};
use rocket::{Route, State, catch, catchers};
use serde::Serialize;

use crate::db::Db;
use crate::db::users::User;
use crate::domain::Role;
use crate::error::{AppError, AppResult, PendingError};
use crate::service::tokens;
use crate::web::context::request_lang;

pub fn routes() -> Vec<Route> {
    [
        gminy::routes(),
        me::routes(),
        openapi::routes(),
        programmes::routes(),
        enrolments::routes(),
        activities::routes(),
        attendance::routes(),
        attendance_export::routes(),
        certificates::routes(),
        tasks::routes(),
        surveys::routes(),
        indicators::routes(),
        reports::routes(),
    ]
    .concat()
}

pub fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}

/// The user behind `Authorization: Bearer <token>`; a missing, unknown or revoked token is 401.
pub struct ApiUser(pub User);

impl ApiUser {
    /// 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> AppResult<&User> {
        if roles.contains(&self.0.role) {
            Ok(&self.0)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ApiUser {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let bearer = req.headers().get_one("Authorization").and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        });
        let (Some(bearer), Some(db)) = (bearer, req.rocket().state::<Db>()) else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        match tokens::authenticate(db, bearer).await {
            Ok(Some(user)) => Outcome::Success(ApiUser(user)),
            Ok(None) => Outcome::Error((Status::Unauthorized, ())),
            Err(e) => {
                tracing::error!(error = %e, "token check failed");
                Outcome::Error((Status::InternalServerError, ()))
            }
        }
    }
}

/// Declares an API guard admitting users with one of the given roles; others get 403 before the
/// request body is read.
macro_rules! api_role_guard {
    ($(#[$doc:meta])* $name:ident: $($role:path),+) => {
        $(#[$doc])*
        pub struct $name(pub User);

        #[rocket::async_trait]
        impl<'r> FromRequest<'r> for $name {
            type Error = ();
            async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
                match ApiUser::from_request(req).await {
                    Outcome::Success(ApiUser(user)) if matches!(user.role, $($role)|+) => {
                        Outcome::Success($name(user))
                    }
                    Outcome::Success(_) => Outcome::Error((Status::Forbidden, ())),
                    Outcome::Error(e) => Outcome::Error(e),
                    Outcome::Forward(f) => Outcome::Forward(f),
                }
            }
        }
    };
}

api_role_guard!(
    /// An API user who runs programmes (admin or coordinator).
    ApiStaff: Role::Admin, Role::Coordinator
);

api_role_guard!(
    /// An API user who may read results reports: staff, or a funder (of their programmes only).
    /// Every route with personal data keeps funders out (403).
    ApiReader: Role::Admin, Role::Coordinator, Role::Funder
);

api_role_guard!(
    /// An API user who works with activities: staff, or a trainer (for the activities they train).
    ApiActivityUser: Role::Admin, Role::Coordinator, Role::Trainer
);

/// The body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in the reader's language (Polish unless `Accept-Language` or `?lang=` says English).
    pub error: String,
    pub details: Vec<ErrorDetailBody>,
    /// For a scheduling conflict (409): the activities it clashes with and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub conflicts: Option<Value>,
}

/// One problem with the input.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetailBody {
    /// Row of an uploaded file (1 = the header), when the problem is in a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    pub field: String,
    pub message: String,
}

#[catch(default)]
fn json_error(status: Status, req: &Request<'_>) -> Json<Value> {
    let lang = request_lang(req);
    let detail = PendingError::get(req).unwrap_or_default();
    let key = match status.code {
        401 => "err.api.401",
        403 => "err.api.403",
        404 => "err.page.404",
        _ => crate::web::errors::message_key(status, req),
    };
    let error = detail
        .message
        .map(|m| m.render(lang))
        .unwrap_or_else(|| crate::i18n::t(lang, key));
    let details: Vec<ErrorDetailBody> = detail
        .errors
        .0
        .iter()
        .map(|e| ErrorDetailBody {
            row: e.row,
            field: e.field.clone(),
            message: e.message.render(lang),
        })
        .collect();
    Json(json!(ErrorBody {
        error,
        details,
        conflicts: detail.conflicts,
    }))
}

/// The database handle, for API handlers.
pub type DbState = State<Db>;
