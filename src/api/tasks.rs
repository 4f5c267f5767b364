//! Commissioned public tasks of a cohort (the outcome register) and their documents.

use chrono::NaiveDate;
use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{Route, delete, get, post, put, routes};
use serde::{Deserialize, Serialize};

use super::attendance::{EvidenceOut, file_response, read_file};
use super::{ApiJson, ApiStaff, DbState};
use crate::db::Id;
use crate::db::tasks::TaskRow;
use crate::domain::task::TaskStatus;
use crate::error::{AppError, AppResult};
use crate::service::tasks::{self as service, TaskInput};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        create,
        get_task,
        update,
        remove,
        list_evidence,
        upload_evidence,
        download_evidence,
        remove_evidence
    ]
}

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// TERYT code.
    pub gmina: String,
    pub gmina_name: String,
    /// The gmina team it is attributed to (TERYT).
    pub team: String,
    pub title: String,
    /// Art. 4 point: `"1a"`, `"10"`.
    pub sphere: String,
    pub sphere_label: String,
    /// An `id` of tryby_zlecania.csv.
    pub mode: String,
    pub mode_name: String,
    pub contractor: String,
    pub amount_pln: Option<f64>,
    pub commissioned_on: NaiveDate,
    pub status: TaskStatus,
    pub is_new: bool,
    pub target_groups: Vec<String>,
    pub evidence_url: String,
}

