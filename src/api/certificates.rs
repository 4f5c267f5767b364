//! Certificates: who is eligible, issuing (all eligible or chosen people), the PDF and ZIP,
//! revocation, reissue after a name correction, and the cohort's rule.

use chrono::{DateTime, NaiveDate, Utc};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{Route, get, post, put, routes};
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiJsonOrDefault, ApiStaff, DbState};
use crate::db::Id;
use crate::db::certificates::Certificate;
use crate::domain::activity::hours_value;
use crate::domain::certificate::format_code;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::service::certificates::{self as service, SettingsInput, Standing};
use crate::web::base_url::BaseUrl;
use crate::web::cohorts::Download;
use crate::web::context::RequestLang;

pub fn routes() -> Vec<Route> {
    routes![
        list,
        issue,
        standing,
        zip,
        get_certificate,
        pdf,
        revoke,
        reissue,
        get_rule,
        put_rule
    ]
}

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CertificateOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// `WARNIK/2022/017`.
    pub number: String,
    /// The public verification code: four groups of four, e.g. `7K3M-Q9XD-2HFB-TR4W`.
    pub code: String,
    pub holder: String,
    pub revoked: bool,
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    /// `pl` or `en`.
    pub lang: String,
    pub issued_on: NaiveDate,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
    /// The certificate that replaced this one after a name correction.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub replaced_by: Option<Id>,
}

impl From<Certificate> for CertificateOut {
    fn from(c: Certificate) -> Self {
        CertificateOut {
            id: c.id,
            holder: c.holder(),
            code: format_code(&c.code),
            revoked: c.revoked(),
            number: c.number,
            enrolment: c.enrolment_id,
            lang: c.lang,
            issued_on: c.issued_on,
            revoked_at: c.revoked_at,
            revoked_reason: c.revoked_reason,
            replaced_by: c.replaced_by,
        }
    }
}

