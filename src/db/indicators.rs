//! Queries of programme indicators.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx};
use crate::domain::indicator::Source;
use crate::{on_pool, on_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Indicator {
    pub id: Id,
    pub programme_id: Id,
    pub position: i32,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: f64,
    pub source: Source,
    pub manual_value: Option<f64>,
    pub updated_at: DateTime<Utc>,
}

/// The editable fields, already validated.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: f64,
    pub source: Source,
    pub manual_value: Option<f64>,
}

pub async fn for_programme(db: &Db, programme_id: Id) -> sqlx::Result<Vec<Indicator>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, programme_id, position, name, unit, baseline, target, source, manual_value, \
             updated_at FROM indicators WHERE programme_id = $1 ORDER BY position, name",
        )
        .bind(programme_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<Indicator>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, programme_id, position, name, unit, baseline, target, source, manual_value, \
             updated_at FROM indicators WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

pub async fn insert(
    tx: &mut Tx,
    id: Id,
    programme_id: Id,
    f: &IndicatorFields,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO indicators (id, programme_id, position, name, unit, baseline, target, source, \
             manual_value, updated_at) VALUES ($1, $2, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM indicators WHERE programme_id = $2), \
             $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(programme_id)
        .bind(&f.name)
        .bind(&f.unit)
        .bind(f.baseline)
        .bind(f.target)
        .bind(f.source)
        .bind(f.manual_value)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

pub async fn update(
    tx: &mut Tx,
    id: Id,
    f: &IndicatorFields,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE indicators SET name = $2, unit = $3, baseline = $4, target = $5, source = $6, \
             manual_value = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.name)
        .bind(&f.unit)
        .bind(f.baseline)
        .bind(f.target)
        .bind(f.source)
        .bind(f.manual_value)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

pub async fn delete(tx: &mut Tx, id: Id) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM indicators WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
}
