//! Competence surveys: the cohort's questionnaire, a person's answers before and after the
//! course, personal single-use links, and the change (`Competence`). Staff only.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, delete, get, post, put, routes};
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiJsonOrDefault, ApiStaff, DbState};
use crate::db::Id;
use crate::db::surveys::Item;
use crate::domain::participant::Group;
use crate::domain::survey::{Competence, Phase};
use crate::error::{AppError, AppResult};
use crate::service::programmes::cohort_for;
use crate::service::surveys::{self as service, ItemInput, item_groups, link_url};
use crate::web::base_url::BaseUrl;

pub fn routes() -> Vec<Route> {
    routes![
        list_items,
        add_item,
        update_item,
        remove_item,
        get_answers,
        put_answers,
        create_links,
        results
    ]
}

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

fn parse_phase(phase: &str) -> AppResult<Phase> {
    Phase::parse(phase).ok_or(AppError::NotFound)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// 1, 2, … in questionnaire order.
    pub position: i32,
    pub text: String,
    /// The groups asked; empty = everyone.
    pub groups: Vec<Group>,
    /// Answers it has (both phases); an item with answers cannot be removed.
    pub answers: i64,
}

impl From<Item> for ItemOut {
    fn from(i: Item) -> Self {
        ItemOut {
            groups: item_groups(&i),
            id: i.id,
            position: i.position,
            text: i.text,
            answers: i.answers,
        }
    }
}

/// The cohort's questionnaire in order.
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/survey/items", tag = "surveys",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = [ItemOut]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/survey/items")]
pub async fn list_items(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Vec<ItemOut>>> {
    let (_, items) = service::items(db, &user.0, c).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// 1–300 characters, usually a statement rated from 1 (strongly disagree) to 5 (strongly agree).
    pub text: String,
    /// `official`, `ngo`, `at_risk`; left out or empty = everyone.
    #[serde(default)]
    pub groups: Vec<String>,
}

impl ItemBody {
    fn input(self) -> ItemInput {
        ItemInput {
            text: self.text,
            groups: self.groups,
        }
    }
}

/// Adds an item at the end of the questionnaire.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/survey/items", tag = "surveys", request_body = ItemBody,
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 201, body = ItemOut), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/survey/items", data = "<body>")]
pub async fn add_item(
    db: &DbState,
    user: ApiStaff,
    c: &str,
    body: ApiJson<ItemBody>,
) -> AppResult<(Status, Json<ItemOut>)> {
    let item = service::add_item(db, &user.0, c, &body.0.input()).await?;
    Ok((Status::Created, Json(item.into())))
}

