//! Calendar feeds: the iCalendar text of a cohort's or a trainer's activities, and the private,
//! revocable URLs people subscribe to in Google Calendar or Outlook. Only a token's hash is stored;
//! the URL is shown once, when it is made.

use serde_json::json;

use crate::db::activities::{self, Feed};
use crate::db::audit::{self, Actor, Change};
use crate::db::programmes::Cohort;
use crate::db::users::{self, User};
use crate::db::{Db, Id};
use crate::domain::Role;
use crate::domain::activity::format_hours;
use crate::domain::token::{hash_api_token, random_string};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::output::ical::{CalendarEvent, calendar};
use crate::service::activities::{ActivityView, schedule, trained_by};
use crate::service::programmes::{cohort_for, find_cohort};

/// Prefix of feed tokens, so they are recognisable in logs.
const FEED_PREFIX: &str = "cal_";

/// The path of a feed's URL for a token (`/calendar/<token>.ics`).
pub fn feed_path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

fn event(view: &ActivityView, base_url: &str, lang: Lang) -> CalendarEvent {
    let a = &view.activity;
    let mut description = vec![
        format!(
            "{}: {}",
            i18n::t(lang, "activity.kind"),
            i18n::t(lang, a.kind.label_key())
        ),
        format!(
            "{}: {}",
            i18n::t(lang, "activity.hours"),
            format_hours(i64::from(a.hours_centi), lang)
        ),
    ];
    if !a.module.is_empty() {
        description.push(format!(
            "{}: {}",
            i18n::t(lang, "activity.module"),
            a.module
        ));
    }
    if !view.trainers.is_empty() {
        let names: Vec<&str> = view.trainers.iter().map(|t| t.name.as_str()).collect();
        description.push(format!(
            "{}: {}",
            i18n::t(lang, "activity.trainers"),
            names.join(", ")
        ));
    }
    if let Some(host) = &a.host_name {
        description.push(format!("{}: {host}", i18n::t(lang, "activity.host")));
    }
    if !a.online_url.is_empty() {
        description.push(a.online_url.clone());
    }
    if let Some(reason) = &a.cancel_reason {
        description.push(format!("{}: {reason}", i18n::t(lang, "activity.cancelled")));
    }
    if !a.description.is_empty() {
        description.push(String::new());
        description.push(a.description.clone());
    }
    let location = match (a.location.is_empty(), a.online_url.is_empty()) {
        (false, _) => a.location.clone(),
        (true, false) => a.online_url.clone(),
        (true, true) => String::new(),
    };
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or("akademia")
        .split(['/', ':'])
        .next()
        .unwrap_or("akademia");
    CalendarEvent {
        uid: format!("{}@{host}", a.id),
        summary: a.title.clone(),
        description: description.join("\n"),
        location,
        url: Some(if a.online_url.is_empty() {
            format!("{base_url}/activities/{}", a.id)
        } else {
            a.online_url.clone()
        }),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        sequence: u32::try_from(a.sequence).unwrap_or(0),
        cancelled: a.cancelled_at.is_some(),
        updated_at: a.updated_at,
        created_at: a.created_at,
    }
}

/// The iCalendar text of a cohort's activities.
pub fn cohort_calendar(cohort: &Cohort, views: &[ActivityView], base_url: &str) -> String {
    let events: Vec<CalendarEvent> = views.iter().map(|v| event(v, base_url, Lang::Pl)).collect();
    calendar(
        &format!("{} – {}", cohort.programme_name, cohort.name),
        &events,
    )
}

/// The iCalendar text of the activities a trainer trains.
pub async fn trainer_calendar(db: &Db, trainer: &User, base_url: &str) -> AppResult<String> {
    let views = trained_by(db, trainer.id).await?;
    let events: Vec<CalendarEvent> = views.iter().map(|v| event(v, base_url, Lang::Pl)).collect();
    Ok(calendar(&format!("Akademia – {}", trainer.name), &events))
}

