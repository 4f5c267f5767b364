//! Scheduling: creating, editing, moving and cancelling activities, their rosters (derived from the
//! audience and the cohort's enrolments, with a coordinator's individual exceptions), conflicts
//! (a trainer, a team or a participant in two overlapping activities), and who may see what.
//!
//! Coordinators of the programme (and admins) manage activities; a trainer sees the activities
//! they train, with the names, gminas and groups of the roster and nothing more.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::db::activities::{self, Activity, ActivityFields, Trainer};
use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments::{self, EnrolmentRow};
use crate::db::programmes::Cohort;
use crate::db::users::{self, User};
use crate::db::{Db, Id, organisations};
use crate::domain::Role;
use crate::domain::activity::{
    ActivityKind, Audience, MAX_SPAN_DAYS, academic_hours_centi, overlaps, parse_hours,
    parse_instant, to_minute,
};
use crate::domain::fold::fold;
use crate::domain::participant::{EnrolmentStatus, Group};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::service::programmes::{cohort_for, manages};

/// What a form or an API client gives for an activity; text until validated.
#[derive(Clone, Debug, Default)]
pub struct ActivityInput {
    pub kind: String,
    pub title: String,
    pub module: String,
    pub description: String,
    /// RFC 3339, or a Warsaw wall-clock time (`2027-10-31T10:00`).
    pub starts_at: String,
    pub ends_at: String,
    /// Academic hours; empty = computed from the span.
    pub hours: String,
    pub location: String,
    pub online_url: String,
    /// The host organisation of a study visit: an organisation id or name.
    pub host: String,
    pub capacity: String,
    /// User ids or emails of trainers.
    pub trainers: Vec<String>,
    pub groups: Vec<String>,
    /// TERYT codes of gmina teams of the cohort.
    pub teams: Vec<String>,
    pub allow_conflicts: bool,
}

/// An activity with everything lists show: trainers, audience and roster (enrolment ids).
#[derive(Clone, Debug)]
pub struct ActivityView {
    pub activity: Activity,
    pub trainers: Vec<Trainer>,
    pub audience: Audience,
    /// Names of the gminas of `audience.teams`, in the same order.
    pub team_names: Vec<String>,
    pub roster: Vec<Id>,
}

impl ActivityView {
    pub fn cancelled(&self) -> bool {
        self.activity.cancelled_at.is_some()
    }

    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.activity.starts_at, self.activity.ends_at)
    }
}

/// Why another activity clashes with the one being saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clash {
    Trainer(String),
    Team(String),
    Participants(Vec<String>),
}

/// Another activity overlapping the one being saved, and why that matters.
#[derive(Clone, Debug)]
pub struct Conflict {
    pub activity: Activity,
    pub clashes: Vec<Clash>,
}

impl Conflict {
    pub fn to_json(&self) -> serde_json::Value {
        let reasons: Vec<serde_json::Value> = self
            .clashes
            .iter()
            .map(|c| match c {
                Clash::Trainer(name) => json!({ "type": "trainer", "who": name }),
                Clash::Team(name) => json!({ "type": "team", "who": name }),
                Clash::Participants(names) => {
                    json!({ "type": "participants", "count": names.len(), "who": names })
                }
            })
            .collect();
        json!({
            "activity": self.activity.id, "title": self.activity.title,
            "cohort": self.activity.cohort_slug,
            "starts_at": self.activity.starts_at, "ends_at": self.activity.ends_at,
            "reasons": reasons,
        })
    }
}

/// The outcome of saving: done, or not saved because of conflicts the caller did not accept.
pub enum Saved {
    Done(Box<ActivityView>),
    Conflicts(Vec<Conflict>),
}

/// How the user relates to an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A coordinator of its programme or an admin: may change it and see everything.
    Manage,
    /// One of its trainers: sees it and its roster (names, gminas, groups).
    Train,
}

