//! Reference data shipped inside the binary (`data/`): the gmina register, the spheres of public
//! benefit (art. 4 of the Act) and the commissioning modes, loaded into an empty database.

use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Tx, gminy, settings};
use crate::domain::terc;
use crate::{on_pool, on_tx};

const GMINY_CSV: &[u8] = include_bytes!("../../data/gminy.csv");
const SPHERES_CSV: &str = include_str!("../../data/sfery_pozytku.csv");
const MODES_CSV: &str = include_str!("../../data/tryby_zlecania.csv");
/// The "stan na" date of the shipped register (data/README.md).
pub const SHIPPED_REGISTER_AS_OF: &str = "2024-01-01";
pub const REGISTER_AS_OF_KEY: &str = "terc_as_of";

/// Loads each reference table that is still empty, in one transaction.
pub async fn load_if_empty(db: &Db) -> anyhow::Result<()> {
    let (gminy_rows, spheres_rows, modes_rows): (i64, i64, i64) = on_pool!(db, |pool| {
        let g = sqlx::query_scalar("SELECT COUNT(*) FROM gminy")
            .fetch_one(pool)
            .await?;
        let s = sqlx::query_scalar("SELECT COUNT(*) FROM spheres")
            .fetch_one(pool)
            .await?;
        let m = sqlx::query_scalar("SELECT COUNT(*) FROM commissioning_modes")
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((g, s, m))
    })?;
    if gminy_rows > 0 && spheres_rows > 0 && modes_rows > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    if gminy_rows == 0 {
        let register = terc::parse(GMINY_CSV)
            .map_err(|e| anyhow::anyhow!("shipped gminy.csv is invalid: {e:?}"))?;
        let today = chrono::Utc::now().date_naive();
        gminy::apply_register(&mut tx, &register, today).await?;
    }
    if spheres_rows == 0 {
        load_spheres(&mut tx).await?;
    }
    if modes_rows == 0 {
        load_modes(&mut tx).await?;
    }
    tx.commit().await?;
    if gminy_rows == 0 {
        settings::get_or_insert(db, REGISTER_AS_OF_KEY, SHIPPED_REGISTER_AS_OF).await?;
    }
    Ok(())
}

async fn load_spheres(tx: &mut Tx) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_reader(SPHERES_CSV.as_bytes());
    for (position, record) in reader.records().enumerate() {
        let record = record?;
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let position = i32::try_from(position)?;
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO spheres (pkt, position, wording, label) VALUES ($1, $2, $3, $4)",
            )
            .bind(field(0))
            .bind(position)
            .bind(field(1))
            .bind(field(2))
            .execute(&mut *conn)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

async fn load_modes(tx: &mut Tx) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_reader(MODES_CSV.as_bytes());
    for (position, record) in reader.records().enumerate() {
        let record = record?;
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let position = i32::try_from(position)?;
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO commissioning_modes (id, position, name, act, legal_basis, form, description) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(field(0))
            .bind(position)
            .bind(field(1))
            .bind(field(2))
            .bind(field(3))
            .bind(field(4))
            .bind(field(5))
            .execute(&mut *conn)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// A sphere of public benefit (art. 4 ust. 1 point).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Sphere {
    pub pkt: String,
    pub wording: String,
    pub label: String,
}

/// A mode in which a gmina commissions a public task.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Mode {
    pub id: String,
    pub name: String,
    pub legal_basis: String,
}

pub async fn spheres(db: &Db) -> sqlx::Result<Vec<Sphere>> {
    on_pool!(db, |pool| {
        sqlx::query_as("SELECT pkt, wording, label FROM spheres ORDER BY position")
            .fetch_all(pool)
            .await
    })
}

pub async fn modes(db: &Db) -> sqlx::Result<Vec<Mode>> {
    on_pool!(db, |pool| {
        sqlx::query_as("SELECT id, name, legal_basis FROM commissioning_modes ORDER BY position")
            .fetch_all(pool)
            .await
    })
}
