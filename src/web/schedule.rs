//! Scheduling pages: a cohort's schedule as an agenda or a month calendar (filterable), the
//! activity form with conflict confirmation, an activity's page with its roster, cancelling,
//! a trainer's "my activities", calendar subscriptions, and the printable attendance list.

use chrono::{Datelike, NaiveDate, Utc};
use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::activities::Feed;
use crate::db::programmes::Cohort;
use crate::db::{Db, Id, enrolments, organisations, users};
use crate::domain::Role;
use crate::domain::activity::{
    ActivityKind, format_hours, local_day, local_input, local_time, long_date, month_name,
    month_weeks, span_text, weekday_names,
};
use crate::error::{AppError, AppResult};
use crate::service::activities::{
    self as service, Access, ActivityInput, ActivityView, Clash, Conflict, Filter, Saved,
};
use crate::service::calendar;
use crate::service::programmes::cohort_for;
use crate::web::base_url::BaseUrl;
use crate::web::cohorts::Download;
use crate::web::csrf::CsrfForm;
use crate::web::session::{CurrentUser, StaffUser, TrainerUser};
use crate::web::{Ctx, done, error_map, options};

pub fn routes() -> Vec<Route> {
    routes![
        schedule,
        new_form,
        create,
        show,
        edit_form,
        edit,
        cancel,
        restore,
        roster,
        attendance_list,
        mine,
        create_cohort_feed,
        create_own_feed,
        revoke_feed,
        feed
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

fn parse_id(a: &str) -> AppResult<Id> {
    a.parse::<Id>().map_err(|_| AppError::NotFound)
}

/// What lists and calendars show of an activity.
fn activity_card(ctx: &Ctx, v: &ActivityView) -> Value {
    let a = &v.activity;
    let trainers: Vec<&str> = v.trainers.iter().map(|t| t.name.as_str()).collect();
    let audience = audience_text(ctx, v);
    context! {
        id => a.id, title => &a.title, kind => a.kind.as_str(), kind_label => ctx.t(a.kind.label_key()),
        module => &a.module, day => local_day(a.starts_at).to_string(),
        day_text => long_date(local_day(a.starts_at), ctx.lang),
        start => local_time(a.starts_at), end => local_time(a.ends_at),
        when => span_text(a.starts_at, a.ends_at, ctx.lang),
        hours => format_hours(i64::from(a.hours_centi), ctx.lang),
        place => if a.location.is_empty() { ctx.t("activity.online") } else { a.location.clone() },
        online => !a.online_url.is_empty(),
        trainers => trainers.join(", "), audience, people => v.roster.len(),
        cohort => &a.cohort_name, cohort_slug => &a.cohort_slug,
        cancelled => a.cancelled_at.is_some(), cancel_reason => &a.cancel_reason,
    }
}

fn audience_text(ctx: &Ctx, v: &ActivityView) -> String {
    if v.audience.whole_cohort() {
        return ctx.t("activity.audience_all");
    }
    let mut parts: Vec<String> = v
        .audience
        .groups
        .iter()
        .map(|g| ctx.t(g.label_key()))
        .collect();
    if !v.team_names.is_empty() {
        parts.push(format!(
            "{} {}",
            crate::i18n::tn(
                ctx.lang,
                "activity.audience_teams",
                v.team_names.len() as i64
            ),
            v.team_names.join(", ")
        ));
    }
    parts.join(" · ")
}

fn feed_views(ctx: &Ctx, feeds: &[Feed]) -> Vec<Value> {
    feeds
        .iter()
        .map(|f| {
            context! {
                id => f.id, created_at => f.created_at.to_rfc3339(),
                revoked => f.revoked_at.is_some(),
                state => if f.revoked_at.is_some() { ctx.t("feed.revoked") } else { ctx.t("feed.live") },
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
#[get("/cohorts/<c>/schedule?<view>&<month>&<kind>&<trainer>&<team>")]
async fn schedule(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    view: Option<&str>,
    month: Option<&str>,
    kind: Option<&str>,
    trainer: Option<&str>,
    team: Option<&str>,
) -> AppResult<Template> {
    let (cohort, views, book) = service::schedule(db, &staff.0, c).await?;
    let filter = Filter {
        kind: kind.and_then(ActivityKind::parse),
        trainer: trainer.and_then(|t| t.parse::<Id>().ok()),
        team: team.filter(|t| !t.is_empty()).map(str::to_owned),
    };
    let shown: Vec<&ActivityView> = views.iter().filter(|v| filter.admits(v)).collect();
    let month_view = view == Some("month");
    // Trainers and teams that appear in the schedule, for the filter selects.
    let mut trainer_options: Vec<(String, String)> = Vec::new();
    for v in &views {
        for t in &v.trainers {
            if !trainer_options
                .iter()
                .any(|(id, _)| *id == t.id.to_string())
            {
                trainer_options.push((t.id.to_string(), t.name.clone()));
            }
        }
    }
    trainer_options.sort_by(|a, b| a.1.cmp(&b.1));
    let team_options: Vec<(String, String)> = enrolments::teams(db, cohort.id)
        .await?
        .into_iter()
        .map(|t| (t.teryt, t.name))
        .collect();
    let today = local_day(Utc::now());
    // Agenda: days in order, each with its activities.
    let mut days: Vec<Value> = Vec::new();
    let mut current: Option<(NaiveDate, Vec<Value>)> = None;
    for v in &shown {
        let day = local_day(v.activity.starts_at);
        match &mut current {
            Some((d, list)) if *d == day => list.push(activity_card(&ctx, v)),
            _ => {
                if let Some((d, list)) = current.take() {
                    days.push(context! { date => d.to_string(), text => long_date(d, ctx.lang), today => d == today, activities => list });
                }
                current = Some((day, vec![activity_card(&ctx, v)]));
            }
        }
    }
    if let Some((d, list)) = current.take() {
        days.push(context! { date => d.to_string(), text => long_date(d, ctx.lang), today => d == today, activities => list });
    }
    // Month: the requested month, else the month of the next activity, else this month.
    let first_upcoming = shown
        .iter()
        .find(|v| local_day(v.activity.ends_at) >= today)
        .or(shown.last())
        .map(|v| local_day(v.activity.starts_at))
        .unwrap_or(today);
    let (year, mon) = month
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .map(|d| (d.year(), d.month()))
        .unwrap_or((first_upcoming.year(), first_upcoming.month()));
    let weeks: Vec<Value> = month_weeks(year, mon)
        .unwrap_or_default()
        .into_iter()
        .map(|week| {
            let cells: Vec<Value> = week
                .iter()
                .map(|d| {
                    let items: Vec<Value> = shown
                        .iter()
                        .filter(|v| local_day(v.activity.starts_at) == *d)
                        .map(|v| activity_card(&ctx, v))
                        .collect();
                    context! { date => d.to_string(), day => d.day(), text => long_date(*d, ctx.lang),
                               other_month => d.month() != mon, today => *d == today, activities => items }
                })
                .collect();
            Value::from(cells)
        })
        .collect();
    let prev = if mon == 1 {
        format!("{}-12", year - 1)
    } else {
        format!("{year}-{:02}", mon - 1)
    };
    let next = if mon == 12 {
        format!("{}-01", year + 1)
    } else {
        format!("{year}-{:02}", mon + 1)
    };
    let total_hours = service::planned_hours_centi(&views);
    let cancelled = views.iter().filter(|v| v.cancelled()).count();
    let feeds = calendar::feeds(db, &staff.0, Some(&cohort)).await?;
    let query = |extra: &str| {
        let mut parts = Vec::new();
        if let Some(k) = filter.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(t) = filter.trainer {
            parts.push(format!("trainer={t}"));
        }
        if let Some(t) = &filter.team {
            parts.push(format!("team={t}"));
        }
        if !extra.is_empty() {
            parts.push(extra.to_owned());
        }
        parts.join("&")
    };
    Ok(ctx.render(
        "schedule/schedule",
        context! {
            cohort, days, weeks, month_view, people => book.enrolments.len(),
            weekdays => weekday_names(ctx.lang),
            month_title => month_name(year, mon, ctx.lang),
            prev_query => query(&format!("view=month&month={prev}")),
            next_query => query(&format!("view=month&month={next}")),
            month_query => query(&format!("view=month&month={year}-{mon:02}")),
            agenda_query => query(""),
            count => shown.len(), all_count => views.len(), cancelled,
            total_hours => format_hours(total_hours, ctx.lang),
            kinds => options::activity_kinds(ctx.lang), trainers => trainer_options, teams => team_options,
            filter_kind => filter.kind.map(|k| k.as_str()).unwrap_or(""),
            filter_trainer => filter.trainer.map(|t| t.to_string()).unwrap_or_default(),
            filter_team => filter.team.clone().unwrap_or_default(),
            filtered => filter.kind.is_some() || filter.trainer.is_some() || filter.team.is_some(),
            feeds => feed_views(&ctx, &feeds),
        },
    ))
}

/// Form values as the template shows them again.
#[derive(FromForm, Default, Clone)]
struct ActivityForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    module: String,
    #[field(default = String::new())]
    description: String,
    #[field(default = String::new())]
    starts_at: String,
    #[field(default = String::new())]
    ends_at: String,
    #[field(default = String::new())]
    hours: String,
    #[field(default = String::new())]
    location: String,
    #[field(default = String::new())]
    online_url: String,
    #[field(default = String::new())]
    host: String,
    #[field(default = String::new())]
    capacity: String,
    trainers: Vec<String>,
    groups: Vec<String>,
    teams: Vec<String>,
    allow_conflicts: bool,
}
csrf_protected!(ActivityForm);

impl ActivityForm {
    fn input(&self) -> ActivityInput {
        ActivityInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            module: self.module.clone(),
            description: self.description.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            hours: self.hours.clone(),
            location: self.location.clone(),
            online_url: self.online_url.clone(),
            host: self.host.clone(),
            capacity: self.capacity.clone(),
            trainers: self.trainers.clone(),
            groups: self.groups.clone(),
            teams: self.teams.clone(),
            allow_conflicts: self.allow_conflicts,
        }
    }

    fn values(&self) -> Value {
        context! {
            kind => &self.kind, title => &self.title, module => &self.module,
            description => &self.description, starts_at => &self.starts_at, ends_at => &self.ends_at,
            hours => &self.hours, location => &self.location, online_url => &self.online_url,
            host => &self.host, capacity => &self.capacity, trainers => &self.trainers,
            groups => &self.groups, teams => &self.teams,
        }
    }

    fn of(v: &ActivityView) -> ActivityForm {
        let a = &v.activity;
        ActivityForm {
            csrf_token: None,
            kind: a.kind.as_str().to_owned(),
            title: a.title.clone(),
            module: a.module.clone(),
            description: a.description.clone(),
            starts_at: local_input(a.starts_at),
            ends_at: local_input(a.ends_at),
            hours: format_hours(i64::from(a.hours_centi), crate::i18n::Lang::En),
            location: a.location.clone(),
            online_url: a.online_url.clone(),
            host: a
                .host_organisation_id
                .map(|h| h.to_string())
                .unwrap_or_default(),
            capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
            trainers: v.trainers.iter().map(|t| t.id.to_string()).collect(),
            groups: v
                .audience
                .groups
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            teams: v.audience.teams.clone(),
            allow_conflicts: false,
        }
    }
}

fn conflict_views(ctx: &Ctx, found: &[Conflict]) -> Vec<Value> {
    found
        .iter()
        .map(|c| {
            let reasons: Vec<String> = c
                .clashes
                .iter()
                .map(|r| match r {
                    Clash::Trainer(name) => {
                        crate::i18n::tf(ctx.lang, "conflict.trainer", &[("name", name.clone())])
                    }
                    Clash::Team(name) => {
                        crate::i18n::tf(ctx.lang, "conflict.team", &[("name", name.clone())])
                    }
                    Clash::Participants(names) => {
                        let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
                        let mut text =
                            crate::i18n::tn(ctx.lang, "conflict.participants", names.len() as i64);
                        text.push_str(": ");
                        text.push_str(&shown.join(", "));
                        if names.len() > shown.len() {
                            text.push_str(", …");
                        }
                        text
                    }
                })
                .collect();
            context! {
                id => c.activity.id, title => &c.activity.title, cohort => &c.activity.cohort_name,
                when => span_text(c.activity.starts_at, c.activity.ends_at, ctx.lang), reasons,
            }
        })
        .collect()
}

/// Renders the activity form (new when `activity` is None) with values, errors and conflicts.
async fn form_page(
    ctx: &Ctx,
    db: &Db,
    cohort: &Cohort,
    activity: Option<Id>,
    values: Value,
    errors: Value,
    conflicts: Vec<Value>,
) -> AppResult<Template> {
    let trainers: Vec<(String, String)> = users::list(db)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Trainer && u.active)
        .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
        .collect();
    let hosts: Vec<(String, String)> = organisations::list(db)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let teams: Vec<(String, String)> = enrolments::teams(db, cohort.id)
        .await?
        .into_iter()
        .map(|t| (t.teryt, format!("{} (pow. {})", t.name, t.powiat)))
        .collect();
    let action = match activity {
        Some(id) => format!("/activities/{id}/edit"),
        None => format!("/cohorts/{}/activities", cohort.slug),
    };
    Ok(ctx.render(
        "schedule/form",
        context! {
            cohort, activity, action, values, errors, conflicts,
            kinds => options::activity_kinds(ctx.lang), groups => options::groups(ctx.lang),
            trainers, hosts, teams,
        },
    ))
}

#[get("/cohorts/<c>/activities/new?<kind>&<day>&<team>")]
async fn new_form(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    kind: Option<&str>,
    day: Option<&str>,
    team: Option<&str>,
) -> AppResult<Template> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let day = day
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| d.to_string());
    let values = context! {
        kind => kind.and_then(ActivityKind::parse).map(|k| k.as_str()).unwrap_or("training"),
        starts_at => day.as_ref().map(|d| format!("{d}T10:00")).unwrap_or_default(),
        ends_at => day.as_ref().map(|d| format!("{d}T13:00")).unwrap_or_default(),
        teams => team.map(|t| vec![t.to_owned()]).unwrap_or_default(),
        trainers => Vec::<String>::new(), groups => Vec::<String>::new(),
    };
    form_page(&ctx, db, &cohort, None, values, Value::from(()), Vec::new()).await
}

/// What saving the form led to: back to the activity, or the form again with errors or conflicts.
async fn after_save(
    ctx: &Ctx,
    db: &Db,
    cohort: &Cohort,
    activity: Option<Id>,
    form: &ActivityForm,
    outcome: AppResult<Saved>,
    message: &str,
) -> FormResult {
    match outcome {
        Ok(Saved::Done(view)) => Ok(Either::Left(done(
            ctx,
            format!("/activities/{}", view.activity.id),
            message,
        ))),
        Ok(Saved::Conflicts(found)) => {
            let page = form_page(
                ctx,
                db,
                cohort,
                activity,
                form.values(),
                Value::from(()),
                conflict_views(ctx, &found),
            )
            .await?;
            Ok(Either::Right((Status::Conflict, page)))
        }
        Err(AppError::Validation(errors)) => {
            let errors = Value::from_serialize(error_map(&errors, ctx.lang));
            let page =
                form_page(ctx, db, cohort, activity, form.values(), errors, Vec::new()).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[post("/cohorts/<c>/activities", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<ActivityForm>,
) -> FormResult {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let outcome = service::create(db, &staff.0, &cohort.slug, &form.0.input()).await;
    after_save(
        &ctx,
        db,
        &cohort,
        None,
        &form.0,
        outcome,
        "activity.created",
    )
    .await
}

#[get("/activities/<a>")]
async fn show(ctx: Ctx, db: &State<Db>, user: CurrentUser, a: &str) -> AppResult<Template> {
    let detail = service::detail(db, &user.0, parse_id(a)?).await?;
    let manage = detail.access == Access::Manage;
    let person = |e: &crate::db::enrolments::EnrolmentRow| {
        context! {
            id => e.id, name => format!("{} {}", e.first_name, e.last_name), gmina => &e.gmina_name,
            group => ctx.t(e.grp.label_key()),
            added => manage && !detail.view.audience.includes(e.grp, &e.gmina_teryt),
        }
    };
    let roster: Vec<Value> = detail.roster.iter().map(person).collect();
    let removed: Vec<Value> = detail.removed.iter().map(person).collect();
    let addable: Vec<(String, String)> = detail
        .addable
        .iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!(
                    "{} {} — {}, {}",
                    e.first_name,
                    e.last_name,
                    e.gmina_name,
                    ctx.t(e.grp.label_key())
                ),
            )
        })
        .collect();
    let a = &detail.view.activity;
    let over_capacity = a
        .capacity
        .is_some_and(|c| detail.roster.len() > usize::try_from(c).unwrap_or(0));
    Ok(ctx.render(
        "schedule/activity",
        context! {
            cohort => &detail.cohort, manage, activity => activity_card(&ctx, &detail.view),
            description => &a.description, online_url => &a.online_url, location => &a.location,
            host => &a.host_name, capacity => a.capacity, over_capacity,
            roster, removed, addable,
        },
    ))
}

#[get("/activities/<a>/edit")]
async fn edit_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, a: &str) -> AppResult<Template> {
    let (cohort, view, access) = service::activity_for(db, &staff.0, parse_id(a)?).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    let values = ActivityForm::of(&view).values();
    form_page(
        &ctx,
        db,
        &cohort,
        Some(view.activity.id),
        values,
        Value::from(()),
        Vec::new(),
    )
    .await
}

#[post("/activities/<a>/edit", data = "<form>")]
async fn edit(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    a: &str,
    form: CsrfForm<ActivityForm>,
) -> FormResult {
    let id = parse_id(a)?;
    let (cohort, _, _) = service::activity_for(db, &staff.0, id).await?;
    let outcome = service::update(db, &staff.0, id, &form.0.input()).await;
    after_save(
        &ctx,
        db,
        &cohort,
        Some(id),
        &form.0,
        outcome,
        "activity.updated",
    )
    .await
}

#[derive(FromForm)]
struct CancelForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    reason: String,
}
csrf_protected!(CancelForm);

