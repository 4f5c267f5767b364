//! Scheduling: a cohort's activities, one activity, cancelling, the roster, the cohort's calendar
//! feed and the printable attendance list.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Europe::Warsaw;
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{Route, get, post, put, routes};
use serde::{Deserialize, Serialize};

use super::programmes::text_or_number;
use super::{ApiJson, ApiStaff, ApiUser, DbState};
use crate::db::Id;
use crate::domain::activity::{ActivityKind, hours_value};
use crate::domain::participant::Group;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::service::activities::{self as service, ActivityInput, ActivityView, Saved};
use crate::service::calendar;
use crate::web::base_url::BaseUrl;
use crate::web::cohorts::Download;

pub fn routes() -> Vec<Route> {
    routes![
        list,
        create,
        get_activity,
        update,
        cancel,
        set_roster,
        cohort_calendar,
        my_activities,
        attendance_list
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrainerOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    pub name: String,
    pub email: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct AudienceBody {
    /// Groups (`official`, `ngo`, `at_risk`); none = every group.
    pub groups: Vec<String>,
    /// TERYT codes of gmina teams of the cohort; none = every team. With `groups`: the intersection.
    pub teams: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivityOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// The cohort's slug.
    pub cohort: String,
    pub kind: ActivityKind,
    pub title: String,
    pub module: String,
    pub description: String,
    /// In Warsaw time with its offset.
    #[schema(value_type = String, example = "2027-10-31T10:00:00+01:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, example = "2027-10-31T15:00:00+01:00")]
    pub ends_at: DateTime<FixedOffset>,
    /// Academic hours (45 minutes).
    pub hours: f64,
    pub location: String,
    pub online_url: String,
    /// Host organisation of a study visit.
    pub host: Option<String>,
    pub capacity: Option<i32>,
    pub trainers: Vec<TrainerOut>,
    pub audience: AudienceBody,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    /// The iCalendar SEQUENCE: how many times it changed.
    pub sequence: i32,
    /// Enrolment ids on the roster.
    #[schema(value_type = Vec<String>)]
    pub roster: Vec<Id>,
}

fn warsaw(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&Warsaw).fixed_offset()
}

impl From<ActivityView> for ActivityOut {
    fn from(v: ActivityView) -> Self {
        let a = v.activity;
        ActivityOut {
            id: a.id,
            cohort: a.cohort_slug,
            kind: a.kind,
            title: a.title,
            module: a.module,
            description: a.description,
            starts_at: warsaw(a.starts_at),
            ends_at: warsaw(a.ends_at),
            hours: hours_value(i64::from(a.hours_centi)),
            location: a.location,
            online_url: a.online_url,
            host: a.host_name,
            capacity: a.capacity,
            trainers: v
                .trainers
                .into_iter()
                .map(|t| TrainerOut {
                    id: t.id,
                    name: t.name,
                    email: t.email,
                })
                .collect(),
            audience: AudienceBody {
                groups: v
                    .audience
                    .groups
                    .iter()
                    .map(|g: &Group| g.as_str().to_owned())
                    .collect(),
                teams: v.audience.teams,
            },
            cancelled: a.cancelled_at.is_some(),
            cancel_reason: a.cancel_reason,
            sequence: a.sequence,
            roster: v.roster,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct ActivityBody {
    /// `training`, `study_visit`, `webinar` or `coaching`.
    pub kind: String,
    pub title: String,
    pub module: String,
    pub description: String,
    /// RFC 3339 (`2027-10-31T10:00:00+01:00`), or Warsaw time without an offset.
    pub starts_at: String,
    pub ends_at: String,
    /// Academic hours; default: the span in 45-minute hours.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<f64>)]
    pub hours: String,
    pub location: String,
    /// Required for a webinar.
    pub online_url: String,
    /// Host organisation (id or name) of a study visit.
    pub host: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i32>)]
    pub capacity: String,
    /// Trainers' user ids or emails.
    pub trainers: Vec<String>,
    pub audience: AudienceBody,
    /// Save even when a trainer, team or participant is booked elsewhere at the time.
    pub allow_conflicts: bool,
}

impl From<ActivityBody> for ActivityInput {
    fn from(b: ActivityBody) -> Self {
        ActivityInput {
            kind: b.kind,
            title: b.title,
            module: b.module,
            description: b.description,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            hours: b.hours,
            location: b.location,
            online_url: b.online_url,
            host: b.host,
            capacity: b.capacity,
            trainers: b.trainers,
            groups: b.audience.groups,
            teams: b.audience.teams,
            allow_conflicts: b.allow_conflicts,
        }
    }
}

fn saved(outcome: Saved) -> AppResult<ActivityOut> {
    match outcome {
        Saved::Done(view) => Ok((*view).into()),
        Saved::Conflicts(found) => {
            let list: Vec<serde_json::Value> = found.iter().map(|c| c.to_json()).collect();
            Err(AppError::ConflictWith(
                Msg::new("err.schedule_conflict").arg("n", found.len()),
                serde_json::Value::Array(list),
            ))
        }
    }
}

fn parse_id(a: &str) -> AppResult<Id> {
    a.parse::<Id>().map_err(|_| AppError::NotFound)
}

/// The cohort's activities in time order (cancelled ones too), each with its roster.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/activities", tag = "scheduling",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [ActivityOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/activities")]
pub async fn list(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<ActivityOut>>> {
    let (_, views, _) = service::schedule(db, &user.0, c).await?;
    Ok(Json(views.into_iter().map(Into::into).collect()))
}

/// Plans an activity. A trainer, team or participant booked into an overlapping activity is a
/// conflict: 409 with `conflicts`, unless `allow_conflicts` is true.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/activities", tag = "scheduling", request_body = ActivityBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 201, body = ActivityOut), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/activities", data = "<body>")]
pub async fn create(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<ActivityBody>,
) -> AppResult<(Status, Json<ActivityOut>)> {
    let outcome = service::create(db, &user.0, c, &body.0.into()).await?;
    Ok((Status::Created, Json(saved(outcome)?)))
}

/// One activity (its coordinators, admins, and its trainers).
#[utoipa::path(get, path = "/api/v1/activities/{a}", tag = "scheduling",
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = ActivityOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/activities/<a>")]
pub async fn get_activity(db: &DbState, user: ApiUser, a: &str) -> AppResult<Json<ActivityOut>> {
    let (_, view, _) = service::activity_for(db, &user.0, parse_id(a)?).await?;
    Ok(Json(view.into()))
}

/// Edits or moves an activity (the whole body, as for POST); the calendar SEQUENCE goes up.
#[utoipa::path(put, path = "/api/v1/activities/{a}", tag = "scheduling", request_body = ActivityBody,
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = ActivityOut), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/activities/<a>", data = "<body>")]
pub async fn update(
    db: &DbState,
    user: ApiStaff,
    a: &str,
    body: ApiJson<ActivityBody>,
) -> AppResult<Json<ActivityOut>> {
    let outcome = service::update(db, &user.0, parse_id(a)?, &body.0.into()).await?;
    Ok(Json(saved(outcome)?))
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct CancelBody {
    /// Why it is cancelled (required to cancel).
    pub reason: String,
    /// `true` takes a cancellation back.
    pub restore: bool,
}

/// Cancels an activity with a reason (it stays listed as cancelled and counts for no hours), or
/// restores it with `"restore": true`.
#[utoipa::path(post, path = "/api/v1/activities/{a}/cancel", tag = "scheduling", request_body = CancelBody,
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = ActivityOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/activities/<a>/cancel", data = "<body>")]
pub async fn cancel(
    db: &DbState,
    user: ApiStaff,
    a: &str,
    body: ApiJson<CancelBody>,
) -> AppResult<Json<ActivityOut>> {
    let id = parse_id(a)?;
    let view = if body.0.restore {
        service::restore(db, &user.0, id).await?
    } else {
        service::cancel(db, &user.0, id, &body.0.reason).await?
    };
    Ok(Json(view.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RosterBody {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    /// `true` adds the person, `false` takes them off, `null` lets the audience decide again.
    pub included: Option<bool>,
}

/// Adds a person to the roster or takes them off it, beyond what the audience gives.
#[utoipa::path(post, path = "/api/v1/activities/{a}/roster", tag = "scheduling", request_body = RosterBody,
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = ActivityOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/activities/<a>/roster", data = "<body>")]
pub async fn set_roster(
    db: &DbState,
    user: ApiStaff,
    a: &str,
    body: ApiJson<RosterBody>,
) -> AppResult<Json<ActivityOut>> {
    let view =
        service::set_roster(db, &user.0, parse_id(a)?, body.0.enrolment, body.0.included).await?;
    Ok(Json(view.into()))
}

/// The cohort's activities as an iCalendar (RFC 5545) feed.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/calendar.ics", tag = "scheduling",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, content_type = "text/calendar", description = "iCalendar")),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/calendar.ics")]
pub async fn cohort_calendar(
    db: &DbState,
    user: ApiStaff,
    base: BaseUrl,
    c: &str,
) -> AppResult<(ContentType, String)> {
    let text = calendar::cohort_feed(db, &user.0, c, &base.0).await?;
    Ok((
        ContentType::new("text", "calendar").with_params(("charset", "utf-8")),
        text,
    ))
}

/// The activities the signed-in trainer trains, in every cohort.
#[utoipa::path(get, path = "/api/v1/me/activities", tag = "scheduling",
    responses((status = 200, body = [ActivityOut])),
    security(("bearer" = [])))]
#[get("/me/activities")]
pub async fn my_activities(db: &DbState, user: ApiUser) -> AppResult<Json<Vec<ActivityOut>>> {
    let views = service::trained_by(db, user.0.id).await?;
    Ok(Json(views.into_iter().map(Into::into).collect()))
}

/// The printable attendance list (lista obecności) as a PDF.
#[utoipa::path(get, path = "/api/v1/activities/{a}/attendance-list.pdf", tag = "scheduling",
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, content_type = "application/pdf", description = "PDF")),
    security(("bearer" = [])))]
#[get("/activities/<a>/attendance-list.pdf")]
pub async fn attendance_list(db: &DbState, user: ApiUser, a: &str) -> AppResult<Download> {
    let (name, pdf) = service::attendance_list_pdf(db, &user.0, parse_id(a)?).await?;
    Ok(Download::inline(&name, ContentType::PDF, pdf))
}
