//! Login throttling in the database, so every app instance sees the same failures and locks.

use chrono::{DateTime, Duration, Utc};

use super::{Db, Tx};
use crate::{on_pool, on_tx};

/// Failures within `WINDOW` that lock an email.
pub const MAX_FAILURES: i64 = 5;
pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCK: Duration = Duration::minutes(15);

/// When the lock on `email` ends, if it is locked at `at`.
pub async fn locked_until(
    db: &Db,
    email: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    on_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT locked_until FROM login_locks WHERE email = $1 AND locked_until > $2",
        )
        .bind(email)
        .bind(at)
        .fetch_optional(pool)
        .await
    })
}

/// Records a failed login; when it is the `MAX_FAILURES`th within `WINDOW`, locks the email
/// for `LOCK` and returns the end of the lock.
pub async fn record_failure(
    tx: &mut Tx,
    email: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let since = at - WINDOW;
    let until = at + LOCK;
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND failed_at <= $2")
            .bind(email)
            .bind(since)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)")
            .bind(email)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        let failures: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE email = $1 AND failed_at > $2",
        )
        .bind(email)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
        if failures < MAX_FAILURES {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO login_locks (email, locked_until) VALUES ($1, $2) \
             ON CONFLICT (email) DO UPDATE SET locked_until = excluded.locked_until",
        )
        .bind(email)
        .bind(until)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&mut *conn)
            .await?;
        Ok(Some(until))
    })
}

/// Forgets failures and locks of `email` after a successful login.
pub async fn clear(db: &Db, email: &str) -> sqlx::Result<()> {
    on_pool!(db, |pool| {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM login_locks WHERE email = $1")
            .bind(email)
            .execute(pool)
            .await?;
        Ok(())
    })
}
