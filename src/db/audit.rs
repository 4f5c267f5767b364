//! The audit log: who changed what, when, with the state before and after.
//! Writes call `record` inside the same transaction as the change they describe.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;

use super::users::User;
use super::{Db, Id, Tx, now};
use crate::{on_pool, on_tx};

/// Who did it: a signed-in user, or the command line / the system itself.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: Option<Id>,
    pub label: String,
}

impl Actor {
    pub fn user(user: &User) -> Actor {
        Actor {
            id: Some(user.id),
            label: user.email.clone(),
        }
    }

    /// An operator at the server's command line.
    pub fn cli() -> Actor {
        Actor {
            id: None,
            label: "cli".to_owned(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            id: None,
            label: "system".to_owned(),
        }
    }
}

/// One change: `action` (e.g. `user.create`) on `entity` `entity_id`.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor_label, action, entity, entity_id, before, after) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Id::new())
        .bind(now())
        .bind(actor.id)
        .bind(&actor.label)
        .bind(change.action)
        .bind(change.entity)
        .bind(change.entity_id.as_deref())
        .bind(change.before.as_ref().map(Json))
        .bind(change.after.as_ref().map(Json))
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Entry {
    pub id: Id,
    pub at: DateTime<Utc>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<Json<Value>>,
    pub after: Option<Json<Value>>,
}

/// Newest entries first, optionally only those whose action starts with `action_prefix`.
pub async fn list(
    db: &Db,
    action_prefix: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Entry>> {
    let pattern = format!("{}%", action_prefix.unwrap_or(""));
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, at, actor_label, action, entity, entity_id, before, after FROM audit_log \
             WHERE action LIKE $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
    })
}

pub async fn count(db: &Db, action_prefix: Option<&str>) -> sqlx::Result<i64> {
    let pattern = format!("{}%", action_prefix.unwrap_or(""));
    on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE $1")
            .bind(&pattern)
            .fetch_one(pool)
            .await
    })
}
