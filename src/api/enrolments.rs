//! Enrolments of a cohort, its gmina teams, the participant CSV import, personal-data export and
//! erasure, and organisations.

use chrono::NaiveDate;
use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::serde::json::{Json, Value};
use rocket::{Route, get, patch, post, routes};
use serde::{Deserialize, Serialize};

use super::programmes::text_or_number;
use super::{ApiJson, ApiStaff, DbState};
use crate::db::Id;
use crate::db::audit::Actor;
use crate::db::organisations::Organisation;
use crate::domain::participant::{EnrolmentStatus, Group, OrganisationKind, Sex};
use crate::error::{AppError, AppResult};
use crate::service::enrolments::{self as service, EnrolmentView, PersonInput, StatusInput};
use crate::service::organisations::{self as org_service, OrganisationInput};
use crate::service::{import, privacy, programmes};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        create,
        update_status,
        teams,
        import_csv,
        export_participant,
        erase_participant,
        list_organisations,
        create_organisation
    ]
}

/// Largest participant file accepted.
pub const MAX_IMPORT_MB: usize = 20;

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnrolmentOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// The person's id (for the personal-data export and erasure).
    #[schema(value_type = String, format = Uuid)]
    pub participant: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// TERYT code.
    #[schema(example = "3026043")]
    pub gmina: String,
    pub gmina_name: String,
    pub group: Group,
    pub organisation: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub status: EnrolmentStatus,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    /// Same first name, last name and gmina as another enrolment of the cohort, not yet resolved.
    pub possible_duplicate: bool,
}

impl From<EnrolmentView> for EnrolmentOut {
    fn from(v: EnrolmentView) -> Self {
        let r = v.row;
        EnrolmentOut {
            id: r.id,
            participant: r.participant_id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            phone: r.phone,
            gmina: r.gmina_teryt,
            gmina_name: r.gmina_name,
            group: r.grp,
            organisation: r.organisation,
            sex: r.sex,
            birth_year: r.birth_year,
            status: r.status,
            withdrawn_on: r.withdrawn_on,
            withdrawal_reason: r.withdrawal_reason,
            possible_duplicate: v.possible_duplicate,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct EnrolmentBody {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// TERYT code or an unambiguous gmina name.
    #[schema(example = "3026043")]
    pub gmina: String,
    /// `official`, `ngo` or `at_risk` (Polish spellings accepted).
    #[schema(example = "official")]
    pub group: String,
    /// An organisation's name; matched to an existing one or created.
    pub organisation: Option<String>,
    /// `F` or `M`.
    pub sex: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i32>, example = 1979)]
    pub birth_year: String,
    /// Vulnerability details of an at-risk person (special-category data, coordinator-only).
    pub vulnerability: Option<String>,
    pub consent_data_on: Option<String>,
    pub consent_image_on: Option<String>,
}

/// The cohort's enrolments (coordinators of its programme and admins only).
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/enrolments", tag = "enrolment",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [EnrolmentOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/enrolments")]
pub async fn list(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<EnrolmentOut>>> {
    let (_, rows) = service::list(db, &user.0, c).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Enrols one person into a gmina team of the cohort.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/enrolments", tag = "enrolment", request_body = EnrolmentBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 201, body = EnrolmentOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/enrolments", data = "<body>")]
