//! Signing in: password check with throttling (5 failures in 15 minutes lock an email for 15 minutes).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::blocking;
use crate::db::audit::{self, Actor, Change};
use crate::db::users::{self, User};
use crate::db::{Db, now, throttle};
use crate::domain::password;
use crate::error::AppResult;

pub enum LoginOutcome {
    Success(User),
    /// Wrong email or password; `locked` when this failure locked the email.
    Invalid {
        locked: bool,
    },
    /// Refused without checking the password: the email is locked until then.
    Locked(DateTime<Utc>),
}

/// The email as the throttle and the lookup see it.
pub fn normalise_email(input: &str) -> String {
    input.trim().to_lowercase()
}

pub async fn login(db: &Db, email: &str, password_input: &str) -> AppResult<LoginOutcome> {
    let email = normalise_email(email);
    let at = now();
    if let Some(until) = throttle::locked_until(db, &email, at).await? {
        return Ok(LoginOutcome::Locked(until));
    }
    let credentials = users::credentials(db, &email).await?;
    let stored = credentials
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| password::dummy_hash().to_owned());
    let attempt = password_input.to_owned();
    let matches = blocking(move || password::verify(&attempt, &stored)).await?;
    match credentials {
        Some((user, _)) if matches && user.active => {
            throttle::clear(db, &email).await?;
            users::touch_login(db, user.id).await?;
            let mut tx = db.begin().await?;
            let change = Change {
                action: "auth.login",
                entity: "user",
                entity_id: Some(user.id.to_string()),
                before: None,
                after: None,
            };
            audit::record(&mut tx, &Actor::user(&user), change).await?;
            tx.commit().await?;
            Ok(LoginOutcome::Success(user))
        }
        _ => {
            let mut tx = db.begin().await?;
            let locked = throttle::record_failure(&mut tx, &email, at).await?;
            if let Some(until) = locked {
                let change = Change {
                    action: "auth.lock",
                    entity: "login",
                    entity_id: Some(email.clone()),
                    before: None,
                    after: Some(json!({ "locked_until": until })),
                };
                audit::record(&mut tx, &Actor::system(), change).await?;
            }
            tx.commit().await?;
            Ok(LoginOutcome::Invalid {
                locked: locked.is_some(),
            })
        }
    }
}
