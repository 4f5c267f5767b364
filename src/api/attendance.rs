//! Attendance: an activity's marks (read and set, by its trainers and coordinators) and a
//! cohort's attendance rates.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{Route, get, post, put, routes};
use serde::{Deserialize, Serialize};

use super::{ApiActivityUser, ApiJson, ApiStaff, ApiUser, DbState};
use crate::db::Id;
use crate::db::evidence::Evidence;
use crate::domain::activity::hours_value;
use crate::domain::attendance::{Hours, Mark};
use crate::domain::participant::Group;
use crate::error::{AppError, AppResult};
use crate::service::attendance::{self as service, MarkInput, Sheet};
use crate::service::evidence::MAX_EVIDENCE_BYTES;

pub fn routes() -> Vec<Route> {
    routes![
        get_marks,
        put_marks,
        cohort_rates,
        list_evidence,
        upload_evidence,
        download_evidence
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MarkOut {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    pub first_name: String,
    pub last_name: String,
    /// TERYT code.
    pub gmina: String,
    pub gmina_name: String,
    pub group: Group,
    /// `null` while unmarked.
    pub status: Option<Mark>,
    /// Who marked it.
    pub marked_by: Option<String>,
    pub marked_at: Option<DateTime<Utc>>,
}

fn marks_out(sheet: Sheet) -> Vec<MarkOut> {
    let Sheet { roster, marks, .. } = sheet;
    roster
        .into_iter()
        .map(|e| {
            let m = marks.get(&e.id);
            MarkOut {
                enrolment: e.id,
                first_name: e.first_name,
                last_name: e.last_name,
                gmina: e.gmina_teryt,
                gmina_name: e.gmina_name,
                group: e.grp,
                status: m.map(|m| m.status),
                marked_by: m.and_then(|m| m.marked_by_name.clone()),
                marked_at: m.map(|m| m.marked_at),
            }
        })
        .collect()
}

fn parse_id(a: &str) -> AppResult<Id> {
    a.parse::<Id>().map_err(|_| AppError::NotFound)
}

/// The activity's roster with each person's mark (its trainers and coordinators).
#[utoipa::path(get, path = "/api/v1/activities/{a}/attendance", tag = "attendance",
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = [MarkOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/activities/<a>/attendance")]
pub async fn get_marks(db: &DbState, user: ApiUser, a: &str) -> AppResult<Json<Vec<MarkOut>>> {
    let sheet = service::sheet(db, &user.0, parse_id(a)?).await?;
    Ok(Json(marks_out(sheet)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MarkBody {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    /// `present`, `late`, `excused` or `absent`.
    pub status: Mark,
}

/// Sets the marks of the people listed (a partial list leaves the others as they are; sending the
/// same again changes nothing). From an hour before the start until the cohort's marking window
/// (14 days by default) after the end; later only a coordinator, with `?reason=`.
#[utoipa::path(put, path = "/api/v1/activities/{a}/attendance", tag = "attendance", request_body = [MarkBody],
    params(("a" = String, Path, description = "activity id"),
           ("reason" = Option<String>, Query, description = "why a coordinator marks after the window")),
    responses((status = 200, body = [MarkOut]), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/activities/<a>/attendance?<reason>", data = "<body>")]
pub async fn put_marks(
    db: &DbState,
    user: ApiActivityUser,
    a: &str,
    reason: Option<&str>,
    body: ApiJson<Vec<MarkBody>>,
) -> AppResult<Json<Vec<MarkOut>>> {
    let id = parse_id(a)?;
    let marks: Vec<MarkInput> = body
        .0
        .into_iter()
        .map(|m| MarkInput {
            enrolment: m.enrolment,
            status: m.status,
        })
        .collect();
    service::mark(db, &user.0, id, &marks, reason).await?;
    Ok(Json(marks_out(service::sheet(db, &user.0, id).await?)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KindHours {
    pub planned_hours: f64,
    pub attended_hours: f64,
    pub excused_hours: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RateOut {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    pub first_name: String,
    pub last_name: String,
    pub gmina: String,
    pub group: Group,
    /// Present and late, in academic hours.
    pub attended_hours: f64,
    /// Hours of the non-cancelled activities already started whose roster held the person.
    pub planned_hours: f64,
    pub excused_hours: f64,
    /// attended / planned; `null` while nothing was planned.
    pub rate: Option<f64>,
    /// The same per kind of activity.
    pub by_kind: BTreeMap<String, KindHours>,
    /// The longest run of consecutive absences.
    pub consecutive_absences: usize,
}

fn kind_hours(h: &Hours) -> KindHours {
    KindHours {
        planned_hours: hours_value(h.planned),
        attended_hours: hours_value(h.attended),
        excused_hours: hours_value(h.excused),
    }
}

/// Every enrolment's attendance in the cohort (coordinators).
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/attendance", tag = "attendance",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [RateOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/attendance")]
pub async fn cohort_rates(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<RateOut>>> {
    let data = service::cohort(db, &user.0, c).await?;
    let out = data
        .enrolments
        .into_iter()
        .map(|e| {
            let s = data.summaries.get(&e.id).cloned().unwrap_or_default();
            RateOut {
                enrolment: e.id,
                first_name: e.first_name,
                last_name: e.last_name,
                gmina: e.gmina_teryt,
                group: e.grp,
                attended_hours: hours_value(s.total.attended),
                planned_hours: hours_value(s.total.planned),
                excused_hours: hours_value(s.total.excused),
                rate: s.total.rate(),
                by_kind: s
                    .by_kind
                    .iter()
                    .map(|(k, h)| (k.as_str().to_owned(), kind_hours(h)))
                    .collect(),
                consecutive_absences: s.longest_absence_run,
            }
        })
        .collect();
    Ok(Json(out))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EvidenceOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

impl From<Evidence> for EvidenceOut {
    fn from(e: Evidence) -> Self {
        EvidenceOut {
            id: e.id,
            file_name: e.file_name,
            content_type: e.content_type,
            size_bytes: e.size_bytes,
            sha256: e.sha256,
            uploaded_by: e.uploaded_by_name,
            uploaded_at: e.uploaded_at,
        }
    }
}

/// An uploaded file's bytes (the request body). One byte over the limit is read, so a larger file
/// is refused with the size error.
pub(super) async fn read_file(data: Data<'_>) -> AppResult<Vec<u8>> {
    let limit = (MAX_EVIDENCE_BYTES + 1).bytes();
    let bytes = data
        .open(limit)
        .into_bytes()
        .await
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(bytes.into_inner())
}

/// A stored file as the response: its bytes under the type it was stored with.
pub(super) fn file_response((meta, bytes): (Evidence, Vec<u8>)) -> (ContentType, Vec<u8>) {
    let content_type =
        ContentType::parse_flexible(&meta.content_type).unwrap_or(ContentType::Binary);
    (content_type, bytes)
}

/// Scans of the signed attendance list, newest (current) first.
#[utoipa::path(get, path = "/api/v1/activities/{a}/evidence", tag = "attendance",
    params(("a" = String, Path, description = "activity id")),
    responses((status = 200, body = [EvidenceOut])),
    security(("bearer" = [])))]
#[get("/activities/<a>/evidence")]
pub async fn list_evidence(
    db: &DbState,
    user: ApiUser,
    a: &str,
) -> AppResult<Json<Vec<EvidenceOut>>> {
    let list = service::evidence(db, &user.0, parse_id(a)?).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Uploads a scan (the request body: PDF, JPEG or PNG, judged by content, at most 10 MB);
/// earlier scans are kept.
#[utoipa::path(post, path = "/api/v1/activities/{a}/evidence", tag = "attendance",
    params(("a" = String, Path, description = "activity id"),
           ("name" = Option<String>, Query, description = "the file's name")),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = EvidenceOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/activities/<a>/evidence?<name>", data = "<data>")]
pub async fn upload_evidence(
    db: &DbState,
    user: ApiActivityUser,
    a: &str,
    name: Option<&str>,
    data: Data<'_>,
) -> AppResult<(Status, Json<EvidenceOut>)> {
    let bytes = read_file(data).await?;
    let evidence =
        service::upload_evidence(db, &user.0, parse_id(a)?, name.unwrap_or(""), &bytes).await?;
    Ok((Status::Created, Json(evidence.into())))
}

/// One scan's file.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "attendance",
    params(("id" = String, Path, description = "evidence id")),
    responses((status = 200, description = "the file")),
    security(("bearer" = [])))]
#[get("/evidence/<id>")]
pub async fn download_evidence(
    db: &DbState,
    user: ApiUser,
    id: &str,
) -> AppResult<(ContentType, Vec<u8>)> {
    Ok(file_response(
        service::evidence_file(db, &user.0, parse_id(id)?).await?,
    ))
}
