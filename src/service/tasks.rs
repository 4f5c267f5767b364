//! The register of public tasks the cohort's gminas commissioned to NGOs: the outcome funders ask
//! about. Coordinators of the programme record, correct and remove tasks and keep their documents
//! (uploaded files; never shown to funders: they may hold personal data); every change is audited.

use serde::Deserialize;
use serde_json::{Value, json};

use super::evidence;
use super::programmes::{cohort_for, manages, parse_amount, parse_date, required_text};
use crate::db::audit::{self, Actor, Change};
use crate::db::evidence::{self as db_evidence, Evidence, Kind};
use crate::db::programmes::Cohort;
use crate::db::tasks::{self as store, TaskFields, TaskRow};
use crate::db::users::User;
use crate::db::{Db, Id, gminy, now};
use crate::domain::task::{TaskStatus, groups_text, parse_groups};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::Msg;

/// A task as typed in the form or sent to the API.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TaskInput {
    pub gmina: String,
    /// The gmina team it is attributed to; the task's gmina when empty.
    pub team: String,
    pub title: String,
    pub sphere: String,
    pub mode: String,
    pub contractor: String,
    /// PLN as typed: `9500`, `9 500,50`.
    pub amount: String,
    pub commissioned_on: String,
    /// `commissioned` when empty.
    pub status: String,
    pub is_new: bool,
    pub target_groups: Vec<String>,
    pub evidence_url: String,
}

/// The cohort's tasks (coordinators of the programme).
pub async fn list(db: &Db, user: &User, cohort_key: &str) -> AppResult<(Cohort, Vec<TaskRow>)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let tasks = store::for_cohort(db, cohort.id).await?;
    Ok((cohort, tasks))
}

/// A task and its cohort, for a coordinator of its programme (404 for anyone else).
pub async fn task_for(db: &Db, user: &User, id: Id) -> AppResult<(TaskRow, Cohort)> {
    let task = store::find(db, id).await?.ok_or(AppError::NotFound)?;
    let cohort = cohort_for(db, user, &task.cohort_id.to_string()).await?;
    Ok((task, cohort))
}

async fn gmina_known(db: &Db, teryt: &str) -> AppResult<bool> {
    Ok(teryt.len() == 7
        && teryt.bytes().all(|b| b.is_ascii_digit())
        && gminy::find(db, teryt).await?.is_some())
}

async fn validate(db: &Db, input: &TaskInput) -> AppResult<TaskFields> {
    let mut errors = ValidationErrors::new();
    let gmina = input.gmina.trim().to_owned();
    if gmina.is_empty() {
        errors.add("gmina", "err.required");
    } else if !gmina_known(db, &gmina).await? {
        errors.add("gmina", Msg::new("task.err.gmina").arg("value", &gmina));
    }
    let team = match input.team.trim() {
        "" => gmina.clone(),
        t if gmina_known(db, t).await? => t.to_owned(),
        t => {
            errors.add("team", Msg::new("task.err.gmina").arg("value", t));
            String::new()
        }
    };
    let title = required_text(&mut errors, "title", &input.title, 300);
    let (sphere, mode) = (input.sphere.trim(), input.mode.trim());
    let (sphere_ok, mode_ok) = store::reference_exists(db, sphere, mode).await?;
    if sphere.is_empty() {
        errors.add("sphere", "err.required");
    } else if !sphere_ok {
        errors.add("sphere", Msg::new("task.err.sphere").arg("value", sphere));
    }
    if mode.is_empty() {
        errors.add("mode", "err.required");
    } else if !mode_ok {
        errors.add("mode", Msg::new("task.err.mode").arg("value", mode));
    }
    let contractor = input.contractor.trim().to_owned();
    if contractor.chars().count() > 300 {
        errors.add("contractor", "err.too_long");
    }
    let amount = parse_amount(&input.amount).unwrap_or_else(|e| {
        errors.add("amount_pln", e);
        None
    });
    let commissioned_on = parse_date(&input.commissioned_on)
        .map_err(|e| errors.add("commissioned_on", e))
        .ok();
    let status = match input.status.trim() {
        "" => Some(TaskStatus::Commissioned),
        s => {
            let parsed = TaskStatus::parse(s);
            if parsed.is_none() {
                errors.add("status", Msg::new("task.err.status").arg("value", s));
            }
            parsed
        }
    };
    let groups = parse_groups(&input.target_groups).unwrap_or_else(|g| {
        errors.add(
            "target_groups",
            Msg::new("task.err.target_group").arg("value", g),
        );
        Vec::new()
    });
    let evidence_url = input.evidence_url.trim().to_owned();
    if !evidence_url.is_empty()
        && (!(evidence_url.starts_with("https://") || evidence_url.starts_with("http://"))
            || evidence_url.len() > 1000
            || evidence_url.contains(char::is_whitespace))
    {
        errors.add("evidence_url", "task.err.url");
    }
    errors.into_result()?;
    Ok(TaskFields {
        gmina_teryt: gmina,
        team_teryt: team,
        title,
        sphere: sphere.to_owned(),
        mode: mode.to_owned(),
        contractor,
        amount_grosze: amount,
        commissioned_on: commissioned_on.unwrap_or_default(),
        status: status.unwrap_or(TaskStatus::Commissioned),
        is_new: input.is_new,
        target_groups: groups_text(&groups),
        evidence_url,
    })
}

