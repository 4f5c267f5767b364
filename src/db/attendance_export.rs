//! The query behind the flat attendance export: every mark of a programme, one row each, streamed
//! from the database in order so that no export ever holds all its rows in memory.

use chrono::{DateTime, Utc};
use rocket::futures::stream::BoxStream;
use sqlx::FromRow;

use super::{Db, Id};
use crate::domain::activity::ActivityKind;
use crate::domain::attendance::Mark;
use crate::domain::participant::Group;
use crate::on_pool;

/// One attendance mark with what a spreadsheet needs beside it.
#[derive(Clone, Debug, FromRow)]
pub struct MarkLine {
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub kind: ActivityKind,
    pub hours_centi: i32,
    pub cohort: String,
    pub gmina_teryt: String,
    pub gmina_name: String,
    pub grp: Group,
    pub enrolment_id: Id,
    pub last_name: String,
    pub first_name: String,
    pub status: Mark,
}

/// Marks of cancelled activities are left out, as in the matrix and the report: they count
/// nowhere; so is a mark whose enrolment belongs to another cohort than its activity (the report
/// ignores those too).
///
/// The query starts from the programme's cohorts and their enrolments: SQLite's UUID columns
/// (numeric affinity) in `activities` and `attendance` cannot look up the TEXT keys of `cohorts`
/// and `enrolments`, so joined from the marks the national synth took 26 s instead of 3. The
/// enrolment's cohort stands for the activity's.
const MARKS_OF_PROGRAMME: &str = "\
    SELECT a.starts_at, a.title, a.kind, a.hours_centi, c.slug AS cohort, e.gmina_teryt, \
           g.name AS gmina_name, e.grp, e.id AS enrolment_id, p.last_name, p.first_name, m.status \
    FROM enrolments e \
    JOIN cohorts c ON c.id = e.cohort_id \
    JOIN attendance m ON m.enrolment_id = e.id \
    JOIN activities a ON a.id = m.activity_id \
    JOIN participants p ON p.id = e.participant_id \
    JOIN gminy g ON g.teryt = e.gmina_teryt \
    WHERE c.programme_id = $1 AND a.cohort_id = e.cohort_id AND a.cancelled_at IS NULL \
    ORDER BY a.starts_at, c.slug, a.id, p.last_name, p.first_name, e.id";

/// Every mark of the programme's non-cancelled activities, by activity start, cohort and name.
/// Rows arrive as the database produces them (one query, one connection held until the stream
/// ends or is dropped).
pub fn marks_of_programme(db: &Db, programme_id: Id) -> BoxStream<'_, sqlx::Result<MarkLine>> {
    on_pool!(db, |pool| sqlx::query_as(MARKS_OF_PROGRAMME)
        .bind(programme_id)
        .fetch(pool))
}
