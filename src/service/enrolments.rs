//! Enrolling participants in a cohort gmina by gmina: one person from a form or the API, many
//! from a CSV file (all or nothing), the gmina teams with their missing roles, status changes,
//! possible duplicates (confirm or merge).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments::{
    self, EnrolmentFields, EnrolmentRow, NewEnrolment, NewParticipant, ParticipantFields, TeamRow,
};
use crate::db::organisations::{self, OrganisationFields};
use crate::db::programmes::Cohort;
use crate::db::users::User;
use crate::db::{Db, Id, Tx, gminy};
use crate::domain::fold::fold;
use crate::domain::participant::{
    EnrolmentStatus, Group, OrganisationKind, Sex, parse_birth_year, parse_phone, person_key,
};
use crate::domain::{Email, Teryt};
use crate::error::{AppError, AppResult, ValidationErrors, invalid};
use crate::i18n::Msg;
use crate::service::programmes::cohort_for;

/// The gmina register in memory, for resolving codes and names of many rows at once.
pub struct GminaIndex {
    by_code: HashMap<String, (String, String)>,
    by_name: HashMap<String, Vec<(String, String, String)>>,
}

impl GminaIndex {
    pub async fn load(db: &Db) -> AppResult<GminaIndex> {
        let all = gminy::all_active(db).await?;
        let mut by_code = HashMap::with_capacity(all.len());
        let mut by_name: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
        for g in all {
            by_name.entry(fold(&g.name)).or_default().push((
                g.teryt.clone(),
                g.name.clone(),
                g.powiat.clone(),
            ));
            by_code.insert(g.teryt, (g.name, g.powiat));
        }
        Ok(GminaIndex { by_code, by_name })
    }

    /// A TERYT code from a code or an unambiguous name; the error says why not.
    pub fn resolve(&self, input: &str) -> Result<String, Msg> {
        let text = input.trim();
        if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
            return match Teryt::parse(text) {
                Ok(code) if self.by_code.contains_key(code.as_str()) => Ok(code.to_string()),
                _ => Err(Msg::new("err.gmina_unknown_code").arg("value", text)),
            };
        }
        let key = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
        match self.by_name.get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(one.0.clone()),
            Some(many) => {
                let candidates = many
                    .iter()
                    .map(|(code, name, powiat)| format!("{code} ({name}, {powiat})"))
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(Msg::new("err.gmina_ambiguous")
                    .arg("value", text)
                    .arg("candidates", candidates))
            }
            None => Err(Msg::new("err.gmina_unknown_name").arg("value", text)),
        }
    }
}

/// One person to enrol, validated; the gmina is a TERYT code in the register.
#[derive(Clone, Debug)]
pub struct NewPerson {
    pub row: Option<usize>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub gmina: String,
    pub group: Group,
    pub organisation: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub vulnerability: Option<String>,
    pub consent_data_on: Option<NaiveDate>,
    pub consent_image_on: Option<NaiveDate>,
}

/// What a form or an API client gives for one person; all text until validated.
#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub gmina: String,
    pub group: String,
    pub organisation: String,
    pub sex: String,
    pub birth_year: String,
    pub vulnerability: String,
    pub consent_data_on: String,
    pub consent_image_on: String,
}

pub fn this_year() -> i32 {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .year()
}

fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn optional_date(errors: &mut ValidationErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let text = value.trim();
    if text.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| errors.add(field, "err.date_format"))
        .ok()
}

