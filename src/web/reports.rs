//! The results report of a cohort or a whole programme as a page (key figures, bar charts drawn
//! as inline SVG, each with a table of the same numbers beside it) and as files to download
//! (CSV, XLSX, PDF, JSON) for admins, the programme's coordinators and its funders.

use minijinja::{Value, context};
use rocket::http::ContentType;
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::Template;
use serde::Serialize;

use crate::db::users::User;
use crate::db::{Db, programmes};
use crate::domain::Role;
use crate::domain::report::{Count, Report};
use crate::error::AppResult;
use crate::i18n::{Lang, t};
use crate::output::report::{self as out, Cell, GROUPS, KINDS, Table};
use crate::service::programmes::{find_cohort, find_programme};
use crate::service::reports;
use crate::web::Ctx;
use crate::web::cohorts::{Download, xlsx_type};
use crate::web::context::request_lang;
use crate::web::session::ReportUser;

pub fn routes() -> Vec<Route> {
    routes![
        cohort_page,
        programme_page,
        cohort_csv,
        cohort_xlsx,
        cohort_pdf,
        cohort_json,
        programme_csv,
        programme_xlsx,
        programme_pdf,
        programme_json
    ]
}

/// A table cell as the page shows it.
#[derive(Serialize)]
struct CellView {
    text: String,
    num: bool,
    /// `Some` for yes/no cells, shown as a badge.
    flag: Option<bool>,
}

#[derive(Serialize)]
struct TableView {
    id: &'static str,
    title: String,
    headers: Vec<CellView>,
    rows: Vec<Vec<CellView>>,
    total: Option<Vec<CellView>>,
}

fn table_view(table: Table, lang: Lang) -> TableView {
    let columns = table.headers.len();
    let numeric: Vec<bool> = (0..columns)
        .map(|col| {
            table
                .rows
                .iter()
                .chain(&table.total)
                .any(|r| r.get(col).is_some_and(Cell::numeric))
        })
        .collect();
    let cells = |row: &Vec<Cell>| -> Vec<CellView> {
        row.iter()
            .map(|c| CellView {
                text: c.text(lang),
                num: c.numeric(),
                flag: match c {
                    Cell::Flag(b) => Some(*b),
                    _ => None,
                },
            })
            .collect()
    };
    TableView {
        id: table.id,
        title: table.title.clone(),
        headers: table
            .headers
            .iter()
            .zip(&numeric)
            .map(|(h, num)| CellView {
                text: h.clone(),
                num: *num,
                flag: None,
            })
            .collect(),
        rows: table.rows.iter().map(cells).collect(),
        total: table.total.as_ref().map(cells),
    }
}

/// Width of a chart's drawing, in SVG units; everything scales with the page.
const CHART_W: f64 = 400.0;
const ROW_H: f64 = 44.0;
/// Room above the first row for the threshold's label.
const MARKER_ROOM: f64 = 22.0;

#[derive(Serialize)]
struct BarView {
    label: String,
    value: String,
    /// Length of the bar in SVG units (0 for a hidden or missing value).
    length: f64,
    label_y: f64,
    bar_y: f64,
}

#[derive(Serialize)]
struct ChartView {
    id: &'static str,
    title: String,
    desc: String,
    width: f64,
    height: f64,
    bars: Vec<BarView>,
    /// The x of the 80 % line, for rates.
    marker: Option<f64>,
    marker_label: String,
    table: TableView,
}

/// Labels longer than this are cut in the drawing (the table beside it has them whole).
const LABEL_CHARS: usize = 40;

/// `label` cut to leave room for `value` on the same line.
fn short(label: &str, value: &str) -> String {
    let room = LABEL_CHARS.saturating_sub(value.chars().count().saturating_sub(3));
    if label.chars().count() <= room {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(room - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// What a chart's bars are measured against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scale {
    /// The largest value.
    Largest,
    /// 100 %, with the 80 % attendance line.
    Attendance,
    /// 100 %.
    Share,
}

/// A bar chart of `(label, value, shown)`, bars scaled as `scale` says.
fn chart(
    id: &'static str,
    lang: Lang,
    items: Vec<(String, Option<f64>, String)>,
    scale: Scale,
    table: Table,
) -> ChartView {
    let rates = scale == Scale::Attendance;
    let max = if scale == Scale::Largest {
        items
            .iter()
            .filter_map(|(_, v, _)| *v)
            .fold(0.0, f64::max)
            .max(1.0)
    } else {
        1.0
    };
    let top = if rates { MARKER_ROOM } else { 4.0 };
    let bars: Vec<BarView> = items
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            let y = top + i as f64 * ROW_H;
            BarView {
                label: short(&label, &shown),
                value: shown,
                length: (value.unwrap_or(0.0) / max).clamp(0.0, 1.0) * CHART_W,
                label_y: y + 15.0,
                bar_y: y + 22.0,
            }
        })
        .collect();
    let height = top + bars.len() as f64 * ROW_H;
    let desc_key = match scale {
        Scale::Largest => "results.chart.desc",
        Scale::Attendance => "results.chart.desc_rate",
        Scale::Share => "results.chart.desc_share",
    };
    ChartView {
        id,
        title: t(lang, &format!("results.chart.{id}")),
        desc: t(lang, desc_key),
        width: CHART_W,
        height,
        bars,
        marker: rates.then_some(0.8 * CHART_W),
        marker_label: t(lang, "results.chart.threshold"),
        table: table_view(table, lang),
    }
}