/// A cohort's enrolments with the roster exceptions and team audiences of its activities:
/// everything needed to derive any of its rosters.
pub struct RosterBook {
    pub enrolments: Vec<EnrolmentRow>,
    teams: HashMap<Id, Vec<String>>,
    changes: HashMap<Id, Vec<(Id, bool)>>,
    trainers: HashMap<Id, Vec<Trainer>>,
}

impl RosterBook {
    pub async fn load(db: &Db, cohort_id: Id) -> AppResult<RosterBook> {
        let mut enrolments = enrolments::list_for_cohort(db, cohort_id).await?;
        enrolments.sort_by_cached_key(|e| (fold(&e.last_name), fold(&e.first_name), e.id));
        let mut teams: HashMap<Id, Vec<String>> = HashMap::new();
        for (activity, teryt) in activities::teams_in_cohort(db, cohort_id).await? {
            teams.entry(activity).or_default().push(teryt);
        }
        let mut changes: HashMap<Id, Vec<(Id, bool)>> = HashMap::new();
        for (activity, enrolment, included) in
            activities::roster_changes_in_cohort(db, cohort_id).await?
        {
            changes
                .entry(activity)
                .or_default()
                .push((enrolment, included));
        }
        let mut trainers: HashMap<Id, Vec<Trainer>> = HashMap::new();
        for t in activities::trainers_in_cohort(db, cohort_id).await? {
            trainers.entry(t.activity_id).or_default().push(t);
        }
        Ok(RosterBook {
            enrolments,
            teams,
            changes,
            trainers,
        })
    }

    pub fn audience(&self, activity: &Activity) -> Audience {
        Audience {
            groups: Audience::parse_groups(&activity.audience_groups),
            teams: self.teams.get(&activity.id).cloned().unwrap_or_default(),
        }
    }

    /// The enrolments on a roster, by last name: the audience's current enrolments (not withdrawn),
    /// plus people added by hand, minus people removed by hand.
    pub fn roster(&self, activity_id: Option<Id>, audience: &Audience) -> Vec<&EnrolmentRow> {
        let changes = activity_id
            .and_then(|id| self.changes.get(&id))
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.enrolments
            .iter()
            .filter(|e| e.status != EnrolmentStatus::Withdrawn)
            .filter(|e| match changes.iter().find(|(id, _)| *id == e.id) {
                Some((_, included)) => *included,
                None => audience.includes(e.grp, &e.gmina_teryt),
            })
            .collect()
    }

    /// The exception recorded for one person on one activity, if any.
    pub fn change(&self, activity_id: Id, enrolment_id: Id) -> Option<bool> {
        self.changes
            .get(&activity_id)
            .and_then(|c| c.iter().find(|(id, _)| *id == enrolment_id))
            .map(|(_, included)| *included)
    }

    pub fn view(&self, activity: Activity) -> ActivityView {
        let audience = self.audience(&activity);
        let roster = self
            .roster(Some(activity.id), &audience)
            .iter()
            .map(|e| e.id)
            .collect();
        let trainers = self.trainers.get(&activity.id).cloned().unwrap_or_default();
        let team_names = audience
            .teams
            .iter()
            .map(|teryt| {
                self.enrolments
                    .iter()
                    .find(|e| &e.gmina_teryt == teryt)
                    .map(|e| e.gmina_name.clone())
                    .unwrap_or_else(|| teryt.clone())
            })
            .collect();
        ActivityView {
            activity,
            trainers,
            audience,
            team_names,
            roster,
        }
    }
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > 10
        && !text.contains(char::is_whitespace)
}