/// Validates one person from a form or the API.
pub fn validate_person(
    index: &GminaIndex,
    input: &PersonInput,
) -> Result<NewPerson, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut name = |field: &str, value: &str| {
        let v = clean(value);
        if v.is_empty() {
            errors.add(field, "err.required");
        } else if v.chars().count() > 200 {
            errors.add(field, "err.too_long");
        }
        v
    };
    let first_name = name("first_name", &input.first_name);
    let last_name = name("last_name", &input.last_name);
    let email = match input.email.trim() {
        "" => None,
        e => Email::parse(e).map_err(|k| errors.add("email", k)).ok(),
    };
    let phone = parse_phone(&input.phone)
        .map_err(|k| errors.add("phone", k))
        .ok()
        .flatten();
    let gmina = if input.gmina.trim().is_empty() {
        errors.add("gmina", "err.required");
        None
    } else {
        index
            .resolve(&input.gmina)
            .map_err(|m| errors.add("gmina", m))
            .ok()
    };
    let group = match input.group.trim() {
        "" => {
            errors.add("group", "err.required");
            None
        }
        g => Group::parse(g).or_else(|| {
            errors.add("group", Msg::new("err.group_invalid").arg("value", g));
            None
        }),
    };
    let organisation = Some(clean(&input.organisation)).filter(|o| !o.is_empty());
    if organisation
        .as_ref()
        .is_some_and(|o| o.chars().count() > 200)
    {
        errors.add("organisation", "err.too_long");
    }
    let sex = match input.sex.trim() {
        "" => None,
        s => Sex::parse(s).or_else(|| {
            errors.add("sex", Msg::new("err.sex_invalid").arg("value", s));
            None
        }),
    };
    let birth_year = parse_birth_year(&input.birth_year, this_year())
        .map_err(|k| errors.add("birth_year", k))
        .ok()
        .flatten();
    let vulnerability = Some(input.vulnerability.trim().to_owned()).filter(|v| !v.is_empty());
    if vulnerability
        .as_ref()
        .is_some_and(|v| v.chars().count() > 2000)
    {
        errors.add("vulnerability", "err.too_long");
    }
    let consent_data_on = optional_date(&mut errors, "consent_data_on", &input.consent_data_on);
    let consent_image_on = optional_date(&mut errors, "consent_image_on", &input.consent_image_on);
    match (gmina, group) {
        (Some(gmina), Some(group)) if errors.is_empty() => Ok(NewPerson {
            row: None,
            first_name,
            last_name,
            email,
            phone,
            gmina,
            group,
            organisation,
            sex,
            birth_year,
            vulnerability,
            consent_data_on,
            consent_image_on,
        }),
        _ => Err(errors),
    }
}

/// The organisation kind a new organisation named in an enrolment most likely has.
fn guessed_kind(group: Group) -> OrganisationKind {
    match group {
        Group::Official => OrganisationKind::MunicipalOffice,
        Group::Ngo => OrganisationKind::Ngo,
        Group::AtRisk => OrganisationKind::Other,
    }
}

/// Writes people into a cohort inside `tx`: emails already in the cohort are errors (by row or on
/// `email`); participants with a known email are reused; organisations are matched by name or
/// created; gmina teams are added. Returns the new enrolment ids.
pub async fn write_people(tx: &mut Tx, cohort_id: Id, people: &[NewPerson]) -> AppResult<Vec<Id>> {
    let taken: HashSet<String> = enrolments::emails_in_cohort(tx, cohort_id)
        .await?
        .into_iter()
        .collect();
    let mut errors = ValidationErrors::new();
    for p in people {
        if let Some(email) = p.email.as_ref().filter(|e| taken.contains(e.as_str())) {
            let msg = Msg::new("err.email_in_cohort").arg("email", email.as_str());
            match p.row {
                Some(row) => errors.add_row(row, "email", msg),
                None => errors.add("email", msg),
            }
        }
    }
    errors.into_result()?;
    let emails: Vec<String> = people
        .iter()
        .filter_map(|p| p.email.as_ref().map(|e| e.as_str().to_owned()))
        .collect();
    let mut known: HashMap<String, Id> = HashMap::new();
    for (email, id) in enrolments::participants_by_email(tx, &emails).await? {
        known.entry(email).or_insert(id);
    }
    let mut orgs: HashMap<String, Id> = HashMap::new();
    for (folded, id) in organisations::ids_by_folded_name(tx).await? {
        orgs.entry(folded).or_insert(id);
    }
    let mut new_orgs: Vec<(Id, OrganisationFields)> = Vec::new();
    let mut new_participants = Vec::new();
    let mut new_enrolments = Vec::with_capacity(people.len());
    for p in people {
        let organisation_id = match &p.organisation {
            None => None,
            Some(name) => {
                let folded = fold(name);
                match orgs.get(&folded) {
                    Some(id) => Some(*id),
                    None => {
                        let id = Id::new();
                        new_orgs.push((
                            id,
                            OrganisationFields {
                                name: name.clone(),
                                kind: guessed_kind(p.group),
                                krs: None,
                                gmina_teryt: Some(p.gmina.clone()),
                            },
                        ));
                        orgs.insert(folded, id);
                        Some(id)
                    }
                }
            }
        };
        let email = p.email.as_ref().map(|e| e.as_str().to_owned());
        let participant_id = match email.as_ref().and_then(|e| known.get(e)) {
            Some(id) => *id,
            None => {
                let id = Id::new();
                new_participants.push(NewParticipant {
                    id,
                    first_name: p.first_name.clone(),
                    last_name: p.last_name.clone(),
                    email: email.clone(),
                    phone: p.phone.clone(),
                    sex: p.sex,
                    birth_year: p.birth_year,
                    vulnerability: if p.group == Group::AtRisk {
                        p.vulnerability.clone()
                    } else {
                        None
                    },
                    consent_data_on: p.consent_data_on,
                    consent_image_on: p.consent_image_on,
                });
                id
            }
        };
        new_enrolments.push(NewEnrolment {
            id: Id::new(),
            cohort_id,
            participant_id,
            gmina_teryt: p.gmina.clone(),
            group: p.group,
            organisation_id,
            email_key: email,
            person_key: person_key(&p.first_name, &p.last_name),
        });
    }
    organisations::insert_many(tx, &new_orgs).await?;
    enrolments::insert_participants(tx, &new_participants).await?;
    enrolments::insert_enrolments(tx, &new_enrolments).await?;
    let mut teams: Vec<String> = people.iter().map(|p| p.gmina.clone()).collect();
    teams.sort();
    teams.dedup();
    enrolments::ensure_teams(tx, cohort_id, &teams).await?;
    Ok(new_enrolments.iter().map(|e| e.id).collect())
}