fn count_value(c: Count) -> Option<f64> {
    c.exact().map(|n| n as f64)
}

/// A rate as its bar shows it: rounded down like its number, so the bar never crosses 80 %
/// when the number says 79 %.
fn rate_value(rate: Option<f64>) -> Option<f64> {
    rate.map(|r| out::whole_percent(r) as f64 / 100.0)
}

fn rate_text(rate: Option<f64>, lang: Lang) -> String {
    Cell::Rate(rate).text(lang)
}

fn charts(report: &Report, lang: Lang) -> Vec<ChartView> {
    let p = &report.participants;
    let mut participant_tables = out::participant_tables(report, lang).into_iter();
    let by_group = participant_tables.next().expect("participants by group");
    let participants = GROUPS
        .iter()
        .map(|g| {
            let c = p.by_group.get(*g).copied().unwrap_or_default();
            (out::group_label(lang, g), count_value(c), c.text())
        })
        .collect();
    let a = &report.activities;
    let hours = KINDS
        .iter()
        .map(|k| {
            let h = a.by_kind.get(*k).map_or(0.0, |s| s.hours);
            (out::kind_label(lang, k), Some(h), out::hours(h, lang))
        })
        .collect();
    let at = &report.attendance;
    let mut attendance_tables = out::attendance_tables(report, lang).into_iter();
    let by_group_rate = GROUPS
        .iter()
        .map(|g| {
            let r = at.by_group.get(*g).copied().flatten();
            (out::group_label(lang, g), rate_value(r), rate_text(r, lang))
        })
        .collect();
    let by_kind_rate = KINDS
        .iter()
        .map(|k| {
            let r = at.by_kind.get(*k).copied().flatten();
            (out::kind_label(lang, k), rate_value(r), rate_text(r, lang))
        })
        .collect();
    let spheres = report
        .commissioned_tasks
        .by_sphere
        .iter()
        .map(|s| {
            (
                s.label.clone(),
                Some(s.count as f64),
                out::number(s.count, lang),
            )
        })
        .collect();
    let by_sphere = out::tally_tables(report, lang)
        .into_iter()
        .next()
        .expect("tasks by sphere");
    let competence = &report.competence;
    let improved = GROUPS
        .iter()
        .map(|g| {
            let share = competence.by_group.get(*g).and_then(|l| l.share_improved);
            (out::group_label(lang, g), share, rate_text(share, lang))
        })
        .collect();
    let by_group_competence = out::competence_tables(report, lang)
        .into_iter()
        .next()
        .expect("competence by group");
    let indicators = report
        .indicators
        .iter()
        .map(|i| {
            let shown = match i.actual {
                Some(actual) => {
                    let unit = if i.unit == "%" { "\u{a0}%" } else { "" };
                    format!(
                        "{} / {}{unit}",
                        out::decimal(actual, lang),
                        out::decimal(i.target, lang)
                    )
                }
                None => "—".to_owned(),
            };
            (i.name.clone(), i.progress, shown)
        })
        .collect();
    vec![
        chart("participants", lang, participants, Scale::Largest, by_group),
        chart(
            "hours",
            lang,
            hours,
            Scale::Largest,
            out::activity_table(report, lang),
        ),
        chart(
            "attendance_group",
            lang,
            by_group_rate,
            Scale::Attendance,
            attendance_tables.next().expect("attendance by group"),
        ),
        chart(
            "attendance_kind",
            lang,
            by_kind_rate,
            Scale::Attendance,
            attendance_tables.next().expect("attendance by kind"),
        ),
        chart("spheres", lang, spheres, Scale::Largest, by_sphere),
        chart(
            "competence",
            lang,
            improved,
            Scale::Share,
            by_group_competence,
        ),
        chart(
            "indicators",
            lang,
            indicators,
            Scale::Share,
            out::indicator_table(report, lang),
        ),
    ]
}