/// The feed of a cohort for its coordinators (API).
pub async fn cohort_feed(
    db: &Db,
    user: &User,
    cohort_key: &str,
    base_url: &str,
) -> AppResult<String> {
    let (cohort, views, _) = schedule(db, user, cohort_key).await?;
    Ok(cohort_calendar(&cohort, &views, base_url))
}

/// What a subscription URL serves; `None` for an unknown or revoked token (answered 404).
pub async fn feed_by_token(db: &Db, token: &str, base_url: &str) -> AppResult<Option<String>> {
    if !token.starts_with(FEED_PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let Some(feed) = activities::feed_by_hash(db, &hash_api_token(token)).await? else {
        return Ok(None);
    };
    if let Some(cohort_id) = feed.cohort_id {
        let Some(cohort) = find_cohort(db, &cohort_id.to_string()).await? else {
            return Ok(None);
        };
        let book = crate::service::activities::RosterBook::load(db, cohort.id).await?;
        let views: Vec<ActivityView> = activities::list_for_cohort(db, cohort.id)
            .await?
            .into_iter()
            .map(|a| book.view(a))
            .collect();
        return Ok(Some(cohort_calendar(&cohort, &views, base_url)));
    }
    match feed.user_id {
        Some(user_id) => match users::find(db, user_id).await?.filter(|u| u.active) {
            Some(trainer) => Ok(Some(trainer_calendar(db, &trainer, base_url).await?)),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// Stores a new feed of a cohort or of a user, audited; returns its token (shown once).
async fn new_feed(
    db: &Db,
    user: &User,
    cohort_id: Option<Id>,
    owner: Option<Id>,
    described: serde_json::Value,
) -> AppResult<String> {
    let token = format!("{FEED_PREFIX}{}", random_string(24));
    let mut tx = db.begin().await?;
    let id = activities::insert_feed(&mut tx, &hash_api_token(&token), cohort_id, owner, user.id)
        .await?;
    let change = Change {
        action: "calendar.feed_create",
        entity: "calendar_feed",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(described),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(token)
}

/// Makes a private feed URL of a cohort (its coordinators) and returns its token.
pub async fn create_cohort_feed(
    db: &Db,
    user: &User,
    cohort_key: &str,
) -> AppResult<(Cohort, String)> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let token = new_feed(
        db,
        user,
        Some(cohort.id),
        None,
        json!({ "cohort": cohort.slug }),
    )
    .await?;
    Ok((cohort, token))
}

/// Makes a private feed URL of the user's own activities (trainers) and returns its token.
pub async fn create_own_feed(db: &Db, user: &User) -> AppResult<String> {
    if user.role != Role::Trainer {
        return Err(AppError::Forbidden);
    }
    new_feed(db, user, None, Some(user.id), json!({ "user": user.email })).await
}

/// Feeds the user may manage: of a cohort they run, or their own.
pub async fn feeds(db: &Db, user: &User, cohort: Option<&Cohort>) -> AppResult<Vec<Feed>> {
    Ok(match cohort {
        Some(c) => activities::feeds_of(db, Some(c.id), None).await?,
        None => activities::feeds_of(db, None, Some(user.id)).await?,
    })
}

/// Revokes a feed: its URL stops working at once. Returns where to go back to.
pub async fn revoke(db: &Db, user: &User, id: Id) -> AppResult<Option<Cohort>> {
    let feed = activities::find_feed(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cohort = match (feed.cohort_id, feed.user_id) {
        (Some(cohort_id), _) => Some(cohort_for(db, user, &cohort_id.to_string()).await?),
        (None, Some(owner)) if owner == user.id || user.role == Role::Admin => None,
        _ => return Err(AppError::NotFound),
    };
    let mut tx = db.begin().await?;
    if activities::revoke_feed(&mut tx, id).await? {
        let change = Change {
            action: "calendar.feed_revoke",
            entity: "calendar_feed",
            entity_id: Some(id.to_string()),
            before: None,
            after: None,
        };
        audit::record(&mut tx, &Actor::user(user), change).await?;
    }
    tx.commit().await?;
    Ok(cohort)
}
