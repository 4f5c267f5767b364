//! The results report as files a funder opens: CSV for Excel and XLSX (`sheets`), an A4 PDF
//! (`document`). Every output, the HTML page too, is drawn from the same labelled tables built
//! here, so the numbers and their words agree everywhere.

mod cell;
mod document;
#[cfg(test)]
pub(crate) mod sample;
mod sheets;

use chrono_tz::Europe::Warsaw;

use crate::domain::activity::plain_date;
use crate::domain::report::{CompetenceLine, Count, Report, Tally};
use crate::i18n::{Lang, exists, t, tf, tn};

pub use cell::{
    Cell, change, decimal, hours, money, money_headline, number, percent, whole_percent,
};
pub use document::pdf;
pub use sheets::{csv, xlsx};

/// Participant groups in the order every table shows them.
pub const GROUPS: [&str; 3] = ["official", "ngo", "at_risk"];
/// Kinds of activity in the order every table shows them.
pub const KINDS: [&str; 4] = ["training", "study_visit", "webinar", "coaching"];
const SEXES: [&str; 3] = ["F", "M", "unknown"];

/// A titled table; `total` is a last row that sums up the others.
#[derive(Clone, Debug)]
pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
}

/// A part of the report: a sheet of the workbook.
#[derive(Clone, Debug)]
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub tables: Vec<Table>,
}

pub fn group_label(lang: Lang, group: &str) -> String {
    t(lang, &format!("group.{group}"))
}

pub fn kind_label(lang: Lang, kind: &str) -> String {
    t(lang, &format!("activity_kind.{kind}"))
}

fn sex_label(lang: Lang, sex: &str) -> String {
    match sex {
        "F" | "M" => t(lang, &format!("sex.{sex}")),
        _ => t(lang, "results.not_given"),
    }
}

fn age_label(lang: Lang, band: &str) -> String {
    match band {
        "unknown" | "" => t(lang, "results.not_given"),
        band => band.replace('-', "–"),
    }
}

/// A target group's name in `lang` when we have it, else the label the report carries.
fn tally_label(lang: Lang, prefix: &str, tally: &Tally) -> String {
    let key = format!("{prefix}.{}", tally.key);
    if !prefix.is_empty() && exists(&key) {
        t(lang, &key)
    } else if tally.label.is_empty() {
        tally.key.clone()
    } else {
        tally.label.clone()
    }
}

/// "WARNiK 2021–2022" for a cohort, "cały program (3 edycje)" for a programme.
pub fn scope_name(report: &Report, lang: Lang) -> String {
    let s = &report.scope;
    if s.kind == "cohort" {
        s.name.clone()
    } else {
        format!(
            "{} ({})",
            t(lang, "results.whole_programme"),
            tn(lang, "results.cohorts_n", s.cohorts)
        )
    }
}

/// What the report covers, as label and text pairs.
pub fn scope_facts(report: &Report, lang: Lang) -> Vec<(String, String)> {
    let s = &report.scope;
    let mut facts = vec![
        (t(lang, "results.programme"), s.programme.clone()),
        (t(lang, "results.scope"), scope_name(report, lang)),
    ];
    if !s.funder.is_empty() {
        facts.push((t(lang, "results.funder"), s.funder.clone()));
    }
    let period = match (s.starts_on, s.ends_on) {
        (Some(a), Some(b)) => format!("{} – {}", plain_date(a, lang), plain_date(b, lang)),
        (Some(a), None) => plain_date(a, lang),
        _ => "—".to_owned(),
    };
    facts.push((t(lang, "results.period"), period));
    if let Some(at) = s.generated_at {
        let local = at.with_timezone(&Warsaw);
        let text = format!(
            "{}, {}",
            plain_date(local.date_naive(), lang),
            local.format("%H:%M")
        );
        facts.push((t(lang, "results.generated"), text));
    }
    facts
}

/// The note under the scope when small cells are hidden.
pub fn suppression_note(report: &Report, lang: Lang) -> Option<String> {
    let s = &report.scope;
    s.suppressed.then(|| {
        tf(
            lang,
            "results.suppressed",
            &[("n", s.threshold.to_string())],
        )
    })
}

