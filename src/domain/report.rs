//! The results report funders receive, as plain data: computed once (service::reports) and
//! rendered as JSON, CSV, XLSX, PDF and HTML. Serialised, it is the JSON of CONTRACT.md.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Serialize, Serializer};

/// A count that funder-facing outputs may hide when it is small: `Below(3)` is shown as "<3".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Exact(i64),
    /// Hidden: between 1 and the threshold minus one.
    Below(i64),
    /// Hidden although not small, because a hidden small cell could otherwise be worked out
    /// from it and the total (complementary suppression); shown as "*".
    Withheld,
}

impl Count {
    /// `n` hidden when it is at least 1 and below `threshold` (and `suppress` is on).
    pub fn new(n: i64, suppress: bool, threshold: i64) -> Count {
        if suppress && n > 0 && n < threshold {
            Count::Below(threshold)
        } else {
            Count::Exact(n)
        }
    }

    /// The number, when it is shown.
    pub fn exact(self) -> Option<i64> {
        match self {
            Count::Exact(n) => Some(n),
            Count::Below(_) | Count::Withheld => None,
        }
    }

    /// `14`, `<3` or `*`.
    pub fn text(self) -> String {
        match self {
            Count::Exact(n) => n.to_string(),
            Count::Below(t) => format!("<{t}"),
            Count::Withheld => "*".to_owned(),
        }
    }

    pub fn hidden(self) -> bool {
        !matches!(self, Count::Exact(_))
    }
}

/// Complementary suppression over `cells` that add up to a total the reader sees: when exactly one
/// of them is hidden as small, it could be worked out by subtraction, so the smallest other
/// non-zero cell is withheld too (two hidden cells only tell their sum). Returns whether it
/// withheld one.
pub fn complement(cells: &mut [&mut Count]) -> bool {
    if cells
        .iter()
        .filter(|c| matches!(**c, Count::Below(_)))
        .count()
        != 1
        || cells.iter().any(|c| matches!(**c, Count::Withheld))
    {
        return false;
    }
    let smallest = cells
        .iter_mut()
        .filter_map(|c| match **c {
            Count::Exact(n) if n > 0 => Some((n, c)),
            _ => None,
        })
        .min_by_key(|(n, _)| *n);
    match smallest {
        Some((_, c)) => {
            **c = Count::Withheld;
            true
        }
        None => false,
    }
}

impl Default for Count {
    fn default() -> Self {
        Count::Exact(0)
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Exact(n) => s.serialize_i64(*n),
            Count::Below(_) | Count::Withheld => s.serialize_str(&self.text()),
        }
    }
}

/// What the report is about.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scope {
    /// `cohort` or `programme`.
    pub kind: String,
    pub slug: String,
    pub name: String,
    pub programme: String,
    pub funder: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Cohorts covered (1 for a cohort report).
    pub cohorts: i64,
    pub generated_at: Option<DateTime<Utc>>,
    /// Whether small cells about at-risk participants are hidden (funder-facing), and below what.
    pub suppressed: bool,
    pub threshold: i64,
}