/// The cohort's certificates in number order, revoked ones included.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/certificates", tag = "certificates",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [CertificateOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/certificates")]
pub async fn list(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<CertificateOut>>> {
    let overview = service::overview(db, &user.0, c).await?;
    Ok(Json(
        overview.certificates.into_iter().map(Into::into).collect(),
    ))
}

#[derive(Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// Only these enrolments (each must be eligible); all eligible when left out.
    #[schema(value_type = Option<Vec<String>>)]
    pub enrolments: Option<Vec<Id>>,
    /// `pl` (default) or `en`.
    pub lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedOut {
    pub issued: usize,
    pub certificates: Vec<CertificateOut>,
}

fn lang_of(code: Option<&str>) -> AppResult<Option<Lang>> {
    match code {
        None => Ok(None),
        Some(c) => Lang::parse(c)
            .map(Some)
            .ok_or_else(|| crate::error::invalid("lang", "cert.err.lang")),
    }
}

/// Issues certificates to every eligible enrolment that has never held one (or to those listed).
/// Issuing again issues nothing; a revoked certificate is replaced only by a reissue.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/certificates", tag = "certificates",
    params(("c" = String, Path, description = "cohort id or slug")),
    request_body(content = Option<IssueBody>, description = "optional; empty body = all eligible, in Polish"),
    responses((status = 200, body = IssuedOut), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/certificates", data = "<body>")]
pub async fn issue(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJsonOrDefault<IssueBody>,
) -> AppResult<Json<IssuedOut>> {
    let lang = lang_of(body.0.lang.as_deref())?.unwrap_or_default();
    let issued = service::issue(db, &user.0, c, body.0.enrolments.as_deref(), lang).await?;
    Ok(Json(IssuedOut {
        issued: issued.len(),
        certificates: issued.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StandingOut {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    pub holder: String,
    /// `eligible`, `not_yet`, `certified` or `revoked`.
    pub status: &'static str,
    /// Why not yet, in the reader's language.
    pub reasons: Vec<String>,
    pub attended_hours: f64,
    pub planned_hours: f64,
    pub certificate: Option<CertificateOut>,
}

/// Every enrolment with where it stands under the cohort's rule.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/certificates/eligibility", tag = "certificates",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [StandingOut])),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/certificates/eligibility")]
pub async fn standing(
    db: &DbState,
    user: ApiStaff,
    lang: RequestLang,
    c: &str,
) -> AppResult<Json<Vec<StandingOut>>> {
    let overview = service::overview(db, &user.0, c).await?;
    let out = overview
        .rows
        .into_iter()
        .map(|r| {
            let (status, reasons, certificate) = match r.standing {
                Standing::Certified(c) => ("certified", Vec::new(), Some(c.into())),
                Standing::Revoked(c) => ("revoked", Vec::new(), Some(c.into())),
                Standing::Eligible => ("eligible", Vec::new(), None),
                Standing::NotYet(short) => (
                    "not_yet",
                    short.iter().map(|s| s.text(lang.0)).collect(),
                    None,
                ),
            };
            StandingOut {
                enrolment: r.enrolment.id,
                holder: format!("{} {}", r.enrolment.first_name, r.enrolment.last_name),
                status,
                reasons,
                attended_hours: hours_value(r.attended),
                planned_hours: hours_value(r.planned),
                certificate,
            }
        })
        .collect();
    Ok(Json(out))
}

/// Every valid certificate of the cohort as PDFs in a ZIP.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/certificates.zip", tag = "certificates",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, content_type = "application/zip", description = "the ZIP")),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/certificates.zip")]
pub async fn zip(db: &DbState, user: ApiStaff, base: BaseUrl, c: &str) -> AppResult<Download> {
    let (name, bytes) = service::zip(db, &user.0, c, &base.0).await?;
    Ok(Download::new(&name, ContentType::ZIP, bytes))
}

/// One certificate.
#[utoipa::path(get, path = "/api/v1/certificates/{id}", tag = "certificates",
    params(("id" = String, Path, description = "certificate id")),
    responses((status = 200, body = CertificateOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/certificates/<id>")]
pub async fn get_certificate(
    db: &DbState,
    user: ApiStaff,
    id: &str,
) -> AppResult<Json<CertificateOut>> {
    let (cert, _) = service::certificate_for(db, &user.0, parse_id(id)?).await?;
    Ok(Json(cert.into()))
}

/// The certificate as a PDF (A4 landscape, in the certificate's language).
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "certificates",
    params(("id" = String, Path, description = "certificate id")),
    responses((status = 200, content_type = "application/pdf", description = "the PDF")),
    security(("bearer" = [])))]
#[get("/certificates/<id>/pdf")]
pub async fn pdf(db: &DbState, user: ApiStaff, base: BaseUrl, id: &str) -> AppResult<Download> {
    let (name, bytes) = service::pdf(db, &user.0, parse_id(id)?, &base.0).await?;
    Ok(Download::inline(&name, ContentType::PDF, bytes))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    pub reason: String,
}

/// Revokes a certificate with a reason (audited); it verifies as revoked from then on.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", tag = "certificates", request_body = RevokeBody,
    params(("id" = String, Path, description = "certificate id")),
    responses((status = 200, body = CertificateOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/certificates/<id>/revoke", data = "<body>")]
pub async fn revoke(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    body: ApiJson<RevokeBody>,
) -> AppResult<Json<CertificateOut>> {
    let cert = service::revoke(db, &user.0, parse_id(id)?, &body.0.reason).await?;
    Ok(Json(cert.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueBody {
    pub first_name: String,
    pub last_name: String,
    /// `pl` or `en`; the old certificate's language when left out.
    pub lang: Option<String>,
}

/// Corrects the holder's name and reissues: a new number and code; the old certificate is revoked
/// and points to the new one.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/reissue", tag = "certificates", request_body = ReissueBody,
    params(("id" = String, Path, description = "certificate id")),
    responses((status = 201, body = CertificateOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/certificates/<id>/reissue", data = "<body>")]
pub async fn reissue(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    body: ApiJson<ReissueBody>,
) -> AppResult<(Status, Json<CertificateOut>)> {
    let b = body.0;
    let lang = lang_of(b.lang.as_deref())?;
    let cert = service::reissue(
        db,
        &user.0,
        parse_id(id)?,
        &b.first_name,
        &b.last_name,
        lang,
    )
    .await?;
    Ok((Status::Created, Json(cert.into())))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleBody {
    /// Number prefix, e.g. `WARNIK` → `WARNIK/2022/017`.
    pub prefix: String,
    /// Minimum attendance in percent (default 80).
    pub min_rate: u8,
    /// At least N attended activities of a kind: `{"study_visit": 1}`.
    #[serde(default)]
    pub required_kinds: std::collections::BTreeMap<String, u32>,
    /// Modules with at least one attended activity each.
    #[serde(default)]
    pub required_modules: Vec<String>,
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub signatory: String,
    #[serde(default)]
    pub signatory_role: String,
    /// Where certificates are issued ("Leszno").
    #[serde(default)]
    pub place: String,
}

/// The cohort's certificate rule and signature block.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/certificate-rule", tag = "certificates",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = RuleBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/certificate-rule")]
pub async fn get_rule(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<RuleBody>> {
    let overview = service::overview(db, &user.0, c).await?;
    let s = overview.settings;
    Ok(Json(RuleBody {
        prefix: s.prefix,
        min_rate: s.rule.min_rate,
        required_kinds: s
            .rule
            .kinds
            .iter()
            .map(|(k, n)| (k.as_str().to_owned(), *n))
            .collect(),
        required_modules: s.rule.modules,
        organiser: s.organiser,
        signatory: s.signatory,
        signatory_role: s.signatory_role,
        place: s.place,
    }))
}

/// Sets the cohort's certificate rule (certificates already issued do not change).
#[utoipa::path(put, path = "/api/v1/cohorts/{c}/certificate-rule", tag = "certificates", request_body = RuleBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = RuleBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/cohorts/<c>/certificate-rule", data = "<body>")]
pub async fn put_rule(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<RuleBody>,
) -> AppResult<Json<RuleBody>> {
    let b = body.0;
    let kinds = b
        .required_kinds
        .iter()
        .map(|(k, n)| format!("{k}={n}"))
        .collect::<Vec<_>>()
        .join(",");
    let input = SettingsInput {
        prefix: b.prefix,
        min_rate: b.min_rate.to_string(),
        required_kinds: kinds,
        required_modules: b.required_modules.join("\n"),
        organiser: b.organiser,
        signatory: b.signatory,
        signatory_role: b.signatory_role,
        place: b.place,
    };
    service::save_settings(db, &user.0, c, &input).await?;
    get_rule(db, user, c).await
}
