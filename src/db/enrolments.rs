//! Queries of participants, their enrolments in cohorts, and the gmina teams of a cohort.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::participant::{EnrolmentStatus, Group, Sex};
use crate::{on_pool, on_tx};

/// An enrolment with its participant, gmina and organisation, as lists and pages show it.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct EnrolmentRow {
    pub id: Id,
    pub cohort_id: Id,
    pub participant_id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub gmina_teryt: String,
    pub gmina_name: String,
    pub powiat: String,
    pub grp: Group,
    pub organisation_id: Option<Id>,
    pub organisation: Option<String>,
    pub status: EnrolmentStatus,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    pub person_key: String,
    pub not_duplicate: bool,
    pub erased: bool,
    pub created_at: DateTime<Utc>,
}

macro_rules! select_enrolments {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.cohort_id, e.participant_id, p.first_name, p.last_name, p.email, p.phone, \
             p.sex, p.birth_year, e.gmina_teryt, g.name AS gmina_name, g.powiat, e.grp, \
             e.organisation_id, o.name AS organisation, e.status, e.withdrawn_on, e.withdrawal_reason, \
             e.person_key, e.not_duplicate, (p.erased_at IS NOT NULL) AS erased, e.created_at \
             FROM enrolments e JOIN participants p ON p.id = e.participant_id \
             JOIN gminy g ON g.teryt = e.gmina_teryt \
             LEFT JOIN organisations o ON o.id = e.organisation_id ",
            $rest
        )
    };
}

/// The whole participant record, sensitive fields included (coordinator-only views).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Participant {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub birth_decade: Option<i32>,
    pub vulnerability: Option<String>,
    pub consent_data_on: Option<NaiveDate>,
    pub consent_image_on: Option<NaiveDate>,
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A participant to insert.
#[derive(Clone, Debug)]
pub struct NewParticipant {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub vulnerability: Option<String>,
    pub consent_data_on: Option<NaiveDate>,
    pub consent_image_on: Option<NaiveDate>,
}

/// An enrolment to insert.
#[derive(Clone, Debug)]
pub struct NewEnrolment {
    pub id: Id,
    pub cohort_id: Id,
    pub participant_id: Id,
    pub gmina_teryt: String,
    pub group: Group,
    pub organisation_id: Option<Id>,
    pub email_key: Option<String>,
    pub person_key: String,
}

/// Rows per multi-row INSERT: well under both backends' bind-parameter limits.
const CHUNK: usize = 400;

pub async fn list_for_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<EnrolmentRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_enrolments!(
            "WHERE e.cohort_id = $1 ORDER BY g.name, e.gmina_teryt, e.grp, p.last_name, p.first_name, e.id"
        ))
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<EnrolmentRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_enrolments!("WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn for_participant(db: &Db, participant_id: Id) -> sqlx::Result<Vec<EnrolmentRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_enrolments!(
            "WHERE e.participant_id = $1 ORDER BY e.created_at"
        ))
        .bind(participant_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn find_participant(db: &Db, id: Id) -> sqlx::Result<Option<Participant>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, first_name, last_name, email, phone, sex, birth_year, birth_decade, vulnerability, \
             consent_data_on, consent_image_on, erased_at, created_at, updated_at \
             FROM participants WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

/// Emails already enrolled in the cohort (lower case).
pub async fn emails_in_cohort(tx: &mut Tx, cohort_id: Id) -> sqlx::Result<Vec<String>> {
    on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT email_key FROM enrolments WHERE cohort_id = $1 AND email_key IS NOT NULL",
        )
        .bind(cohort_id)
        .fetch_all(&mut *conn)
        .await
    })
}