/// The key figures: label and value, the summary sheet's rows.
pub fn figures(report: &Report, lang: Lang) -> Vec<(String, Cell)> {
    let p = &report.participants;
    let of_whom = |label: String| tf(lang, "results.f.of_whom", &[("what", label)]);
    let mut rows = vec![(t(lang, "results.f.participants"), Cell::count(p.total))];
    for g in GROUPS {
        let c = p.by_group.get(g).copied().unwrap_or_default();
        rows.push((of_whom(group_label(lang, g)), Cell::count(c)));
    }
    for s in SEXES {
        if let Some(c) = p.by_sex.get(s) {
            rows.push((of_whom(sex_label(lang, s)), Cell::count(*c)));
        }
    }
    rows.push((t(lang, "results.f.withdrawn"), Cell::count(p.withdrawn)));
    let g = &report.gminas;
    rows.push((t(lang, "results.f.gminas"), Cell::Count(g.reached)));
    rows.push((t(lang, "results.f.complete"), Cell::Count(g.complete_teams)));
    let a = &report.activities;
    rows.push((t(lang, "results.f.activities"), Cell::Count(a.total_count)));
    rows.push((t(lang, "results.f.hours"), Cell::Hours(a.total_hours)));
    let at = &report.attendance;
    rows.push((t(lang, "results.f.rate"), Cell::Rate(Some(at.rate))));
    rows.push((t(lang, "results.f.at_80"), Cell::count(at.at_or_above_80)));
    rows.push((
        t(lang, "results.f.attended"),
        Cell::Hours(at.attended_hours),
    ));
    rows.push((t(lang, "results.f.planned"), Cell::Hours(at.planned_hours)));
    let c = &report.certificates;
    rows.push((t(lang, "results.f.certificates"), Cell::Count(c.issued)));
    rows.push((t(lang, "results.f.revoked"), Cell::Count(c.revoked)));
    let k = &report.commissioned_tasks;
    rows.push((t(lang, "results.f.new_tasks"), Cell::Count(k.new_tasks)));
    rows.push((
        t(lang, "results.f.gminas_commissioning"),
        Cell::Count(k.gminas_commissioning),
    ));
    rows.push((
        t(lang, "results.f.commissioned"),
        Cell::Count(k.commissioned),
    ));
    rows.push((
        t(lang, "results.f.in_preparation"),
        Cell::Count(k.in_preparation),
    ));
    rows.push((t(lang, "results.f.amount"), Cell::Money(k.total_amount_pln)));
    let c = &report.competence.overall;
    rows.push((t(lang, "results.f.surveyed"), Cell::count(c.people)));
    rows.push((
        t(lang, "results.f.mean_change"),
        Cell::Change(c.mean_change),
    ));
    rows.push((t(lang, "results.f.improved"), Cell::Rate(c.share_improved)));
    let achieved = report.indicators.iter().filter(|i| i.achieved).count();
    if !report.indicators.is_empty() {
        rows.push((
            t(lang, "results.f.indicators_achieved"),
            Cell::Text(format!("{achieved} / {}", report.indicators.len())),
        ));
    }
    rows
}

/// A headline number with what it counts and, maybe, a line of detail: the cards of the page
/// and the boxes at the top of the PDF.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub detail: Option<String>,
}

/// The eight headline numbers, in reading order.
pub fn key_figures(report: &Report, lang: Lang) -> Vec<KeyFigure> {
    let figure = |key: &str, value: String, detail: Option<String>| KeyFigure {
        label: t(lang, &format!("results.kf.{key}")),
        value,
        detail,
    };
    let p = &report.participants;
    let groups: Vec<String> = GROUPS
        .iter()
        .map(|g| {
            let c = p.by_group.get(*g).copied().unwrap_or_default();
            format!(
                "{}\u{a0}{}",
                t(lang, &format!("results.short.{g}")),
                c.text()
            )
        })
        .collect();
    let at = &report.attendance;
    let k = &report.commissioned_tasks;
    let revoked = report.certificates.revoked;
    let c = &report.competence.overall;
    vec![
        figure(
            "participants",
            Cell::count(p.total).text(lang),
            Some(groups.join(" · ")),
        ),
        figure(
            "gminas",
            number(report.gminas.reached, lang),
            Some(tn(
                lang,
                "results.kf.complete_n",
                report.gminas.complete_teams,
            )),
        ),
        figure(
            "activities",
            number(report.activities.total_count, lang),
            Some(tf(
                lang,
                "results.kf.hours_of",
                &[("hours", hours(report.activities.total_hours, lang))],
            )),
        ),
        figure(
            "attendance",
            percent(at.rate, lang),
            Some(tf(
                lang,
                "results.kf.at_80",
                &[("n", at.at_or_above_80.text())],
            )),
        ),
        figure(
            "certificates",
            number(report.certificates.issued, lang),
            (revoked > 0).then(|| tn(lang, "results.kf.revoked_n", revoked)),
        ),
        figure(
            "new_tasks",
            number(k.new_tasks, lang),
            Some(tn(lang, "results.kf.gminas_n", k.gminas_commissioning)),
        ),
        figure(
            "amount",
            money_headline(k.total_amount_pln, lang),
            Some(tn(lang, "results.kf.tasks_n", k.commissioned)),
        ),
        figure(
            "competence",
            Cell::Change(c.mean_change).text(lang),
            c.share_improved.map(|share| {
                tf(
                    lang,
                    "results.kf.improved",
                    &[("share", percent(share, lang)), ("n", c.people.text())],
                )
            }),
        ),
    ]
}

