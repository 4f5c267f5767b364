//! Key/value settings shared by every app instance (for example the generated secret key).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Db, now};
use crate::on_pool;

pub async fn get(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })
}

/// Stores `value` under `key` unless a value is already there; returns the value that won,
/// so instances starting at the same time agree.
pub async fn get_or_insert(db: &Db, key: &str, value: &str) -> sqlx::Result<String> {
    on_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .bind(now())
        .execute(pool)
        .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(pool)
            .await
    })
}

pub async fn set(db: &Db, key: &str, value: &str) -> sqlx::Result<()> {
    on_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The cookie secret key: generated once (512 random bits) and kept in the database, so sessions
/// survive restarts and every instance behind a load balancer shares it.
pub async fn secret_key(db: &Db) -> sqlx::Result<String> {
    let fresh = STANDARD.encode(crate::domain::token::random_bytes(64));
    get_or_insert(db, "secret_key", &fresh).await
}