/// Corrects an item's text (and its groups, while nobody has answered it).
#[utoipa::path(put, path = "/api/v1/survey-items/{id}", tag = "surveys", request_body = ItemBody,
    params(("id" = String, Path, description = "item id")),
    responses((status = 200, body = ItemOut), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/survey-items/<id>", data = "<body>")]
pub async fn update_item(
    db: &DbState,
    user: ApiStaff,
    id: &str,
    body: ApiJson<ItemBody>,
) -> AppResult<Json<ItemOut>> {
    let item = service::edit_item(db, &user.0, parse_id(id)?, &body.0.input()).await?;
    Ok(Json(item.into()))
}

/// Removes an item nobody has answered (409 once it has answers).
#[utoipa::path(delete, path = "/api/v1/survey-items/{id}", tag = "surveys",
    params(("id" = String, Path, description = "item id")),
    responses((status = 204, description = "removed"), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[delete("/survey-items/<id>")]
pub async fn remove_item(db: &DbState, user: ApiStaff, id: &str) -> AppResult<Status> {
    service::remove_item(db, &user.0, parse_id(id)?).await?;
    Ok(Status::NoContent)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    #[schema(value_type = String, format = Uuid)]
    pub item: Id,
    /// 1 (strongly disagree) to 5 (strongly agree).
    pub value: i32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AnswersOut {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    pub phase: Phase,
    /// The items the person is asked, in order.
    #[schema(value_type = Vec<String>)]
    pub items: Vec<Id>,
    /// Their answers (empty when not answered yet).
    pub answers: Vec<AnswerBody>,
}

async fn answers_out(db: &DbState, user: &ApiStaff, e: Id, phase: Phase) -> AppResult<AnswersOut> {
    let s = service::sheet(db, &user.0, e, phase).await?;
    let answers = s
        .items
        .iter()
        .filter_map(|i| {
            s.answers.get(&i.id).map(|v| AnswerBody {
                item: i.id,
                value: *v,
            })
        })
        .collect();
    Ok(AnswersOut {
        enrolment: e,
        phase,
        items: s.items.iter().map(|i| i.id).collect(),
        answers,
    })
}

/// A person's answers in a phase (`pre` or `post`).
#[utoipa::path(get, path = "/api/v1/enrolments/{e}/survey/{phase}", tag = "surveys",
    params(("e" = String, Path, description = "enrolment id"), ("phase" = String, Path, description = "`pre` or `post`")),
    responses((status = 200, body = AnswersOut), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/enrolments/<e>/survey/<phase>")]
pub async fn get_answers(
    db: &DbState,
    user: ApiStaff,
    e: &str,
    phase: &str,
) -> AppResult<Json<AnswersOut>> {
    let out = answers_out(db, &user, parse_id(e)?, parse_phase(phase)?).await?;
    Ok(Json(out))
}

/// Enters or corrects a person's answers in a phase: every item for their group, 1–5, all at once
/// (422 naming each missing or wrong item, and nothing is saved). Audited.
#[utoipa::path(put, path = "/api/v1/enrolments/{e}/survey/{phase}", tag = "surveys", request_body = [AnswerBody],
    params(("e" = String, Path, description = "enrolment id"), ("phase" = String, Path, description = "`pre` or `post`")),
    responses((status = 200, body = AnswersOut), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[put("/enrolments/<e>/survey/<phase>", data = "<body>")]
pub async fn put_answers(
    db: &DbState,
    user: ApiStaff,
    e: &str,
    phase: &str,
    body: ApiJson<Vec<AnswerBody>>,
) -> AppResult<Json<AnswersOut>> {
    let (e, phase) = (parse_id(e)?, parse_phase(phase)?);
    let given: Vec<(String, String)> = body
        .0
        .iter()
        .map(|a| (a.item.to_string(), a.value.to_string()))
        .collect();
    service::save_answers(db, &user.0, e, phase, &given).await?;
    Ok(Json(answers_out(db, &user, e, phase).await?))
}

#[derive(Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksBody {
    /// Links for these people only (answered or not); left out = everyone still taking part who
    /// has not answered the phase yet.
    #[schema(value_type = Option<Vec<String>>)]
    pub enrolments: Option<Vec<Id>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkOut {
    #[schema(value_type = String, format = Uuid)]
    pub enrolment: Id,
    /// The personal link; shown only now (only its hash is kept). It works once.
    pub link: String,
}

/// Creates personal single-use links for a phase. A new link replaces the person's earlier unused
/// link for the same phase.
#[utoipa::path(post, path = "/api/v1/cohorts/{c}/survey/links", tag = "surveys",
    params(("c" = String, Path, description = "cohort id or slug"), ("phase" = String, Query, description = "`pre` or `post`")),
    request_body(content = Option<LinksBody>, description = "optional; empty body = everyone without answers"),
    responses((status = 200, body = [LinkOut]), (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[post("/cohorts/<c>/survey/links?<phase>", data = "<body>")]
pub async fn create_links(
    db: &DbState,
    user: ApiStaff,
    base: BaseUrl,
    c: &str,
    phase: Option<&str>,
    body: ApiJsonOrDefault<LinksBody>,
) -> AppResult<Json<Vec<LinkOut>>> {
    let phase = phase
        .and_then(Phase::parse)
        .ok_or_else(|| crate::error::invalid("phase", "survey.err.phase"))?;
    let (_, made) =
        service::create_links(db, &user.0, c, phase, body.0.enrolments.as_deref()).await?;
    Ok(Json(
        made.into_iter()
            .map(|l| LinkOut {
                enrolment: l.enrolment.id,
                link: link_url(&base.0, &l.token),
            })
            .collect(),
    ))
}

/// The competence change so far: overall, by group and per item (means on the 1–5 scale,
/// `share_improved` from 0 to 1; `null` where nobody answered both before and after).
#[utoipa::path(get, path = "/api/v1/cohorts/{c}/survey/results", tag = "surveys",
    params(("c" = String, Path, description = "cohort id or slug")),
    responses((status = 200, body = Competence), (status = 403, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[get("/cohorts/<c>/survey/results")]
pub async fn results(db: &DbState, user: ApiStaff, c: &str) -> AppResult<Json<Competence>> {
    let cohort = cohort_for(db, &user.0, c).await?;
    Ok(Json(service::competence(db, cohort.id).await?))
}
