//! The results report of a cohort or of a whole programme as JSON, CSV, XLSX or PDF, for admins,
//! the programme's coordinators and its funders (funder-facing: small at-risk cells hidden).

use rocket::http::ContentType;
use rocket::serde::json::Json;
use rocket::{Responder, Route, get, routes};

use super::{ApiReader, DbState};
use crate::domain::report::Report;
use crate::error::{AppError, AppResult, invalid};
use crate::i18n::{Lang, Msg};
use crate::service::reports as service;
use crate::web::cohorts::{Download, xlsx_type};
use crate::web::context::RequestLang;

pub fn routes() -> Vec<Route> {
    routes![cohort_report, programme_report]
}

/// The formats a report comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    /// `json` when not given; anything unknown is a 422 naming `format`.
    pub fn parse(value: Option<&str>) -> AppResult<Format> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            Some("pdf") => Ok(Format::Pdf),
            Some(other) => Err(invalid(
                "format",
                Msg::new("report.err.format").arg("value", other),
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// The report as JSON, or a file to save.
#[derive(Responder)]
pub enum ReportOut {
    Json(Json<Box<Report>>),
    File(Box<Download>),
}

/// The query parameters common to both routes, checked before anything is computed.
struct Asked {
    format: Format,
    lang: Lang,
    funder_view: bool,
}

fn asked(
    format: Option<&str>,
    lang: Option<&str>,
    funder_view: Option<&str>,
    request_lang: Lang,
) -> AppResult<Asked> {
    let format = Format::parse(format)?;
    let lang = match lang.map(str::trim).filter(|l| !l.is_empty()) {
        None => request_lang,
        Some(code) => Lang::parse(code)
            .ok_or_else(|| invalid("lang", Msg::new("report.err.lang").arg("value", code)))?,
    };
    let funder_view = match funder_view
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => return Err(invalid("funder_view", "report.err.funder_view")),
    };
    Ok(Asked {
        format,
        lang,
        funder_view,
    })
}

/// A file name safe in a header: `raport_<slug>.<ext>` (slugs are already ASCII).
pub fn file_name(report: &Report, format: Format) -> String {
    let slug: String = report
        .scope
        .slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("raport_{slug}.{}", format.extension())
}

/// Renders the report in the asked format (files off the async workers: PDFs take a while).
pub async fn render(report: Report, format: Format, lang: Lang) -> AppResult<ReportOut> {
    if format == Format::Json {
        return Ok(ReportOut::Json(Json(Box::new(report))));
    }
    let name = file_name(&report, format);
    let bytes = crate::service::blocking(move || match format {
        Format::Csv => crate::output::report::csv(&report, lang),
        Format::Xlsx => crate::output::report::xlsx(&report, lang),
        Format::Pdf | Format::Json => crate::output::report::pdf(&report, lang),
    })
    .await?
    .map_err(AppError::Unexpected)?;
    Ok(ReportOut::File(Box::new(match format {
        Format::Csv => Download::new(&name, ContentType::CSV, bytes),
        Format::Xlsx => Download::new(&name, xlsx_type(), bytes),
        Format::Pdf | Format::Json => Download::inline(&name, ContentType::PDF, bytes),
    })))
}

/// The results report of a cohort: participants by group, sex and age band, gminas and complete
/// teams, activities and hours by kind, attendance, certificates and commissioned tasks. Funders
/// (members of the programme) get it with counts about at-risk participants below the programme's
/// threshold shown as `"<3"`; staff may preview that with `funder_view=true`.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/report", tag = "reports",
    params(
        ("c" = String, Path, description = "cohort id or slug"),
        ("format" = Option<String>, Query, description = "`json` (default), `csv`, `xlsx` or `pdf`"),
        ("lang" = Option<String>, Query, description = "`pl` or `en` (files; default: the request's language)"),
        ("funder_view" = Option<bool>, Query, description = "staff: show what funders see"),
    ),
    responses(
        (status = 200, description = "the report: JSON (keys of CONTRACT.md and more), or the file", content_type = "application/json"),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/report?<format>&<lang>&<funder_view>")]
pub async fn cohort_report(
    db: &DbState,
    reader: ApiReader,
    request_lang: RequestLang,
    c: &str,
    format: Option<&str>,
    lang: Option<&str>,
    funder_view: Option<&str>,
) -> AppResult<ReportOut> {
    let asked = asked(format, lang, funder_view, request_lang.0)?;
    let report = service::cohort_with(db, &reader.0, c, asked.funder_view).await?;
    render(report, asked.format, asked.lang).await
}

/// The results report of a whole programme, over all its cohorts (same keys as a cohort's; rates
/// recomputed from the summed hours).
#[utoipa::path(get, path = "/api/v1/programmes/{p}/report", tag = "reports",
    params(
        ("p" = String, Path, description = "programme id or slug"),
        ("format" = Option<String>, Query, description = "`json` (default), `csv`, `xlsx` or `pdf`"),
        ("lang" = Option<String>, Query, description = "`pl` or `en` (files; default: the request's language)"),
        ("funder_view" = Option<bool>, Query, description = "staff: show what funders see"),
    ),
    responses(
        (status = 200, description = "the report: JSON (keys of CONTRACT.md and more), or the file", content_type = "application/json"),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/programmes/<p>/report?<format>&<lang>&<funder_view>")]
pub async fn programme_report(
    db: &DbState,
    reader: ApiReader,
    request_lang: RequestLang,
    p: &str,
    format: Option<&str>,
    lang: Option<&str>,
    funder_view: Option<&str>,
) -> AppResult<ReportOut> {
    let asked = asked(format, lang, funder_view, request_lang.0)?;
    let report = service::programme_with(db, &reader.0, p, asked.funder_view).await?;
    render(report, asked.format, asked.lang).await
}
