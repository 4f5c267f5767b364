//! Queries of commissioned tasks (their documents are in `evidence`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::evidence::{self, Kind};
use super::{Db, Id, Tx};
use crate::domain::task::TaskStatus;
use crate::{on_pool, on_tx};

/// A task with the names of its gmina, team, sphere and mode.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct TaskRow {
    pub id: Id,
    pub cohort_id: Id,
    pub gmina_teryt: String,
    pub gmina_name: String,
    pub team_teryt: String,
    pub title: String,
    pub sphere: String,
    pub sphere_label: String,
    pub mode: String,
    pub mode_name: String,
    pub contractor: String,
    pub amount_grosze: Option<i64>,
    pub commissioned_on: NaiveDate,
    pub status: TaskStatus,
    pub is_new: bool,
    pub target_groups: String,
    pub evidence_url: String,
    pub evidence_files: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The stored fields of a task, already validated.
#[derive(Clone, Debug, Serialize)]
pub struct TaskFields {
    pub gmina_teryt: String,
    pub team_teryt: String,
    pub title: String,
    pub sphere: String,
    pub mode: String,
    pub contractor: String,
    pub amount_grosze: Option<i64>,
    pub commissioned_on: NaiveDate,
    pub status: TaskStatus,
    pub is_new: bool,
    pub target_groups: String,
    pub evidence_url: String,
}

macro_rules! select_tasks {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.cohort_id, t.gmina_teryt, g.name AS gmina_name, t.team_teryt, t.title, \
             t.sphere, s.label AS sphere_label, t.mode, m.name AS mode_name, t.contractor, \
             t.amount_grosze, t.commissioned_on, t.status, t.is_new, t.target_groups, t.evidence_url, \
             (SELECT COUNT(*) FROM task_evidence e WHERE e.task_id = t.id) AS evidence_files, \
             t.created_at, t.updated_at \
             FROM commissioned_tasks t JOIN gminy g ON g.teryt = t.gmina_teryt \
             JOIN spheres s ON s.pkt = t.sphere JOIN commissioning_modes m ON m.id = t.mode ",
            $rest
        )
    };
}

pub async fn for_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<TaskRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_tasks!(
            "WHERE t.cohort_id = $1 ORDER BY t.commissioned_on, g.name, t.title"
        ))
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// Every task of a programme's cohorts.
pub async fn for_programme(db: &Db, programme_id: Id) -> sqlx::Result<Vec<TaskRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_tasks!(
            "JOIN cohorts c ON c.id = t.cohort_id WHERE c.programme_id = $1 \
             ORDER BY t.commissioned_on, g.name, t.title"
        ))
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<TaskRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_tasks!("WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn insert(
    tx: &mut Tx,
    id: Id,
    cohort_id: Id,
    f: &TaskFields,
    by: Option<Id>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO commissioned_tasks (id, cohort_id, gmina_teryt, team_teryt, title, sphere, \
             mode, contractor, amount_grosze, commissioned_on, status, is_new, target_groups, \
             evidence_url, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
        )
        .bind(id)
        .bind(cohort_id)
        .bind(&f.gmina_teryt)
        .bind(&f.team_teryt)
        .bind(&f.title)
        .bind(&f.sphere)
        .bind(&f.mode)
        .bind(&f.contractor)
        .bind(f.amount_grosze)
        .bind(f.commissioned_on)
        .bind(f.status)
        .bind(f.is_new)
        .bind(&f.target_groups)
        .bind(&f.evidence_url)
        .bind(by)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

pub async fn update(tx: &mut Tx, id: Id, f: &TaskFields, at: DateTime<Utc>) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE commissioned_tasks SET gmina_teryt = $2, team_teryt = $3, title = $4, sphere = $5, \
             mode = $6, contractor = $7, amount_grosze = $8, commissioned_on = $9, status = $10, \
             is_new = $11, target_groups = $12, evidence_url = $13, updated_at = $14 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.gmina_teryt)
        .bind(&f.team_teryt)
        .bind(&f.title)
        .bind(&f.sphere)
        .bind(&f.mode)
        .bind(&f.contractor)
        .bind(f.amount_grosze)
        .bind(f.commissioned_on)
        .bind(f.status)
        .bind(f.is_new)
        .bind(&f.target_groups)
        .bind(&f.evidence_url)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

/// Removes a task with its documents.
pub async fn delete(tx: &mut Tx, id: Id) -> sqlx::Result<()> {
    evidence::delete_all_of(tx, Kind::Task, id).await?;
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM commissioned_tasks WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

/// Whether a sphere (art. 4 point) and a mode exist in the reference data.
pub async fn reference_exists(db: &Db, sphere: &str, mode: &str) -> sqlx::Result<(bool, bool)> {
    on_pool!(db, |pool| {
        let s: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM spheres WHERE pkt = $1")
            .bind(sphere)
            .fetch_one(pool)
            .await?;
        let m: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM commissioning_modes WHERE id = $1")
            .bind(mode)
            .fetch_one(pool)
            .await?;
        Ok((s > 0, m > 0))
    })
}
