//! The register of public tasks the cohort's gminas commissioned to NGOs: the outcome funders ask
//! about. Coordinators of the programme record, correct and remove tasks; every change is audited.

use serde::Deserialize;
use serde_json::json;

use super::programmes::{cohort_for, parse_amount, parse_date, required_text};
use crate::db::audit::{self, Actor, Change};
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

fn change(
    action: &'static str,
    id: Id,
    before: Option<&TaskRow>,
    after: Option<&TaskFields>,
) -> Change<'static> {
    Change {
        action,
        entity: "commissioned_task",
        entity_id: Some(id.to_string()),
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
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
        change("task.create", id, None, Some(&fields)),
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
        change("task.update", id, Some(&before), Some(&fields)),
    )
    .await?;
    tx.commit().await?;
    store::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn delete(db: &Db, user: &User, id: Id) -> AppResult<Cohort> {
    let (before, cohort) = task_for(db, user, id).await?;
    let mut tx = db.begin().await?;
    store::delete(&mut tx, id).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("task.delete", id, Some(&before), None),
    )
    .await?;
    tx.commit().await?;
    Ok(cohort)
}