fn headers(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| t(lang, &format!("results.h.{k}")))
        .collect()
}

fn table(id: &'static str, lang: Lang, heads: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        id,
        title: t(lang, &format!("results.t.{id}")),
        headers: headers(lang, heads),
        rows,
        total: None,
    }
}

fn section(id: &'static str, lang: Lang, tables: Vec<Table>) -> Section {
    Section {
        id,
        title: t(lang, &format!("results.s.{id}")),
        tables,
    }
}

fn total(lang: Lang, cells: Vec<Cell>) -> Option<Vec<Cell>> {
    let mut row = vec![Cell::Text(t(lang, "results.h.total"))];
    row.extend(cells);
    Some(row)
}

/// Participants by group, by sex, and by group × sex × age band.
pub fn participant_tables(report: &Report, lang: Lang) -> Vec<Table> {
    let p = &report.participants;
    let count = |m: &std::collections::BTreeMap<String, Count>, k: &str| {
        Cell::count(m.get(k).copied().unwrap_or_default())
    };
    let mut by_group = table(
        "by_group",
        lang,
        &["group", "people"],
        GROUPS
            .iter()
            .map(|g| vec![Cell::Text(group_label(lang, g)), count(&p.by_group, g)])
            .collect(),
    );
    by_group.total = total(lang, vec![Cell::count(p.total)]);
    let by_sex = table(
        "by_sex",
        lang,
        &["sex", "people"],
        SEXES
            .iter()
            .filter(|s| p.by_sex.contains_key(**s))
            .map(|s| vec![Cell::Text(sex_label(lang, s)), count(&p.by_sex, s)])
            .collect(),
    );
    let breakdown = table(
        "breakdown",
        lang,
        &["group", "sex", "age", "people"],
        p.breakdown
            .iter()
            .map(|b| {
                vec![
                    Cell::Text(group_label(lang, &b.group)),
                    Cell::Text(sex_label(lang, &b.sex)),
                    Cell::Text(age_label(lang, &b.age_band)),
                    Cell::count(b.count),
                ]
            })
            .collect(),
    );
    vec![by_group, by_sex, breakdown]
}

pub fn gmina_table(report: &Report, lang: Lang) -> Table {
    let g = &report.gminas;
    let rows = g
        .list
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.name.clone()),
                Cell::Text(l.teryt.clone()),
                Cell::Text(l.powiat.clone()),
                Cell::count(l.official),
                Cell::count(l.ngo),
                Cell::count(l.at_risk),
                Cell::Flag(l.complete),
                Cell::Count(l.new_tasks),
            ]
        })
        .collect();
    let heads = [
        "gmina",
        "teryt",
        "powiat",
        "official",
        "ngo",
        "at_risk",
        "complete",
        "new_tasks",
    ];
    table("gminas", lang, &heads, rows)
}

pub fn activity_table(report: &Report, lang: Lang) -> Table {
    let a = &report.activities;
    let rows = KINDS
        .iter()
        .map(|k| {
            let s = a.by_kind.get(*k).cloned().unwrap_or_default();
            vec![
                Cell::Text(kind_label(lang, k)),
                Cell::Count(s.count),
                Cell::Hours(s.hours),
                Cell::Count(s.cancelled),
            ]
        })
        .collect();
    let cancelled = a.by_kind.values().map(|s| s.cancelled).sum();
    let mut out = table(
        "activities",
        lang,
        &["kind", "activities", "hours", "cancelled"],
        rows,
    );
    out.total = total(
        lang,
        vec![
            Cell::Count(a.total_count),
            Cell::Hours(a.total_hours),
            Cell::Count(cancelled),
        ],
    );
    out
}

