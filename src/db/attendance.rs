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
