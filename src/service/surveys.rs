//! Competence surveys: coordinators of the programme define a cohort's questionnaire, enter or
//! correct a person's answers before and after the course, and hand out personal single-use
//! links (shown once, stored as hashes) through which participants answer without an account.
//! `competence` and `competence_of_programme` give the change the results report shows.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::enrolments::enrolment_for;
use super::programmes::cohort_for;
use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments::{self as enrolments_db, EnrolmentRow};
use crate::db::programmes::Cohort;
use crate::db::surveys::{self as store, Item, OpenLink};
use crate::db::users::User;
use crate::db::{Db, Id, now};
use crate::domain::fold::fold;
use crate::domain::participant::{EnrolmentStatus, Group};
use crate::domain::survey::{
    self as rules, Competence, Pair, Phase, asks, groups_of, groups_text, parse_groups, parse_text,
    parse_value,
};
use crate::domain::token::{hash_api_token, random_string};
use crate::error::{AppError, AppResult, ValidationErrors, invalid};
use crate::i18n::Msg;

/// An item as typed in the form or sent to the API.
#[derive(Clone, Debug, Default)]
pub struct ItemInput {
    pub text: String,
    /// Group names (`official`, `urzędnik`, …); none = everyone.
    pub groups: Vec<String>,
}

/// The groups an item is for.
pub fn item_groups(item: &Item) -> Vec<Group> {
    groups_of(&item.groups)
}

/// The items a person of `group` is asked, in order.
pub fn items_for(items: &[Item], group: Group) -> Vec<Item> {
    items
        .iter()
        .filter(|i| asks(&item_groups(i), group))
        .cloned()
        .collect()
}

/// The cohort's questionnaire (coordinators of the programme).
pub async fn items(db: &Db, user: &User, cohort_key: &str) -> AppResult<(Cohort, Vec<Item>)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let items = store::items(db, cohort.id).await?;
    Ok((cohort, items))
}

/// An item with its cohort, for a coordinator of its programme (404 for anyone else).
pub async fn item_for(db: &Db, user: &User, id: Id) -> AppResult<(Item, Cohort)> {
    let item = store::find_item(db, id).await?.ok_or(AppError::NotFound)?;
    let cohort = cohort_for(db, user, &item.cohort_id.to_string()).await?;
    Ok((item, cohort))
}

fn validate_item(input: &ItemInput) -> AppResult<(String, Vec<Group>)> {
    let mut errors = ValidationErrors::new();
    let text = parse_text(&input.text)
        .map_err(|key| match key {
            "survey.err.text_long" => errors.add(
                "text",
                Msg::new("survey.err.text_long").arg("max", rules::MAX_TEXT),
            ),
            other => errors.add("text", other),
        })
        .ok();
    let groups = parse_groups(&input.groups)
        .map_err(|bad| errors.add("groups", Msg::new("survey.err.group").arg("value", bad)))
        .ok();
    errors.into_result()?;
    Ok((text.unwrap_or_default(), groups.unwrap_or_default()))
}

/// Refuses a text the cohort's questionnaire already has (ignoring case and diacritics).
async fn check_unique(
    tx: &mut crate::db::Tx,
    cohort_id: Id,
    text: &str,
    except: Option<Id>,
) -> AppResult<()> {
    let folded = fold(text);
    let taken = store::texts_in(tx, cohort_id)
        .await?
        .into_iter()
        .any(|(id, t)| Some(id) != except && fold(&t) == folded);
    if taken {
        return Err(invalid("text", "survey.err.duplicate_item"));
    }
    Ok(())
}

fn item_json(text: &str, groups: &[Group]) -> Value {
    json!({ "text": text, "groups": groups_text(groups) })
}

/// Adds an item at the end of the cohort's questionnaire.
pub async fn add_item(
    db: &Db,
    user: &User,
    cohort_key: &str,
    input: &ItemInput,
) -> AppResult<Item> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    add_item_in(db, &Actor::user(user), &cohort, input).await
}

/// `add_item` in a cohort already authorised (or for the command line and the demo).
pub async fn add_item_in(
    db: &Db,
    actor: &Actor,
    cohort: &Cohort,
    input: &ItemInput,
) -> AppResult<Item> {
    let (text, groups) = validate_item(input)?;
    let id = Id::new();
    let mut tx = db.begin().await?;
    check_unique(&mut tx, cohort.id, &text, None).await?;
    store::insert_item(&mut tx, id, cohort.id, &text, &groups_text(&groups), now()).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "survey_item.create",
            entity: "survey_item",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "cohort": cohort.id, "item": item_json(&text, &groups) })),
        },
    )
    .await?;
    let item = store::find_item_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(item)
}