/// Attendance by group and by kind.
pub fn attendance_tables(report: &Report, lang: Lang) -> Vec<Table> {
    let at = &report.attendance;
    let rate = |m: &std::collections::BTreeMap<String, Option<f64>>, k: &str| {
        Cell::Rate(m.get(k).copied().flatten())
    };
    let mut by_group = table(
        "attendance_group",
        lang,
        &["group", "rate"],
        GROUPS
            .iter()
            .map(|g| vec![Cell::Text(group_label(lang, g)), rate(&at.by_group, g)])
            .collect(),
    );
    by_group.total = total(lang, vec![Cell::Rate(Some(at.rate))]);
    let by_kind = table(
        "attendance_kind",
        lang,
        &["kind", "rate"],
        KINDS
            .iter()
            .map(|k| vec![Cell::Text(kind_label(lang, k)), rate(&at.by_kind, k)])
            .collect(),
    );
    vec![by_group, by_kind]
}

fn tally_table(id: &'static str, lang: Lang, head: &str, prefix: &str, tallies: &[Tally]) -> Table {
    let rows = tallies
        .iter()
        .map(|x| {
            vec![
                Cell::Text(tally_label(lang, prefix, x)),
                Cell::Count(x.count),
                Cell::Money(x.amount_pln),
            ]
        })
        .collect();
    table(id, lang, &[head, "tasks", "amount"], rows)
}

/// Commissioned tasks by sphere, mode and target group.
pub fn tally_tables(report: &Report, lang: Lang) -> Vec<Table> {
    let k = &report.commissioned_tasks;
    let mut by_sphere = tally_table("by_sphere", lang, "sphere", "", &k.by_sphere);
    by_sphere.total = total(
        lang,
        vec![
            Cell::Count(k.by_sphere.iter().map(|x| x.count).sum()),
            Cell::Money(k.by_sphere.iter().map(|x| x.amount_pln).sum()),
        ],
    );
    vec![
        by_sphere,
        tally_table("by_mode", lang, "mode", "", &k.by_mode),
        tally_table(
            "by_target",
            lang,
            "target",
            "target_group",
            &k.by_target_group,
        ),
    ]
}

pub fn task_table(report: &Report, lang: Lang) -> Table {
    let rows = report
        .commissioned_tasks
        .list
        .iter()
        .map(|x| {
            let groups: Vec<String> = x
                .target_groups
                .iter()
                .map(|g| t(lang, &format!("target_group.{g}")))
                .collect();
            let status = format!("task_status.{}", x.status);
            vec![
                Cell::Text(x.gmina_name.clone()),
                Cell::Text(x.title.clone()),
                Cell::Text(x.sphere_label.clone()),
                Cell::Text(x.mode_name.clone()),
                Cell::Text(x.contractor.clone()),
                x.amount_pln
                    .map_or_else(|| Cell::Text(String::new()), Cell::Money),
                Cell::Date(x.commissioned_on),
                Cell::Text(if exists(&status) {
                    t(lang, &status)
                } else {
                    x.status.clone()
                }),
                Cell::Flag(x.is_new),
                Cell::Text(groups.join(", ")),
            ]
        })
        .collect();
    let heads = [
        "gmina",
        "title",
        "sphere",
        "mode",
        "contractor",
        "amount",
        "date",
        "status",
        "new",
        "target",
    ];
    table("tasks", lang, &heads, rows)
}

/// The task list narrowed for a page: the contractor beside the title, whether the task is new
/// beside its status; the target groups have their own table. The files carry every column.
pub fn task_summary_table(report: &Report, lang: Lang) -> Table {
    let rows = report
        .commissioned_tasks
        .list
        .iter()
        .map(|x| {
            let mut task = x.title.clone();
            if !x.contractor.is_empty() {
                task = format!("{task} — {}", x.contractor);
            }
            let key = format!("task_status.{}", x.status);
            let mut status = if exists(&key) {
                t(lang, &key)
            } else {
                x.status.clone()
            };
            if x.is_new {
                status = format!("{status}, {}", t(lang, "results.new_task"));
            }
            vec![
                Cell::Text(x.gmina_name.clone()),
                Cell::Text(task),
                Cell::Text(x.sphere_label.clone()),
                Cell::Text(x.mode_name.clone()),
                x.amount_pln
                    .map_or_else(|| Cell::Text(String::new()), Cell::Money),
                Cell::Date(x.commissioned_on),
                Cell::Text(status),
            ]
        })
        .collect();
    let headers = [
        "gmina",
        "task_contractor",
        "sphere",
        "mode",
        "amount",
        "date",
        "status",
    ]
    .iter()
    .map(|k| t(lang, &format!("results.h.{k}")))
    .collect();
    Table {
        id: "tasks",
        title: t(lang, "results.t.tasks"),
        headers,
        rows,
        total: None,
    }
}

