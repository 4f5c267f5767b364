//! Queries of organisations: reused across cohorts, unique by KRS number.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::fold::fold;
use crate::domain::participant::OrganisationKind;
use crate::{on_pool, on_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Organisation {
    pub id: Id,
    pub name: String,
    pub kind: OrganisationKind,
    pub krs: Option<String>,
    pub gmina_teryt: Option<String>,
    pub gmina_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct OrganisationFields {
    pub name: String,
    pub kind: OrganisationKind,
    pub krs: Option<String>,
    pub gmina_teryt: Option<String>,
}

macro_rules! select_organisations {
    ($rest:literal) => {
        concat!(
            "SELECT o.id, o.name, o.kind, o.krs, o.gmina_teryt, g.name AS gmina_name, o.created_at \
             FROM organisations o LEFT JOIN gminy g ON g.teryt = o.gmina_teryt ",
            $rest
        )
    };
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<Organisation>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_organisations!("ORDER BY o.name_folded, o.id"))
            .fetch_all(pool)
            .await
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<Organisation>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_organisations!("WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_by_krs(db: &Db, krs: &str) -> sqlx::Result<Option<Organisation>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_organisations!("WHERE o.krs = $1"))
            .bind(krs)
            .fetch_optional(pool)
            .await
    })
}

/// Folded name → id of every organisation, for matching imported names to existing ones.
pub async fn ids_by_folded_name(tx: &mut Tx) -> sqlx::Result<Vec<(String, Id)>> {
    on_tx!(tx, |conn| {
        sqlx::query_as("SELECT name_folded, id FROM organisations ORDER BY created_at")
            .fetch_all(&mut *conn)
            .await
    })
}

pub async fn insert(tx: &mut Tx, f: &OrganisationFields) -> sqlx::Result<Id> {
    let id = Id::new();
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO organisations (id, name, name_folded, kind, krs, gmina_teryt, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(&f.name)
        .bind(fold(&f.name))
        .bind(f.kind)
        .bind(&f.krs)
        .bind(&f.gmina_teryt)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, id: Id, f: &OrganisationFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE organisations SET name = $2, name_folded = $3, kind = $4, krs = $5, gmina_teryt = $6, \
             updated_at = $7 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.name)
        .bind(fold(&f.name))
        .bind(f.kind)
        .bind(&f.krs)
        .bind(&f.gmina_teryt)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Inserts many organisations at once (new ones named in an import).
pub async fn insert_many(tx: &mut Tx, rows: &[(Id, OrganisationFields)]) -> sqlx::Result<()> {
    let at = now();
    for chunk in rows.chunks(400) {
        on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO organisations (id, name, name_folded, kind, krs, gmina_teryt, created_at, updated_at) ",
            );
            b.push_values(chunk, |mut r, (id, f)| {
                r.push_bind(*id)
                    .push_bind(f.name.as_str())
                    .push_bind(fold(&f.name))
                    .push_bind(f.kind)
                    .push_bind(f.krs.as_deref())
                    .push_bind(f.gmina_teryt.as_deref())
                    .push_bind(at)
                    .push_bind(at);
            });
            b.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}
