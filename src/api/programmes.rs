//! Programmes and cohorts: `GET, POST /programmes`, `GET, PUT /programmes/<p>`,
//! `GET, POST /cohorts`, `GET, PUT /cohorts/<c>` (ids or slugs).

use chrono::NaiveDate;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, get, post, put, routes};
use serde::{Deserialize, Deserializer, Serialize};

use super::{ApiJson, ApiStaff, DbState};
use crate::db::Id;
use crate::db::programmes::{Cohort, Programme};
use crate::domain::participant::Currency;
use crate::error::AppResult;
use crate::service::programmes::{self as service, CohortInput, ProgrammeInput};

pub fn routes() -> Vec<Route> {
    routes![
        list_programmes,
        create_programme,
        get_programme,
        update_programme,
        list_cohorts,
        create_cohort,
        get_cohort,
        update_cohort
    ]
}

/// Accepts a JSON string or number as text (amounts, years), so either spelling validates the same.
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(serde_json::Number),
        Null(()),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        Some(Raw::Text(s)) => s,
        Some(Raw::Number(n)) => n.to_string(),
        Some(Raw::Null(())) | None => String::new(),
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProgrammeOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    #[schema(example = "warnik")]
    pub slug: String,
    pub name: String,
    pub funder: String,
    /// In the currency's units (PLN or EUR), two decimals.
    pub grant_amount: Option<f64>,
    pub grant_currency: Currency,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub partners: String,
    /// The acknowledgement funders require on documents.
    pub acknowledgement: String,
    pub archived: bool,
    /// Counts about at-risk participants below this are shown to funders as `"<N"` (default 3).
    pub small_cell_threshold: i32,
}

