//! Queries of certificates, the cohorts' certificate rules and the numbering counters.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use super::{Db, Id, Tx};
use crate::{on_pool, on_tx};

/// A cohort's stored rule and signature block (absent: the defaults).
#[derive(Clone, Debug, FromRow)]
pub struct RuleRow {
    pub cohort_id: Id,
    pub prefix: String,
    pub min_rate: i32,
    pub required_kinds: String,
    pub required_modules: String,
    pub organiser: String,
    pub signatory: String,
    pub signatory_role: String,
    pub place: String,
}

pub async fn rule(db: &Db, cohort_id: Id) -> sqlx::Result<Option<RuleRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT cohort_id, prefix, min_rate, required_kinds, required_modules, organiser, \
             signatory, signatory_role, place FROM certificate_rules WHERE cohort_id = $1",
        )
        .bind(cohort_id)
        .fetch_optional(pool)
        .await
    })
}

pub async fn save_rule(tx: &mut Tx, r: &RuleRow, at: DateTime<Utc>) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO certificate_rules (cohort_id, prefix, min_rate, required_kinds, \
             required_modules, organiser, signatory, signatory_role, place, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (cohort_id) DO UPDATE SET prefix = excluded.prefix, \
             min_rate = excluded.min_rate, required_kinds = excluded.required_kinds, \
             required_modules = excluded.required_modules, organiser = excluded.organiser, \
             signatory = excluded.signatory, signatory_role = excluded.signatory_role, \
             place = excluded.place, updated_at = excluded.updated_at",
        )
        .bind(r.cohort_id)
        .bind(&r.prefix)
        .bind(r.min_rate)
        .bind(&r.required_kinds)
        .bind(&r.required_modules)
        .bind(&r.organiser)
        .bind(&r.signatory)
        .bind(&r.signatory_role)
        .bind(&r.place)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

#[derive(Clone, Debug, FromRow)]
pub struct Certificate {
    pub id: Id,
    pub cohort_id: Id,
    pub enrolment_id: Id,
    pub number: String,
    pub year: i32,
    pub sequence: i32,
    pub code: String,
    pub lang: String,
    pub first_name: String,
    pub last_name: String,
    pub content: String,
    pub issued_on: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub issued_by: Option<Id>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Id>,
    pub revoked_reason: Option<String>,
    pub replaced_by: Option<Id>,
}

impl Certificate {
    pub fn holder(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

macro_rules! select_certificates {
    ($rest:literal) => {
        concat!(
            "SELECT id, cohort_id, enrolment_id, number, year, sequence, code, lang, first_name, \
             last_name, content, issued_on, issued_at, issued_by, revoked_at, revoked_by, \
             revoked_reason, replaced_by FROM certificates ",
            $rest
        )
    };
}

/// A cohort's certificates, in number order.
pub async fn for_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<Certificate>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_certificates!(
            "WHERE cohort_id = $1 ORDER BY year, sequence"
        ))
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn get(db: &Db, id: Id) -> sqlx::Result<Option<Certificate>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_certificates!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// A certificate read inside a writing transaction.
pub async fn get_in(tx: &mut Tx, id: Id) -> sqlx::Result<Option<Certificate>> {
    on_tx!(tx, |conn| {
        sqlx::query_as(select_certificates!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// What the public check shows, looked up by the normalised code.
#[derive(Clone, Debug, FromRow)]
pub struct Public {
    pub first_name: String,
    pub last_name: String,
    pub issued_on: NaiveDate,
    pub revoked_at: Option<DateTime<Utc>>,
    pub cohort: String,
    pub programme: String,
}

pub async fn by_code(db: &Db, code: &str) -> sqlx::Result<Option<Public>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT x.first_name, x.last_name, x.issued_on, x.revoked_at, c.name AS cohort, \
             p.name AS programme FROM certificates x JOIN cohorts c ON c.id = x.cohort_id \
             JOIN programmes p ON p.id = c.programme_id WHERE x.code = $1",
        )
        .bind(code)
        .fetch_optional(pool)
        .await
    })
}

/// Takes the numbering lock of `prefix` in `year` for the rest of the transaction and returns the
/// last sequence used (0 for a new year). Other issuers wait here until this transaction ends.
pub async fn lock_counter(tx: &mut Tx, prefix: &str, year: i32) -> sqlx::Result<i32> {
    on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO certificate_counters (prefix, year, last) VALUES ($1, $2, 0) \
             ON CONFLICT (prefix, year) DO UPDATE SET last = certificate_counters.last \
             RETURNING last",
        )
        .bind(prefix)
        .bind(year)
        .fetch_one(&mut *conn)
        .await
    })
}

pub async fn set_counter(tx: &mut Tx, prefix: &str, year: i32, last: i32) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE certificate_counters SET last = $3 WHERE prefix = $1 AND year = $2")
            .bind(prefix)
            .bind(year)
            .bind(last)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
}

/// Enrolments of the cohort that have ever held a certificate (valid or revoked), read under the
/// numbering lock so two issuers never certify the same person twice.
pub async fn holders(tx: &mut Tx, cohort_id: Id) -> sqlx::Result<Vec<Id>> {
    on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT DISTINCT enrolment_id FROM certificates WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_all(&mut *conn)
            .await
    })
}

pub async fn insert(tx: &mut Tx, c: &Certificate) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO certificates (id, cohort_id, enrolment_id, number, year, sequence, code, \
             lang, first_name, last_name, content, issued_on, issued_at, issued_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(c.id)
        .bind(c.cohort_id)
        .bind(c.enrolment_id)
        .bind(&c.number)
        .bind(c.year)
        .bind(c.sequence)
        .bind(&c.code)
        .bind(&c.lang)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.content)
        .bind(c.issued_on)
        .bind(c.issued_at)
        .bind(c.issued_by)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

/// Marks a valid certificate revoked; false when it already was.
pub async fn revoke(
    tx: &mut Tx,
    id: Id,
    by: Option<Id>,
    reason: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        let done = sqlx::query(
            "UPDATE certificates SET revoked_at = $2, revoked_by = $3, revoked_reason = $4 \
             WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .bind(by)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

pub async fn link_replacement(tx: &mut Tx, old: Id, new: Id) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE certificates SET replaced_by = $2 WHERE id = $1")
            .bind(old)
            .bind(new)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
}

/// Removes an erased participant's name from their certificates and revokes the valid ones
/// (GDPR art. 17); returns how many certificates they held.
pub async fn erase_holder(
    tx: &mut Tx,
    participant_id: Id,
    placeholder: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE certificates SET revoked_at = $2, revoked_reason = $3 WHERE revoked_at IS NULL \
             AND enrolment_id IN (SELECT id FROM enrolments WHERE participant_id = $1)",
        )
        .bind(participant_id)
        .bind(at)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
        let done = sqlx::query(
            "UPDATE certificates SET first_name = $2, last_name = '' \
             WHERE enrolment_id IN (SELECT id FROM enrolments WHERE participant_id = $1)",
        )
        .bind(participant_id)
        .bind(placeholder)
        .execute(&mut *conn)
        .await?;
        Ok(done.rows_affected())
    })
}

/// Valid certificates of a cohort, for reports.
pub async fn count_valid(db: &Db, cohort_id: Id) -> sqlx::Result<i64> {
    on_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM certificates WHERE cohort_id = $1 AND revoked_at IS NULL",
        )
        .bind(cohort_id)
        .fetch_one(pool)
        .await
    })
}
