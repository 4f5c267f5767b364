//! Queries of programmes, their members (coordinators) and cohorts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::participant::Currency;
use crate::{on_pool, on_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Programme {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub funder: String,
    pub grant_amount_minor: Option<i64>,
    pub grant_currency: Currency,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub partners: String,
    pub acknowledgement: String,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Counts about at-risk participants below this are shown to funders as "<N".
    pub small_cell_threshold: i32,
}

/// The editable fields of a programme, already validated.
#[derive(Clone, Debug)]
pub struct ProgrammeFields {
    pub slug: String,
    pub name: String,
    pub funder: String,
    pub grant_amount_minor: Option<i64>,
    pub grant_currency: Currency,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub partners: String,
    pub acknowledgement: String,
    pub archived: bool,
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Cohort {
    pub id: Id,
    pub programme_id: Id,
    pub programme_slug: String,
    pub programme_name: String,
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub archived: bool,
    /// Days after an activity ends during which its trainers may still mark attendance.
    pub marking_days: i32,
}

#[derive(Clone, Debug)]
pub struct CohortFields {
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub archived: bool,
    pub marking_days: i32,
}

macro_rules! select_programmes {
    ($rest:literal) => {
        concat!(
            "SELECT id, slug, name, funder, grant_amount_minor, grant_currency, starts_on, ends_on, \
             partners, acknowledgement, archived, created_at, updated_at, small_cell_threshold \
             FROM programmes ",
            $rest
        )
    };
}

macro_rules! select_cohorts {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.programme_id, p.slug AS programme_slug, p.name AS programme_name, \
             c.slug, c.name, c.starts_on, c.ends_on, c.archived, c.marking_days \
             FROM cohorts c JOIN programmes p ON p.id = c.programme_id ",
            $rest
        )
    };
}

/// Programmes `user_id` may see: all when `all` (admins), else those they are a member of.
pub async fn list_visible(db: &Db, user_id: Id, all: bool) -> sqlx::Result<Vec<Programme>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_programmes!(
            "WHERE $2 OR id IN (SELECT programme_id FROM programme_members WHERE user_id = $1) \
             ORDER BY archived, starts_on DESC, name"
        ))
        .bind(user_id)
        .bind(all)
        .fetch_all(pool)
        .await
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<Programme>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_programmes!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_by_slug(db: &Db, slug: &str) -> sqlx::Result<Option<Programme>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_programmes!("WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(pool)
            .await
    })
}

pub async fn is_member(db: &Db, programme_id: Id, user_id: Id) -> sqlx::Result<bool> {
    on_pool!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM programme_members WHERE programme_id = $1 AND user_id = $2",
        )
        .bind(programme_id)
        .bind(user_id)
        .fetch_one(pool)
        .await
        .map(|n| n > 0)
    })
}

/// A programme member as the programme page lists them.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Member {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub role: crate::domain::Role,
}

pub async fn members(db: &Db, programme_id: Id) -> sqlx::Result<Vec<Member>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT u.id, u.name, u.email, u.role FROM programme_members m \
             JOIN users u ON u.id = m.user_id WHERE m.programme_id = $1 ORDER BY u.name",
        )
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn add_member(tx: &mut Tx, programme_id: Id, user_id: Id) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO programme_members (programme_id, user_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (programme_id, user_id) DO NOTHING",
        )
        .bind(programme_id)
        .bind(user_id)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

pub async fn remove_member(tx: &mut Tx, programme_id: Id, user_id: Id) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM programme_members WHERE programme_id = $1 AND user_id = $2")
            .bind(programme_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

pub async fn insert(tx: &mut Tx, f: &ProgrammeFields) -> sqlx::Result<Id> {
    let id = Id::new();
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO programmes (id, slug, name, funder, grant_amount_minor, grant_currency, \
             starts_on, ends_on, partners, acknowledgement, archived, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(id)
        .bind(&f.slug)
        .bind(&f.name)
        .bind(&f.funder)
        .bind(f.grant_amount_minor)
        .bind(f.grant_currency)
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(&f.partners)
        .bind(&f.acknowledgement)
        .bind(f.archived)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, id: Id, f: &ProgrammeFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE programmes SET slug = $2, name = $3, funder = $4, grant_amount_minor = $5, \
             grant_currency = $6, starts_on = $7, ends_on = $8, partners = $9, acknowledgement = $10, \
             archived = $11, updated_at = $12 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.slug)
        .bind(&f.name)
        .bind(&f.funder)
        .bind(f.grant_amount_minor)
        .bind(f.grant_currency)
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(&f.partners)
        .bind(&f.acknowledgement)
        .bind(f.archived)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Sets the threshold below which funder-facing counts about at-risk participants are hidden.
pub async fn set_small_cell_threshold(tx: &mut Tx, id: Id, threshold: i32) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE programmes SET small_cell_threshold = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(threshold)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

pub async fn slug_taken(
    db: &Db,
    table_is_cohorts: bool,
    slug: &str,
    except: Option<Id>,
) -> sqlx::Result<bool> {
    let except = except.unwrap_or(Id(uuid::Uuid::nil()));
    on_pool!(db, |pool| {
        let sql = if table_is_cohorts {
            "SELECT COUNT(*) FROM cohorts WHERE slug = $1 AND id <> $2"
        } else {
            "SELECT COUNT(*) FROM programmes WHERE slug = $1 AND id <> $2"
        };
        sqlx::query_scalar::<_, i64>(sql)
            .bind(slug)
            .bind(except)
            .fetch_one(pool)
            .await
            .map(|n| n > 0)
    })
}

/// Cohorts `user_id` may see (all when `all`), newest first.
pub async fn cohorts_visible(db: &Db, user_id: Id, all: bool) -> sqlx::Result<Vec<Cohort>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_cohorts!(
            "WHERE $2 OR c.programme_id IN (SELECT programme_id FROM programme_members WHERE user_id = $1) \
             ORDER BY c.archived, c.starts_on DESC, c.name"
        ))
        .bind(user_id)
        .bind(all)
        .fetch_all(pool)
        .await
    })
}

pub async fn cohorts_of(db: &Db, programme_id: Id) -> sqlx::Result<Vec<Cohort>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_cohorts!(
            "WHERE c.programme_id = $1 ORDER BY c.archived, c.starts_on DESC, c.name"
        ))
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find_cohort(db: &Db, id: Id) -> sqlx::Result<Option<Cohort>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_cohorts!("WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_cohort_by_slug(db: &Db, slug: &str) -> sqlx::Result<Option<Cohort>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_cohorts!("WHERE c.slug = $1"))
            .bind(slug)
            .fetch_optional(pool)
            .await
    })
}

pub async fn insert_cohort(tx: &mut Tx, programme_id: Id, f: &CohortFields) -> sqlx::Result<Id> {
    let id = Id::new();
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO cohorts (id, programme_id, slug, name, starts_on, ends_on, archived, \
             created_at, updated_at, marking_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
        )
        .bind(id)
        .bind(programme_id)
        .bind(&f.slug)
        .bind(&f.name)
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(f.archived)
        .bind(at)
        .bind(f.marking_days)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

pub async fn update_cohort(tx: &mut Tx, id: Id, f: &CohortFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE cohorts SET slug = $2, name = $3, starts_on = $4, ends_on = $5, archived = $6, \
             updated_at = $7, marking_days = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.slug)
        .bind(&f.name)
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(f.archived)
        .bind(now())
        .bind(f.marking_days)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}