/// Everything the page shows; `base` is the report's own path, the files are `base.<ext>`.
fn page(ctx: &Ctx, a: &Asker, report: &Report, base: String, related: Value) -> Template {
    let lang = ctx.lang;
    let facts: Vec<Value> = out::scope_facts(report, lang)
        .into_iter()
        .map(|(label, value)| context! { label, value })
        .collect();
    let participants: Vec<TableView> = out::participant_tables(report, lang)
        .into_iter()
        .skip(1)
        .map(|t| table_view(t, lang))
        .collect();
    let tallies: Vec<TableView> = out::tally_tables(report, lang)
        .into_iter()
        .skip(1)
        .map(|t| table_view(t, lang))
        .collect();
    let charts: Vec<(String, ChartView)> = charts(report, lang)
        .into_iter()
        .map(|c| (c.id.to_owned(), c))
        .collect();
    let charts: std::collections::BTreeMap<String, ChartView> = charts.into_iter().collect();
    let view = if a.funder_view { "&view=funder" } else { "" };
    let query = format!("?lang={}{view}", lang.code());
    let downloads: Vec<Value> = [
        ("csv", "CSV", "results.download.csv"),
        ("xlsx", "XLSX", "results.download.xlsx"),
        ("pdf", "PDF", "results.download.pdf"),
        ("json", "JSON", "results.download.json"),
    ]
    .into_iter()
    .map(|(ext, label, hint)| {
        context! { href => format!("{base}.{ext}{query}"), label, hint => t(lang, hint) }
    })
    .collect();
    ctx.render(
        "reports/report",
        context! {
            scope => &report.scope,
            heading => if report.scope.kind == "cohort" { &report.scope.name } else { &report.scope.programme },
            facts,
            note => out::suppression_note(report, lang),
            figures => out::key_figures(report, lang),
            charts,
            participants,
            gminas => table_view(out::gmina_table(report, lang), lang),
            tallies,
            tasks => table_view(out::task_summary_table(report, lang), lang),
            has_tasks => !report.commissioned_tasks.list.is_empty(),
            has_survey => report.competence.overall.people != Count::Exact(0),
            competence_items => table_view(out::competence_tables(report, lang).remove(1), lang),
            has_indicators => !report.indicators.is_empty(),
            downloads,
            related,
            base,
            can_preview => runs(&a.user),
            funder_view => a.funder_view,
        },
    )
}

/// Coordinators and admins also get a way back to the cohort or programme they run.
fn runs(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Coordinator)
}

#[get("/cohorts/<c>/report")]
async fn cohort_page(ctx: Ctx, db: &State<Db>, a: Asker, c: &str) -> AppResult<Template> {
    let report = reports::cohort_with(db, &a.user, c, a.funder_view).await?;
    let cohort = find_cohort(db, c).await?;
    let related = context! {
        cohort => cohort.as_ref().filter(|_| runs(&a.user)).map(|c| context! { href => format!("/cohorts/{}", c.slug), name => &c.name }),
        programme_report => cohort.as_ref().map(|c| context! { href => format!("/programmes/{}/report", c.programme_slug), name => &c.programme_name }),
    };
    let base = format!("/cohorts/{}/report", report.scope.slug);
    Ok(page(&ctx, &a, &report, base, related))
}

#[get("/programmes/<p>/report")]
async fn programme_page(ctx: Ctx, db: &State<Db>, a: Asker, p: &str) -> AppResult<Template> {
    let report = reports::programme_with(db, &a.user, p, a.funder_view).await?;
    let programme = find_programme(db, p).await?;
    let mut cohorts = Vec::new();
    if let Some(programme) = &programme {
        for c in programmes::cohorts_of(db, programme.id).await? {
            cohorts.push(context! {
                href => format!("/cohorts/{}/report", c.slug), name => c.name,
                starts_on => c.starts_on, ends_on => c.ends_on,
            });
        }
    }
    let related = context! {
        programme => programme.as_ref().filter(|_| runs(&a.user)).map(|p| context! { href => format!("/programmes/{}", p.slug), name => &p.name }),
        cohort_reports => cohorts,
    };
    let base = format!("/programmes/{}/report", report.scope.slug);
    Ok(page(&ctx, &a, &report, base, related))
}

/// The file types of a report download.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
    Pdf,
    Json,
}

/// `raport-warnik-2021.pdf` / `report-warnik-2021.pdf` (ASCII, as `Download` needs).
fn file_name(report: &Report, lang: Lang, ext: &str) -> String {
    let slug: String = report
        .scope
        .slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let stem = match lang {
        Lang::Pl => "raport",
        Lang::En => "report",
    };
    format!("{stem}-{slug}.{ext}")
}