/// Corrects an item's text; its groups may change only while nobody has answered it.
pub async fn edit_item(db: &Db, user: &User, id: Id, input: &ItemInput) -> AppResult<Item> {
    let (old, cohort) = item_for(db, user, id).await?;
    let (text, groups) = validate_item(input)?;
    let mut tx = db.begin().await?;
    let current = store::find_item_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.answers > 0 && groups != item_groups(&current) {
        return Err(invalid("groups", "survey.err.groups_answered"));
    }
    check_unique(&mut tx, cohort.id, &text, Some(id)).await?;
    store::update_item(&mut tx, id, &text, &groups_text(&groups)).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        Change {
            action: "survey_item.update",
            entity: "survey_item",
            entity_id: Some(id.to_string()),
            before: Some(item_json(&old.text, &item_groups(&old))),
            after: Some(item_json(&text, &groups)),
        },
    )
    .await?;
    let item = store::find_item_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(item)
}

/// Removes an item nobody has answered yet (409 otherwise: answers are never thrown away).
pub async fn remove_item(db: &Db, user: &User, id: Id) -> AppResult<Cohort> {
    let (item, cohort) = item_for(db, user, id).await?;
    let mut tx = db.begin().await?;
    if !store::delete_unanswered_item(&mut tx, id).await? {
        return Err(AppError::Conflict(Msg::new("survey.err.item_answered")));
    }
    audit::record(
        &mut tx,
        &Actor::user(user),
        Change {
            action: "survey_item.delete",
            entity: "survey_item",
            entity_id: Some(id.to_string()),
            before: Some(item_json(&item.text, &item_groups(&item))),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(cohort)
}

/// Moves an item one place up or down the questionnaire (at either end, nothing happens).
pub async fn move_item(db: &Db, user: &User, id: Id, up: bool) -> AppResult<Cohort> {
    let (_, cohort) = item_for(db, user, id).await?;
    let mut order = store::items(db, cohort.id).await?;
    let Some(at) = order.iter().position(|i| i.id == id) else {
        return Err(AppError::NotFound);
    };
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(other) = other.filter(|o| *o < order.len()) else {
        return Ok(cohort);
    };
    order.swap(at, other);
    let mut tx = db.begin().await?;
    for (i, item) in order.iter().enumerate() {
        let position = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if item.position != position {
            store::set_position(&mut tx, item.id, position).await?;
        }
    }
    tx.commit().await?;
    Ok(cohort)
}

/// What the answer form of one person and phase shows.
pub struct AnswerSheet {
    pub cohort: Cohort,
    pub enrolment: EnrolmentRow,
    pub phase: Phase,
    /// The items the person is asked, in order.
    pub items: Vec<Item>,
    /// Their current answers (item → value).
    pub answers: HashMap<Id, i32>,
}

/// A person's answers in a phase, for a coordinator of the programme.
pub async fn sheet(db: &Db, user: &User, enrolment_id: Id, phase: Phase) -> AppResult<AnswerSheet> {
    let (cohort, enrolment) = enrolment_for(db, user, enrolment_id).await?;
    let items = items_for(&store::items(db, cohort.id).await?, enrolment.grp);
    let answers = store::answers(db, enrolment_id, phase)
        .await?
        .into_iter()
        .collect();
    Ok(AnswerSheet {
        cohort,
        enrolment,
        phase,
        items,
        answers,
    })
}

/// The field of an item's answer in errors: `answers.<item id>`.
pub fn answer_field(item: &str) -> String {
    format!("answers.{item}")
}

/// Checks a whole set of answers (item id, value as typed) against the items a person is asked:
/// every item answered once, on the 1–5 scale, nothing else. Returns (item, value) in order.
pub fn check_answers(items: &[Item], given: &[(String, String)]) -> AppResult<Vec<(Id, i32)>> {
    let mut errors = ValidationErrors::new();
    if items.is_empty() {
        errors.add("answers", "survey.err.no_items");
    }
    let mut values: HashMap<Id, &str> = HashMap::new();
    let mut seen = HashSet::new();
    for (raw, value) in given {
        let known = raw
            .trim()
            .parse::<Id>()
            .ok()
            .filter(|id| items.iter().any(|i| i.id == *id));
        match known {
            None => errors.add(&answer_field(raw), "survey.err.unknown_item"),
            Some(id) if !seen.insert(id) => {
                errors.add(&answer_field(raw), "survey.err.twice");
            }
            Some(id) => {
                values.insert(id, value.as_str());
            }
        }
    }
    let mut out = Vec::new();
    for item in items {
        let field = answer_field(&item.id.to_string());
        match values.get(&item.id).map(|v| v.trim()) {
            None | Some("") => errors.add(
                &field,
                Msg::new("survey.err.missing").arg("item", &item.text),
            ),
            Some(raw) => match parse_value(raw) {
                Some(v) => out.push((item.id, v)),
                None => errors.add(&field, Msg::new("survey.err.value").arg("item", &item.text)),
            },
        }
    }
    errors.into_result()?;
    Ok(out)
}

fn answers_json(phase: Phase, values: &[(Id, i32)]) -> Value {
    let map: serde_json::Map<String, Value> = values
        .iter()
        .map(|(item, v)| (item.to_string(), json!(v)))
        .collect();
    json!({ "phase": phase.as_str(), "answers": map })
}

/// Saves a person's answers in a phase (all at once, replacing earlier ones), for a coordinator.
pub async fn save_answers(
    db: &Db,
    user: &User,
    enrolment_id: Id,
    phase: Phase,
    given: &[(String, String)],
) -> AppResult<Vec<(Id, i32)>> {
    let sheet = sheet(db, user, enrolment_id, phase).await?;
    let values = check_answers(&sheet.items, given)?;
    record_answers(
        db,
        &Actor::user(user),
        Some(user.id),
        enrolment_id,
        phase,
        &values,
    )
    .await?;
    Ok(values)
}

/// Stores checked answers and audits them (the demo and the command line call this directly).
pub async fn record_answers(
    db: &Db,
    actor: &Actor,
    entered_by: Option<Id>,
    enrolment_id: Id,
    phase: Phase,
    values: &[(Id, i32)],
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    write_answers(&mut tx, actor, entered_by, enrolment_id, phase, values).await?;
    tx.commit().await?;
    Ok(())
}

async fn write_answers(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    entered_by: Option<Id>,
    enrolment_id: Id,
    phase: Phase,
    values: &[(Id, i32)],
) -> AppResult<()> {
    let before = store::answers_in(tx, enrolment_id, phase).await?;
    store::replace_answers(tx, enrolment_id, phase, values, entered_by, now()).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "survey_answers.save",
            entity: "enrolment",
            entity_id: Some(enrolment_id.to_string()),
            before: (!before.is_empty()).then(|| answers_json(phase, &before)),
            after: Some(answers_json(phase, values)),
        },
    )
    .await?;
    Ok(())
}