/// Checks the input against the cohort: kinds, times, place or link, trainers, audience.
async fn validate(db: &Db, cohort: &Cohort, input: &ActivityInput) -> AppResult<ActivityFields> {
    let mut errors = ValidationErrors::new();
    let kind = match input.kind.trim() {
        "" => {
            errors.add("kind", "err.required");
            None
        }
        k => ActivityKind::parse(k).or_else(|| {
            errors.add("kind", "err.activity_kind");
            None
        }),
    };
    let title = clean(&input.title);
    if title.is_empty() {
        errors.add("title", "err.required");
    } else if title.chars().count() > 200 {
        errors.add("title", "err.too_long");
    }
    let module = clean(&input.module);
    if module.chars().count() > 200 {
        errors.add("module", "err.too_long");
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 5000 {
        errors.add("description", "err.too_long");
    }
    let starts_at = parse_instant(&input.starts_at)
        .map(to_minute)
        .map_err(|k| errors.add("starts_at", k))
        .ok();
    let ends_at = parse_instant(&input.ends_at)
        .map(to_minute)
        .map_err(|k| errors.add("ends_at", k))
        .ok();
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            errors.add("ends_at", "err.ends_before_starts");
        } else if e - s > Duration::days(MAX_SPAN_DAYS) {
            errors.add("ends_at", "err.span_too_long");
        }
    }
    let hours = parse_hours(&input.hours)
        .map_err(|k| errors.add("hours", k))
        .ok()
        .flatten();
    if hours.is_some_and(|h| h > 100 * 24 * MAX_SPAN_DAYS) {
        errors.add("hours", "err.hours_format");
    }
    let location = clean(&input.location);
    let online_url = input.online_url.trim().to_owned();
    if location.chars().count() > 300 {
        errors.add("location", "err.too_long");
    }
    if !online_url.is_empty() && !is_url(&online_url) {
        errors.add("online_url", "err.url_format");
    }
    match kind {
        Some(ActivityKind::Webinar) if online_url.is_empty() => {
            errors.add("online_url", "err.webinar_link")
        }
        Some(_) if location.is_empty() && online_url.is_empty() => {
            errors.add("location", "err.place_required")
        }
        _ => {}
    }
    let host_organisation_id = match input.host.trim() {
        "" => None,
        host => resolve_host(db, host).await?.or_else(|| {
            errors.add("host", "err.host_unknown");
            None
        }),
    };
    let capacity = match input.capacity.trim() {
        "" => None,
        c => match c.parse::<i32>() {
            Ok(n) if (1..=10_000).contains(&n) => Some(n),
            _ => {
                errors.add("capacity", "err.capacity_format");
                None
            }
        },
    };
    let mut trainers = Vec::new();
    for (i, key) in input.trainers.iter().enumerate() {
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        let found = match key.parse::<Id>() {
            Ok(id) => users::find(db, id).await?,
            Err(_) => users::find_by_email(db, &key.to_lowercase()).await?,
        };
        match found {
            Some(u) if u.role == Role::Trainer && u.active => {
                if !trainers.contains(&u.id) {
                    trainers.push(u.id);
                }
            }
            Some(_) => errors.add(&format!("trainers[{i}]"), "err.not_trainer"),
            None => errors.add(&format!("trainers[{i}]"), "err.trainer_unknown"),
        }
    }
    let mut groups = BTreeSet::new();
    for (i, g) in input.groups.iter().enumerate() {
        match Group::parse(g) {
            Some(g) => {
                groups.insert(g);
            }
            None if g.trim().is_empty() => {}
            None => errors.add(&format!("audience.groups[{i}]"), "err.group"),
        }
    }
    let cohort_teams: Vec<String> = enrolments::teams(db, cohort.id)
        .await?
        .into_iter()
        .map(|t| t.teryt)
        .collect();
    let mut teams = BTreeSet::new();
    for (i, t) in input.teams.iter().enumerate() {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if cohort_teams.iter().any(|c| c == t) {
            teams.insert(t.to_owned());
        } else {
            errors.add(&format!("audience.teams[{i}]"), "err.team_not_in_cohort");
        }
    }
    errors.into_result()?;
    match (kind, starts_at, ends_at) {
        (Some(kind), Some(starts_at), Some(ends_at)) => {
            let computed = academic_hours_centi(starts_at, ends_at);
            Ok(ActivityFields {
                kind,
                title,
                module,
                description,
                starts_at,
                ends_at,
                hours_centi: i32::try_from(hours.unwrap_or(computed)).unwrap_or(i32::MAX),
                location,
                online_url,
                host_organisation_id,
                capacity,
                audience_groups: Audience {
                    groups: groups.into_iter().collect(),
                    teams: Vec::new(),
                }
                .groups_text(),
                teams: teams.into_iter().collect(),
                trainers,
            })
        }
        _ => Err(AppError::Validation(ValidationErrors::new())),
    }
}

