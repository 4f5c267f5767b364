//! Marking attendance and reading it back: who may mark (the activity's trainers and the
//! programme's coordinators), when (from an hour before the start until the cohort's marking
//! window after the end; later only a coordinator, with a reason), every change audited, and the
//! cohort's attendance summaries.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::db::attendance::{self as db_attendance, MarkRow};
use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments::EnrolmentRow;
use crate::db::evidence::{self as db_evidence, Evidence, Kind};
use crate::db::programmes::Cohort;
use crate::db::users::User;
use crate::db::{Db, Id, activities as db_activities};
use crate::domain::Role;
use crate::domain::attendance::{Mark, Session, Summary, summarise};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::Msg;
use crate::service::activities::{Access, ActivityView, RosterBook, activity_with_book};
use crate::service::evidence;
use crate::service::programmes::cohort_for;

/// How long before the start marking opens.
pub const OPENS_BEFORE: Duration = Duration::hours(1);

/// Where an activity stands for marking at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Earlier than an hour before the start: nobody marks yet.
    NotYet,
    /// Trainers and coordinators mark.
    Open,
    /// After the window: only a coordinator, with a reason.
    Closed,
}

pub fn window(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    days_after: i32,
    now: DateTime<Utc>,
) -> Window {
    if now < starts_at - OPENS_BEFORE {
        Window::NotYet
    } else if now > ends_at + Duration::days(i64::from(days_after.max(0))) {
        Window::Closed
    } else {
        Window::Open
    }
}

/// An activity with its roster and marks, for the marking page and the API.
pub struct Sheet {
    pub cohort: Cohort,
    pub view: ActivityView,
    pub access: Access,
    pub roster: Vec<EnrolmentRow>,
    pub marks: HashMap<Id, MarkRow>,
    pub window: Window,
    pub marking_days: i32,
}

impl Sheet {
    /// Whether this user may mark now (a coordinator after the window: with a reason).
    pub fn can_mark(&self) -> bool {
        self.view.activity.cancelled_at.is_none()
            && match self.window {
                Window::Open => true,
                Window::Closed => self.access == Access::Manage,
                Window::NotYet => false,
            }
    }

    pub fn needs_reason(&self) -> bool {
        self.window == Window::Closed && self.access == Access::Manage
    }
}

/// The activity for attendance: its coordinators and trainers; another activity's trainer and
/// funders get 403.
async fn access(
    db: &Db,
    user: &User,
    id: Id,
) -> AppResult<(Cohort, ActivityView, Access, RosterBook)> {
    match activity_with_book(db, user, id).await {
        Err(AppError::NotFound)
            if user.role == Role::Trainer && db_activities::find(db, id).await?.is_some() =>
        {
            Err(AppError::Forbidden)
        }
        other => other,
    }
}

pub async fn sheet(db: &Db, user: &User, id: Id) -> AppResult<Sheet> {
    let (cohort, view, access, book) = access(db, user, id).await?;
    let on_roster: std::collections::HashSet<Id> = view.roster.iter().copied().collect();
    let roster: Vec<EnrolmentRow> = book
        .enrolments
        .into_iter()
        .filter(|e| on_roster.contains(&e.id))
        .collect();
    let marks = db_attendance::for_activity(db, id)
        .await?
        .into_iter()
        .map(|m| (m.enrolment_id, m))
        .collect();
    let marking_days = cohort.marking_days;
    let window = window(
        view.activity.starts_at,
        view.activity.ends_at,
        marking_days,
        Utc::now(),
    );
    Ok(Sheet {
        cohort,
        view,
        access,
        roster,
        marks,
        window,
        marking_days,
    })
}

/// One mark as given.
#[derive(Clone, Debug)]
pub struct MarkInput {
    pub enrolment: Id,
    pub status: Mark,
}

