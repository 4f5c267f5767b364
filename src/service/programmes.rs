//! Programmes and cohorts: creating, editing, archiving, and who may see them. A coordinator sees
//! the programmes they are a member of (creating one makes them a member); an admin sees all.

use chrono::NaiveDate;
use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::programmes::{self, Cohort, CohortFields, Programme, ProgrammeFields};
use crate::db::users::{self, User};
use crate::db::{Db, Id};
use crate::domain::Role;
use crate::domain::fold::fold;
use crate::domain::participant::Currency;
use crate::error::{AppError, AppResult, ValidationErrors, invalid};

/// What a form or an API client gives for a programme; everything is text until validated.
#[derive(Clone, Debug, Default)]
pub struct ProgrammeInput {
    pub name: String,
    pub slug: String,
    pub funder: String,
    pub grant_amount: String,
    pub grant_currency: String,
    pub starts_on: String,
    pub ends_on: String,
    pub partners: String,
    pub acknowledgement: String,
    pub archived: bool,
}

#[derive(Clone, Debug, Default)]
pub struct CohortInput {
    pub programme: String,
    pub name: String,
    pub slug: String,
    pub starts_on: String,
    pub ends_on: String,
    pub archived: bool,
    /// Days after an activity during which trainers may mark attendance; empty = 14.
    pub marking_days: String,
}

/// Days trainers may still mark attendance after an activity, unless a cohort says otherwise.
pub const DEFAULT_MARKING_DAYS: i32 = 14;

/// Users who may manage programmes and cohorts at all.
pub fn manages(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Coordinator)
}

/// A slug: lower-case ASCII letters, digits and single hyphens, 2–60 characters.
pub fn parse_slug(input: &str) -> Result<String, &'static str> {
    let slug = input.trim();
    let ok = (2..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if slug.is_empty() {
        Err("err.required")
    } else if ok {
        Ok(slug.to_owned())
    } else {
        Err("err.slug_format")
    }
}

/// A slug made from a name: `Edycja 2027 – Śrem` → `edycja-2027-srem`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// An amount of money as people type it (`250 000,50`, `250000.5`) in minor units (grosze, cents).
pub fn parse_amount(input: &str) -> Result<Option<i64>, &'static str> {
    let text: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '_')
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    let text = text.replace(',', ".");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.len() > 2 || (!frac.is_empty() && !digits(frac)) || whole.len() > 13 {
        return Err("err.amount_format");
    }
    let whole: i64 = whole.parse().map_err(|_| "err.amount_format")?;
    let frac: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| "err.amount_format")?;
    Ok(Some(whole * 100 + frac))
}

pub(crate) fn parse_date(input: &str) -> Result<NaiveDate, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Err("err.required");
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .map_err(|_| "err.date_format")
}

pub(crate) fn required_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        errors.add(field, "err.required");
    } else if value.chars().count() > max {
        errors.add(field, "err.too_long");
    }
    value
}

fn dates(
    errors: &mut ValidationErrors,
    starts: &str,
    ends: &str,
) -> Option<(NaiveDate, NaiveDate)> {
    let s = parse_date(starts)
        .map_err(|k| errors.add("starts_on", k))
        .ok();
    let e = parse_date(ends).map_err(|k| errors.add("ends_on", k)).ok();
    match (s, e) {
        (Some(s), Some(e)) if e < s => {
            errors.add("ends_on", "err.ends_before_starts");
            None
        }
        (Some(s), Some(e)) => Some((s, e)),
        _ => None,
    }
}

fn validate_programme(input: &ProgrammeInput) -> Result<ProgrammeFields, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = required_text(&mut errors, "name", &input.name, 200);
    let slug_text = if input.slug.trim().is_empty() {
        slugify(&name)
    } else {
        input.slug.clone()
    };
    let slug = parse_slug(&slug_text)
        .map_err(|k| errors.add("slug", k))
        .ok();
    let funder = required_text(&mut errors, "funder", &input.funder, 200);
    let amount = parse_amount(&input.grant_amount)
        .map_err(|k| errors.add("grant_amount", k))
        .ok()
        .flatten();
    let currency = match input.grant_currency.trim() {
        "" => Some(Currency::Pln),
        c => c
            .parse::<Currency>()
            .map_err(|_| errors.add("grant_currency", "err.currency"))
            .ok(),
    };
    let span = dates(&mut errors, &input.starts_on, &input.ends_on);
    let partners = input.partners.trim().to_owned();
    let acknowledgement = input.acknowledgement.trim().to_owned();
    if acknowledgement.chars().count() > 1000 {
        errors.add("acknowledgement", "err.too_long");
    }
    match (slug, currency, span) {
        (Some(slug), Some(grant_currency), Some((starts_on, ends_on))) if errors.is_empty() => {
            Ok(ProgrammeFields {
                slug,
                name,
                funder,
                grant_amount_minor: amount,
                grant_currency,
                starts_on,
                ends_on,
                partners,
                acknowledgement,
                archived: input.archived,
            })
        }
        _ => Err(errors),
    }
}

