//! Attendance marks and the maths funders and certificates rely on.
//!
//! Present and late count as attended hours; excused is shown apart and counts as not attended.
//! The rate of an enrolment = attended hours / hours of the non-cancelled activities that have
//! already started and whose roster held the person — so a future activity lowers nobody's rate,
//! and someone with no planned hours yet has no rate (not 0 %).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::activity::ActivityKind;
use super::fold::fold;
use super::participant::{UnknownValue, text_enum};
use crate::db::Id;

text_enum!(
    /// One person's attendance at one activity.
    Mark, "mark", {
        Present => "present" | "obecny" | "obecna" | "obecnosc",
        Late => "late" | "spozniony" | "spozniona" | "spoznienie",
        Excused => "excused" | "usprawiedliwiony" | "usprawiedliwiona" | "usprawiedliwienie",
        Absent => "absent" | "nieobecny" | "nieobecna" | "nieobecnosc",
    }
);

impl Mark {
    /// Whether the hours count as attended.
    pub fn attended(self) -> bool {
        matches!(self, Mark::Present | Mark::Late)
    }
}

/// What the maths needs of an activity.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: Id,
    pub kind: ActivityKind,
    /// Academic hours × 100.
    pub hours_centi: i64,
    pub cancelled: bool,
    /// Whether it has started by the time of the calculation.
    pub started: bool,
    /// Enrolments on its roster.
    pub roster: Vec<Id>,
}

/// Hours of one enrolment, overall and per kind (× 100).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hours {
    pub planned: i64,
    pub attended: i64,
    pub excused: i64,
    /// Sessions counted as planned, and how many of them were marked absent.
    pub sessions: usize,
    pub absences: usize,
}

impl Hours {
    /// attended / planned, or `None` when nothing was planned yet.
    pub fn rate(&self) -> Option<f64> {
        (self.planned > 0).then(|| self.attended as f64 / self.planned as f64)
    }
}

/// An enrolment's attendance summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: Hours,
    pub by_kind: Vec<(ActivityKind, Hours)>,
    /// The longest run of consecutive absences (unmarked counts as absent once the session
    /// has started), in session order.
    pub longest_absence_run: usize,
}

fn add(h: &mut Hours, hours: i64, mark: Option<Mark>) {
    h.planned += hours;
    h.sessions += 1;
    match mark {
        Some(m) if m.attended() => h.attended += hours,
        Some(Mark::Excused) => h.excused += hours,
        _ => h.absences += 1,
    }
}

/// Summaries of `enrolments`: `sessions` in time order, `marks` by (activity, enrolment).
pub fn summarise(
    enrolments: &[Id],
    sessions: &[Session],
    marks: &HashMap<(Id, Id), Mark>,
) -> HashMap<Id, Summary> {
    let mut out: HashMap<Id, Summary> = enrolments
        .iter()
        .map(|e| {
            let by_kind = ActivityKind::ALL
                .iter()
                .map(|k| (*k, Hours::default()))
                .collect();
            (
                *e,
                Summary {
                    by_kind,
                    ..Summary::default()
                },
            )
        })
        .collect();
    let mut runs: HashMap<Id, usize> = HashMap::new();
    for s in sessions.iter().filter(|s| s.started && !s.cancelled) {
        for e in &s.roster {
            let Some(summary) = out.get_mut(e) else {
                continue;
            };
            let mark = marks.get(&(s.id, *e)).copied();
            add(&mut summary.total, s.hours_centi, mark);
            if let Some((_, h)) = summary.by_kind.iter_mut().find(|(k, _)| *k == s.kind) {
                add(h, s.hours_centi, mark);
            }
            let run = runs.entry(*e).or_default();
            if matches!(mark, None | Some(Mark::Absent)) {
                *run += 1;
                summary.longest_absence_run = summary.longest_absence_run.max(*run);
            } else {
                *run = 0;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Id {
        Id(uuid::Uuid::from_u128(n))
    }

    fn session(n: u128, kind: ActivityKind, hours: i64, roster: &[u128]) -> Session {
        Session {
            id: id(n),
            kind,
            hours_centi: hours * 100,
            cancelled: false,
            started: true,
            roster: roster.iter().map(|r| id(*r)).collect(),
        }
    }

    #[test]
    fn present_and_late_count_excused_apart_future_and_cancelled_not_at_all() {
        let (m, g, n) = (1, 2, 3);
        let a = session(10, ActivityKind::Training, 4, &[m, g, n]);
        let b = session(11, ActivityKind::Webinar, 2, &[m, g, n]);
        let mut future = session(12, ActivityKind::Training, 4, &[m, g, n]);
        future.started = false;
        let mut cancelled = session(13, ActivityKind::StudyVisit, 6, &[m, g, n]);
        cancelled.cancelled = true;
        let marks = HashMap::from([
            ((id(10), id(m)), Mark::Present),
            ((id(11), id(m)), Mark::Absent),
            ((id(10), id(g)), Mark::Late),
            ((id(11), id(g)), Mark::Present),
            ((id(10), id(n)), Mark::Excused),
            ((id(13), id(n)), Mark::Present),
        ]);
        let s = summarise(&[id(m), id(g), id(n)], &[a, b, future, cancelled], &marks);
        let rate = |e| s[&id(e)].total.rate().unwrap();
        assert!((rate(m) - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(rate(g), 1.0);
        assert_eq!(rate(n), 0.0, "excused is not attended");
        assert_eq!(s[&id(n)].total.excused, 400);
        assert_eq!(
            s[&id(n)].total.planned,
            600,
            "the cancelled visit counts for nothing"
        );
        let webinar = |e| {
            s[&id(e)]
                .by_kind
                .iter()
                .find(|(k, _)| *k == ActivityKind::Webinar)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(webinar(g).attended, 200);
        assert_eq!(webinar(m).attended, 0);
    }

    #[test]
    fn only_rosters_that_held_the_person_count_and_zero_planned_has_no_rate() {
        let a = session(10, ActivityKind::Coaching, 3, &[1]);
        let s = summarise(&[id(1), id(2)], &[a], &HashMap::new());
        assert_eq!(s[&id(1)].total.planned, 300);
        assert_eq!(
            s[&id(1)].total.rate(),
            Some(0.0),
            "unmarked counts as not attended"
        );
        assert_eq!(s[&id(2)].total.planned, 0);
        assert_eq!(s[&id(2)].total.rate(), None);
    }

    #[test]
    fn consecutive_absences_are_counted_in_order() {
        let sessions: Vec<Session> = (0..5)
            .map(|i| session(10 + i, ActivityKind::Training, 1, &[1]))
            .collect();
        let marks = HashMap::from([
            ((id(10), id(1)), Mark::Absent),
            ((id(11), id(1)), Mark::Present),
            ((id(12), id(1)), Mark::Absent),
            ((id(13), id(1)), Mark::Absent),
        ]);
        let s = summarise(&[id(1)], &sessions, &marks);
        assert_eq!(
            s[&id(1)].longest_absence_run,
            3,
            "two marked absences and one unmarked in a row"
        );
    }

    #[test]
    fn marks_parse_in_polish_and_english() {
        assert_eq!(Mark::parse("Obecna"), Some(Mark::Present));
        assert_eq!(Mark::parse("late"), Some(Mark::Late));
        assert_eq!(Mark::parse("usprawiedliwiony"), Some(Mark::Excused));
        assert_eq!(Mark::parse("sleeping"), None);
    }
}
