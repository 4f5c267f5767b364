//! Queries of the `users` table.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::{Email, Role};
use crate::{on_pool, on_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct User {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

macro_rules! select_users {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, name, role, active, created_at, last_login_at FROM users ",
            $rest
        )
    };
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn any_exists(db: &Db) -> sqlx::Result<bool> {
    on_pool!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS one")
            .fetch_one(pool)
            .await
            .map(|n| n > 0)
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<User>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_users!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_by_email(db: &Db, email: &str) -> sqlx::Result<Option<User>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_users!("WHERE email = $1"))
            .bind(email)
            .fetch_optional(pool)
            .await
    })
}

/// The user and password hash for a login attempt.
pub async fn credentials(db: &Db, email: &str) -> sqlx::Result<Option<(User, String)>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let row: Option<Row> = on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, name, role, active, created_at, last_login_at, password_hash \
             FROM users WHERE email = $1",
        )
        .bind(email)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

pub async fn password_hash(db: &Db, id: Id) -> sqlx::Result<String> {
    on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    })
}

/// Every user, active ones first, by name.
pub async fn list(db: &Db) -> sqlx::Result<Vec<User>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_users!("ORDER BY active DESC, name, email"))
            .fetch_all(pool)
            .await
    })
}

pub async fn insert(tx: &mut Tx, new: &NewUser<'_>) -> sqlx::Result<User> {
    let at = now();
    let id = Id::new();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6)",
        )
        .bind(id)
        .bind(new.email.as_str())
        .bind(new.name)
        .bind(new.role)
        .bind(new.password_hash)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(User {
        id,
        email: new.email.as_str().to_owned(),
        name: new.name.to_owned(),
        role: new.role,
        active: true,
        created_at: at,
        last_login_at: None,
    })
}

/// Inserts the first admin only while the table is empty (atomic, so two racing setups make one).
pub async fn insert_first_admin(tx: &mut Tx, new: &NewUser<'_>) -> sqlx::Result<Option<User>> {
    let at = now();
    let id = Id::new();
    let inserted = on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at) \
             SELECT $1, $2, $3, $4, $5, TRUE, $6, $6 WHERE NOT EXISTS (SELECT 1 FROM users)",
        )
        .bind(id)
        .bind(new.email.as_str())
        .bind(new.name)
        .bind(Role::Admin)
        .bind(new.password_hash)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok((inserted == 1).then(|| User {
        id,
        email: new.email.as_str().to_owned(),
        name: new.name.to_owned(),
        role: Role::Admin,
        active: true,
        created_at: at,
        last_login_at: None,
    }))
}

pub async fn set_role(tx: &mut Tx, id: Id, role: Role) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(role)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn set_name(tx: &mut Tx, id: Id, name: &str) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET name = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(name)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn set_active(tx: &mut Tx, id: Id, active: bool) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET active = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(active)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn set_password_hash(tx: &mut Tx, id: Id, hash: &str) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn touch_login(db: &Db, id: Id) -> sqlx::Result<()> {
    on_pool!(db, |pool| {
        sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Active admins other than `except`, read inside the transaction that may demote or deactivate one.
pub async fn other_active_admins(tx: &mut Tx, except: Id) -> sqlx::Result<i64> {
    on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = TRUE AND id <> $1",
        )
        .bind(except)
        .fetch_one(&mut *conn)
        .await
    })
}
