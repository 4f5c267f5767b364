//! Queries of activities, their trainers, audience teams, roster exceptions and calendar feeds.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::{Db, Id, Tx, now};
use crate::domain::activity::ActivityKind;
use crate::{on_pool, on_tx};

/// An activity with its cohort and host organisation, as lists and pages show it.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Activity {
    pub id: Id,
    pub cohort_id: Id,
    pub cohort_slug: String,
    pub cohort_name: String,
    pub programme_id: Id,
    pub kind: ActivityKind,
    pub title: String,
    pub module: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub hours_centi: i32,
    pub location: String,
    pub online_url: String,
    pub host_organisation_id: Option<Id>,
    pub host_name: Option<String>,
    pub capacity: Option<i32>,
    pub audience_groups: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The stored fields of an activity, already validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityFields {
    pub kind: ActivityKind,
    pub title: String,
    pub module: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub hours_centi: i32,
    pub location: String,
    pub online_url: String,
    pub host_organisation_id: Option<Id>,
    pub capacity: Option<i32>,
    pub audience_groups: String,
    pub teams: Vec<String>,
    pub trainers: Vec<Id>,
}

macro_rules! select_activities {
    ($rest:literal) => {
        concat!(
            "SELECT a.id, a.cohort_id, c.slug AS cohort_slug, c.name AS cohort_name, c.programme_id, \
             a.kind, a.title, a.module, a.description, a.starts_at, a.ends_at, a.hours_centi, \
             a.location, a.online_url, a.host_organisation_id, o.name AS host_name, a.capacity, \
             a.audience_groups, a.cancelled_at, a.cancel_reason, a.sequence, a.created_at, a.updated_at \
             FROM activities a JOIN cohorts c ON c.id = a.cohort_id \
             LEFT JOIN organisations o ON o.id = a.host_organisation_id ",
            $rest
        )
    };
}

pub async fn find(db: &Db, id: Id) -> sqlx::Result<Option<Activity>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_activities!("WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// A cohort's activities in time order, cancelled ones included.
pub async fn list_for_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<Activity>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_activities!(
            "WHERE a.cohort_id = $1 ORDER BY a.starts_at, a.title"
        ))
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// The activities a user trains, in every cohort, in time order.
pub async fn list_for_trainer(db: &Db, user_id: Id) -> sqlx::Result<Vec<Activity>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_activities!(
            "WHERE a.id IN (SELECT activity_id FROM activity_trainers WHERE user_id = $1) \
             ORDER BY a.starts_at, a.title"
        ))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// Live activities of `user_id` overlapping `[starts_at, ends_at)`, other than `except`.
pub async fn trainer_overlaps(
    db: &Db,
    user_id: Id,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<Id>,
) -> sqlx::Result<Vec<Activity>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_activities!(
            "WHERE a.id IN (SELECT activity_id FROM activity_trainers WHERE user_id = $1) \
             AND a.cancelled_at IS NULL AND a.starts_at < $3 AND a.ends_at > $2 \
             AND ($4 IS NULL OR a.id <> $4) ORDER BY a.starts_at"
        ))
        .bind(user_id)
        .bind(starts_at)
        .bind(ends_at)
        .bind(except)
        .fetch_all(pool)
        .await
    })
}

/// A trainer of an activity.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Trainer {
    pub activity_id: Id,
    pub id: Id,
    pub name: String,
    pub email: String,
}

/// The trainers of every activity of a cohort.
pub async fn trainers_in_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<Trainer>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT t.activity_id, u.id, u.name, u.email FROM activity_trainers t \
             JOIN users u ON u.id = t.user_id JOIN activities a ON a.id = t.activity_id \
             WHERE a.cohort_id = $1 ORDER BY u.name",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// (activity, TERYT) pairs of a cohort's team audiences.
pub async fn teams_in_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<(Id, String)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT t.activity_id, t.gmina_teryt FROM activity_teams t \
             JOIN activities a ON a.id = t.activity_id WHERE a.cohort_id = $1 \
             ORDER BY t.gmina_teryt",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

/// (activity, enrolment, included) exceptions to the rosters of a cohort's activities.
pub async fn roster_changes_in_cohort(db: &Db, cohort_id: Id) -> sqlx::Result<Vec<(Id, Id, bool)>> {
    on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT r.activity_id, r.enrolment_id, r.included FROM activity_roster_changes r \
             JOIN activities a ON a.id = r.activity_id WHERE a.cohort_id = $1",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await
    })
}

async fn write_links(tx: &mut Tx, id: Id, f: &ActivityFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM activity_trainers WHERE activity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM activity_teams WHERE activity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for trainer in &f.trainers {
            sqlx::query("INSERT INTO activity_trainers (activity_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(trainer)
                .execute(&mut *conn)
                .await?;
        }
        for teryt in &f.teams {
            sqlx::query("INSERT INTO activity_teams (activity_id, gmina_teryt) VALUES ($1, $2)")
                .bind(id)
                .bind(teryt)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    })
}

