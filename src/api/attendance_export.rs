//! Every attendance mark of a programme as one flat CSV, streamed (staff of the programme only).

use rocket::{Route, get, routes};

use super::{ApiStaff, DbState};
use crate::error::AppResult;
use crate::service::attendance_export as service;
use crate::web::attendance_export::CsvStream;
use crate::web::context::RequestLang;

pub fn routes() -> Vec<Route> {
    routes![programme_attendance_csv]
}

/// One row per attendance mark of the programme's non-cancelled activities, by date: date
/// (Europe/Warsaw), activity, kind, cohort, gmina, group, enrolment, name, mark and hours. UTF-8
/// with a BOM, `;`-separated, CRLF; labels in the request's language.
#[utoipa::path(get, path = "/api/v1/programmes/{p}/attendance.csv", tag = "attendance",
    params(
        ("p" = String, Path, description = "programme id or slug"),
        ("lang" = Option<String>, Query, description = "`pl` or `en` (default: the request's language)"),
    ),
    responses(
        (status = 200, description = "the CSV, streamed", content_type = "text/csv"),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/programmes/<p>/attendance.csv")]
pub async fn programme_attendance_csv(
    db: &DbState,
    user: ApiStaff,
    lang: RequestLang,
    p: &str,
) -> AppResult<CsvStream> {
    let programme = service::start(db, &user.0, p).await?;
    Ok(CsvStream::spawn(db.inner().clone(), programme, lang.0))
}