impl From<TaskRow> for TaskOut {
    fn from(t: TaskRow) -> Self {
        TaskOut {
            id: t.id,
            gmina: t.gmina_teryt,
            gmina_name: t.gmina_name,
            team: t.team_teryt,
            title: t.title,
            sphere: t.sphere,
            sphere_label: t.sphere_label,
            mode: t.mode,
            mode_name: t.mode_name,
            contractor: t.contractor,
            amount_pln: t.amount_grosze.map(|g| g as f64 / 100.0),
            commissioned_on: t.commissioned_on,
            status: t.status,
            is_new: t.is_new,
            target_groups: t
                .target_groups
                .split(',')
                .filter(|g| !g.is_empty())
                .map(str::to_owned)
                .collect(),
            evidence_url: t.evidence_url,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// TERYT code of the commissioning gmina.
    pub gmina: String,
    pub title: String,
    /// Art. 4 point as text (`"1a"`, `"10"`).
    pub sphere: String,
    /// An `id` of tryby_zlecania.csv, e.g. `ART19A_MALE_GRANTY`.
    pub mode: String,
    pub contractor: Option<String>,
    /// PLN, up to two decimals.
    #[schema(value_type = Option<f64>)]
    pub amount_pln: Option<serde_json::Number>,
    pub commissioned_on: String,
    pub is_new: bool,
    /// `planned`, `announced`, `commissioned` (default) or `completed`.
    pub status: Option<String>,
    /// The gmina team it is attributed to (TERYT); the task's gmina by default.
    pub team: Option<String>,
    /// `seniors`, `children_youth`, `foreigners`, `disabled`, `integration`, `other`.
    pub target_groups: Option<Vec<String>>,
    pub evidence_url: Option<String>,
}

impl From<TaskBody> for TaskInput {
    fn from(b: TaskBody) -> Self {
        TaskInput {
            gmina: b.gmina,
            team: b.team.unwrap_or_default(),
            title: b.title,
            sphere: b.sphere,
            mode: b.mode,
            contractor: b.contractor.unwrap_or_default(),
            amount: b.amount_pln.map(|n| n.to_string()).unwrap_or_default(),
            commissioned_on: b.commissioned_on,
            status: b.status.unwrap_or_default(),
            is_new: b.is_new,
            target_groups: b.target_groups.unwrap_or_default(),
            evidence_url: b.evidence_url.unwrap_or_default(),
        }
    }
}

/// The cohort's commissioned tasks, by date.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/tasks", tag = "outcomes",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [TaskOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/tasks")]
pub async fn list(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<TaskOut>>> {
    let (_, tasks) = service::list(db, &user.0, c).await?;
    Ok(Json(tasks.into_iter().map(Into::into).collect()))
}

/// Records a commissioned task (audited).
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/tasks", tag = "outcomes", request_body = TaskBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 201, body = TaskOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/tasks", data = "<body>")]
pub async fn create(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<TaskBody>,
) -> AppResult<(Status, Json<TaskOut>)> {
    let task = service::create(db, &user.0, c, &body.0.into()).await?;
    Ok((Status::Created, Json(task.into())))
}

/// One task.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "task id")),
    responses((status = 200, body = TaskOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/tasks/<id>")]
pub async fn get_task(db: &DbState, user: ApiStaff, id: &str) -> AppResult<Json<TaskOut>> {
    let (task, _) = service::task_for(db, &user.0, parse_id(id)?).await?;
    Ok(Json(task.into()))
}

/// Corrects a task (all fields, as in POST).
#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "outcomes", request_body = TaskBody,
    params(("id" = String, Path, description = "task id")),
    responses((status = 200, body = TaskOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/tasks/<id>", data = "<body>")]
pub async fn update(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    body: ApiJson<TaskBody>,
) -> AppResult<Json<TaskOut>> {
    let task = service::update(db, &user.0, parse_id(id)?, &body.0.into()).await?;
    Ok(Json(task.into()))
}

/// Removes a task recorded by mistake (audited, with what it held).
#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "task id")),
    responses((status = 204, description = "removed"), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[delete("/tasks/<id>")]
pub async fn remove(db: &DbState, user: ApiStaff, id: &str) -> AppResult<Status> {
    service::delete(db, &user.0, parse_id(id)?).await?;
    Ok(Status::NoContent)
}

/// The task's documents (a resolution, an announcement, a signed contract), newest first. Never
/// for funders: they may hold personal data.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/evidence", tag = "outcomes",
    params(("id" = String, Path, description = "task id")),
    responses((status = 200, body = [EvidenceOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/tasks/<id>/evidence")]
pub async fn list_evidence(
    db: &DbState,
    user: ApiStaff,
    id: &str,
) -> AppResult<Json<Vec<EvidenceOut>>> {
    let list = service::evidence(db, &user.0, parse_id(id)?).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Uploads a document of the task (the request body: PDF, JPEG or PNG, judged by content, at
/// most 10 MB); earlier documents are kept.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/evidence", tag = "outcomes",
    params(("id" = String, Path, description = "task id"),
           ("name" = Option<String>, Query, description = "the file's name")),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = EvidenceOut), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/tasks/<id>/evidence?<name>", data = "<data>")]
pub async fn upload_evidence(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    name: Option<&str>,
    data: Data<'_>,
) -> AppResult<(Status, Json<EvidenceOut>)> {
    let bytes = read_file(data).await?;
    let stored = service::upload_evidence(db, &user.0, parse_id(id)?, name.unwrap_or(""), &bytes);
    Ok((Status::Created, Json(stored.await?.into())))
}

/// One document's file.
#[utoipa::path(get, path = "/api/v1/task-evidence/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "document id")),
    responses((status = 200, description = "the file"), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/task-evidence/<id>")]
pub async fn download_evidence(
    db: &DbState,
    user: ApiStaff,
    id: &str,
) -> AppResult<(ContentType, Vec<u8>)> {
    Ok(file_response(
        service::evidence_file(db, &user.0, parse_id(id)?).await?,
    ))
}

/// Removes a document uploaded by mistake (audited with its name and hash).
#[utoipa::path(delete, path = "/api/v1/task-evidence/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "document id")),
    responses((status = 204, description = "removed"), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[delete("/task-evidence/<id>")]
pub async fn remove_evidence(db: &DbState, user: ApiStaff, id: &str) -> AppResult<Status> {
    service::remove_evidence(db, &user.0, parse_id(id)?).await?;
    Ok(Status::NoContent)
}
