//! Queries behind the results report: the rows `domain::tally` counts, for one cohort or for every
//! cohort of a programme at once (a handful of queries whatever the number of cohorts).

use super::{Db, Id};
use crate::domain::tally::{Person, Session};
use crate::on_pool;

/// The cohorts a report covers.
#[derive(Clone, Copy, Debug)]
pub enum Within {
    Cohort(Id),
    Programme(Id),
}

impl Within {
    fn id(self) -> Id {
        match self {
            Within::Cohort(id) | Within::Programme(id) => id,
        }
    }
}

/// The same query restricted to one cohort or to a programme's cohorts by `$col`.
macro_rules! within {
    ($within:expr, $head:literal, $col:literal, $tail:literal) => {
        match $within {
            Within::Cohort(_) => concat!($head, " WHERE ", $col, " = $1 ", $tail),
            Within::Programme(_) => concat!(
                $head,
                " WHERE ",
                $col,
                " IN (SELECT id FROM cohorts WHERE programme_id = $1) ",
                $tail
            ),
        }
    };
}

/// Enrolments with what the report counts: gmina, group, status, sex, birth year or decade.
pub async fn people(db: &Db, within: Within) -> sqlx::Result<Vec<Person>> {
    let sql = within!(
        within,
        "SELECT e.id, e.cohort_id, e.gmina_teryt, e.grp, e.status, p.sex, p.birth_year, p.birth_decade \
         FROM enrolments e JOIN participants p ON p.id = e.participant_id",
        "e.cohort_id",
        ""
    );
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_all(pool)
        .await)
}

/// (TERYT, name, powiat) of the gminas people are enrolled from or tasks were commissioned in:
/// once per gmina rather than once per person.
pub async fn gminas(db: &Db, within: Within) -> sqlx::Result<Vec<(String, String, String)>> {
    let sql = match within {
        Within::Cohort(_) => {
            "SELECT teryt, name, powiat FROM gminy WHERE \
             teryt IN (SELECT gmina_teryt FROM enrolments WHERE cohort_id = $1) \
             OR teryt IN (SELECT gmina_teryt FROM commissioned_tasks WHERE cohort_id = $1)"
        }
        Within::Programme(_) => {
            "SELECT teryt, name, powiat FROM gminy WHERE \
             teryt IN (SELECT e.gmina_teryt FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id \
                       WHERE c.programme_id = $1) \
             OR teryt IN (SELECT t.gmina_teryt FROM commissioned_tasks t \
                          JOIN cohorts c ON c.id = t.cohort_id WHERE c.programme_id = $1)"
        }
    };
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_all(pool)
        .await)
}

/// Activities, cancelled ones included.
pub async fn sessions(db: &Db, within: Within) -> sqlx::Result<Vec<Session>> {
    let sql = within!(
        within,
        "SELECT a.id, a.cohort_id, a.kind, a.hours_centi, (a.cancelled_at IS NOT NULL) AS cancelled, \
         a.starts_at, a.audience_groups FROM activities a",
        "a.cohort_id",
        ""
    );
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_all(pool)
        .await)
}

/// (activity, TERYT) of activities meant for some gmina teams only.
pub async fn teams(db: &Db, within: Within) -> sqlx::Result<Vec<(Id, String)>> {
    let sql = within!(
        within,
        "SELECT t.activity_id, t.gmina_teryt FROM activity_teams t \
         JOIN activities a ON a.id = t.activity_id",
        "a.cohort_id",
        ""
    );
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_all(pool)
        .await)
}

/// (activity, enrolment, included): people added to or removed from rosters by hand.
pub async fn roster_changes(db: &Db, within: Within) -> sqlx::Result<Vec<(Id, Id, bool)>> {
    let sql = within!(
        within,
        "SELECT r.activity_id, r.enrolment_id, r.included FROM activity_roster_changes r \
         JOIN activities a ON a.id = r.activity_id",
        "a.cohort_id",
        ""
    );
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_all(pool)
        .await)
}

/// (activity, enrolments marked present or late) of every non-cancelled activity. Hundreds of
/// thousands of marks in a national programme: they come as one row per activity with its
/// people joined by commas, which both engines build far faster than they send single rows.
pub async fn attended(db: &Db, within: Within) -> sqlx::Result<Vec<(Id, Vec<Id>)>> {
    // A subquery per activity walks the attendance key in order: no sort, unlike GROUP BY.
    let rows: Vec<(Id, Option<String>)> = match db {
        Db::Sqlite(pool) => {
            let sql = within!(
                within,
                "SELECT a.id, (SELECT group_concat(m.enrolment_id, ',') FROM attendance m \
                 WHERE m.activity_id = a.id AND m.status IN ('present', 'late')) FROM activities a",
                "a.cohort_id",
                "AND a.cancelled_at IS NULL"
            );
            sqlx::query_as(sql)
                .bind(within.id())
                .fetch_all(pool)
                .await?
        }
        Db::Postgres(pool) => {
            let sql = within!(
                within,
                "SELECT a.id, (SELECT string_agg(m.enrolment_id::text, ',') FROM attendance m \
                 WHERE m.activity_id = a.id AND m.status IN ('present', 'late')) FROM activities a",
                "a.cohort_id",
                "AND a.cancelled_at IS NULL"
            );
            sqlx::query_as(sql)
                .bind(within.id())
                .fetch_all(pool)
                .await?
        }
    };
    rows.into_iter()
        .filter_map(|(activity, people)| people.map(|p| (activity, p)))
        .map(|(activity, people)| {
            let ids = people
                .split(',')
                .map(str::parse::<Id>)
                .collect::<Result<Vec<Id>, _>>()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok((activity, ids))
        })
        .collect()
}

/// (valid, revoked) certificates.
pub async fn certificates(db: &Db, within: Within) -> sqlx::Result<(i64, i64)> {
    let sql = within!(
        within,
        "SELECT COALESCE(SUM(CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END), 0) FROM certificates",
        "cohort_id",
        ""
    );
    on_pool!(db, |pool| sqlx::query_as(sql)
        .bind(within.id())
        .fetch_one(pool)
        .await)
}