impl From<Programme> for ProgrammeOut {
    fn from(p: Programme) -> Self {
        ProgrammeOut {
            id: p.id,
            slug: p.slug,
            name: p.name,
            funder: p.funder,
            grant_amount: p.grant_amount_minor.map(|m| m as f64 / 100.0),
            grant_currency: p.grant_currency,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            partners: p.partners,
            acknowledgement: p.acknowledgement,
            archived: p.archived,
            small_cell_threshold: p.small_cell_threshold,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct ProgrammeBody {
    pub name: String,
    /// Lower-case letters, digits and hyphens; made from the name when empty.
    pub slug: String,
    pub funder: String,
    #[schema(example = "2021-01-01")]
    pub starts_on: String,
    #[schema(example = "2022-12-31")]
    pub ends_on: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<f64>, example = 250000.0)]
    pub grant_amount: String,
    #[schema(example = "PLN")]
    pub grant_currency: String,
    pub partners: String,
    pub acknowledgement: String,
    pub archived: bool,
    /// 1–50; unchanged (3 for a new programme) when left out.
    #[schema(example = 3)]
    pub small_cell_threshold: Option<i64>,
}

impl From<ProgrammeBody> for ProgrammeInput {
    fn from(b: ProgrammeBody) -> Self {
        ProgrammeInput {
            name: b.name,
            slug: b.slug,
            funder: b.funder,
            grant_amount: b.grant_amount,
            grant_currency: b.grant_currency,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            partners: b.partners,
            acknowledgement: b.acknowledgement,
            archived: b.archived,
        }
    }
}

/// The programmes the user runs (admins: all).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes",
    responses((status = 200, body = [ProgrammeOut]), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/programmes")]
pub async fn list_programmes(db: &DbState, user: ApiStaff) -> AppResult<Json<Vec<ProgrammeOut>>> {
    let list = service::list(db, &user.0).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Creates a programme; the coordinator who creates it runs it.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programmes", request_body = ProgrammeBody,
    responses((status = 201, body = ProgrammeOut), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/programmes", data = "<body>")]
pub async fn create_programme(
    db: &DbState,
    user: ApiStaff,
    body: ApiJson<ProgrammeBody>,
) -> AppResult<(Status, Json<ProgrammeOut>)> {
    let threshold = threshold_of(&body.0)?;
    let mut p = service::create(db, &user.0, &body.0.into()).await?;
    if let Some(threshold) = threshold {
        p = service::set_small_cell_threshold(db, &user.0, &p.id.to_string(), threshold).await?;
    }
    Ok((Status::Created, Json(p.into())))
}

/// One programme by id or slug.
#[utoipa::path(get, path = "/api/v1/programmes/{p}", tag = "programmes",
    params(("p" = String, Path, description = "programme id or slug")),
    responses((status = 200, body = ProgrammeOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/programmes/<p>")]
pub async fn get_programme(db: &DbState, user: ApiStaff, p: &str) -> AppResult<Json<ProgrammeOut>> {
    Ok(Json(service::programme_for(db, &user.0, p).await?.into()))
}

/// Edits (or archives, with `"archived": true`) a programme.
#[utoipa::path(put, path = "/api/v1/programmes/{p}", tag = "programmes", request_body = ProgrammeBody,
    params(("p" = String, Path, description = "programme id or slug")),
    responses((status = 200, body = ProgrammeOut), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/programmes/<p>", data = "<body>")]
pub async fn update_programme(
    db: &DbState,
    user: ApiStaff,
    p: &str,
    body: ApiJson<ProgrammeBody>,
) -> AppResult<Json<ProgrammeOut>> {
    let threshold = threshold_of(&body.0)?;
    let mut programme = service::update(db, &user.0, p, &body.0.into()).await?;
    if let Some(threshold) = threshold {
        let key = programme.id.to_string();
        programme = service::set_small_cell_threshold(db, &user.0, &key, threshold).await?;
    }
    Ok(Json(programme.into()))
}

/// The small-cell threshold asked for, checked before anything is saved.
fn threshold_of(body: &ProgrammeBody) -> AppResult<Option<i32>> {
    body.small_cell_threshold
        .map(service::check_small_cell_threshold)
        .transpose()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CohortOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// The programme's id.
    #[schema(value_type = String, format = Uuid)]
    pub programme: Id,
    pub programme_slug: String,
    pub name: String,
    #[schema(example = "warnik-2021")]
    pub slug: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub archived: bool,
    /// Days after an activity during which its trainers may mark attendance.
    pub marking_days: i32,
}

impl From<Cohort> for CohortOut {
    fn from(c: Cohort) -> Self {
        CohortOut {
            id: c.id,
            programme: c.programme_id,
            programme_slug: c.programme_slug,
            name: c.name,
            slug: c.slug,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            archived: c.archived,
            marking_days: c.marking_days,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct CohortBody {
    /// The programme's id or slug (ignored by PUT).
    pub programme: String,
    pub name: String,
    pub slug: String,
    pub starts_on: String,
    pub ends_on: String,
    pub archived: bool,
    /// Days after an activity during which its trainers may mark attendance (default 14).
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i32>)]
    pub marking_days: String,
}

impl From<CohortBody> for CohortInput {
    fn from(b: CohortBody) -> Self {
        CohortInput {
            programme: b.programme,
            name: b.name,
            slug: b.slug,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            archived: b.archived,
            marking_days: b.marking_days,
        }
    }
}

/// The cohorts of the programmes the user runs.
#[utoipa::path(get, path = "/api/v1/cohorts", tag = "cohorts",
    responses((status = 200, body = [CohortOut]), (status = 403, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts")]
pub async fn list_cohorts(db: &DbState, user: ApiStaff) -> AppResult<Json<Vec<CohortOut>>> {
    let list = service::list_cohorts(db, &user.0).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Creates a cohort in a programme.
#[utoipa::path(post, path = "/api/v1/cohorts", tag = "cohorts", request_body = CohortBody,
    responses((status = 201, body = CohortOut), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts", data = "<body>")]
pub async fn create_cohort(
    db: &DbState,
    user: ApiStaff,
    body: ApiJson<CohortBody>,
) -> AppResult<(Status, Json<CohortOut>)> {
    let c = service::create_cohort(db, &user.0, &body.0.into()).await?;
    Ok((Status::Created, Json(c.into())))
}

/// One cohort by id or slug.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}", tag = "cohorts",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = CohortOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>")]
pub async fn get_cohort(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<CohortOut>> {
    Ok(Json(service::cohort_for(db, &user.0, c).await?.into()))
}

/// Edits (or archives) a cohort.
#[utoipa::path(put, path = "/api/v1/cohorts/{c}", tag = "cohorts", request_body = CohortBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = CohortOut), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/cohorts/<c>", data = "<body>")]
pub async fn update_cohort(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<CohortBody>,
) -> AppResult<Json<CohortOut>> {
    Ok(Json(
        service::update_cohort(db, &user.0, c, &body.0.into())
            .await?
            .into(),
    ))
}