/// Existing participants (not erased) with one of `emails`, oldest first.
pub async fn participants_by_email(
    tx: &mut Tx,
    emails: &[String],
) -> sqlx::Result<Vec<(String, Id)>> {
    if let Tx::Postgres(conn) = tx {
        return sqlx::query_as(
            "SELECT email, id FROM participants WHERE erased_at IS NULL AND email = ANY($1::text[]) \
             ORDER BY created_at",
        )
        .bind(emails)
        .fetch_all(&mut **conn)
        .await;
    }
    let mut found = Vec::new();
    for chunk in emails.chunks(CHUNK) {
        let rows: Vec<(String, Id)> = on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "SELECT email, id FROM participants WHERE erased_at IS NULL AND email IN (",
            );
            let mut list = b.separated(", ");
            for e in chunk {
                list.push_bind(e.as_str());
            }
            b.push(") ORDER BY created_at");
            b.build_query_as().fetch_all(&mut *conn).await
        })?;
        found.extend(rows);
    }
    Ok(found)
}

pub async fn insert_participants(tx: &mut Tx, rows: &[NewParticipant]) -> sqlx::Result<()> {
    let at = now();
    if let Tx::Postgres(conn) = tx {
        // One statement with array parameters: PostgreSQL parses a 10,000-row VALUES list slowly.
        let col = |f: fn(&NewParticipant) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO participants (id, first_name, last_name, email, phone, sex, birth_year, \
             vulnerability, consent_data_on, consent_image_on, created_at, updated_at) \
             SELECT id, first_name, last_name, email, phone, sex, birth_year, vulnerability, \
                    consent_data_on, consent_image_on, $11, $11 \
             FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                         $7::int4[], $8::text[], $9::date[], $10::date[]) \
               AS t(id, first_name, last_name, email, phone, sex, birth_year, vulnerability, \
                    consent_data_on, consent_image_on)",
        )
        .bind(rows.iter().map(|p| p.id.0).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|p| p.first_name.clone())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|p| p.last_name.clone()).collect::<Vec<_>>())
        .bind(col(|p| p.email.clone()))
        .bind(col(|p| p.phone.clone()))
        .bind(col(|p| p.sex.map(|s| s.as_str().to_owned())))
        .bind(rows.iter().map(|p| p.birth_year).collect::<Vec<_>>())
        .bind(col(|p| p.vulnerability.clone()))
        .bind(rows.iter().map(|p| p.consent_data_on).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.consent_image_on).collect::<Vec<_>>())
        .bind(at)
        .execute(&mut **conn)
        .await?;
        return Ok(());
    }
    for chunk in rows.chunks(CHUNK) {
        on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO participants (id, first_name, last_name, email, phone, sex, birth_year, \
                 vulnerability, consent_data_on, consent_image_on, created_at, updated_at) ",
            );
            b.push_values(chunk, |mut r, p| {
                r.push_bind(p.id)
                    .push_bind(p.first_name.as_str())
                    .push_bind(p.last_name.as_str())
                    .push_bind(p.email.as_deref())
                    .push_bind(p.phone.as_deref())
                    .push_bind(p.sex)
                    .push_bind(p.birth_year)
                    .push_bind(p.vulnerability.as_deref())
                    .push_bind(p.consent_data_on)
                    .push_bind(p.consent_image_on)
                    .push_bind(at)
                    .push_bind(at);
            });
            b.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn insert_enrolments(tx: &mut Tx, rows: &[NewEnrolment]) -> sqlx::Result<()> {
    let at = now();
    if let Tx::Postgres(conn) = tx {
        sqlx::query(
            "INSERT INTO enrolments (id, cohort_id, participant_id, gmina_teryt, grp, organisation_id, \
             status, email_key, person_key, not_duplicate, created_at, updated_at) \
             SELECT id, cohort_id, participant_id, gmina_teryt, grp, organisation_id, 'enrolled', \
                    email_key, person_key, FALSE, $9, $9 \
             FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], \
                         $7::text[], $8::text[]) \
               AS t(id, cohort_id, participant_id, gmina_teryt, grp, organisation_id, email_key, person_key)",
        )
        .bind(rows.iter().map(|e| e.id.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.cohort_id.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.participant_id.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.gmina_teryt.clone()).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.group.as_str().to_owned()).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.organisation_id.map(|o| o.0)).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.email_key.clone()).collect::<Vec<_>>())
        .bind(rows.iter().map(|e| e.person_key.clone()).collect::<Vec<_>>())
        .bind(at)
        .execute(&mut **conn)
        .await?;
        return Ok(());
    }
    for chunk in rows.chunks(CHUNK) {
        on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO enrolments (id, cohort_id, participant_id, gmina_teryt, grp, organisation_id, \
                 status, email_key, person_key, not_duplicate, created_at, updated_at) ",
            );
            b.push_values(chunk, |mut r, e| {
                r.push_bind(e.id)
                    .push_bind(e.cohort_id)
                    .push_bind(e.participant_id)
                    .push_bind(e.gmina_teryt.as_str())
                    .push_bind(e.group)
                    .push_bind(e.organisation_id)
                    .push_bind(EnrolmentStatus::Enrolled)
                    .push_bind(e.email_key.as_deref())
                    .push_bind(e.person_key.as_str())
                    .push_bind(false)
                    .push_bind(at)
                    .push_bind(at);
            });
            b.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Adds gmina teams to a cohort; teams already there stay as they are.