/// One cell of participants by group × sex × age band.
#[derive(Clone, Debug, Serialize)]
pub struct Breakdown {
    /// `official`, `ngo`, `at_risk`.
    pub group: String,
    /// `F`, `M` or `unknown`.
    pub sex: String,
    /// `18-29`, `30-44`, `45-59`, `60+` or `unknown` (by birth year at the start of the scope).
    pub age_band: String,
    pub count: Count,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Participants {
    pub total: Count,
    /// Keys `official`, `ngo`, `at_risk` (all three always present).
    pub by_group: BTreeMap<String, Count>,
    /// Keys `F`, `M`, `unknown`.
    pub by_sex: BTreeMap<String, Count>,
    pub breakdown: Vec<Breakdown>,
    pub withdrawn: Count,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct GminaLine {
    pub teryt: String,
    pub name: String,
    pub powiat: String,
    pub official: Count,
    pub ngo: Count,
    pub at_risk: Count,
    /// An official, an NGO person and an at-risk person.
    pub complete: bool,
    pub new_tasks: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Gminas {
    pub reached: i64,
    pub complete_teams: i64,
    pub list: Vec<GminaLine>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct KindStats {
    /// Activities held or planned (not cancelled).
    pub count: i64,
    /// Academic hours of those activities.
    pub hours: f64,
    pub cancelled: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Activities {
    /// Keys `training`, `study_visit`, `webinar`, `coaching` (all four always present).
    pub by_kind: BTreeMap<String, KindStats>,
    pub total_count: i64,
    pub total_hours: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Attendance {
    /// Attended / planned hours over everyone (0.0–1.0; 0 when nothing was held).
    pub rate: f64,
    /// Per group and per kind; `null` when nothing was planned.
    pub by_group: BTreeMap<String, Option<f64>>,
    pub by_kind: BTreeMap<String, Option<f64>>,
    pub attended_hours: f64,
    pub planned_hours: f64,
    /// People at or above 80 %.
    pub at_or_above_80: Count,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Certificates {
    /// Valid certificates.
    pub issued: i64,
    pub revoked: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Tally {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub amount_pln: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TaskLine {
    pub gmina: String,
    pub gmina_name: String,
    pub title: String,
    pub sphere: String,
    pub sphere_label: String,
    pub mode: String,
    pub mode_name: String,
    pub contractor: String,
    pub amount_pln: Option<f64>,
    pub commissioned_on: NaiveDate,
    pub status: String,
    pub is_new: bool,
    pub target_groups: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Tasks {
    /// Distinct gminas with at least one new commissioned (or completed) task.
    pub gminas_commissioning: i64,
    /// New tasks commissioned or completed.
    pub new_tasks: i64,
    /// All tasks commissioned or completed (new or not).
    pub commissioned: i64,
    /// Planned or announced, not yet commissioned.
    pub in_preparation: i64,
    /// Amount of the commissioned (or completed) tasks.
    pub total_amount_pln: f64,
    pub by_sphere: Vec<Tally>,
    pub by_mode: Vec<Tally>,
    pub by_target_group: Vec<Tally>,
    pub list: Vec<TaskLine>,
}

/// The competence change of one group (or of everyone) as the report shows it: means on the
/// 1–5 scale, `share_improved` from 0 to 1; `None` when nobody counted or the group is hidden.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CompetenceLine {
    /// People who answered before and after.
    pub people: Count,
    /// Of them, people whose mean after is higher than before.
    pub improved: Count,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub mean_change: Option<f64>,
    pub share_improved: Option<f64>,
}

impl CompetenceLine {
    /// The same line with its people hidden as `people` says, and then its means too.
    pub fn hidden(people: Count) -> CompetenceLine {
        CompetenceLine {
            people,
            improved: people,
            ..CompetenceLine::default()
        }
    }
}

/// The change on one questionnaire item.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CompetenceItem {
    pub text: String,
    /// Groups asked (`official`, `ngo`, `at_risk`); empty = everyone.
    pub groups: Vec<String>,
    pub people: Count,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub mean_change: Option<f64>,
}

/// Competence surveys: before/after self-assessment, overall, by group and per item.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CompetenceChange {
    pub overall: CompetenceLine,
    /// Keys `official`, `ngo`, `at_risk` (all three always present).
    pub by_group: BTreeMap<String, CompetenceLine>,
    pub items: Vec<CompetenceItem>,
}

/// The whole report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub scope: Scope,
    pub participants: Participants,
    pub gminas: Gminas,
    pub activities: Activities,
    pub attendance: Attendance,
    pub certificates: Certificates,
    pub commissioned_tasks: Tasks,
    pub competence: CompetenceChange,
    /// The programme's indicators, target against actual.
    pub indicators: Vec<crate::domain::indicator::IndicatorLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_only_when_asked() {
        assert_eq!(Count::new(2, true, 3), Count::Below(3));
        assert_eq!(Count::new(0, true, 3), Count::Exact(0));
        assert_eq!(Count::new(3, true, 3), Count::Exact(3));
        assert_eq!(Count::new(2, false, 3), Count::Exact(2));
        assert_eq!(serde_json::to_string(&Count::Below(3)).unwrap(), "\"<3\"");
        assert_eq!(serde_json::to_string(&Count::Exact(14)).unwrap(), "14");
        assert_eq!(Count::Below(5).text(), "<5");
        assert_eq!(serde_json::to_string(&Count::Withheld).unwrap(), "\"*\"");
    }

    #[test]
    fn one_hidden_cell_of_a_known_total_takes_the_smallest_other_with_it() {
        let (mut a, mut b, mut c) = (Count::Exact(5), Count::Exact(3), Count::Below(3));
        assert!(complement(&mut [&mut a, &mut b, &mut c]));
        assert_eq!(
            (a, b, c),
            (Count::Exact(5), Count::Withheld, Count::Below(3))
        );
        // already two hidden: their sum is all one learns
        let (mut a, mut b, mut c) = (Count::Exact(5), Count::Below(3), Count::Below(3));
        assert!(!complement(&mut [&mut a, &mut b, &mut c]));
        assert_eq!(a, Count::Exact(5));
        // zeros are not worth hiding, and nothing hidden means nothing to protect
        let (mut a, mut b) = (Count::Exact(0), Count::Below(3));
        assert!(!complement(&mut [&mut a, &mut b]));
        let (mut a, mut b) = (Count::Exact(4), Count::Exact(1));
        assert!(!complement(&mut [&mut a, &mut b]));
    }
}