/// Enrols one person (form or API).
pub async fn enrol(
    db: &Db,
    user: &User,
    cohort_key: &str,
    input: &PersonInput,
) -> AppResult<EnrolmentRow> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let index = GminaIndex::load(db).await?;
    let person = validate_person(&index, input).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    let ids = write_people(&mut tx, cohort.id, std::slice::from_ref(&person)).await?;
    let change = Change {
        action: "enrolment.create",
        entity: "enrolment",
        entity_id: ids.first().map(Id::to_string),
        before: None,
        after: Some(json!({ "cohort": cohort.slug, "gmina": person.gmina, "group": person.group })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    let id = ids.first().copied().ok_or(AppError::NotFound)?;
    enrolments::find(db, id).await?.ok_or(AppError::NotFound)
}

/// An enrolment as lists show it, with the possible-duplicate flag.
#[derive(Clone, Debug, Serialize)]
pub struct EnrolmentView {
    #[serde(flatten)]
    pub row: EnrolmentRow,
    pub possible_duplicate: bool,
}

/// The cohort's enrolments, flagged where first name, last name and gmina repeat.
pub fn flag_duplicates(rows: Vec<EnrolmentRow>) -> Vec<EnrolmentView> {
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for r in rows.iter().filter(|r| !r.erased) {
        *counts
            .entry((r.person_key.clone(), r.gmina_teryt.clone()))
            .or_default() += 1;
    }
    rows.into_iter()
        .map(|row| {
            let possible_duplicate = !row.erased
                && !row.not_duplicate
                && counts
                    .get(&(row.person_key.clone(), row.gmina_teryt.clone()))
                    .copied()
                    .unwrap_or(0)
                    > 1;
            EnrolmentView {
                row,
                possible_duplicate,
            }
        })
        .collect()
}

pub async fn list(
    db: &Db,
    user: &User,
    cohort_key: &str,
) -> AppResult<(Cohort, Vec<EnrolmentView>)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let rows = enrolments::list_for_cohort(db, cohort.id).await?;
    Ok((cohort, flag_duplicates(rows)))
}

/// A gmina team: its members by group and the groups it still lacks.
#[derive(Clone, Debug, Serialize)]
pub struct Team {
    pub gmina: TeamRow,
    pub official: Vec<EnrolmentView>,
    pub ngo: Vec<EnrolmentView>,
    pub at_risk: Vec<EnrolmentView>,
    /// Groups with no active member (withdrawn people don't fill a role).
    pub missing: Vec<Group>,
    pub complete: bool,
    pub active_members: usize,
}

