//! A programme's indicators (wskaźniki): a name, a unit, a baseline and a target, and where the
//! actual value comes from — computed from the results report, or entered by hand.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fold::fold;
use super::participant::{UnknownValue, text_enum};
use super::report::{Count, Report};

text_enum!(
    /// Where an indicator's actual value comes from.
    Source, "indicator_source", {
        Manual => "manual" | "recznie",
        Participants => "participants",
        Officials => "participants_official",
        NgoPeople => "participants_ngo",
        AtRisk => "participants_at_risk",
        GminasReached => "gminas_reached",
        CompleteTeams => "complete_teams",
        ActivityHours => "activity_hours",
        AttendanceRate => "attendance_rate",
        Certificates => "certificates_issued",
        NewTasks => "new_tasks",
        GminasCommissioning => "gminas_commissioning",
        TasksAmount => "tasks_amount_pln",
        CompetenceImproved => "competence_improved",
    }
);

fn count(c: Option<&Count>) -> Option<f64> {
    c.and_then(|c| c.exact()).map(|n| n as f64)
}

impl Source {
    /// The actual value in `report`; `None` for manual indicators and hidden (small) cells.
    pub fn actual(self, report: &Report) -> Option<f64> {
        let p = &report.participants;
        match self {
            Source::Manual => None,
            Source::Participants => count(Some(&p.total)),
            Source::Officials => count(p.by_group.get("official")),
            Source::NgoPeople => count(p.by_group.get("ngo")),
            Source::AtRisk => count(p.by_group.get("at_risk")),
            Source::GminasReached => Some(report.gminas.reached as f64),
            Source::CompleteTeams => Some(report.gminas.complete_teams as f64),
            Source::ActivityHours => Some(report.activities.total_hours),
            Source::AttendanceRate => Some((report.attendance.rate * 1000.0).round() / 10.0),
            Source::Certificates => Some(report.certificates.issued as f64),
            Source::NewTasks => Some(report.commissioned_tasks.new_tasks as f64),
            Source::GminasCommissioning => {
                Some(report.commissioned_tasks.gminas_commissioning as f64)
            }
            Source::TasksAmount => Some(report.commissioned_tasks.total_amount_pln),
            Source::CompetenceImproved => report
                .competence
                .overall
                .share_improved
                .map(|s| (s * 1000.0).round() / 10.0),
        }
    }

    /// The unit the value is in when the indicator does not name one.
    pub fn default_unit(self) -> &'static str {
        match self {
            Source::AttendanceRate | Source::CompetenceImproved => "%",
            Source::ActivityHours => "h",
            Source::TasksAmount => "zł",
            _ => "",
        }
    }
}

/// An indicator with its actual value, as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorLine {
    pub name: String,
    pub unit: String,
    pub source: Source,
    pub baseline: Option<f64>,
    pub target: f64,
    pub actual: Option<f64>,
    /// actual / target (0.0–…); `None` without an actual value or with a zero target.
    pub progress: Option<f64>,
    pub achieved: bool,
}

impl IndicatorLine {
    pub fn new(
        name: String,
        unit: String,
        source: Source,
        baseline: Option<f64>,
        target: f64,
        actual: Option<f64>,
    ) -> IndicatorLine {
        let progress = actual.filter(|_| target != 0.0).map(|a| a / target);
        IndicatorLine {
            achieved: actual.is_some_and(|a| a >= target),
            name,
            unit,
            source,
            baseline,
            target,
            actual,
            progress,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn computed_sources_read_the_report() {
        let mut report = Report::default();
        report.participants.total = Count::Exact(42);
        report.participants.by_group = BTreeMap::from([
            ("official".to_owned(), Count::Exact(14)),
            ("at_risk".to_owned(), Count::Below(3)),
        ]);
        report.commissioned_tasks.new_tasks = 11;
        report.commissioned_tasks.gminas_commissioning = 10;
        report.attendance.rate = 0.8765;
        assert_eq!(Source::Participants.actual(&report), Some(42.0));
        assert_eq!(Source::Officials.actual(&report), Some(14.0));
        assert_eq!(
            Source::AtRisk.actual(&report),
            None,
            "a hidden cell has no value"
        );
        assert_eq!(Source::GminasCommissioning.actual(&report), Some(10.0));
        assert_eq!(Source::AttendanceRate.actual(&report), Some(87.7));
        assert_eq!(Source::Manual.actual(&report), None);
        let line = IndicatorLine::new(
            "Nowe zadania".into(),
            String::new(),
            Source::NewTasks,
            Some(0.0),
            10.0,
            Source::NewTasks.actual(&report),
        );
        assert!(line.achieved);
        assert_eq!(line.progress, Some(1.1));
        let line = IndicatorLine::new(
            "Ręczny".into(),
            String::new(),
            Source::Manual,
            None,
            5.0,
            None,
        );
        assert!(!line.achieved && line.progress.is_none());
        assert_eq!(Source::parse("new_tasks"), Some(Source::NewTasks));
    }
}