pub async fn ensure_teams(tx: &mut Tx, cohort_id: Id, teryts: &[String]) -> sqlx::Result<()> {
    let at = now();
    if let Tx::Postgres(conn) = tx {
        sqlx::query(
            "INSERT INTO cohort_teams (cohort_id, gmina_teryt, added_at) \
             SELECT $1, t, $3 FROM UNNEST($2::text[]) AS t \
             ON CONFLICT (cohort_id, gmina_teryt) DO NOTHING",
        )
        .bind(cohort_id)
        .bind(teryts)
        .bind(at)
        .execute(&mut **conn)
        .await?;
        return Ok(());
    }
    for chunk in teryts.chunks(CHUNK) {
        on_tx!(tx, |conn| {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO cohort_teams (cohort_id, gmina_teryt, added_at) ",
            );
            b.push_values(chunk, |mut r, t| {
                r.push_bind(cohort_id).push_bind(t.as_str()).push_bind(at);
            });
            b.push(" ON CONFLICT (cohort_id, gmina_teryt) DO NOTHING");
            b.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// A gmina team of a cohort (members come from `list_for_cohort`).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct TeamRow {
    pub teryt: String,
    pub name: String,
    pub powiat: String,
    pub voivodeship: String,
}

pub async fn teams(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<TeamRow>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT g.teryt, g.name, g.powiat, g.voivodeship FROM cohort_teams t \
             JOIN gminy g ON g.teryt = t.gmina_teryt WHERE t.cohort_id = $1 ORDER BY g.name, g.teryt",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// Removes a gmina team that has no enrolments; false when it has some (or is not there).
pub async fn remove_empty_team(tx: &mut Tx, cohort_id: Id, teryt: &str) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM cohort_teams WHERE cohort_id = $1 AND gmina_teryt = $2 AND NOT EXISTS \
             (SELECT 1 FROM enrolments e WHERE e.cohort_id = $1 AND e.gmina_teryt = $2)",
        )
        .bind(cohort_id)
        .bind(teryt)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// The editable personal fields of a participant.
#[derive(Clone, Debug)]
pub struct ParticipantFields {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub vulnerability: Option<String>,
    pub consent_data_on: Option<NaiveDate>,
    pub consent_image_on: Option<NaiveDate>,
}

/// Updates the participant and the copies of email and name key on their enrolments.
pub async fn update_participant(
    tx: &mut Tx,
    id: Id,
    f: &ParticipantFields,
    person_key: &str,
) -> sqlx::Result<()> {
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE participants SET first_name = $2, last_name = $3, email = $4, phone = $5, sex = $6, \
             birth_year = $7, vulnerability = $8, consent_data_on = $9, consent_image_on = $10, \
             updated_at = $11 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.first_name)
        .bind(&f.last_name)
        .bind(&f.email)
        .bind(&f.phone)
        .bind(f.sex)
        .bind(f.birth_year)
        .bind(&f.vulnerability)
        .bind(f.consent_data_on)
        .bind(f.consent_image_on)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE enrolments SET email_key = $2, person_key = $3, updated_at = $4 WHERE participant_id = $1",
        )
        .bind(id)
        .bind(&f.email)
        .bind(person_key)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// The participant of an enrolment.
pub async fn participant_of(tx: &mut Tx, enrolment_id: Id) -> sqlx::Result<Id> {
    on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT participant_id FROM enrolments WHERE id = $1")
            .bind(enrolment_id)
            .fetch_one(&mut *conn)
            .await
    })
}

