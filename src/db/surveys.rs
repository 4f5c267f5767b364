//! Queries of competence surveys: a cohort's items, the answers before and after the course, and
//! the personal single-use links (stored as SHA-256 hashes only).

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Db, Id, Tx};
use crate::domain::participant::Group;
use crate::domain::survey::Phase;
use crate::{on_pool, on_tx};

/// One item of a cohort's questionnaire, with how many answers it has (both phases).
#[derive(Clone, Debug, FromRow)]
pub struct Item {
    pub id: Id,
    pub cohort_id: Id,
    pub position: i32,
    pub text: String,
    /// `official,ngo`; empty = everyone.
    pub groups: String,
    pub answers: i64,
}

macro_rules! select_items {
    ($rest:literal) => {
        concat!(
            "SELECT i.id, i.cohort_id, i.position, i.text, i.groups, \
             (SELECT COUNT(*) FROM survey_answers a WHERE a.item_id = i.id) AS answers \
             FROM survey_items i ",
            $rest
        )
    };
}

pub async fn items(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<Item>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_items!(
            "WHERE i.cohort_id = $1 ORDER BY i.position, i.created_at"
        ))
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// The items of every cohort of a programme, cohort by cohort (oldest first), in order.
pub async fn items_of_programme(db: &Db, programme_id: Id) -> sqlx::Result<Vec<Item>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_items!(
            "JOIN cohorts c ON c.id = i.cohort_id WHERE c.programme_id = $1 \
             ORDER BY c.starts_on, c.id, i.position, i.created_at"
        ))
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find_item(db: &Db, id: Id) -> sqlx::Result<Option<Item>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_items!("WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// The item read inside a writing transaction (its answer count is current).
pub async fn find_item_in(tx: &mut Tx, id: Id) -> sqlx::Result<Option<Item>> {
    on_tx!(tx, |conn| {
        sqlx::query_as(select_items!("WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// The item texts of a cohort, read inside a writing transaction (for the duplicate check).
pub async fn texts_in(tx: &mut Tx, cohort_id: Id) -> sqlx::Result<Vec<(Id, String)>> {
    on_tx!(tx, |conn| {
        sqlx::query_as("SELECT id, text FROM survey_items WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_all(&mut *conn)
            .await
    })
}

pub async fn insert_item(
    tx: &mut Tx,
    id: Id,
    cohort_id: Id,
    text: &str,
    groups: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO survey_items (id, cohort_id, position, text, groups, created_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM survey_items \
             WHERE cohort_id = $2), $3, $4, $5)",
        )
        .bind(id)
        .bind(cohort_id)
        .bind(text)
        .bind(groups)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

pub async fn update_item(tx: &mut Tx, id: Id, text: &str, groups: &str) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE survey_items SET text = $2, groups = $3 WHERE id = $1")
            .bind(id)
            .bind(text)
            .bind(groups)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn set_position(tx: &mut Tx, id: Id, position: i32) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE survey_items SET position = $2 WHERE id = $1")
            .bind(id)
            .bind(position)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

/// Removes an item that has no answers; false when it has some (or is gone).
pub async fn delete_unanswered_item(tx: &mut Tx, id: Id) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM survey_items WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM survey_answers WHERE item_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// An enrolment's answers in one phase: (item, value).
pub async fn answers(db: &Db, enrolment_id: Id, phase: Phase) -> sqlx::Result<Vec<(Id, i32)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT item_id, value FROM survey_answers WHERE enrolment_id = $1 AND phase = $2",
        )
        .bind(enrolment_id)
        .bind(phase)
        .fetch_all(pool)
        .await
    })
}

/// `answers` inside a writing transaction (the state before a change, for the audit).
pub async fn answers_in(
    tx: &mut Tx,
    enrolment_id: Id,
    phase: Phase,
) -> sqlx::Result<Vec<(Id, i32)>> {
    on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT item_id, value FROM survey_answers WHERE enrolment_id = $1 AND phase = $2",
        )
        .bind(enrolment_id)
        .bind(phase)
        .fetch_all(&mut *conn)
        .await
    })
}

