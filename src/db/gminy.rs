//! Queries of the gmina register: search, lookup, and applying a newer TERC register.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Tx, now};
use crate::domain::GminaKind;
use crate::domain::fold::fold;
use crate::domain::terc::{GminaRecord, Register};
use crate::{on_pool, on_tx};

/// A gmina as the API and pages show it.
#[derive(Clone, Debug, FromRow, Serialize, utoipa::ToSchema)]
pub struct Gmina {
    /// 7-digit TERYT code.
    #[schema(example = "3026043")]
    pub teryt: String,
    #[schema(example = "Śrem")]
    pub name: String,
    #[serde(rename = "type")]
    #[sqlx(rename = "kind")]
    pub kind: GminaKind,
    #[schema(example = "śremski")]
    pub powiat: String,
    #[schema(example = "wielkopolskie")]
    pub voivodeship: String,
}

/// Most results one search returns.
pub const MAX_RESULTS: i64 = 100;

/// Gminas whose code starts with the digits of `query`, or whose name (or a word of it) starts
/// with `query`, ignoring case and diacritics. Exact names first, then prefixes, then words.
pub async fn search(db: &Db, query: &str, limit: i64) -> sqlx::Result<Vec<Gmina>> {
    let folded: String = fold(query)
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let code_prefix = if folded.chars().all(|c| c.is_ascii_digit()) {
        format!("{folded}%")
    } else {
        String::from("-")
    };
    let prefix = format!("{folded}%");
    let word = format!("% {folded}%");
    let part = format!("%-{folded}%");
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT teryt, name, kind, powiat, voivodeship FROM gminy \
             WHERE active = TRUE \
               AND (teryt LIKE $1 OR name_folded LIKE $2 OR name_folded LIKE $3 OR name_folded LIKE $4) \
             ORDER BY CASE WHEN name_folded = $5 THEN 0 WHEN name_folded LIKE $2 THEN 1 ELSE 2 END, \
                      name_folded, voivodeship, powiat, teryt \
             LIMIT $6",
        )
        .bind(&code_prefix)
        .bind(&prefix)
        .bind(&word)
        .bind(&part)
        .bind(&folded)
        .bind(limit.clamp(1, MAX_RESULTS))
        .fetch_all(pool)
        .await
    })
}

/// One gmina by code, active or retired.
pub async fn find(db: &Db, teryt: &str) -> sqlx::Result<Option<Gmina>> {
    on_pool!(db, |pool| {
        sqlx::query_as("SELECT teryt, name, kind, powiat, voivodeship FROM gminy WHERE teryt = $1")
            .bind(teryt)
            .fetch_optional(pool)
            .await
    })
}

/// Active and retired gminas in the register.
pub async fn counts(db: &Db) -> sqlx::Result<(i64, i64)> {
    on_pool!(db, |pool| {
        let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gminy WHERE active = TRUE")
            .fetch_one(pool)
            .await?;
        let retired: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gminy WHERE active = FALSE")
            .fetch_one(pool)
            .await?;
        Ok((active, retired))
    })
}

/// What applying a register changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub retired: Vec<String>,
    pub unchanged: usize,
}

#[derive(FromRow)]
struct Existing {
    teryt: String,
    name: String,
    powiat: String,
    powiat_kind: String,
    voivodeship: String,
    active: bool,
}

impl Existing {
    fn matches(&self, r: &GminaRecord) -> bool {
        self.active
            && self.name == r.name
            && self.powiat == r.powiat
            && self.powiat_kind == r.powiat_kind
            && self.voivodeship == r.voivodeship
    }
}

/// Makes the table match `register`: new codes are added, changed ones updated (and reactivated),
/// codes missing from the register retired on `retired_on`. Rows are never deleted, so
/// everything linked to a gmina keeps its link.
pub async fn apply_register(
    tx: &mut Tx,
    register: &Register,
    retired_on: NaiveDate,
) -> sqlx::Result<LoadSummary> {
    let at = now();
    let existing: Vec<Existing> = on_tx!(tx, |conn| {
        sqlx::query_as("SELECT teryt, name, powiat, powiat_kind, voivodeship, active FROM gminy")
            .fetch_all(&mut *conn)
            .await
    })?;
    let mut existing: HashMap<String, Existing> =
        existing.into_iter().map(|e| (e.teryt.clone(), e)).collect();
    let mut summary = LoadSummary::default();
    let mut new_rows: Vec<&GminaRecord> = Vec::new();
    for record in &register.gminy {
        match existing.remove(record.teryt.as_str()) {
            None => new_rows.push(record),
            Some(old) if old.matches(record) => summary.unchanged += 1,
            Some(_) => {
                update(tx, record, at).await?;
                summary.updated.push(record.teryt.to_string());
            }
        }
    }
    for chunk in new_rows.chunks(200) {
        on_tx!(tx, |conn| {
            let mut builder = sqlx::QueryBuilder::new(
                "INSERT INTO gminy (teryt, name, name_folded, kind, powiat, powiat_kind, voivodeship, active, updated_at) ",
            );
            builder.push_values(chunk, |mut row, g| {
                row.push_bind(g.teryt.as_str())
                    .push_bind(&g.name)
                    .push_bind(fold(&g.name))
                    .push_bind(g.kind)
                    .push_bind(&g.powiat)
                    .push_bind(&g.powiat_kind)
                    .push_bind(&g.voivodeship)
                    .push_bind(true)
                    .push_bind(at);
            });
            builder.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    summary.added = new_rows.iter().map(|g| g.teryt.to_string()).collect();
    let mut gone: Vec<String> = existing
        .into_values()
        .filter(|e| e.active)
        .map(|e| e.teryt)
        .collect();
    gone.sort();
    for teryt in &gone {
        on_tx!(tx, |conn| {
            sqlx::query("UPDATE gminy SET active = FALSE, retired_on = $2, updated_at = $3 WHERE teryt = $1")
                .bind(teryt)
                .bind(retired_on)
                .bind(at)
                .execute(&mut *conn)
                .await
                .map(|_| ())
        })?;
    }
    summary.retired = gone;
    summary.added.sort();
    summary.updated.sort();
    Ok(summary)
}

async fn update(
    tx: &mut Tx,
    g: &GminaRecord,
    at: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE gminy SET name = $2, name_folded = $3, kind = $4, powiat = $5, powiat_kind = $6, \
             voivodeship = $7, active = TRUE, retired_on = NULL, updated_at = $8 WHERE teryt = $1",
        )
        .bind(g.teryt.as_str())
        .bind(&g.name)
        .bind(fold(&g.name))
        .bind(g.kind)
        .bind(&g.powiat)
        .bind(&g.powiat_kind)
        .bind(&g.voivodeship)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Every active gmina, for resolving many codes and names at once.
pub async fn all_active(db: &Db) -> sqlx::Result<Vec<Gmina>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT teryt, name, kind, powiat, voivodeship FROM gminy WHERE active = TRUE ORDER BY teryt",
        )
        .fetch_all(pool)
        .await
    })
}
