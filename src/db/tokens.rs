//! Queries of the `api_tokens` table; tokens are stored only as SHA-256 hashes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::users::User;
use super::{Db, Id, Tx, now};
use crate::{on_pool, on_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ApiToken {
    pub id: Id,
    pub user_id: Id,
    pub label: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    tx: &mut Tx,
    user_id: Id,
    label: &str,
    hash: &str,
    prefix: &str,
) -> sqlx::Result<ApiToken> {
    let token = ApiToken {
        id: Id::new(),
        user_id,
        label: label.to_owned(),
        prefix: prefix.to_owned(),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, label, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.id)
        .bind(user_id)
        .bind(label)
        .bind(hash)
        .bind(prefix)
        .bind(token.created_at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(token)
}

/// A user's tokens, live ones first, newest first.
pub async fn list_for_user(db: &Db, user_id: Id) -> sqlx::Result<Vec<ApiToken>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY (revoked_at IS NULL) DESC, created_at DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// Revokes one live token of `user_id`; returns whether there was one.
pub async fn revoke(tx: &mut Tx, user_id: Id, token_id: Id) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
            .bind(token_id)
            .bind(user_id)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

/// Revokes every live token of `user_id`; returns how many.
pub async fn revoke_all(tx: &mut Tx, user_id: Id) -> sqlx::Result<u64> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
    })
}

/// The active user holding the live token with this hash, with the token's id and last use.
pub async fn authenticate(
    db: &Db,
    hash: &str,
) -> sqlx::Result<Option<(User, Id, Option<DateTime<Utc>>)>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: User,
        token_id: Id,
        token_last_used_at: Option<DateTime<Utc>>,
    }
    let row: Option<Row> = on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, u.last_login_at, \
                    t.id AS token_id, t.last_used_at AS token_last_used_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE",
        )
        .bind(hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|r| (r.user, r.token_id, r.token_last_used_at)))
}

pub async fn touch(db: &Db, token_id: Id) -> sqlx::Result<()> {
    on_pool!(db, |pool| {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(token_id)
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
    })
}