fn download(report: &Report, lang: Lang, format: Format) -> AppResult<Download> {
    Ok(match format {
        Format::Csv => Download::new(
            &file_name(report, lang, "csv"),
            ContentType::CSV,
            out::csv(report, lang)?,
        ),
        Format::Xlsx => Download::new(
            &file_name(report, lang, "xlsx"),
            xlsx_type(),
            out::xlsx(report, lang)?,
        ),
        Format::Pdf => Download::inline(
            &file_name(report, lang, "pdf"),
            ContentType::PDF,
            out::pdf(report, lang)?,
        ),
        Format::Json => Download::inline(
            &file_name(report, lang, "json"),
            ContentType::JSON,
            serde_json::to_vec_pretty(report).map_err(anyhow::Error::from)?,
        ),
    })
}

/// Who asks for a report, in which language, and whether staff asked for the funder's version
/// (`?view=funder`: small at-risk cells hidden, as the funder reads it).
struct Asker {
    user: User,
    lang: Lang,
    funder_view: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Asker {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let user = try_outcome!(req.guard::<ReportUser>().await).0;
        let view = req.query_value::<&str>("view").and_then(Result::ok);
        Outcome::Success(Asker {
            user,
            // `?lang=` (or the remembered choice) without remembering a new one: downloading
            // the English PDF does not switch the site to English.
            lang: request_lang(req),
            funder_view: view == Some("funder"),
        })
    }
}

async fn cohort_file(db: &Db, a: &Asker, c: &str, format: Format) -> AppResult<Download> {
    let report = reports::cohort_with(db, &a.user, c, a.funder_view).await?;
    download(&report, a.lang, format)
}

async fn programme_file(db: &Db, a: &Asker, p: &str, format: Format) -> AppResult<Download> {
    let report = reports::programme_with(db, &a.user, p, a.funder_view).await?;
    download(&report, a.lang, format)
}

#[get("/cohorts/<c>/report.csv")]
async fn cohort_csv(db: &State<Db>, a: Asker, c: &str) -> AppResult<Download> {
    cohort_file(db, &a, c, Format::Csv).await
}

#[get("/cohorts/<c>/report.xlsx")]
async fn cohort_xlsx(db: &State<Db>, a: Asker, c: &str) -> AppResult<Download> {
    cohort_file(db, &a, c, Format::Xlsx).await
}

#[get("/cohorts/<c>/report.pdf")]
async fn cohort_pdf(db: &State<Db>, a: Asker, c: &str) -> AppResult<Download> {
    cohort_file(db, &a, c, Format::Pdf).await
}

#[get("/cohorts/<c>/report.json")]
async fn cohort_json(db: &State<Db>, a: Asker, c: &str) -> AppResult<Download> {
    cohort_file(db, &a, c, Format::Json).await
}

#[get("/programmes/<p>/report.csv")]
async fn programme_csv(db: &State<Db>, a: Asker, p: &str) -> AppResult<Download> {
    programme_file(db, &a, p, Format::Csv).await
}

#[get("/programmes/<p>/report.xlsx")]
async fn programme_xlsx(db: &State<Db>, a: Asker, p: &str) -> AppResult<Download> {
    programme_file(db, &a, p, Format::Xlsx).await
}

#[get("/programmes/<p>/report.pdf")]
async fn programme_pdf(db: &State<Db>, a: Asker, p: &str) -> AppResult<Download> {
    programme_file(db, &a, p, Format::Pdf).await
}

#[get("/programmes/<p>/report.json")]
async fn programme_json(db: &State<Db>, a: Asker, p: &str) -> AppResult<Download> {
    programme_file(db, &a, p, Format::Json).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::report::sample::sample;

    #[test]
    fn bars_scale_to_the_largest_value_and_rates_to_one_hundred_percent() {
        let report = sample();
        let charts = charts(&report, Lang::Pl);
        let participants = &charts[0];
        assert_eq!(participants.bars[0].length, CHART_W, "14 is the largest");
        assert_eq!(participants.bars[2].value, "<3");
        assert_eq!(
            participants.bars[2].length, 0.0,
            "a hidden count draws no bar"
        );
        let rates = &charts[2];
        assert_eq!(rates.marker, Some(0.8 * CHART_W));
        assert!((rates.bars[0].length - 0.91 * CHART_W).abs() < 1e-6);
        assert_eq!(rates.bars[2].value, "—");
        assert_eq!(rates.table.rows.len(), 3);
        assert_eq!(rate_value(Some(0.7999)), Some(0.79));
    }

    #[test]
    fn file_names_are_plain_ascii() {
        let mut report = sample();
        report.scope.slug = "warnik-2021\"x".into();
        assert_eq!(
            file_name(&report, Lang::Pl, "pdf"),
            "raport-warnik-2021x.pdf"
        );
        assert_eq!(
            file_name(&report, Lang::En, "csv"),
            "report-warnik-2021x.csv"
        );
    }
}
