//! Users: creating them (the first admin included), changing role, name, password, activity.

use serde_json::json;

use super::blocking;
use crate::db::audit::{self, Actor, Change};
use crate::db::users::{self, NewUser, User};
use crate::db::{Db, Id};
use crate::domain::{Email, Role, password};
use crate::error::{AppError, AppResult, ValidationErrors, invalid};

pub const MAX_NAME_LEN: usize = 200;

/// What a form or the command line gives for a new user.
#[derive(Clone, Debug, Default)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
    /// When given, must equal `password` (forms ask twice).
    pub password_confirm: Option<String>,
}

struct Valid {
    email: Email,
    name: String,
    role: Role,
    password: String,
}

fn validate(input: &NewUserInput) -> Result<Valid, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let email = Email::parse(&input.email)
        .map_err(|key| errors.add("email", key))
        .ok();
    let name = parse_name(&input.name)
        .map_err(|key| errors.add("name", key))
        .ok();
    let role = input
        .role
        .parse::<Role>()
        .map_err(|_| errors.add("role", "err.role_invalid"))
        .ok();
    if let Err(key) = password::check_new(&input.password) {
        errors.add("password", key);
    } else if input
        .password_confirm
        .as_deref()
        .is_some_and(|c| c != input.password)
    {
        errors.add("password_confirm", "err.password_mismatch");
    }
    match (email, name, role) {
        (Some(email), Some(name), Some(role)) if errors.is_empty() => Ok(Valid {
            email,
            name,
            role,
            password: input.password.clone(),
        }),
        _ => Err(errors),
    }
}

/// A person's display name: trimmed, not empty, not absurdly long.
pub fn parse_name(input: &str) -> Result<String, &'static str> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err("err.required")
    } else if name.chars().count() > MAX_NAME_LEN {
        Err("err.too_long")
    } else {
        Ok(name)
    }
}

fn user_json(user: &User) -> serde_json::Value {
    json!({ "email": user.email, "name": user.name, "role": user.role, "active": user.active })
}

