//! API tokens: issued (the plain token is shown once), revoked, and checked on each API request.

use chrono::Duration;
use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::tokens::{self, ApiToken};
use crate::db::users::User;
use crate::db::{Db, Id, now};
use crate::domain::token::{hash_api_token, new_api_token};
use crate::error::{AppError, AppResult, invalid};

/// Issues a token for `user`; returns it with the plain text, which is never stored.
pub async fn issue(
    db: &Db,
    actor: &Actor,
    user: &User,
    label: &str,
) -> AppResult<(ApiToken, String)> {
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.chars().count() > 100 {
        return Err(invalid("label", "err.too_long"));
    }
    let label = if label.is_empty() {
        String::from("API")
    } else {
        label
    };
    let plain = new_api_token();
    let prefix: String = plain.chars().take(10).collect();
    let mut tx = db.begin().await?;
    let token = tokens::insert(&mut tx, user.id, &label, &hash_api_token(&plain), &prefix).await?;
    let change = Change {
        action: "token.create",
        entity: "api_token",
        entity_id: Some(token.id.to_string()),
        before: None,
        after: Some(json!({ "user": user.email, "label": label, "prefix": prefix })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok((token, plain))
}

pub async fn revoke(db: &Db, actor: &Actor, user: &User, token_id: Id) -> AppResult<()> {
    let mut tx = db.begin().await?;
    if !tokens::revoke(&mut tx, user.id, token_id).await? {
        return Err(AppError::NotFound);
    }
    let change = Change {
        action: "token.revoke",
        entity: "api_token",
        entity_id: Some(token_id.to_string()),
        before: None,
        after: Some(json!({ "user": user.email })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke_all(db: &Db, actor: &Actor, user: &User) -> AppResult<u64> {
    let mut tx = db.begin().await?;
    let count = tokens::revoke_all(&mut tx, user.id).await?;
    if count > 0 {
        let change = Change {
            action: "token.revoke_all",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            before: None,
            after: Some(json!({ "user": user.email, "revoked": count })),
        };
        audit::record(&mut tx, actor, change).await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// The active user behind a bearer token, noting its use at most every five minutes.
pub async fn authenticate(db: &Db, bearer: &str) -> AppResult<Option<User>> {
    let Some((user, token_id, last_used)) =
        tokens::authenticate(db, &hash_api_token(bearer.trim())).await?
    else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| now() - t > Duration::minutes(5)) {
        tokens::touch(db, token_id).await?;
    }
    Ok(Some(user))
}