#[post("/activities/<a>/cancel", data = "<form>")]
async fn cancel(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    a: &str,
    form: CsrfForm<CancelForm>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(a)?;
    match service::cancel(db, &staff.0, id, &form.0.reason).await {
        Ok(_) => Ok(done(
            &ctx,
            format!("/activities/{id}"),
            "activity.cancelled_done",
        )),
        Err(AppError::Validation(_)) => Ok(Flash::error(
            Redirect::to(format!("/activities/{id}#cancel")),
            ctx.t("activity.cancel_reason_required"),
        )),
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/activities/<a>/restore", data = "<_form>")]
async fn restore(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    a: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(a)?;
    service::restore(db, &staff.0, id).await?;
    Ok(done(&ctx, format!("/activities/{id}"), "activity.restored"))
}

#[derive(FromForm)]
struct RosterForm {
    csrf_token: Option<String>,
    enrolment: String,
    /// `add`, `remove` or `reset`.
    action: String,
}
csrf_protected!(RosterForm);

#[post("/activities/<a>/roster", data = "<form>")]
async fn roster(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    a: &str,
    form: CsrfForm<RosterForm>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(a)?;
    let included = match form.0.action.as_str() {
        "add" => Some(true),
        "remove" => Some(false),
        "reset" => None,
        _ => return Err(crate::error::invalid("action", "err.required")),
    };
    let enrolment = form
        .0
        .enrolment
        .parse::<Id>()
        .map_err(|_| crate::error::invalid("enrolment", "err.enrolment_unknown"))?;
    service::set_roster(db, &staff.0, id, enrolment, included).await?;
    Ok(done(
        &ctx,
        format!("/activities/{id}#roster"),
        "activity.roster_saved",
    ))
}

#[get("/activities/<a>/attendance-list.pdf")]
async fn attendance_list(db: &State<Db>, user: CurrentUser, a: &str) -> AppResult<Download> {
    let (name, pdf) = service::attendance_list_pdf(db, &user.0, parse_id(a)?).await?;
    Ok(Download::inline(&name, ContentType::PDF, pdf))
}

#[get("/my/activities")]
async fn mine(ctx: Ctx, db: &State<Db>, trainer: TrainerUser) -> AppResult<Template> {
    let views = service::trained_by(db, trainer.0.id).await?;
    let today = local_day(Utc::now());
    let todays: Vec<Value> = views
        .iter()
        .filter(|v| {
            local_day(v.activity.starts_at) <= today && local_day(v.activity.ends_at) >= today
        })
        .map(|v| activity_card(&ctx, v))
        .collect();
    let upcoming: Vec<Value> = views
        .iter()
        .filter(|v| local_day(v.activity.starts_at) > today)
        .map(|v| activity_card(&ctx, v))
        .collect();
    let mut past: Vec<Value> = views
        .iter()
        .filter(|v| local_day(v.activity.ends_at) < today)
        .map(|v| activity_card(&ctx, v))
        .collect();
    past.reverse();
    let feeds = calendar::feeds(db, &trainer.0, None).await?;
    Ok(ctx.render(
        "schedule/mine",
        context! { today => todays, upcoming, past, today_text => long_date(today, ctx.lang), feeds => feed_views(&ctx, &feeds) },
    ))
}

fn feed_created(ctx: &Ctx, base: &BaseUrl, token: &str, back: String, title: String) -> Template {
    let url = format!("{}{}", base.0, calendar::feed_path(token));
    let webcal = url
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);
    ctx.render(
        "schedule/feed_created",
        context! { url, webcal, back, title },
    )
}

#[post("/cohorts/<c>/feeds", data = "<_form>")]
async fn create_cohort_feed(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    c: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Template> {
    let (cohort, token) = calendar::create_cohort_feed(db, &staff.0, c).await?;
    Ok(feed_created(
        &ctx,
        &base,
        &token,
        format!("/cohorts/{}/schedule", cohort.slug),
        cohort.name,
    ))
}

#[post("/my/feeds", data = "<_form>")]
async fn create_own_feed(
    ctx: Ctx,
    db: &State<Db>,
    trainer: TrainerUser,
    base: BaseUrl,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Template> {
    let token = calendar::create_own_feed(db, &trainer.0).await?;
    let title = ctx.t("mine.title");
    Ok(feed_created(
        &ctx,
        &base,
        &token,
        "/my/activities".to_owned(),
        title,
    ))
}

#[post("/feeds/<id>/revoke", data = "<_form>")]
async fn revoke_feed(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    id: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let back = match calendar::revoke(db, &user.0, parse_id(id)?).await? {
        Some(cohort) => format!("/cohorts/{}/schedule#feeds", cohort.slug),
        None => "/my/activities#feeds".to_owned(),
    };
    Ok(done(&ctx, back, "feed.revoked_done"))
}

/// A subscription URL: no login, the unguessable token is the key; 404 once revoked.
#[get("/calendar/<file>")]
async fn feed(db: &State<Db>, base: BaseUrl, file: &str) -> AppResult<(ContentType, String)> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let text = calendar::feed_by_token(db, token, &base.0)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        ContentType::new("text", "calendar").with_params(("charset", "utf-8")),
        text,
    ))
}
