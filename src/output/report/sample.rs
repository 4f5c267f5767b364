//! A small hand-made report for the tests of every output: a hidden cell, Polish diacritics.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};

use super::KINDS;
use crate::domain::report::*;

pub(crate) const PROGRAMME: &str = "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji";

/// A small report with a hidden cell and Polish diacritics.
pub(crate) fn sample() -> Report {
    let by_group: BTreeMap<String, Count> = [
        ("official", Count::Exact(14)),
        ("ngo", Count::Exact(13)),
        ("at_risk", Count::Below(3)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let by_sex = [("F", 20), ("M", 9)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Count::Exact(v)))
        .collect();
    let kind = |count, hours, cancelled| KindStats {
        count,
        hours,
        cancelled,
    };
    let tally = |key: &str, label: &str, count, amount_pln| Tally {
        key: key.into(),
        label: label.into(),
        count,
        amount_pln,
    };
    Report {
        scope: Scope {
            kind: "cohort".into(),
            slug: "warnik-2021".into(),
            name: "Edycja 2021–2022".into(),
            programme: PROGRAMME.into(),
            funder: "Fundusz Regionalny – Aktywni Obywatele".into(),
            starts_on: NaiveDate::from_ymd_opt(2021, 3, 1),
            ends_on: NaiveDate::from_ymd_opt(2022, 6, 30),
            cohorts: 1,
            generated_at: Utc.with_ymd_and_hms(2022, 7, 15, 8, 5, 0).single(),
            suppressed: true,
            threshold: 3,
        },
        participants: Participants {
            total: Count::Exact(29),
            by_group,
            by_sex,
            breakdown: vec![
                Breakdown {
                    group: "at_risk".into(),
                    sex: "F".into(),
                    age_band: "60+".into(),
                    count: Count::Below(3),
                },
                Breakdown {
                    group: "official".into(),
                    sex: "M".into(),
                    age_band: "30-44".into(),
                    count: Count::Exact(9),
                },
            ],
            withdrawn: Count::Exact(1),
        },
        gminas: Gminas {
            reached: 2,
            complete_teams: 1,
            list: vec![
                GminaLine {
                    teryt: "3026052".into(),
                    name: "Śrem".into(),
                    powiat: "śremski".into(),
                    official: Count::Exact(7),
                    ngo: Count::Exact(7),
                    at_risk: Count::Below(3),
                    complete: true,
                    new_tasks: 2,
                },
                GminaLine {
                    teryt: "3013012".into(),
                    name: "Krzemieniewo".into(),
                    powiat: "leszczyński".into(),
                    official: Count::Exact(7),
                    ngo: Count::Exact(6),
                    at_risk: Count::Exact(0),
                    complete: false,
                    new_tasks: 0,
                },
            ],
        },
        activities: Activities {
            by_kind: [
                ("training", kind(6, 48.0, 1)),
                ("study_visit", kind(2, 13.33, 0)),
                ("webinar", kind(4, 8.0, 0)),
                ("coaching", kind(3, 4.5, 0)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            total_count: 15,
            total_hours: 73.83,
        },
        attendance: Attendance {
            rate: 0.8765,
            by_group: [
                ("official", Some(0.91)),
                ("ngo", Some(0.85)),
                ("at_risk", None),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            by_kind: KINDS.iter().map(|k| (k.to_string(), Some(0.8))).collect(),
            attended_hours: 1262.5,
            planned_hours: 1440.0,
            at_or_above_80: Count::Exact(22),
        },
        certificates: Certificates {
            issued: 21,
            revoked: 1,
        },
        commissioned_tasks: Tasks {
            gminas_commissioning: 1,
            new_tasks: 2,
            commissioned: 2,
            in_preparation: 1,
            total_amount_pln: 84393.0,
            by_sphere: vec![tally(
                "10",
                "działalność na rzecz osób w wieku emerytalnym",
                2,
                84393.0,
            )],
            by_mode: vec![tally(
                "ART19A_MALE_GRANTY",
                "Tryb pozakonkursowy – „małe granty”",
                2,
                84393.0,
            )],
            by_target_group: vec![tally("seniors", "seniorzy", 2, 84393.0)],
            list: vec![TaskLine {
                gmina: "3026052".into(),
                gmina_name: "Śrem".into(),
                title: "Klub seniora „Złota jesień” w Śremie".into(),
                sphere: "10".into(),
                sphere_label: "działalność na rzecz osób w wieku emerytalnym".into(),
                mode: "ART19A_MALE_GRANTY".into(),
                mode_name: "Tryb pozakonkursowy – „małe granty”".into(),
                contractor: "Stowarzyszenie Żółty Żuraw".into(),
                amount_pln: Some(84393.0),
                commissioned_on: NaiveDate::from_ymd_opt(2022, 9, 1).unwrap(),
                status: "commissioned".into(),
                is_new: true,
                target_groups: vec!["seniors".into(), "integration".into()],
            }],
        },
        competence: CompetenceChange {
            overall: line(Count::Exact(20), 15, 2.9, 3.85),
            by_group: BTreeMap::from([
                ("official".to_owned(), line(Count::Exact(9), 7, 3.1, 4.0)),
                ("ngo".to_owned(), line(Count::Exact(11), 8, 2.74, 3.73)),
                (
                    "at_risk".to_owned(),
                    CompetenceLine::hidden(Count::Below(3)),
                ),
            ]),
            items: vec![CompetenceItem {
                text: "Wiem, jak złożyć wniosek o małą dotację".into(),
                groups: Vec::new(),
                people: Count::Exact(20),
                mean_pre: Some(2.5),
                mean_post: Some(3.95),
                mean_change: Some(1.45),
            }],
        },
        indicators: vec![crate::domain::indicator::IndicatorLine::new(
            "Gminy zlecające nowe zadania".into(),
            "gminy".into(),
            crate::domain::indicator::Source::GminasCommissioning,
            Some(0.0),
            8.0,
            Some(1.0),
        )],
    }
}

fn line(people: Count, improved: i64, pre: f64, post: f64) -> CompetenceLine {
    let n = people.exact().unwrap_or(1) as f64;
    CompetenceLine {
        people,
        improved: Count::Exact(improved),
        mean_pre: Some(pre),
        mean_post: Some(post),
        mean_change: Some(post - pre),
        share_improved: Some(improved as f64 / n),
    }
}
