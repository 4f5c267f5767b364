//! The OpenAPI 3 document of `/api/v1`, generated from the routes' `#[utoipa::path]` annotations.

use rocket::serde::json::Json;
use rocket::{Route, get, routes};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    ErrorBody, ErrorDetailBody, activities, attendance, attendance_export, certificates,
    enrolments, gminy, indicators, me, programmes, reports, surveys, tasks,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Akademia API",
        version = "1",
        description = "Programmes, cohorts, enrolment, scheduling, attendance, certificates and results \
                       reports of advocacy training academies. Authenticate with `Authorization: Bearer <token>`; \
                       tokens are issued on the account page or by `akademia token --email E`."
    ),
    paths(
        gminy::search,
        me::me,
        document,
        programmes::list_programmes,
        programmes::create_programme,
        programmes::get_programme,
        programmes::update_programme,
        programmes::list_cohorts,
        programmes::create_cohort,
        programmes::get_cohort,
        programmes::update_cohort,
        enrolments::list,
        enrolments::create,
        enrolments::update_status,
        enrolments::teams,
        enrolments::import_csv,
        enrolments::export_participant,
        enrolments::erase_participant,
        enrolments::list_organisations,
        enrolments::create_organisation,
        activities::list,
        activities::create,
        activities::get_activity,
        activities::update,
        activities::cancel,
        activities::set_roster,
        activities::cohort_calendar,
        activities::my_activities,
        activities::attendance_list,
        attendance::get_marks,
        attendance::put_marks,
        attendance::cohort_rates,
        attendance::list_evidence,
        attendance::upload_evidence,
        attendance::download_evidence,
        attendance_export::programme_attendance_csv,
        certificates::list,
        certificates::issue,
        certificates::standing,
        certificates::zip,
        certificates::get_certificate,
        certificates::pdf,
        certificates::revoke,
        certificates::reissue,
        certificates::get_rule,
        certificates::put_rule,
        tasks::list,
        tasks::create,
        tasks::get_task,
        tasks::update,
        tasks::remove,
        tasks::list_evidence,
        tasks::upload_evidence,
        tasks::download_evidence,
        tasks::remove_evidence,
        surveys::list_items,
        surveys::add_item,
        surveys::update_item,
        surveys::remove_item,
        surveys::get_answers,
        surveys::put_answers,
        surveys::create_links,
        surveys::results,
        indicators::list,
        indicators::create,
        indicators::update,
        indicators::remove,
        reports::cohort_report,
        reports::programme_report,
    ),
    components(schemas(ErrorBody, ErrorDetailBody, crate::db::gminy::Gmina, me::Me, crate::domain::Role)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("akd_…")
                    .build(),
            ),
        );
    }
}

pub fn routes() -> Vec<Route> {
    routes![document]
}

/// This document (no token needed).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "the OpenAPI 3 document")))]
#[get("/openapi.json")]
pub fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
