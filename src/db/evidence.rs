//! Queries of uploaded evidence files: scans of signed attendance lists and commissioned tasks'
//! documents, two tables of the same shape told apart by `Kind`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::{on_pool, on_tx};

/// Which table a file lives in, and so what owns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `attendance_evidence`, owned by an activity.
    Attendance,
    /// `task_evidence`, owned by a commissioned task.
    Task,
}

/// A stored file without its bytes; `owner_id` is the activity or the task.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Evidence {
    pub id: Id,
    pub owner_id: Id,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

/// One statement per kind, each a `&'static str` as sqlx wants: the literals are joined with
/// `TABLE` and `OWNER` replaced by the kind's table and owner column.
macro_rules! sql {
    ($kind:expr, $($part:tt)+) => {
        match $kind {
            Kind::Attendance => sql!(@ "attendance_evidence", "activity_id"; $($part)+),
            Kind::Task => sql!(@ "task_evidence", "task_id"; $($part)+),
        }
    };
    (@ $t:literal, $o:literal; $($part:tt)+) => { concat!($(sql!(@part $t, $o; $part)),+) };
    (@part $t:literal, $o:literal; TABLE) => { $t };
    (@part $t:literal, $o:literal; OWNER) => { $o };
    (@part $t:literal, $o:literal; $lit:literal) => { $lit };
}

macro_rules! select {
    ($kind:expr, $($rest:tt)+) => {
        sql!($kind, "SELECT e.id, e." OWNER " AS owner_id, e.file_name, e.content_type, \
             e.size_bytes, e.sha256, u.name AS uploaded_by_name, e.uploaded_at FROM " TABLE " e \
             LEFT JOIN users u ON u.id = e.uploaded_by " $($rest)+)
    };
}

/// An owner's files, newest first.
pub async fn list(db: &Db, kind: Kind, owner_id: Id) -> sqlx::Result<Vec<Evidence>> {
    let sql = select!(kind, "WHERE e." OWNER " = $1 ORDER BY e.uploaded_at DESC, e.id DESC");
    on_pool!(db, |pool| {
        sqlx::query_as(sql).bind(owner_id).fetch_all(pool).await
    })
}

pub async fn find(db: &Db, kind: Kind, id: Id) -> sqlx::Result<Option<Evidence>> {
    let sql = select!(kind, "WHERE e.id = $1");
    on_pool!(db, |pool| {
        sqlx::query_as(sql).bind(id).fetch_optional(pool).await
    })
}

pub async fn content(db: &Db, kind: Kind, id: Id) -> sqlx::Result<Vec<u8>> {
    let sql = sql!(kind, "SELECT content FROM " TABLE " WHERE id = $1");
    on_pool!(db, |pool| {
        sqlx::query_scalar(sql).bind(id).fetch_one(pool).await
    })
}

/// What to store of an uploaded file.
pub struct NewEvidence<'a> {
    pub owner_id: Id,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Id,
}

pub async fn insert(tx: &mut Tx, kind: Kind, e: &NewEvidence<'_>) -> sqlx::Result<Id> {
    let id = Id::new();
    let sql = sql!(kind, "INSERT INTO " TABLE " (id, " OWNER ", file_name, content_type, \
         size_bytes, sha256, content, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    on_tx!(tx, |conn| {
        sqlx::query(sql)
            .bind(id)
            .bind(e.owner_id)
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

pub async fn delete(tx: &mut Tx, kind: Kind, id: Id) -> sqlx::Result<()> {
    execute(tx, sql!(kind, "DELETE FROM " TABLE " WHERE id = $1"), id).await
}

/// Removes every file of an owner (before the owner itself goes).
pub async fn delete_all_of(tx: &mut Tx, kind: Kind, owner_id: Id) -> sqlx::Result<()> {
    execute(
        tx,
        sql!(kind, "DELETE FROM " TABLE " WHERE " OWNER " = $1"),
        owner_id,
    )
    .await
}

async fn execute(tx: &mut Tx, sql: &'static str, id: Id) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(sql)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn each_kind_reads_its_own_table_and_owner() {
        assert_eq!(
            sql!(Kind::Task, "DELETE FROM " TABLE " WHERE " OWNER " = $1"),
            "DELETE FROM task_evidence WHERE task_id = $1"
        );
        assert_eq!(
            select!(Kind::Attendance, "WHERE e.id = $1"),
            "SELECT e.id, e.activity_id AS owner_id, e.file_name, e.content_type, e.size_bytes, \
             e.sha256, u.name AS uploaded_by_name, e.uploaded_at FROM attendance_evidence e \
             LEFT JOIN users u ON u.id = e.uploaded_by WHERE e.id = $1"
        );
    }
}