/// A link made for one person: the plain token, shown once and never stored.
pub struct NewLink {
    pub enrolment: EnrolmentRow,
    pub token: String,
}

/// The path of a survey link (`/survey/<token>`); prefix it with the site's address.
pub fn link_path(token: &str) -> String {
    format!("/survey/{token}")
}

/// The full URL of a survey link.
pub fn link_url(base: &str, token: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), link_path(token))
}

/// Makes personal links for a phase: for the enrolments in `only` (any of the cohort's people who
/// are not erased), or for everyone still taking part (not withdrawn) who has no answers in that
/// phase yet. A new link replaces the person's earlier unused link for the phase.
pub async fn create_links(
    db: &Db,
    user: &User,
    cohort_key: &str,
    phase: Phase,
    only: Option<&[Id]>,
) -> AppResult<(Cohort, Vec<NewLink>)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    if store::items(db, cohort.id).await?.is_empty() {
        return Err(invalid("phase", "survey.err.no_items"));
    }
    let people = enrolments_db::list_for_cohort(db, cohort.id).await?;
    let chosen: Vec<EnrolmentRow> = match only {
        Some(ids) => {
            let mut errors = ValidationErrors::new();
            let mut chosen = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                match people.iter().find(|e| e.id == *id) {
                    None => errors.add_row(i + 1, "enrolments", "survey.err.not_in_cohort"),
                    Some(e) if e.erased => errors.add_row(i + 1, "enrolments", "survey.err.erased"),
                    Some(e) if !chosen.iter().any(|c: &EnrolmentRow| c.id == e.id) => {
                        chosen.push(e.clone())
                    }
                    Some(_) => {}
                }
            }
            errors.into_result()?;
            chosen
        }
        None => {
            let answered: HashSet<Id> = store::answer_counts(db, cohort.id)
                .await?
                .into_iter()
                .filter(|(_, p, n)| *p == phase && *n > 0)
                .map(|(e, _, _)| e)
                .collect();
            people
                .into_iter()
                .filter(|e| {
                    !e.erased && e.status != EnrolmentStatus::Withdrawn && !answered.contains(&e.id)
                })
                .collect()
        }
    };
    if chosen.is_empty() {
        return Ok((cohort, Vec::new()));
    }
    let at = now();
    let mut tx = db.begin().await?;
    let mut links = Vec::with_capacity(chosen.len());
    for e in chosen {
        let token = random_string(18);
        store::insert_link(
            &mut tx,
            e.id,
            phase,
            &hash_api_token(&token),
            Some(user.id),
            at,
        )
        .await?;
        links.push(NewLink {
            enrolment: e,
            token,
        });
    }
    audit::record(
        &mut tx,
        &Actor::user(user),
        Change {
            action: "survey_link.create",
            entity: "cohort",
            entity_id: Some(cohort.id.to_string()),
            before: None,
            after: Some(json!({
                "phase": phase.as_str(),
                "enrolments": links.iter().map(|l| l.enrolment.id).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((cohort, links))
}

/// What a working link shows: the person's first name (nothing more), the cohort, the phase and
/// the items for their group.
pub struct LinkSheet {
    pub link: OpenLink,
    pub items: Vec<Item>,
}

/// The survey behind a token, or `None` for a link that is unknown, used or replaced.
pub async fn open(db: &Db, token: &str) -> AppResult<Option<LinkSheet>> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let Some(link) = store::open_link(db, &hash_api_token(token)).await? else {
        return Ok(None);
    };
    let items = items_for(&store::items(db, link.cohort_id).await?, link.grp);
    Ok(Some(LinkSheet { link, items }))
}

/// Who answers through a link, in the audit log.
fn participant_actor() -> Actor {
    Actor {
        id: None,
        label: "survey-link".to_owned(),
    }
}

/// Saves the answers sent through a link and uses the link up. A link that stopped working is
/// `NotFound`; a refused set of answers leaves the link working.
pub async fn answer_by_link(db: &Db, token: &str, given: &[(String, String)]) -> AppResult<()> {
    let sheet = open(db, token).await?.ok_or(AppError::NotFound)?;
    let values = check_answers(&sheet.items, given)?;
    let link = &sheet.link;
    let mut tx = db.begin().await?;
    if !store::use_link(&mut tx, link.id, now()).await? {
        return Err(AppError::NotFound);
    }
    write_answers(
        &mut tx,
        &participant_actor(),
        None,
        link.enrolment_id,
        link.phase,
        &values,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where a person stands in a phase: the items they are asked and how many they answered.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub asked: usize,
    pub answered: i64,
}

impl Progress {
    pub fn complete(&self) -> bool {
        self.asked > 0 && self.answered >= self.asked as i64
    }
}

/// One person on the survey page.
pub struct PersonRow {
    pub enrolment: EnrolmentRow,
    pub pre: Progress,
    pub post: Progress,
}

/// The survey page of a cohort: the questionnaire, everyone's progress, the change so far.
pub struct Overview {
    pub cohort: Cohort,
    pub items: Vec<Item>,
    pub people: Vec<PersonRow>,
    pub competence: Competence,
}

pub async fn overview(db: &Db, user: &User, cohort_key: &str) -> AppResult<Overview> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let items = store::items(db, cohort.id).await?;
    let mut counts: HashMap<(Id, Phase), i64> = HashMap::new();
    for (e, phase, n) in store::answer_counts(db, cohort.id).await? {
        counts.insert((e, phase), n);
    }
    let people = enrolments_db::list_for_cohort(db, cohort.id)
        .await?
        .into_iter()
        .map(|e| {
            let asked = items
                .iter()
                .filter(|i| asks(&item_groups(i), e.grp))
                .count();
            let progress = |phase| Progress {
                asked,
                answered: counts.get(&(e.id, phase)).copied().unwrap_or(0),
            };
            PersonRow {
                pre: progress(Phase::Pre),
                post: progress(Phase::Post),
                enrolment: e,
            }
        })
        .collect();
    let competence = compute(&items, store::pairs(db, cohort.id).await?);
    Ok(Overview {
        cohort,
        items,
        people,
        competence,
    })
}

fn compute(items: &[Item], rows: Vec<store::PairRow>) -> Competence {
    let items: Vec<rules::Item> = items
        .iter()
        .map(|i| rules::Item {
            id: i.id,
            text: i.text.clone(),
            groups: item_groups(i),
        })
        .collect();
    let pairs: Vec<Pair> = rows
        .into_iter()
        .map(|r| Pair {
            person: r.enrolment_id,
            group: r.grp,
            item: r.item_id,
            pre: r.pre,
            post: r.post,
        })
        .collect();
    rules::competence(&items, &pairs)
}

/// The competence change of a cohort. No access check: callers check access themselves.
pub async fn competence(db: &Db, cohort_id: Id) -> AppResult<Competence> {
    let items = store::items(db, cohort_id).await?;
    Ok(compute(&items, store::pairs(db, cohort_id).await?))
}

/// The competence change of a whole programme, from every person of every cohort (items with the
/// same text and groups read as one). No access check: callers check access themselves.
pub async fn competence_of_programme(db: &Db, programme_id: Id) -> AppResult<Competence> {
    let items = store::items_of_programme(db, programme_id).await?;
    Ok(compute(
        &items,
        store::pairs_of_programme(db, programme_id).await?,
    ))
}