/// Sets the given people's marks (others stay as they are). Everyone must be on the roster; the
/// whole request is refused otherwise. Returns how many marks changed.
pub async fn mark(
    db: &Db,
    user: &User,
    id: Id,
    marks: &[MarkInput],
    reason: Option<&str>,
) -> AppResult<usize> {
    let sheet = sheet(db, user, id).await?;
    if sheet.view.activity.cancelled_at.is_some() {
        return Err(crate::error::invalid("activity", "err.marking_cancelled"));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match sheet.window {
        Window::NotYet => return Err(crate::error::invalid("activity", "err.marking_not_yet")),
        Window::Closed if sheet.access != Access::Manage => return Err(AppError::Forbidden),
        Window::Closed if reason.is_none() => {
            return Err(crate::error::invalid("reason", "err.marking_reason"));
        }
        _ => {}
    }
    let mut errors = ValidationErrors::new();
    let mut wanted: Vec<(Id, Mark)> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        if !sheet.roster.iter().any(|e| e.id == m.enrolment) {
            errors.add(
                &format!("[{i}].enrolment"),
                Msg::new("err.not_on_roster").arg("id", m.enrolment),
            );
            continue;
        }
        wanted.retain(|(e, _)| *e != m.enrolment);
        wanted.push((m.enrolment, m.status));
    }
    errors.into_result()?;
    let mut tx = db.begin().await?;
    let before: HashMap<Id, Mark> = db_attendance::current(&mut tx, id)
        .await?
        .into_iter()
        .collect();
    let changed: Vec<(Id, Mark)> = wanted
        .into_iter()
        .filter(|(e, m)| before.get(e) != Some(m))
        .collect();
    if changed.is_empty() {
        return Ok(0);
    }
    db_attendance::upsert(&mut tx, id, &changed, user.id).await?;
    let mut was = Map::new();
    let mut now = Map::new();
    for (e, m) in &changed {
        was.insert(
            e.to_string(),
            before.get(e).map_or(Value::Null, |b| json!(b.as_str())),
        );
        now.insert(e.to_string(), json!(m.as_str()));
    }
    if let Some(reason) = reason {
        now.insert("reason".to_owned(), json!(reason));
    }
    let change = Change {
        action: "attendance.mark",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: Some(Value::Object(was)),
        after: Some(Value::Object(now)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(changed.len())
}

/// The cohort's enrolments with their attendance, for coordinators.
pub struct CohortAttendance {
    pub cohort: Cohort,
    pub views: Vec<ActivityView>,
    pub enrolments: Vec<EnrolmentRow>,
    pub summaries: HashMap<Id, Summary>,
    pub marks: HashMap<(Id, Id), Mark>,
}

impl CohortAttendance {
    /// The activities that have taken place: started and not cancelled.
    pub fn held(&self) -> Vec<&ActivityView> {
        let now = Utc::now();
        self.views
            .iter()
            .filter(|v| !v.cancelled() && v.activity.starts_at <= now)
            .collect()
    }
}

pub async fn cohort(db: &Db, user: &User, cohort_key: &str) -> AppResult<CohortAttendance> {
    load_cohort(db, cohort_for(db, user, cohort_key).await?).await
}

/// `cohort` for a cohort already authorised (or for the command line).
pub async fn load_cohort(db: &Db, cohort: Cohort) -> AppResult<CohortAttendance> {
    let book = RosterBook::load(db, cohort.id).await?;
    let views: Vec<ActivityView> = db_activities::list_for_cohort(db, cohort.id)
        .await?
        .into_iter()
        .map(|a| book.view(a))
        .collect();
    let now = Utc::now();
    let sessions: Vec<Session> = views
        .iter()
        .map(|v| Session {
            id: v.activity.id,
            kind: v.activity.kind,
            hours_centi: i64::from(v.activity.hours_centi),
            cancelled: v.cancelled(),
            started: v.activity.starts_at <= now,
            roster: v.roster.clone(),
        })
        .collect();
    let marks: HashMap<(Id, Id), Mark> = db_attendance::in_cohort(db, cohort.id)
        .await?
        .into_iter()
        .map(|(a, e, m)| ((a, e), m))
        .collect();
    let ids: Vec<Id> = book.enrolments.iter().map(|e| e.id).collect();
    let summaries = summarise(&ids, &sessions, &marks);
    Ok(CohortAttendance {
        cohort,
        views,
        enrolments: book.enrolments,
        summaries,
        marks,
    })
}

pub use crate::service::evidence::MAX_EVIDENCE_BYTES;

/// Stores a scan of the signed list (its trainers and coordinators); earlier scans are kept.
pub async fn upload_evidence(
    db: &Db,
    user: &User,
    id: Id,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Evidence> {
    access(db, user, id).await?;
    evidence::store(db, user, Kind::Attendance, id, file_name, bytes).await
}

/// An activity's scans, newest first.
pub async fn evidence(db: &Db, user: &User, id: Id) -> AppResult<Vec<Evidence>> {
    access(db, user, id).await?;
    Ok(db_evidence::list(db, Kind::Attendance, id).await?)
}

/// One scan with its bytes, for whoever may see its activity.
pub async fn evidence_file(
    db: &Db,
    user: &User,
    evidence_id: Id,
) -> AppResult<(Evidence, Vec<u8>)> {
    let Some(meta) = db_evidence::find(db, Kind::Attendance, evidence_id).await? else {
        return Err(match user.role {
            Role::Funder => AppError::Forbidden,
            _ => AppError::NotFound,
        });
    };
    access(db, user, meta.owner_id).await?;
    evidence::with_content(db, Kind::Attendance, meta).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_marking_window() {
        let (start, end) = (t("2027-03-10T09:00:00Z"), t("2027-03-10T12:00:00Z"));
        assert_eq!(
            window(start, end, 14, t("2027-03-10T07:59:00Z")),
            Window::NotYet
        );
        assert_eq!(
            window(start, end, 14, t("2027-03-10T08:00:00Z")),
            Window::Open
        );
        assert_eq!(
            window(start, end, 14, t("2027-03-24T12:00:00Z")),
            Window::Open
        );
        assert_eq!(
            window(start, end, 14, t("2027-03-24T12:01:00Z")),
            Window::Closed
        );
        assert_eq!(
            window(start, end, 0, t("2027-03-10T12:01:00Z")),
            Window::Closed
        );
    }
}