fn programme_json(p: &ProgrammeFields) -> serde_json::Value {
    json!({
        "slug": p.slug, "name": p.name, "funder": p.funder, "grant_amount_minor": p.grant_amount_minor,
        "grant_currency": p.grant_currency.as_str(), "starts_on": p.starts_on, "ends_on": p.ends_on,
        "partners": p.partners, "acknowledgement": p.acknowledgement, "archived": p.archived,
    })
}

fn fields_of(p: &Programme) -> ProgrammeFields {
    ProgrammeFields {
        slug: p.slug.clone(),
        name: p.name.clone(),
        funder: p.funder.clone(),
        grant_amount_minor: p.grant_amount_minor,
        grant_currency: p.grant_currency,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        partners: p.partners.clone(),
        acknowledgement: p.acknowledgement.clone(),
        archived: p.archived,
    }
}

/// Creates a programme; a coordinator who creates it becomes its member.
pub async fn create(db: &Db, user: &User, input: &ProgrammeInput) -> AppResult<Programme> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let fields = validate_programme(input).map_err(AppError::Validation)?;
    if programmes::slug_taken(db, false, &fields.slug, None).await? {
        return Err(invalid("slug", "err.slug_taken"));
    }
    let mut tx = db.begin().await?;
    let id = programmes::insert(&mut tx, &fields).await?;
    if user.role == Role::Coordinator {
        programmes::add_member(&mut tx, id, user.id).await?;
    }
    let change = Change {
        action: "programme.create",
        entity: "programme",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(programme_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn update(
    db: &Db,
    user: &User,
    key: &str,
    input: &ProgrammeInput,
) -> AppResult<Programme> {
    let old = programme_for(db, user, key).await?;
    let fields = validate_programme(input).map_err(AppError::Validation)?;
    if programmes::slug_taken(db, false, &fields.slug, Some(old.id)).await? {
        return Err(invalid("slug", "err.slug_taken"));
    }
    let mut tx = db.begin().await?;
    programmes::update(&mut tx, old.id, &fields).await?;
    let change = Change {
        action: "programme.update",
        entity: "programme",
        entity_id: Some(old.id.to_string()),
        before: Some(programme_json(&fields_of(&old))),
        after: Some(programme_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find(db, old.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Archives or restores a programme.
pub async fn set_archived(db: &Db, user: &User, key: &str, archived: bool) -> AppResult<Programme> {
    let old = programme_for(db, user, key).await?;
    let mut fields = fields_of(&old);
    fields.archived = archived;
    let mut tx = db.begin().await?;
    programmes::update(&mut tx, old.id, &fields).await?;
    let change = Change {
        action: if archived {
            "programme.archive"
        } else {
            "programme.restore"
        },
        entity: "programme",
        entity_id: Some(old.id.to_string()),
        before: Some(json!({ "archived": old.archived })),
        after: Some(json!({ "archived": archived })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find(db, old.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The programmes the user may see.
pub async fn list(db: &Db, user: &User) -> AppResult<Vec<Programme>> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    Ok(programmes::list_visible(db, user.id, user.role == Role::Admin).await?)
}

/// A programme by id or slug, if it exists (no access check: command line, demo).
pub async fn find_programme(db: &Db, key: &str) -> AppResult<Option<Programme>> {
    Ok(match key.parse::<Id>() {
        Ok(id) => programmes::find(db, id).await?,
        Err(_) => programmes::find_by_slug(db, key.trim()).await?,
    })
}

/// A programme by id or slug that `user` may see; 403 for roles that never may, else 404.
pub async fn programme_for(db: &Db, user: &User, key: &str) -> AppResult<Programme> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let programme = find_programme(db, key).await?.ok_or(AppError::NotFound)?;
    admit(db, user, programme.id).await?;
    Ok(programme)
}

/// Ok when `user` runs the programme (admins run all); 404 otherwise, so nobody learns what
/// exists in programmes they are not part of.
async fn admit(db: &Db, user: &User, programme_id: Id) -> AppResult<()> {
    if user.role == Role::Admin || programmes::is_member(db, programme_id, user.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Adds a member to a programme (admins, or a coordinator already in it): a coordinator, who then
/// runs it, or a funder, who then reads its reports (and nothing with personal data).
pub async fn add_member(db: &Db, user: &User, key: &str, email: &str) -> AppResult<()> {
    let programme = programme_for(db, user, key).await?;
    let Some(member) = users::find_by_email(db, &email.trim().to_lowercase()).await? else {
        return Err(invalid("email", "err.user_unknown"));
    };
    if !matches!(member.role, Role::Coordinator | Role::Funder) || !member.active {
        return Err(invalid("email", "err.member_role"));
    }
    let mut tx = db.begin().await?;
    if programmes::add_member(&mut tx, programme.id, member.id).await? {
        let change = Change {
            action: "programme.member_add",
            entity: "programme",
            entity_id: Some(programme.id.to_string()),
            before: None,
            after: Some(json!({ "user": member.email })),
        };
        audit::record(&mut tx, &Actor::user(user), change).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Largest small-cell threshold accepted (a larger one would hide nearly everything).
pub const MAX_SMALL_CELL_THRESHOLD: i32 = 50;

/// A small-cell threshold between 1 and `MAX_SMALL_CELL_THRESHOLD`, else a 422 naming the field.
pub fn check_small_cell_threshold(threshold: i64) -> AppResult<i32> {
    i32::try_from(threshold)
        .ok()
        .filter(|t| (1..=MAX_SMALL_CELL_THRESHOLD).contains(t))
        .ok_or_else(threshold_error)
}

/// A small-cell threshold as typed into a form (`5`, ` 5 `); text that is not a whole number gets
/// the same 422 as a number out of range.
pub fn parse_small_cell_threshold(text: &str) -> AppResult<i32> {
    match text.trim().parse::<i64>() {
        Ok(threshold) => check_small_cell_threshold(threshold),
        Err(_) => Err(threshold_error()),
    }
}

fn threshold_error() -> AppError {
    invalid(
        "small_cell_threshold",
        crate::i18n::Msg::new("report.err.threshold").arg("max", MAX_SMALL_CELL_THRESHOLD),
    )
}

/// Sets the threshold below which funder-facing counts about at-risk participants show as "<N"
/// (audited). 1 hides nothing.
pub async fn set_small_cell_threshold(
    db: &Db,
    user: &User,
    key: &str,
    threshold: i32,
) -> AppResult<Programme> {
    let threshold = check_small_cell_threshold(i64::from(threshold))?;
    let programme = programme_for(db, user, key).await?;
    if threshold == programme.small_cell_threshold {
        return Ok(programme);
    }
    let mut tx = db.begin().await?;
    programmes::set_small_cell_threshold(&mut tx, programme.id, threshold).await?;
    let change = Change {
        action: "programme.small_cell_threshold",
        entity: "programme",
        entity_id: Some(programme.id.to_string()),
        before: Some(json!({ "small_cell_threshold": programme.small_cell_threshold })),
        after: Some(json!({ "small_cell_threshold": threshold })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find(db, programme.id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn remove_member(db: &Db, user: &User, key: &str, member_id: Id) -> AppResult<()> {
    let programme = programme_for(db, user, key).await?;
    let mut tx = db.begin().await?;
    if programmes::remove_member(&mut tx, programme.id, member_id).await? {
        let change = Change {
            action: "programme.member_remove",
            entity: "programme",
            entity_id: Some(programme.id.to_string()),
            before: Some(json!({ "user": member_id })),
            after: None,
        };
        audit::record(&mut tx, &Actor::user(user), change).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn validate_cohort(input: &CohortInput) -> Result<CohortFields, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = required_text(&mut errors, "name", &input.name, 200);
    let slug_text = if input.slug.trim().is_empty() {
        slugify(&name)
    } else {
        input.slug.clone()
    };
    let slug = parse_slug(&slug_text)
        .map_err(|k| errors.add("slug", k))
        .ok();
    let span = dates(&mut errors, &input.starts_on, &input.ends_on);
    let marking_days = match input.marking_days.trim() {
        "" => DEFAULT_MARKING_DAYS,
        text => match text.parse::<i32>() {
            Ok(n) if (0..=365).contains(&n) => n,
            _ => {
                errors.add("marking_days", "err.marking_days");
                DEFAULT_MARKING_DAYS
            }
        },
    };
    match (slug, span) {
        (Some(slug), Some((starts_on, ends_on))) if errors.is_empty() => Ok(CohortFields {
            slug,
            name,
            starts_on,
            ends_on,
            archived: input.archived,
            marking_days,
        }),
        _ => Err(errors),
    }
}

fn cohort_json(c: &CohortFields) -> serde_json::Value {
    json!({ "slug": c.slug, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "archived": c.archived, "marking_days": c.marking_days })
}

pub async fn create_cohort(db: &Db, user: &User, input: &CohortInput) -> AppResult<Cohort> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let programme = match input.programme.trim() {
        "" => Err(invalid("programme", "err.required")),
        key => match programme_for(db, user, key).await {
            Err(AppError::NotFound) => Err(invalid("programme", "err.programme_unknown")),
            other => other,
        },
    };
    let fields = validate_cohort(input);
    let (programme, fields) = match (programme, fields) {
        (Ok(p), Ok(f)) => (p, f),
        (Err(AppError::Validation(mut a)), Err(b)) => {
            a.0.extend(b.0);
            return Err(AppError::Validation(a));
        }
        (Err(e), _) => return Err(e),
        (_, Err(b)) => return Err(AppError::Validation(b)),
    };
    if programmes::slug_taken(db, true, &fields.slug, None).await? {
        return Err(invalid("slug", "err.slug_taken"));
    }
    let mut tx = db.begin().await?;
    let id = programmes::insert_cohort(&mut tx, programme.id, &fields).await?;
    let change = Change {
        action: "cohort.create",
        entity: "cohort",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(cohort_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find_cohort(db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn update_cohort(
    db: &Db,
    user: &User,
    key: &str,
    input: &CohortInput,
) -> AppResult<Cohort> {
    let old = cohort_for(db, user, key).await?;
    let fields = validate_cohort(input).map_err(AppError::Validation)?;
    if programmes::slug_taken(db, true, &fields.slug, Some(old.id)).await? {
        return Err(invalid("slug", "err.slug_taken"));
    }
    let before = CohortFields {
        slug: old.slug.clone(),
        name: old.name.clone(),
        starts_on: old.starts_on,
        ends_on: old.ends_on,
        archived: old.archived,
        marking_days: old.marking_days,
    };
    let mut tx = db.begin().await?;
    programmes::update_cohort(&mut tx, old.id, &fields).await?;
    let change = Change {
        action: "cohort.update",
        entity: "cohort",
        entity_id: Some(old.id.to_string()),
        before: Some(cohort_json(&before)),
        after: Some(cohort_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    programmes::find_cohort(db, old.id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list_cohorts(db: &Db, user: &User) -> AppResult<Vec<Cohort>> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    Ok(programmes::cohorts_visible(db, user.id, user.role == Role::Admin).await?)
}

/// A cohort by id or slug, if it exists (no access check: command line, demo).
pub async fn find_cohort(db: &Db, key: &str) -> AppResult<Option<Cohort>> {
    Ok(match key.parse::<Id>() {
        Ok(id) => programmes::find_cohort(db, id).await?,
        Err(_) => programmes::find_cohort_by_slug(db, key.trim()).await?,
    })
}

/// A cohort by id or slug that `user` may manage; 403 for roles that never may, else 404.
pub async fn cohort_for(db: &Db, user: &User, key: &str) -> AppResult<Cohort> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let cohort = find_cohort(db, key).await?.ok_or(AppError::NotFound)?;
    admit(db, user, cohort.programme_id).await?;
    Ok(cohort)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(parse_slug("warnik-2021"), Ok("warnik-2021".into()));
        assert!(parse_slug("Warnik 2021").is_err());
        assert!(parse_slug("-a").is_err());
        assert!(parse_slug("a--b").is_err());
        assert_eq!(slugify("Edycja 2027 – Śrem"), "edycja-2027-srem");
        assert_eq!(slugify("  Łódź!  "), "lodz");
    }

    #[test]
    fn amounts_in_minor_units() {
        assert_eq!(parse_amount("250 000,50"), Ok(Some(25_000_050)));
        assert_eq!(parse_amount("250000.5"), Ok(Some(25_000_050)));
        assert_eq!(parse_amount("1200"), Ok(Some(120_000)));
        assert_eq!(parse_amount(""), Ok(None));
        assert!(parse_amount("12,345").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("-5").is_err());
    }

    #[test]
    fn small_cell_thresholds_from_a_form() {
        assert_eq!(parse_small_cell_threshold(" 5 ").ok(), Some(5));
        assert_eq!(parse_small_cell_threshold("1").ok(), Some(1));
        assert_eq!(
            parse_small_cell_threshold("50").ok(),
            Some(MAX_SMALL_CELL_THRESHOLD)
        );
        for bad in ["0", "51", "-3", "abc", "", "2.5", "99999999999"] {
            assert!(parse_small_cell_threshold(bad).is_err(), "{bad:?}");
        }
    }
}