/// How many answers each enrolment of the cohort has in each phase.
pub async fn answer_counts(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<(Id, Phase, i64)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.enrolment_id, a.phase, COUNT(*) FROM survey_answers a \
             JOIN survey_items i ON i.id = a.item_id WHERE i.cohort_id = $1 \
             GROUP BY a.enrolment_id, a.phase",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// Replaces an enrolment's answers in a phase with `values` (item, value).
pub async fn replace_answers(
    tx: &mut Tx,
    enrolment_id: Id,
    phase: Phase,
    values: &[(Id, i32)],
    entered_by: Option<Id>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM survey_answers WHERE enrolment_id = $1 AND phase = $2")
            .bind(enrolment_id)
            .bind(phase)
            .execute(&mut *conn)
            .await?;
        for (item, value) in values {
            sqlx::query(
                "INSERT INTO survey_answers (enrolment_id, item_id, phase, value, entered_by, \
                 answered_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(enrolment_id)
            .bind(item)
            .bind(phase)
            .bind(value)
            .bind(entered_by)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    })
}

/// Stores a new link for a person and phase, replacing their earlier unused ones.
pub async fn insert_link(
    tx: &mut Tx,
    enrolment_id: Id,
    phase: Phase,
    token_hash: &str,
    created_by: Option<Id>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE survey_links SET replaced_at = $3 WHERE enrolment_id = $1 AND phase = $2 \
             AND used_at IS NULL AND replaced_at IS NULL",
        )
        .bind(enrolment_id)
        .bind(phase)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO survey_links (id, enrolment_id, phase, token_hash, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Id::new())
        .bind(enrolment_id)
        .bind(phase)
        .bind(token_hash)
        .bind(created_by)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// What a working link opens: the person's first name and group, their cohort, the phase.
#[derive(Clone, Debug, FromRow)]
pub struct OpenLink {
    pub id: Id,
    pub enrolment_id: Id,
    pub phase: Phase,
    pub first_name: String,
    pub grp: Group,
    pub cohort_id: Id,
    pub cohort_name: String,
}

const OPEN_LINK: &str = "SELECT l.id, l.enrolment_id, l.phase, p.first_name, e.grp, e.cohort_id, \
     c.name AS cohort_name FROM survey_links l JOIN enrolments e ON e.id = l.enrolment_id \
     JOIN participants p ON p.id = e.participant_id JOIN cohorts c ON c.id = e.cohort_id \
     WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.replaced_at IS NULL \
     AND p.erased_at IS NULL";

/// The link with this hash if it still works (not used, not replaced, the person not erased).
pub async fn open_link(db: &Db, token_hash: &str) -> sqlx::Result<Option<OpenLink>> {
    on_pool!(db, |pool| {
        sqlx::query_as(OPEN_LINK)
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })
}

/// Marks a working link used; false when it was used or replaced meanwhile.
pub async fn use_link(tx: &mut Tx, id: Id, at: DateTime<Utc>) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE survey_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL \
             AND replaced_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// A person's answers to one item in both phases, for the statistics.
#[derive(Clone, Debug, FromRow)]
pub struct PairRow {
    pub enrolment_id: Id,
    pub grp: Group,
    pub item_id: Id,
    pub pre: Option<i32>,
    pub post: Option<i32>,
}

macro_rules! select_pairs {
    ($join:literal, $filter:literal) => {
        concat!(
            "SELECT a.enrolment_id, e.grp, a.item_id, \
             MAX(CASE WHEN a.phase = 'pre' THEN a.value END) AS pre, \
             MAX(CASE WHEN a.phase = 'post' THEN a.value END) AS post \
             FROM survey_answers a JOIN survey_items i ON i.id = a.item_id \
             JOIN enrolments e ON e.id = a.enrolment_id ",
            $join,
            " WHERE ",
            $filter,
            " GROUP BY a.enrolment_id, e.grp, a.item_id"
        )
    };
}

pub async fn pairs(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<PairRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_pairs!("", "i.cohort_id = $1"))
            .bind(cohort_id)
            .fetch_all(pool)
            .await
    })
}

pub async fn pairs_of_programme(db: &Db, programme_id: Id) -> sqlx::Result<Vec<PairRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_pairs!(
            "JOIN cohorts c ON c.id = i.cohort_id",
            "c.programme_id = $1"
        ))
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}