/// An organisation by id or (diacritic-insensitive) name.
async fn resolve_host(db: &Db, host: &str) -> AppResult<Option<Id>> {
    if let Ok(id) = host.parse::<Id>() {
        return Ok(organisations::find(db, id).await?.map(|o| o.id));
    }
    let wanted = fold(&clean(host));
    Ok(organisations::list(db)
        .await?
        .into_iter()
        .find(|o| fold(&o.name) == wanted)
        .map(|o| o.id))
}

/// Overlapping activities that share a trainer (any cohort), a gmina team or a participant.
async fn conflicts(
    db: &Db,
    book: &RosterBook,
    cohort_activities: &[Activity],
    fields: &ActivityFields,
    except: Option<Id>,
) -> AppResult<Vec<Conflict>> {
    let span = (fields.starts_at, fields.ends_at);
    let mut found: Vec<Conflict> = Vec::new();
    let mut add = |activity: &Activity, clash: Clash| match found
        .iter_mut()
        .find(|c| c.activity.id == activity.id)
    {
        Some(c) => c.clashes.push(clash),
        None => found.push(Conflict {
            activity: activity.clone(),
            clashes: vec![clash],
        }),
    };
    for trainer_id in &fields.trainers {
        let overlapping =
            activities::trainer_overlaps(db, *trainer_id, span.0, span.1, except).await?;
        if overlapping.is_empty() {
            continue;
        }
        let name = users::find(db, *trainer_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        for other in &overlapping {
            add(other, Clash::Trainer(name.clone()));
        }
    }
    let audience = Audience {
        groups: Audience::parse_groups(&fields.audience_groups),
        teams: fields.teams.clone(),
    };
    let roster: Vec<&EnrolmentRow> = book.roster(except, &audience);
    for other in cohort_activities {
        if Some(other.id) == except
            || other.cancelled_at.is_some()
            || !overlaps(span, (other.starts_at, other.ends_at))
        {
            continue;
        }
        let other_audience = book.audience(other);
        for teryt in &audience.teams {
            if other_audience.teams.contains(teryt) {
                let name = book
                    .enrolments
                    .iter()
                    .find(|e| &e.gmina_teryt == teryt)
                    .map(|e| e.gmina_name.clone())
                    .unwrap_or_else(|| teryt.clone());
                add(other, Clash::Team(name));
            }
        }
        let theirs: BTreeSet<Id> = book
            .roster(Some(other.id), &other_audience)
            .iter()
            .map(|e| e.id)
            .collect();
        let shared: Vec<String> = roster
            .iter()
            .filter(|e| theirs.contains(&e.id))
            .map(|e| format!("{} {}", e.first_name, e.last_name))
            .collect();
        if !shared.is_empty() {
            add(other, Clash::Participants(shared));
        }
    }
    Ok(found)
}

fn fields_json(f: &ActivityFields) -> serde_json::Value {
    json!({
        "kind": f.kind, "title": f.title, "module": f.module, "starts_at": f.starts_at,
        "ends_at": f.ends_at, "hours_centi": f.hours_centi, "location": f.location,
        "online_url": f.online_url, "host_organisation_id": f.host_organisation_id,
        "capacity": f.capacity, "audience_groups": f.audience_groups, "teams": f.teams,
        "trainers": f.trainers,
    })
}

fn fields_of(view: &ActivityView) -> ActivityFields {
    let a = &view.activity;
    ActivityFields {
        kind: a.kind,
        title: a.title.clone(),
        module: a.module.clone(),
        description: a.description.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        hours_centi: a.hours_centi,
        location: a.location.clone(),
        online_url: a.online_url.clone(),
        host_organisation_id: a.host_organisation_id,
        capacity: a.capacity,
        audience_groups: a.audience_groups.clone(),
        teams: view.audience.teams.clone(),
        trainers: view.trainers.iter().map(|t| t.id).collect(),
    }
}

/// Plans an activity in a cohort; with conflicts and no `allow_conflicts`, nothing is saved.
pub async fn create(
    db: &Db,
    user: &User,
    cohort_key: &str,
    input: &ActivityInput,
) -> AppResult<Saved> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let fields = validate(db, &cohort, input).await?;
    let book = RosterBook::load(db, cohort.id).await?;
    let existing = activities::list_for_cohort(db, cohort.id).await?;
    if !input.allow_conflicts {
        let found = conflicts(db, &book, &existing, &fields, None).await?;
        if !found.is_empty() {
            return Ok(Saved::Conflicts(found));
        }
    }
    let mut tx = db.begin().await?;
    let id = activities::insert(&mut tx, cohort.id, &fields).await?;
    let change = Change {
        action: "activity.create",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(fields_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(Saved::Done(Box::new(load_view(db, id).await?)))
}

/// Edits or moves an activity (bumping its calendar SEQUENCE); conflicts as for `create`.
pub async fn update(db: &Db, user: &User, id: Id, input: &ActivityInput) -> AppResult<Saved> {
    let (cohort, old, access) = activity_for(db, user, id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    let fields = validate(db, &cohort, input).await?;
    let before = fields_of(&old);
    if before == fields {
        return Ok(Saved::Done(Box::new(old)));
    }
    let book = RosterBook::load(db, cohort.id).await?;
    let existing = activities::list_for_cohort(db, cohort.id).await?;
    if !input.allow_conflicts && old.activity.cancelled_at.is_none() {
        let found = conflicts(db, &book, &existing, &fields, Some(id)).await?;
        if !found.is_empty() {
            return Ok(Saved::Conflicts(found));
        }
    }
    let mut tx = db.begin().await?;
    activities::update(&mut tx, id, &fields).await?;
    let change = Change {
        action: "activity.update",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: Some(fields_json(&before)),
        after: Some(fields_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(Saved::Done(Box::new(load_view(db, id).await?)))
}

/// Cancels an activity with a reason; it stays visible as cancelled and counts for no hours.
pub async fn cancel(db: &Db, user: &User, id: Id, reason: &str) -> AppResult<ActivityView> {
    let (_, old, access) = activity_for(db, user, id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    let reason = clean(reason);
    if reason.is_empty() {
        return Err(crate::error::invalid("reason", "err.required"));
    }
    if reason.chars().count() > 500 {
        return Err(crate::error::invalid("reason", "err.too_long"));
    }
    if old.cancelled() {
        return Ok(old);
    }
    let mut tx = db.begin().await?;
    activities::set_cancelled(&mut tx, id, Some(&reason)).await?;
    let change = Change {
        action: "activity.cancel",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "reason": reason })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    load_view(db, id).await
}

/// Takes a cancellation back.
pub async fn restore(db: &Db, user: &User, id: Id) -> AppResult<ActivityView> {
    let (_, old, access) = activity_for(db, user, id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    if !old.cancelled() {
        return Ok(old);
    }
    let mut tx = db.begin().await?;
    activities::set_cancelled(&mut tx, id, None).await?;
    let change = Change {
        action: "activity.restore",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: Some(json!({ "reason": old.activity.cancel_reason })),
        after: None,
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    load_view(db, id).await
}

/// Puts a person on the roster (`Some(true)`), takes them off (`Some(false)`), or lets the
/// audience decide again (`None`).
pub async fn set_roster(
    db: &Db,
    user: &User,
    id: Id,
    enrolment_id: Id,
    included: Option<bool>,
) -> AppResult<ActivityView> {
    let (cohort, _, access) = activity_for(db, user, id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    let enrolment = enrolments::find(db, enrolment_id)
        .await?
        .filter(|e| e.cohort_id == cohort.id)
        .ok_or_else(|| crate::error::invalid("enrolment", "err.enrolment_unknown"))?;
    let mut tx = db.begin().await?;
    activities::set_roster_change(&mut tx, id, enrolment.id, included).await?;
    let change = Change {
        action: "activity.roster",
        entity: "activity",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "enrolment": enrolment.id, "included": included })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    load_view(db, id).await
}

async fn load_view(db: &Db, id: Id) -> AppResult<ActivityView> {
    let activity = activities::find(db, id).await?.ok_or(AppError::NotFound)?;
    let book = RosterBook::load(db, activity.cohort_id).await?;
    Ok(book.view(activity))
}

/// An activity the user may see, with its cohort and the user's access. Staff outside the
/// programme and trainers who don't train it get 404; funders and participants 403.
pub async fn activity_for(
    db: &Db,
    user: &User,
    id: Id,
) -> AppResult<(Cohort, ActivityView, Access)> {
    let (cohort, view, access, _) = activity_with_book(db, user, id).await?;
    Ok((cohort, view, access))
}

/// `activity_for` with the cohort's roster book, for callers that need the enrolments too.
pub async fn activity_with_book(
    db: &Db,
    user: &User,
    id: Id,
) -> AppResult<(Cohort, ActivityView, Access, RosterBook)> {
    if !matches!(user.role, Role::Admin | Role::Coordinator | Role::Trainer) {
        return Err(AppError::Forbidden);
    }
    let activity = activities::find(db, id).await?.ok_or(AppError::NotFound)?;
    let cohort_key = activity.cohort_id.to_string();
    let book = RosterBook::load(db, activity.cohort_id).await?;
    let view = book.view(activity);
    if manages(user) {
        let cohort = cohort_for(db, user, &cohort_key).await?;
        return Ok((cohort, view, Access::Manage, book));
    }
    if view.trainers.iter().any(|t| t.id == user.id) {
        let cohort = crate::service::programmes::find_cohort(db, &cohort_key)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((cohort, view, Access::Train, book));
    }
    Err(AppError::NotFound)
}

/// An activity with its roster's enrolments, for its page and its attendance list.
pub struct Detail {
    pub cohort: Cohort,
    pub view: ActivityView,
    pub access: Access,
    pub roster: Vec<EnrolmentRow>,
    /// Audience members a coordinator took off the roster.
    pub removed: Vec<EnrolmentRow>,
    /// Enrolments of the cohort who could be added.
    pub addable: Vec<EnrolmentRow>,
}

pub async fn detail(db: &Db, user: &User, id: Id) -> AppResult<Detail> {
    let (cohort, view, access, book) = activity_with_book(db, user, id).await?;
    let on_roster: BTreeSet<Id> = view.roster.iter().copied().collect();
    let mut roster = Vec::new();
    let mut removed = Vec::new();
    let mut addable = Vec::new();
    for e in &book.enrolments {
        if on_roster.contains(&e.id) {
            roster.push(e.clone());
        } else if access == Access::Manage && e.status != EnrolmentStatus::Withdrawn {
            if book.change(id, e.id) == Some(false) {
                removed.push(e.clone());
            } else {
                addable.push(e.clone());
            }
        }
    }
    Ok(Detail {
        cohort,
        view,
        access,
        roster,
        removed,
        addable,
    })
}

/// Filters of a schedule; empty = everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kind: Option<ActivityKind>,
    pub trainer: Option<Id>,
    pub team: Option<String>,
}

impl Filter {
    pub fn admits(&self, view: &ActivityView) -> bool {
        self.kind.is_none_or(|k| view.activity.kind == k)
            && self
                .trainer
                .is_none_or(|t| view.trainers.iter().any(|x| x.id == t))
            && self
                .team
                .as_ref()
                .is_none_or(|t| view.audience.teams.is_empty() || view.audience.teams.contains(t))
    }
}

/// The cohort's schedule for its coordinators, with every activity's roster.
pub async fn schedule(
    db: &Db,
    user: &User,
    cohort_key: &str,
) -> AppResult<(Cohort, Vec<ActivityView>, RosterBook)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let book = RosterBook::load(db, cohort.id).await?;
    let views = activities::list_for_cohort(db, cohort.id)
        .await?
        .into_iter()
        .map(|a| book.view(a))
        .collect();
    Ok((cohort, views, book))
}

/// The activities a user trains, in every cohort, with their trainers and roster sizes.
pub async fn trained_by(db: &Db, user_id: Id) -> AppResult<Vec<ActivityView>> {
    let list = activities::list_for_trainer(db, user_id).await?;
    let mut books: HashMap<Id, RosterBook> = HashMap::new();
    let mut views = Vec::with_capacity(list.len());
    for activity in list {
        if let std::collections::hash_map::Entry::Vacant(slot) = books.entry(activity.cohort_id) {
            slot.insert(RosterBook::load(db, activity.cohort_id).await?);
        }
        if let Some(book) = books.get(&activity.cohort_id) {
            views.push(book.view(activity));
        }
    }
    Ok(views)
}

/// Total hours of activities that take place (cancelled ones count for nothing).
pub fn planned_hours_centi(views: &[ActivityView]) -> i64 {
    views
        .iter()
        .filter(|v| !v.cancelled())
        .map(|v| i64::from(v.activity.hours_centi))
        .sum()
}

/// The printable attendance list of an activity (its coordinators and trainers): the PDF's file
/// name and bytes.
pub async fn attendance_list_pdf(db: &Db, user: &User, id: Id) -> AppResult<(String, Vec<u8>)> {
    use crate::domain::activity::{format_hours, local_day, span_text};
    use crate::i18n::{Lang, t};
    use crate::output::pdf::{AttendanceSheet, SheetRow, attendance_list};

    let detail = detail(db, user, id).await?;
    let programme =
        crate::service::programmes::find_programme(db, &detail.cohort.programme_id.to_string())
            .await?
            .ok_or(AppError::NotFound)?;
    let a = &detail.view.activity;
    let lang = Lang::Pl;
    let mut place = a.location.clone();
    if let Some(host) = &a.host_name {
        place = if place.is_empty() {
            host.clone()
        } else {
            format!("{host}, {place}")
        };
    }
    if !a.online_url.is_empty() {
        place = if place.is_empty() {
            a.online_url.clone()
        } else {
            format!("{place}; {}", a.online_url)
        };
    }
    let hours = i64::from(a.hours_centi);
    let sheet = AttendanceSheet {
        programme: programme.name.clone(),
        acknowledgement: programme.acknowledgement.clone(),
        cohort: detail.cohort.name.clone(),
        title: a.title.clone(),
        kind: t(lang, a.kind.label_key()),
        date: span_text(a.starts_at, a.ends_at, lang),
        hours: format!(
            "{} {}",
            format_hours(hours, lang),
            t(lang, "pdf.academic_hours")
        ),
        place,
        trainers: detail
            .view
            .trainers
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        rows: detail
            .roster
            .iter()
            .map(|e| SheetRow {
                name: format!("{} {}", e.first_name, e.last_name),
                gmina: e.gmina_name.clone(),
                group: t(lang, &format!("pdf.group.{}", e.grp.as_str())),
            })
            .collect(),
    };
    let name = format!(
        "lista-obecnosci-{}-{}.pdf",
        local_day(a.starts_at).format("%Y-%m-%d"),
        crate::service::programmes::slugify(&a.title)
    );
    let pdf = crate::service::blocking(move || attendance_list(&sheet)).await??;
    Ok((name, pdf))
}