/// Groups the teams of a cohort from its enrolments (teams without members included).
pub fn build_teams(team_rows: Vec<TeamRow>, enrolled: Vec<EnrolmentView>) -> Vec<Team> {
    let mut by_gmina: HashMap<String, Vec<EnrolmentView>> = HashMap::new();
    for e in enrolled {
        by_gmina
            .entry(e.row.gmina_teryt.clone())
            .or_default()
            .push(e);
    }
    let mut team_rows = team_rows;
    team_rows.sort_by_cached_key(|t| (fold(&t.name), t.teryt.clone()));
    team_rows
        .into_iter()
        .map(|gmina| {
            let members = by_gmina.remove(&gmina.teryt).unwrap_or_default();
            let (mut official, mut ngo, mut at_risk) = (Vec::new(), Vec::new(), Vec::new());
            for m in members {
                match m.row.grp {
                    Group::Official => official.push(m),
                    Group::Ngo => ngo.push(m),
                    Group::AtRisk => at_risk.push(m),
                }
            }
            let active = |list: &Vec<EnrolmentView>| {
                list.iter()
                    .filter(|m| m.row.status != EnrolmentStatus::Withdrawn)
                    .count()
            };
            let missing: Vec<Group> = [
                (Group::Official, &official),
                (Group::Ngo, &ngo),
                (Group::AtRisk, &at_risk),
            ]
            .into_iter()
            .filter(|(_, list)| active(list) == 0)
            .map(|(g, _)| g)
            .collect();
            let active_members = active(&official) + active(&ngo) + active(&at_risk);
            Team {
                gmina,
                complete: missing.is_empty(),
                missing,
                official,
                ngo,
                at_risk,
                active_members,
            }
        })
        .collect()
}

pub async fn teams(db: &Db, user: &User, cohort_key: &str) -> AppResult<(Cohort, Vec<Team>)> {
    let (cohort, enrolled) = list(db, user, cohort_key).await?;
    let rows = enrolments::teams(db, cohort.id).await?;
    Ok((cohort, build_teams(rows, enrolled)))
}