/// Competence change by group (everyone as the total line) and per questionnaire item.
pub fn competence_tables(report: &Report, lang: Lang) -> Vec<Table> {
    let c = &report.competence;
    let line = |label: String, l: &CompetenceLine| {
        vec![
            Cell::Text(label),
            Cell::count(l.people),
            Cell::Decimal(l.mean_pre),
            Cell::Decimal(l.mean_post),
            Cell::Change(l.mean_change),
            Cell::Rate(l.share_improved),
        ]
    };
    let empty = CompetenceLine::default();
    let mut by_group = table(
        "competence_group",
        lang,
        &[
            "group",
            "answered",
            "mean_pre",
            "mean_post",
            "change",
            "improved",
        ],
        GROUPS
            .iter()
            .map(|g| line(group_label(lang, g), c.by_group.get(*g).unwrap_or(&empty)))
            .collect(),
    );
    if c.overall.people != Count::Exact(0) {
        by_group.total = Some(line(t(lang, "results.h.total"), &c.overall));
    } else {
        // nobody answered both times: no table rather than a row of dashes
        by_group.rows.clear();
    }
    let items = table(
        "competence_items",
        lang,
        &[
            "question",
            "asked",
            "answered",
            "mean_pre",
            "mean_post",
            "change",
        ],
        c.items
            .iter()
            .map(|i| {
                let asked = if i.groups.is_empty() {
                    t(lang, "results.everyone")
                } else {
                    i.groups
                        .iter()
                        .map(|g| group_label(lang, g))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                vec![
                    Cell::Text(i.text.clone()),
                    Cell::Text(asked),
                    Cell::count(i.people),
                    Cell::Decimal(i.mean_pre),
                    Cell::Decimal(i.mean_post),
                    Cell::Change(i.mean_change),
                ]
            })
            .collect(),
    );
    vec![by_group, items]
}

/// The programme's indicators: baseline, target, actual and how far along.
pub fn indicator_table(report: &Report, lang: Lang) -> Table {
    let rows = report
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.name.clone()),
                Cell::Text(i.unit.clone()),
                Cell::Decimal(i.baseline),
                Cell::Decimal(Some(i.target)),
                Cell::Decimal(i.actual),
                Cell::Rate(i.progress),
                Cell::Flag(i.achieved),
            ]
        })
        .collect();
    table(
        "indicators",
        lang,
        &[
            "indicator",
            "unit",
            "baseline",
            "target_value",
            "actual",
            "progress",
            "achieved",
        ],
        rows,
    )
}

/// The whole report as sections of tables, in reading order.
pub fn sections(report: &Report, lang: Lang) -> Vec<Section> {
    let scope = Table {
        id: "scope",
        title: t(lang, "results.t.scope"),
        headers: headers(lang, &["item", "value"]),
        rows: scope_facts(report, lang)
            .into_iter()
            .chain(suppression_note(report, lang).map(|n| (t(lang, "results.note"), n)))
            .map(|(label, value)| vec![Cell::Text(label), Cell::Text(value)])
            .collect(),
        total: None,
    };
    let figures = table(
        "figures",
        lang,
        &["item", "value"],
        figures(report, lang)
            .into_iter()
            .map(|(label, value)| vec![Cell::Text(label), value])
            .collect(),
    );
    vec![
        section("summary", lang, vec![scope, figures]),
        section("participants", lang, participant_tables(report, lang)),
        section("gminas", lang, vec![gmina_table(report, lang)]),
        section("activities", lang, vec![activity_table(report, lang)]),
        section("attendance", lang, attendance_tables(report, lang)),
        section("tasks", lang, tally_tables(report, lang)),
        section("task_list", lang, vec![task_table(report, lang)]),
        section("competence", lang, competence_tables(report, lang)),
        section("indicators", lang, vec![indicator_table(report, lang)]),
    ]
}