/// An audited change of task `id` (its fields, or one of its documents).
fn change(
    action: &'static str,
    id: Id,
    before: Option<Value>,
    after: Option<Value>,
) -> Change<'static> {
    Change {
        action,
        entity: "commissioned_task",
        entity_id: Some(id.to_string()),
        before,
        after,
    }
}

/// Records a task in the cohort.
pub async fn create(
    db: &Db,
    user: &User,
    cohort_key: &str,
    input: &TaskInput,
) -> AppResult<TaskRow> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    create_in(db, &cohort, &Actor::user(user), Some(user.id), input).await
}

/// `create` in a cohort already authorised (the demo).
pub async fn create_in(
    db: &Db,
    cohort: &Cohort,
    actor: &Actor,
    by: Option<Id>,
    input: &TaskInput,
) -> AppResult<TaskRow> {
    let fields = validate(db, input).await?;
    let id = Id::new();
    let mut tx = db.begin().await?;
    store::insert(&mut tx, id, cohort.id, &fields, by, now()).await?;
    audit::record(
        &mut tx,
        actor,
        change("task.create", id, None, Some(json!(fields))),
    )
    .await?;
    tx.commit().await?;
    store::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn update(db: &Db, user: &User, id: Id, input: &TaskInput) -> AppResult<TaskRow> {
    let (before, _) = task_for(db, user, id).await?;
    let fields = validate(db, input).await?;
    let mut tx = db.begin().await?;
    store::update(&mut tx, id, &fields, now()).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("task.update", id, Some(json!(before)), Some(json!(fields))),
    )
    .await?;
    tx.commit().await?;
    store::find(db, id).await?.ok_or(AppError::NotFound)
}

/// Removes a task with its documents, in one transaction.
pub async fn delete(db: &Db, user: &User, id: Id) -> AppResult<Cohort> {
    let (before, cohort) = task_for(db, user, id).await?;
    let mut tx = db.begin().await?;
    store::delete(&mut tx, id).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("task.delete", id, Some(json!(before)), None),
    )
    .await?;
    tx.commit().await?;
    Ok(cohort)
}

/// Stores a document of the task (PDF, JPEG or PNG judged by content, at most 10 MB) for whoever
/// may edit the task; earlier documents are kept.
pub async fn upload_evidence(
    db: &Db,
    user: &User,
    id: Id,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Evidence> {
    task_for(db, user, id).await?;
    evidence::store(db, user, Kind::Task, id, file_name, bytes).await
}

/// A task's documents, newest first.
pub async fn evidence(db: &Db, user: &User, id: Id) -> AppResult<Vec<Evidence>> {
    task_for(db, user, id).await?;
    Ok(db_evidence::list(db, Kind::Task, id).await?)
}

/// A document for whoever may edit its task: funders and trainers 403 whether or not it exists.
async fn evidence_for(db: &Db, user: &User, evidence_id: Id) -> AppResult<Evidence> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let meta = db_evidence::find(db, Kind::Task, evidence_id)
        .await?
        .ok_or(AppError::NotFound)?;
    task_for(db, user, meta.owner_id).await?;
    Ok(meta)
}

/// One document with its bytes.
pub async fn evidence_file(
    db: &Db,
    user: &User,
    evidence_id: Id,
) -> AppResult<(Evidence, Vec<u8>)> {
    let meta = evidence_for(db, user, evidence_id).await?;
    evidence::with_content(db, Kind::Task, meta).await
}

/// Removes one document (uploaded by mistake); the audit keeps its name and hash.
pub async fn remove_evidence(db: &Db, user: &User, evidence_id: Id) -> AppResult<Evidence> {
    let meta = evidence_for(db, user, evidence_id).await?;
    let mut tx = db.begin().await?;
    db_evidence::delete(&mut tx, Kind::Task, evidence_id).await?;
    let file = evidence::file_record(meta.id, &meta.file_name, meta.size_bytes, &meta.sha256);
    let change = change("task.evidence_remove", meta.owner_id, Some(file), None);
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(meta)
}