fn email_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Creates a user with the role asked for; a taken email is a validation error on `email`.
pub async fn create(db: &Db, actor: &Actor, input: &NewUserInput) -> AppResult<User> {
    let valid = validate(input).map_err(AppError::Validation)?;
    if users::find_by_email(db, valid.email.as_str())
        .await?
        .is_some()
    {
        return Err(invalid("email", "err.email_taken"));
    }
    let plain = valid.password.clone();
    let hash = blocking(move || password::hash(&plain)).await??;
    let mut tx = db.begin().await?;
    let new = NewUser {
        email: &valid.email,
        name: &valid.name,
        role: valid.role,
        password_hash: &hash,
    };
    let user = match users::insert(&mut tx, &new).await {
        Ok(user) => user,
        Err(e) if email_taken(&e) => return Err(invalid("email", "err.email_taken")),
        Err(e) => return Err(e.into()),
    };
    let change = Change {
        action: "user.create",
        entity: "user",
        entity_id: Some(user.id.to_string()),
        before: None,
        after: Some(user_json(&user)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(user)
}

/// Creates the first administrator of an empty installation; refused once any user exists.
pub async fn create_first_admin(db: &Db, input: &NewUserInput) -> AppResult<User> {
    let input = NewUserInput {
        role: Role::Admin.as_str().to_owned(),
        ..input.clone()
    };
    let valid = validate(&input).map_err(AppError::Validation)?;
    let plain = valid.password.clone();
    let hash = blocking(move || password::hash(&plain)).await??;
    let mut tx = db.begin().await?;
    let new = NewUser {
        email: &valid.email,
        name: &valid.name,
        role: Role::Admin,
        password_hash: &hash,
    };
    let Some(user) = users::insert_first_admin(&mut tx, &new).await? else {
        return Err(AppError::Forbidden);
    };
    let change = Change {
        action: "user.create_first_admin",
        entity: "user",
        entity_id: Some(user.id.to_string()),
        before: None,
        after: Some(user_json(&user)),
    };
    audit::record(&mut tx, &Actor::user(&user), change).await?;
    tx.commit().await?;
    Ok(user)
}

async fn load(db: &Db, id: Id) -> AppResult<User> {
    users::find(db, id).await?.ok_or(AppError::NotFound)
}

/// Changes a user's role; the last active administrator cannot lose the role.
pub async fn change_role(db: &Db, actor: &Actor, id: Id, role: &str) -> AppResult<User> {
    let role = role
        .parse::<Role>()
        .map_err(|_| invalid("role", "err.role_invalid"))?;
    let before = load(db, id).await?;
    if before.role == role {
        return Ok(before);
    }
    let mut tx = db.begin().await?;
    if before.role == Role::Admin
        && before.active
        && users::other_active_admins(&mut tx, id).await? == 0
    {
        return Err(invalid("role", "err.last_admin"));
    }
    users::set_role(&mut tx, id, role).await?;
    let after = User {
        role,
        ..before.clone()
    };
    let change = Change {
        action: "user.role",
        entity: "user",
        entity_id: Some(id.to_string()),
        before: Some(user_json(&before)),
        after: Some(user_json(&after)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes a user's display name.
pub async fn rename(db: &Db, actor: &Actor, id: Id, name: &str) -> AppResult<User> {
    let name = parse_name(name).map_err(|key| invalid("name", key))?;
    let before = load(db, id).await?;
    if before.name == name {
        return Ok(before);
    }
    let mut tx = db.begin().await?;
    users::set_name(&mut tx, id, &name).await?;
    let after = User {
        name,
        ..before.clone()
    };
    let change = Change {
        action: "user.rename",
        entity: "user",
        entity_id: Some(id.to_string()),
        before: Some(user_json(&before)),
        after: Some(user_json(&after)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deactivates (no login, no API) or reactivates a user; the last active admin stays active,
/// and nobody deactivates themselves.
pub async fn set_active(db: &Db, actor: &Actor, id: Id, active: bool) -> AppResult<User> {
    let before = load(db, id).await?;
    if before.active == active {
        return Ok(before);
    }
    if !active && actor.id == Some(id) {
        return Err(invalid("active", "err.deactivate_self"));
    }
    let mut tx = db.begin().await?;
    if !active && before.role == Role::Admin && users::other_active_admins(&mut tx, id).await? == 0
    {
        return Err(invalid("active", "err.last_admin"));
    }
    users::set_active(&mut tx, id, active).await?;
    let after = User {
        active,
        ..before.clone()
    };
    let change = Change {
        action: if active {
            "user.reactivate"
        } else {
            "user.deactivate"
        },
        entity: "user",
        entity_id: Some(id.to_string()),
        before: Some(user_json(&before)),
        after: Some(user_json(&after)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets a new password. With `current`, the user's present password must match (own account);
/// without it, an administrator (or the command line) resets it.
pub async fn set_password(
    db: &Db,
    actor: &Actor,
    id: Id,
    current: Option<&str>,
    new: &str,
    confirm: Option<&str>,
) -> AppResult<()> {
    let user = load(db, id).await?;
    let mut errors = ValidationErrors::new();
    if let Some(current) = current {
        let stored = users::password_hash(db, id).await?;
        let current = current.to_owned();
        if !blocking(move || password::verify(&current, &stored)).await? {
            errors.add("current_password", "err.password_wrong");
        }
    }
    if let Err(key) = password::check_new(new) {
        errors.add("password", key);
    } else if confirm.is_some_and(|c| c != new) {
        errors.add("password_confirm", "err.password_mismatch");
    }
    errors.into_result()?;
    let plain = new.to_owned();
    let hash = blocking(move || password::hash(&plain)).await??;
    let mut tx = db.begin().await?;
    users::set_password_hash(&mut tx, id, &hash).await?;
    let change = Change {
        action: if current.is_some() {
            "user.password_change"
        } else {
            "user.password_reset"
        },
        entity: "user",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "email": user.email })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}
