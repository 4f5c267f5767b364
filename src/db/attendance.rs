//! Queries of attendance marks.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::attendance::Mark;
use crate::{on_pool, on_tx};

/// A mark with who made it and when.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct MarkRow {
    pub enrolment_id: Id,
    pub status: Mark,
    pub marked_by: Option<Id>,
    pub marked_by_name: Option<String>,
    pub marked_at: DateTime<Utc>,
}

pub async fn for_activity(db: &Db, activity_id: Id) -> sqlx::Result<Vec<MarkRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.enrolment_id, a.status, a.marked_by, u.name AS marked_by_name, a.marked_at \
             FROM attendance a LEFT JOIN users u ON u.id = a.marked_by WHERE a.activity_id = $1",
        )
        .bind(activity_id)
        .fetch_all(pool)
        .await
    })
}

/// Every mark of a cohort's activities: (activity, enrolment, mark).
pub async fn in_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<(Id, Id, Mark)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.activity_id, a.enrolment_id, a.status FROM attendance a \
             JOIN activities x ON x.id = a.activity_id WHERE x.cohort_id = $1",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// The current marks of some people at an activity, read inside the writing transaction.
pub async fn current(tx: &mut Tx, activity_id: Id) -> sqlx::Result<Vec<(Id, Mark)>> {
    on_tx!(tx, |conn| {
        sqlx::query_as("SELECT enrolment_id, status FROM attendance WHERE activity_id = $1")
            .bind(activity_id)
            .fetch_all(&mut *conn)
            .await
    })
}

/// Sets the marks of the given people only; other people's marks are untouched, so two people
/// marking different participants at once never overwrite each other.
pub async fn upsert(
    tx: &mut Tx,
    activity_id: Id,
    marks: &[(Id, Mark)],
    marked_by: Id,
) -> sqlx::Result<()> {
    upsert_at(tx, activity_id, marks, marked_by, now()).await
}

/// `upsert` with the time of marking given (the demo's marks were made when the activities ended).
pub async fn upsert_at(
    tx: &mut Tx,
    activity_id: Id,
    marks: &[(Id, Mark)],
    marked_by: Id,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    // One statement per 200 people (1,000 parameters), so a roster is saved in one round trip.
    for chunk in marks.chunks(200) {
        on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO attendance (activity_id, enrolment_id, status, marked_by, marked_at) ",
            );
            b.push_values(chunk, |mut row, (enrolment, mark)| {
                row.push_bind(activity_id)
                    .push_bind(*enrolment)
                    .push_bind(*mark)
                    .push_bind(marked_by)
                    .push_bind(at);
            });
            b.push(
                " ON CONFLICT (activity_id, enrolment_id) DO UPDATE SET status = excluded.status, \
                 marked_by = excluded.marked_by, marked_at = excluded.marked_at",
            );
            b.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// A stored scan of the signed list, without its bytes.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Evidence {
    pub id: Id,
    pub activity_id: Id,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

macro_rules! select_evidence {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.activity_id, e.file_name, e.content_type, e.size_bytes, e.sha256, \
             u.name AS uploaded_by_name, e.uploaded_at FROM attendance_evidence e \
             LEFT JOIN users u ON u.id = e.uploaded_by ",
            $rest
        )
    };
}

/// An activity's scans, newest first.
pub async fn evidence_of(db: &Db, activity_id: Id) -> sqlx::Result<Vec<Evidence>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_evidence!(
            "WHERE e.activity_id = $1 ORDER BY e.uploaded_at DESC, e.id DESC"
        ))
        .bind(activity_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find_evidence(db: &Db, id: Id) -> sqlx::Result<Option<Evidence>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_evidence!("WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn evidence_content(db: &Db, id: Id) -> sqlx::Result<Vec<u8>> {
    on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT content FROM attendance_evidence WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    })
}

/// What to store of an uploaded scan.
pub struct NewEvidence<'a> {
    pub activity_id: Id,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Id,
}

pub async fn insert_evidence(tx: &mut Tx, e: &NewEvidence<'_>) -> sqlx::Result<Id> {
    let id = Id::new();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO attendance_evidence (id, activity_id, file_name, content_type, size_bytes, \
             sha256, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(e.activity_id)
        .bind(e.file_name)
        .bind(e.content_type)
        .bind(e.content.len() as i64)
        .bind(e.sha256)
        .bind(e.content)
        .bind(e.uploaded_by)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}