pub async fn insert(tx: &mut Tx, cohort_id: Id, f: &ActivityFields) -> sqlx::Result<Id> {
    let id = Id::new();
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO activities (id, cohort_id, kind, title, module, description, starts_at, \
             ends_at, hours_centi, location, online_url, host_organisation_id, capacity, \
             audience_groups, sequence, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $15)",
        )
        .bind(id)
        .bind(cohort_id)
        .bind(f.kind)
        .bind(&f.title)
        .bind(&f.module)
        .bind(&f.description)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.hours_centi)
        .bind(&f.location)
        .bind(&f.online_url)
        .bind(f.host_organisation_id)
        .bind(f.capacity)
        .bind(&f.audience_groups)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    write_links(tx, id, f).await?;
    Ok(id)
}

/// Replaces the fields of an activity and bumps its SEQUENCE.
pub async fn update(tx: &mut Tx, id: Id, f: &ActivityFields) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE activities SET kind = $2, title = $3, module = $4, description = $5, \
             starts_at = $6, ends_at = $7, hours_centi = $8, location = $9, online_url = $10, \
             host_organisation_id = $11, capacity = $12, audience_groups = $13, \
             sequence = sequence + 1, updated_at = $14 WHERE id = $1",
        )
        .bind(id)
        .bind(f.kind)
        .bind(&f.title)
        .bind(&f.module)
        .bind(&f.description)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.hours_centi)
        .bind(&f.location)
        .bind(&f.online_url)
        .bind(f.host_organisation_id)
        .bind(f.capacity)
        .bind(&f.audience_groups)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    write_links(tx, id, f).await
}

/// Cancels (with a reason) or restores (`None`) an activity, bumping its SEQUENCE.
pub async fn set_cancelled(tx: &mut Tx, id: Id, reason: Option<&str>) -> sqlx::Result<()> {
    let at = now();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE activities SET cancelled_at = $2, cancel_reason = $3, \
             sequence = sequence + 1, updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(reason.map(|_| at))
        .bind(reason)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// Adds (`Some(true)`), removes (`Some(false)`) a person against the audience, or drops the
/// exception (`None`), so the audience decides again.
pub async fn set_roster_change(
    tx: &mut Tx,
    activity_id: Id,
    enrolment_id: Id,
    included: Option<bool>,
) -> sqlx::Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM activity_roster_changes WHERE activity_id = $1 AND enrolment_id = $2",
        )
        .bind(activity_id)
        .bind(enrolment_id)
        .execute(&mut *conn)
        .await?;
        if let Some(included) = included {
            sqlx::query(
                "INSERT INTO activity_roster_changes (activity_id, enrolment_id, included) \
                 VALUES ($1, $2, $3)",
            )
            .bind(activity_id)
            .bind(enrolment_id)
            .bind(included)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("UPDATE activities SET updated_at = $2 WHERE id = $1")
            .bind(activity_id)
            .bind(now())
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

/// A private calendar URL of a cohort or of a trainer.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Feed {
    pub id: Id,
    pub cohort_id: Option<Id>,
    pub user_id: Option<Id>,
    pub created_by: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

macro_rules! select_feeds {
    ($rest:literal) => {
        concat!(
            "SELECT id, cohort_id, user_id, created_by, created_at, revoked_at FROM calendar_feeds ",
            $rest
        )
    };
}

pub async fn insert_feed(
    tx: &mut Tx,
    token_hash: &str,
    cohort_id: Option<Id>,
    user_id: Option<Id>,
    created_by: Id,
) -> sqlx::Result<Id> {
    let id = Id::new();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO calendar_feeds (id, token_hash, cohort_id, user_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(token_hash)
        .bind(cohort_id)
        .bind(user_id)
        .bind(created_by)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// The live feed with this token hash.
pub async fn feed_by_hash(db: &Db, token_hash: &str) -> sqlx::Result<Option<Feed>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_feeds!(
            "WHERE token_hash = $1 AND revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })
}

pub async fn find_feed(db: &Db, id: Id) -> sqlx::Result<Option<Feed>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_feeds!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Feeds of a cohort (`cohort`) or of a user, live ones first.
pub async fn feeds_of(
    db: &Db,
    cohort_id: Option<Id>,
    user_id: Option<Id>,
) -> sqlx::Result<Vec<Feed>> {
    on_pool!(db, |pool| {
        sqlx::query_as(select_feeds!(
            "WHERE cohort_id = $1 OR user_id = $2 ORDER BY revoked_at IS NOT NULL, created_at DESC"
        ))
        .bind(cohort_id)
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn revoke_feed(tx: &mut Tx, id: Id) -> sqlx::Result<bool> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now())
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() > 0)
    })
}