/// Corrects a participant's name (and the name key on their enrolments).
pub async fn rename_participant(
    tx: &mut Tx,
    id: Id,
    first_name: &str,
    last_name: &str,
    person_key: &str,
) -> sqlx::Result<()> {
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE participants SET first_name = $2, last_name = $3, updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(first_name)
        .bind(last_name)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE enrolments SET person_key = $2, updated_at = $3 WHERE participant_id = $1",
        )
        .bind(id)
        .bind(person_key)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// The editable fields of an enrolment.
#[derive(Clone, Debug)]
pub struct EnrolmentFields {
    pub gmina_teryt: String,
    pub group: Group,
    pub organisation_id: Option<Id>,
    pub status: EnrolmentStatus,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
}

pub async fn update_enrolment(tx: &mut Tx, id: Id, f: &EnrolmentFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE enrolments SET gmina_teryt = $2, grp = $3, organisation_id = $4, status = $5, \
             withdrawn_on = $6, withdrawal_reason = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.gmina_teryt)
        .bind(f.group)
        .bind(f.organisation_id)
        .bind(f.status)
        .bind(f.withdrawn_on)
        .bind(&f.withdrawal_reason)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Marks enrolments as confirmed different people (clears the possible-duplicate flag).
pub async fn set_not_duplicate(tx: &mut Tx, ids: &[Id]) -> sqlx::Result<()> {
    for id in ids {
        on_tx!(tx, |conn| {
            sqlx::query("UPDATE enrolments SET not_duplicate = TRUE, updated_at = $2 WHERE id = $1")
                .bind(*id)
                .bind(now())
                .execute(&mut *conn)
                .await
                .map(|_| ())
        })?;
    }
    Ok(())
}

/// Deletes an enrolment, and its participant when they have no other enrolment.
pub async fn delete_enrolment(tx: &mut Tx, id: Id, participant_id: Id) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM enrolments WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "DELETE FROM participants WHERE id = $1 AND NOT EXISTS \
             (SELECT 1 FROM enrolments WHERE participant_id = $1)",
        )
        .bind(participant_id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Anonymises a participant (GDPR art. 17): names replaced, contact data, vulnerability and
/// consents removed, birth year reduced to its decade; group, gmina, sex and enrolments stay.
pub async fn erase_participant(tx: &mut Tx, id: Id, placeholder: &str) -> sqlx::Result<()> {
    let at = now();
    let key = format!("erased|{id}");
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE participants SET first_name = $2, last_name = $2, email = NULL, phone = NULL, \
             birth_decade = COALESCE((birth_year / 10) * 10, birth_decade), birth_year = NULL, \
             vulnerability = NULL, consent_data_on = NULL, consent_image_on = NULL, \
             erased_at = $3, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(placeholder)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE enrolments SET email_key = NULL, person_key = $2, withdrawal_reason = NULL, \
             updated_at = $3 WHERE participant_id = $1",
        )
        .bind(id)
        .bind(&key)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Enrolments in a cohort by group, for counts that must survive erasure.
pub async fn count_by_group(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<(Group, i64)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT grp, COUNT(*) FROM enrolments WHERE cohort_id = $1 GROUP BY grp ORDER BY grp",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// Emails already enrolled in the cohort (lower case), read outside a transaction.
pub async fn cohort_emails(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<String>> {
    on_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT email_key FROM enrolments WHERE cohort_id = $1 AND email_key IS NOT NULL",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}