/// Adds a gmina team (no members yet) to a cohort.
pub async fn add_team(db: &Db, user: &User, cohort_key: &str, teryt: &str) -> AppResult<Cohort> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let index = GminaIndex::load(db).await?;
    let code = index.resolve(teryt).map_err(|m| invalid("gmina", m))?;
    let mut tx = db.begin().await?;
    enrolments::ensure_teams(&mut tx, cohort.id, std::slice::from_ref(&code)).await?;
    let change = Change {
        action: "cohort.team_add",
        entity: "cohort",
        entity_id: Some(cohort.id.to_string()),
        before: None,
        after: Some(json!({ "gmina": code })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(cohort)
}

/// Removes a gmina team that has nobody enrolled.
pub async fn remove_team(db: &Db, user: &User, cohort_key: &str, teryt: &str) -> AppResult<Cohort> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let mut tx = db.begin().await?;
    if !enrolments::remove_empty_team(&mut tx, cohort.id, teryt).await? {
        return Err(AppError::Conflict(Msg::new("err.team_not_empty")));
    }
    let change = Change {
        action: "cohort.team_remove",
        entity: "cohort",
        entity_id: Some(cohort.id.to_string()),
        before: Some(json!({ "gmina": teryt })),
        after: None,
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(cohort)
}

/// An enrolment `user` may manage, with its cohort.
pub async fn enrolment_for(db: &Db, user: &User, id: Id) -> AppResult<(Cohort, EnrolmentRow)> {
    if !crate::service::programmes::manages(user) {
        return Err(AppError::Forbidden);
    }
    let row = enrolments::find(db, id).await?.ok_or(AppError::NotFound)?;
    let cohort = cohort_for(db, user, &row.cohort_id.to_string()).await?;
    Ok((cohort, row))
}

/// Whether the enrolment is flagged as a possible duplicate, and the other enrolments it matches.
pub async fn duplicates_of(db: &Db, row: &EnrolmentRow) -> AppResult<Vec<EnrolmentRow>> {
    if row.erased {
        return Ok(Vec::new());
    }
    Ok(enrolments::list_for_cohort(db, row.cohort_id)
        .await?
        .into_iter()
        .filter(|o| {
            o.id != row.id && o.person_key == row.person_key && o.gmina_teryt == row.gmina_teryt
        })
        .collect())
}

/// A status change: withdrawn needs the date (the reason is optional).
#[derive(Clone, Debug, Default)]
pub struct StatusInput {
    pub status: String,
    pub withdrawn_on: String,
    pub withdrawal_reason: String,
}

fn enrolment_fields(row: &EnrolmentRow) -> EnrolmentFields {
    EnrolmentFields {
        gmina_teryt: row.gmina_teryt.clone(),
        group: row.grp,
        organisation_id: row.organisation_id,
        status: row.status,
        withdrawn_on: row.withdrawn_on,
        withdrawal_reason: row.withdrawal_reason.clone(),
    }
}

pub async fn set_status(
    db: &Db,
    user: &User,
    id: Id,
    input: &StatusInput,
) -> AppResult<EnrolmentRow> {
    let (_, old) = enrolment_for(db, user, id).await?;
    let mut errors = ValidationErrors::new();
    let status = EnrolmentStatus::parse(&input.status).or_else(|| {
        errors.add("status", "err.status_invalid");
        None
    });
    let withdrawn_on = optional_date(&mut errors, "withdrawn_on", &input.withdrawn_on);
    let reason = Some(clean(&input.withdrawal_reason)).filter(|r| !r.is_empty());
    if status == Some(EnrolmentStatus::Withdrawn)
        && withdrawn_on.is_none()
        && errors.for_field("withdrawn_on").is_none()
    {
        errors.add("withdrawn_on", "err.withdrawn_on_required");
    }
    errors.clone().into_result()?;
    let status = status.ok_or(AppError::Validation(errors))?;
    let mut fields = enrolment_fields(&old);
    fields.status = status;
    (fields.withdrawn_on, fields.withdrawal_reason) = if status == EnrolmentStatus::Withdrawn {
        (withdrawn_on, reason)
    } else {
        (None, None)
    };
    let mut tx = db.begin().await?;
    enrolments::update_enrolment(&mut tx, id, &fields).await?;
    let change = Change {
        action: "enrolment.status",
        entity: "enrolment",
        entity_id: Some(id.to_string()),
        before: Some(json!({ "status": old.status, "withdrawn_on": old.withdrawn_on })),
        after: Some(json!({ "status": fields.status, "withdrawn_on": fields.withdrawn_on })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    enrolments::find(db, id).await?.ok_or(AppError::NotFound)
}

/// Edits the person and their place in the cohort (gmina, group, organisation).
pub async fn update(db: &Db, user: &User, id: Id, input: &PersonInput) -> AppResult<EnrolmentRow> {
    let (_, old) = enrolment_for(db, user, id).await?;
    if old.erased {
        return Err(AppError::Conflict(Msg::new("err.erased")));
    }
    let index = GminaIndex::load(db).await?;
    let person = validate_person(&index, input).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    if let Some(email) = &person.email {
        let others: HashSet<String> = enrolments::emails_in_cohort(&mut tx, old.cohort_id)
            .await?
            .into_iter()
            .collect();
        if others.contains(email.as_str()) && old.email.as_deref() != Some(email.as_str()) {
            return Err(invalid(
                "email",
                Msg::new("err.email_in_cohort").arg("email", email.as_str()),
            ));
        }
    }
    let organisation_id = match &person.organisation {
        None => None,
        Some(name) => {
            let folded = fold(name);
            let existing = organisations::ids_by_folded_name(&mut tx).await?;
            match existing.into_iter().find(|(f, _)| *f == folded) {
                Some((_, id)) => Some(id),
                None => Some(
                    organisations::insert(
                        &mut tx,
                        &OrganisationFields {
                            name: name.clone(),
                            kind: guessed_kind(person.group),
                            krs: None,
                            gmina_teryt: Some(person.gmina.clone()),
                        },
                    )
                    .await?,
                ),
            }
        }
    };
    let participant = enrolments::find_participant(db, old.participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ParticipantFields {
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        email: person.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: person.phone.clone(),
        sex: person.sex,
        birth_year: person.birth_year,
        vulnerability: if person.group == Group::AtRisk {
            person.vulnerability.clone()
        } else {
            None
        },
        consent_data_on: person.consent_data_on,
        consent_image_on: person.consent_image_on,
    };
    enrolments::update_participant(
        &mut tx,
        old.participant_id,
        &fields,
        &person_key(&person.first_name, &person.last_name),
    )
    .await?;
    let mut ef = enrolment_fields(&old);
    ef.gmina_teryt = person.gmina.clone();
    ef.group = person.group;
    ef.organisation_id = organisation_id;
    enrolments::update_enrolment(&mut tx, id, &ef).await?;
    enrolments::ensure_teams(&mut tx, old.cohort_id, std::slice::from_ref(&person.gmina)).await?;
    // Personal values stay out of the audit log; it records which fields changed.
    let mut changed = Vec::new();
    for (name, a, b) in [
        (
            "first_name",
            Some(participant.first_name.clone()),
            Some(fields.first_name.clone()),
        ),
        (
            "last_name",
            Some(participant.last_name.clone()),
            Some(fields.last_name.clone()),
        ),
        ("email", participant.email.clone(), fields.email.clone()),
        ("phone", participant.phone.clone(), fields.phone.clone()),
        (
            "sex",
            participant.sex.map(|s| s.as_str().to_owned()),
            fields.sex.map(|s| s.as_str().to_owned()),
        ),
        (
            "birth_year",
            participant.birth_year.map(|y| y.to_string()),
            fields.birth_year.map(|y| y.to_string()),
        ),
        (
            "vulnerability",
            participant.vulnerability.clone(),
            fields.vulnerability.clone(),
        ),
        (
            "consent_data_on",
            participant.consent_data_on.map(|d| d.to_string()),
            fields.consent_data_on.map(|d| d.to_string()),
        ),
        (
            "consent_image_on",
            participant.consent_image_on.map(|d| d.to_string()),
            fields.consent_image_on.map(|d| d.to_string()),
        ),
    ] {
        if a != b {
            changed.push(name);
        }
    }
    let change = Change {
        action: "enrolment.update",
        entity: "enrolment",
        entity_id: Some(id.to_string()),
        before: Some(json!({ "gmina": old.gmina_teryt, "group": old.grp })),
        after: Some(json!({ "gmina": ef.gmina_teryt, "group": ef.group, "changed": changed })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    enrolments::find(db, id).await?.ok_or(AppError::NotFound)
}

/// The coordinator confirms that a flagged pair are different people.
pub async fn confirm_different(db: &Db, user: &User, id: Id) -> AppResult<EnrolmentRow> {
    let (_, row) = enrolment_for(db, user, id).await?;
    let mut ids: Vec<Id> = duplicates_of(db, &row)
        .await?
        .iter()
        .map(|r| r.id)
        .collect();
    ids.push(id);
    let mut tx = db.begin().await?;
    enrolments::set_not_duplicate(&mut tx, &ids).await?;
    let change = Change {
        action: "enrolment.not_duplicate",
        entity: "enrolment",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "enrolments": ids })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(row)
}

/// Merges `drop` into `keep` (same cohort, same person): the kept participant gets the values it
/// lacks from the other, and the other enrolment is deleted.
pub async fn merge(db: &Db, user: &User, keep: Id, drop: Id) -> AppResult<EnrolmentRow> {
    let (_, kept) = enrolment_for(db, user, keep).await?;
    let (_, dropped) = enrolment_for(db, user, drop).await?;
    if keep == drop || kept.cohort_id != dropped.cohort_id || kept.erased || dropped.erased {
        return Err(invalid("merge", "err.merge_invalid"));
    }
    let a = enrolments::find_participant(db, kept.participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = enrolments::find_participant(db, dropped.participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    enrolments::delete_enrolment(&mut tx, drop, dropped.participant_id).await?;
    if a.id != b.id {
        let email = a.email.clone().or(b.email.clone());
        let fields = ParticipantFields {
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            email,
            phone: a.phone.clone().or(b.phone.clone()),
            sex: a.sex.or(b.sex),
            birth_year: a.birth_year.or(b.birth_year),
            vulnerability: a.vulnerability.clone().or(b.vulnerability.clone()),
            consent_data_on: a.consent_data_on.or(b.consent_data_on),
            consent_image_on: a.consent_image_on.or(b.consent_image_on),
        };
        enrolments::update_participant(&mut tx, a.id, &fields, &kept.person_key).await?;
    }
    let mut ef = enrolment_fields(&kept);
    ef.organisation_id = kept.organisation_id.or(dropped.organisation_id);
    enrolments::update_enrolment(&mut tx, keep, &ef).await?;
    let change = Change {
        action: "enrolment.merge",
        entity: "enrolment",
        entity_id: Some(keep.to_string()),
        before: Some(json!({ "merged": drop })),
        after: None,
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    enrolments::find(db, keep).await?.ok_or(AppError::NotFound)
}