pub async fn create(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<EnrolmentBody>,
) -> AppResult<(Status, Json<EnrolmentOut>)> {
    let b = body.0;
    let input = PersonInput {
        first_name: b.first_name,
        last_name: b.last_name,
        email: b.email.unwrap_or_default(),
        phone: b.phone.unwrap_or_default(),
        gmina: b.gmina,
        group: b.group,
        organisation: b.organisation.unwrap_or_default(),
        sex: b.sex.unwrap_or_default(),
        birth_year: b.birth_year,
        vulnerability: b.vulnerability.unwrap_or_default(),
        consent_data_on: b.consent_data_on.unwrap_or_default(),
        consent_image_on: b.consent_image_on.unwrap_or_default(),
    };
    let row = service::enrol(db, &user.0, c, &input).await?;
    let view = service::flag_duplicates(vec![row]).remove(0);
    let (_, all) = service::list(db, &user.0, c).await?;
    let flagged = all
        .into_iter()
        .find(|v| v.row.id == view.row.id)
        .unwrap_or(view);
    Ok((Status::Created, Json(flagged.into())))
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct StatusBody {
    /// `enrolled`, `active`, `withdrawn` or `completed`.
    pub status: String,
    /// Required when withdrawn.
    pub withdrawn_on: Option<String>,
    pub withdrawal_reason: Option<String>,
}

/// Changes an enrolment's status (withdrawn needs the date).
#[utoipa::path(patch, path = "/api/v1/enrolments/{e}", tag = "enrolment", request_body = StatusBody,
    params(("e" = String, Path, description = "enrolment id")),
    responses((status = 200, body = EnrolmentOut), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[patch("/enrolments/<e>", data = "<body>")]
pub async fn update_status(
    db: &DbState,
    user: ApiStaff,
    e: Id,
    body: ApiJson<StatusBody>,
) -> AppResult<Json<EnrolmentOut>> {
    let b = body.0;
    let input = StatusInput {
        status: b.status,
        withdrawn_on: b.withdrawn_on.unwrap_or_default(),
        withdrawal_reason: b.withdrawal_reason.unwrap_or_default(),
    };
    let row = service::set_status(db, &user.0, e, &input).await?;
    let (_, all) = service::list(db, &user.0, &row.cohort_id.to_string()).await?;
    let view = all
        .into_iter()
        .find(|v| v.row.id == e)
        .ok_or(AppError::NotFound)?;
    Ok(Json(view.into()))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamMembers {
    pub official: usize,
    pub ngo: usize,
    pub at_risk: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamOut {
    #[schema(example = "3026043")]
    pub gmina: String,
    pub name: String,
    pub powiat: String,
    /// Active (not withdrawn) members by group.
    pub members: TeamMembers,
    /// Groups with nobody active.
    pub missing: Vec<Group>,
    pub complete: bool,
}

/// The cohort's gmina teams with their members by group and missing roles.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/teams", tag = "enrolment",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [TeamOut]), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/teams")]
pub async fn teams(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<TeamOut>>> {
    let (_, teams) = service::teams(db, &user.0, c).await?;
    let active = |list: &Vec<EnrolmentView>| {
        list.iter()
            .filter(|m| m.row.status != EnrolmentStatus::Withdrawn)
            .count()
    };
    Ok(Json(
        teams
            .into_iter()
            .map(|t| TeamOut {
                members: TeamMembers {
                    official: active(&t.official),
                    ngo: active(&t.ngo),
                    at_risk: active(&t.at_risk),
                },
                gmina: t.gmina.teryt,
                name: t.gmina.name,
                powiat: t.gmina.powiat,
                missing: t.missing,
                complete: t.complete,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportOut {
    /// Rows written (0 on a dry run).
    pub imported: usize,
    /// Rows found valid.
    pub valid: usize,
}

/// Imports a participant CSV (CONTRACT.md): all rows or none; 422 lists every bad row.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/import", tag = "enrolment",
    params(("c" = String, Path, description = "cohort id or slug"),
           ("dry_run" = Option<bool>, Query, description = "check only, write nothing")),
    request_body(content = String, content_type = "text/csv", description = "participant CSV: comma or semicolon, UTF-8 or Windows-1250"),
    responses((status = 200, body = ImportOut), (status = 422, description = "every problem, by row and column", body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/import?<dry_run>", data = "<data>")]
pub async fn import_csv(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    dry_run: Option<bool>,
    data: Data<'_>,
) -> AppResult<Json<ImportOut>> {
    let cohort = programmes::cohort_for(db, &user.0, c).await?;
    let bytes = data
        .open(MAX_IMPORT_MB.mebibytes())
        .into_bytes()
        .await
        .map_err(|e| AppError::Unexpected(e.into()))?;
    if !bytes.is_complete() {
        return Err(crate::error::invalid("file", "err.file_too_large"));
    }
    let outcome = import::import(
        db,
        &Actor::user(&user.0),
        &cohort,
        &bytes,
        dry_run.unwrap_or(false),
    )
    .await?;
    Ok(Json(ImportOut {
        imported: outcome.imported,
        valid: outcome.valid,
    }))
}

/// Everything stored about a person (GDPR art. 15), as JSON; audited.
#[utoipa::path(get, path = "/api/v1/participants/{p}/export", tag = "personal data",
    params(("p" = String, Path, description = "participant id")),
    responses((status = 200, description = "the person's data and enrolments"), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/participants/<p>/export")]
pub async fn export_participant(db: &DbState, user: ApiStaff, p: Id) -> AppResult<Json<Value>> {
    Ok(Json(privacy::export(db, &user.0, p).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Erased {
    pub erased: bool,
}

/// Erases a person (GDPR art. 17): personal fields anonymised; group, gmina, sex, birth decade and
/// enrolments stay for reports; audited.
#[utoipa::path(post, path = "/api/v1/participants/{p}/erase", tag = "personal data",
    params(("p" = String, Path, description = "participant id")),
    responses((status = 200, body = Erased), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/participants/<p>/erase")]
pub async fn erase_participant(db: &DbState, user: ApiStaff, p: Id) -> AppResult<Json<Erased>> {
    privacy::erase(db, &user.0, p).await?;
    Ok(Json(Erased { erased: true }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    pub name: String,
    pub kind: OrganisationKind,
    /// 10 digits.
    pub krs: Option<String>,
    pub gmina: Option<String>,
    pub gmina_name: Option<String>,
}

impl From<Organisation> for OrganisationOut {
    fn from(o: Organisation) -> Self {
        OrganisationOut {
            id: o.id,
            name: o.name,
            kind: o.kind,
            krs: o.krs,
            gmina: o.gmina_teryt,
            gmina_name: o.gmina_name,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct OrganisationBody {
    pub name: String,
    /// `ngo`, `social_enterprise`, `municipal_office`, `public_institution`, `partner`, `other`.
    pub kind: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    pub krs: String,
    pub gmina: Option<String>,
}

/// Every organisation.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "enrolment",
    responses((status = 200, body = [OrganisationOut]), (status = 403, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/organisations")]
pub async fn list_organisations(
    db: &DbState,
    user: ApiStaff,
) -> AppResult<Json<Vec<OrganisationOut>>> {
    let list = org_service::list(db, &user.0).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Adds an organisation (one per KRS number).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "enrolment", request_body = OrganisationBody,
    responses((status = 201, body = OrganisationOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/organisations", data = "<body>")]
pub async fn create_organisation(
    db: &DbState,
    user: ApiStaff,
    body: ApiJson<OrganisationBody>,
) -> AppResult<(Status, Json<OrganisationOut>)> {
    let b = body.0;
    let input = OrganisationInput {
        name: b.name,
        kind: b.kind,
        krs: b.krs,
        gmina: b.gmina.unwrap_or_default(),
    };
    let o = org_service::create(db, &user.0, &input).await?;
    Ok((Status::Created, Json(o.into())))
}
