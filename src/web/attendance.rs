//! Marking attendance on a phone: one large control per person, "everyone present" then the
//! exceptions, one save (a plain form); with JavaScript every change saves at once and unsaved
//! marks survive a lost connection. And the cohort's attendance matrix for coordinators.

use std::collections::HashMap;

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::{Db, Id};
use crate::domain::activity::{format_hours, local_day, span_text};
use crate::domain::attendance::Mark;
use crate::domain::participant::Group;
use crate::error::{AppError, AppResult};
use crate::service::attendance::{self as service, MarkInput, Window};
use crate::service::exports::{self, Format};
use crate::web::cohorts::{Download, xlsx_type};
use crate::web::csrf::CsrfForm;
use crate::web::session::{CurrentUser, StaffUser};
use crate::web::upload::{FileForm, after_upload, read_upload};
use crate::web::{Ctx, options};

pub fn routes() -> Vec<Route> {
    routes![
        sheet,
        save,
        matrix,
        export_csv,
        export_xlsx,
        upload_evidence,
        download_evidence
    ]
}

fn parse_id(a: &str) -> AppResult<Id> {
    a.parse::<Id>().map_err(|_| AppError::NotFound)
}

#[get("/activities/<a>/attendance?<preset>")]
async fn sheet(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    a: &str,
    preset: Option<&str>,
) -> AppResult<Template> {
    let sheet = service::sheet(db, &user.0, parse_id(a)?).await?;
    let preset = preset.and_then(Mark::parse);
    let marks: Vec<(String, String)> = Mark::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), ctx.t(m.label_key())))
        .collect();
    let mut marked = 0;
    let people: Vec<Value> = sheet
        .roster
        .iter()
        .map(|e| {
            let mark = sheet.marks.get(&e.id);
            marked += usize::from(mark.is_some());
            let current = mark.map(|m| m.status).or(preset);
            context! {
                id => e.id, name => format!("{} {}", e.first_name, e.last_name),
                gmina => &e.gmina_name, group => ctx.t(e.grp.label_key()),
                status => current.map(|m| m.as_str()).unwrap_or(""),
                preset => mark.is_none() && preset.is_some(),
                marked_by => mark.and_then(|m| m.marked_by_name.clone()),
                marked_at => mark.map(|m| m.marked_at.to_rfc3339()),
            }
        })
        .collect();
    let evidence: Vec<Value> = service::evidence(db, &user.0, sheet.view.activity.id)
        .await?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            context! { id => e.id, name => &e.file_name, kb => (e.size_bytes + 1023) / 1024,
            by => &e.uploaded_by_name, at => e.uploaded_at.to_rfc3339(), current => i == 0 }
        })
        .collect();
    let a = &sheet.view.activity;
    let window = match sheet.window {
        Window::NotYet => "not_yet",
        Window::Open => "open",
        Window::Closed => "closed",
    };
    Ok(ctx.render(
        "attendance/sheet",
        context! {
            activity => context! { id => a.id, title => &a.title, kind => ctx.t(a.kind.label_key()),
                when => span_text(a.starts_at, a.ends_at, ctx.lang), place => &a.location,
                hours => format_hours(i64::from(a.hours_centi), ctx.lang), cancelled => a.cancelled_at.is_some() },
            cohort => &sheet.cohort, people, marks, marked, total => sheet.roster.len(),
            can_mark => sheet.can_mark(), needs_reason => sheet.needs_reason(), window,
            marking_days => sheet.marking_days, manage => sheet.access == crate::service::activities::Access::Manage,
            evidence, max_mb => service::MAX_EVIDENCE_BYTES / 1024 / 1024,
        },
    ))
}

#[derive(FromForm)]
struct MarkForm {
    csrf_token: Option<String>,
    marks: HashMap<String, String>,
    #[field(default = String::new())]
    reason: String,
}
csrf_protected!(MarkForm);

/// A save sent by the page's script (`X-Requested-With: fetch`): answered with a bare status
/// (204 saved, 422 refused with the reason as text) instead of a redirect.
struct FromScript(bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FromScript {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(FromScript(
            req.headers().get_one("X-Requested-With") == Some("fetch"),
        ))
    }
}

#[post("/activities/<a>/attendance", data = "<form>")]
async fn save(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    script: FromScript,
    a: &str,
    form: CsrfForm<MarkForm>,
) -> AppResult<Either<Flash<Redirect>, (Status, String)>> {
    let id = parse_id(a)?;
    let mut marks = Vec::new();
    for (key, value) in &form.0.marks {
        let (Ok(enrolment), Some(status)) = (key.parse::<Id>(), Mark::parse(value)) else {
            continue;
        };
        marks.push(MarkInput { enrolment, status });
    }
    let back = format!("/activities/{id}/attendance");
    let reason = Some(form.0.reason.as_str());
    match service::mark(db, &user.0, id, &marks, reason).await {
        Ok(_) if script.0 => Ok(Either::Right((Status::NoContent, String::new()))),
        Ok(n) => Ok(Either::Left(Flash::success(
            Redirect::to(back),
            crate::i18n::tn(ctx.lang, "attendance.saved", n as i64),
        ))),
        Err(AppError::Validation(errors)) => {
            let text = errors.sentence(ctx.lang);
            if script.0 {
                Ok(Either::Right((Status::UnprocessableEntity, text)))
            } else {
                Ok(Either::Left(Flash::error(Redirect::to(back), text)))
            }
        }
        Err(e) => Err(e),
    }
}

fn rate_text(rate: Option<f64>) -> String {
    // Rounded down, so 79.5 % never reads as the 80 % it falls short of.
    rate.map(|r| format!("{:.0} %", (r * 100.0).floor()))
        .unwrap_or_else(|| "—".to_owned())
}

/// Attendance below which a person is flagged (the certificate rule's default).
pub const THRESHOLD: f64 = 0.8;

#[get("/cohorts/<c>/attendance?<group>&<team>")]
async fn matrix(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    group: Option<&str>,
    team: Option<&str>,
) -> AppResult<Template> {
    let data = service::cohort(db, &staff.0, c).await?;
    let group = group.and_then(Group::parse);
    let team = team.filter(|t| !t.is_empty());
    let columns = data.held();
    let heads: Vec<Value> = columns
        .iter()
        .map(|v| {
            context! { id => v.activity.id, title => &v.activity.title,
            day => local_day(v.activity.starts_at).format("%d.%m").to_string(),
            kind => ctx.t(v.activity.kind.label_key()) }
        })
        .collect();
    let mut teams: Vec<(String, String, Vec<Value>)> = Vec::new();
    let mut flagged = 0;
    for e in &data.enrolments {
        if group.is_some_and(|g| g != e.grp) || team.is_some_and(|t| t != e.gmina_teryt) {
            continue;
        }
        let s = data.summaries.get(&e.id).cloned().unwrap_or_default();
        let rate = s.total.rate();
        let low = rate.is_some_and(|r| r < THRESHOLD);
        let streak = s.longest_absence_run >= 3;
        flagged += usize::from(low || streak);
        let cells: Vec<Value> = columns
            .iter()
            .map(|v| {
                if !v.roster.contains(&e.id) {
                    return context! { on => false };
                }
                let mark = data.marks.get(&(v.activity.id, e.id));
                context! { on => true, mark => mark.map(|m| m.as_str()).unwrap_or("none"),
                label => mark.map(|m| ctx.t(m.label_key())).unwrap_or_else(|| ctx.t("mark.none")) }
            })
            .collect();
        let row = context! {
            id => e.id, name => format!("{} {}", e.first_name, e.last_name), group => ctx.t(e.grp.label_key()),
            attended => format_hours(s.total.attended, ctx.lang), planned => format_hours(s.total.planned, ctx.lang),
            excused => format_hours(s.total.excused, ctx.lang), rate => rate_text(rate), low, streak, cells,
        };
        match teams.iter_mut().find(|(t, _, _)| *t == e.gmina_teryt) {
            Some((_, _, rows)) => rows.push(row),
            None => teams.push((e.gmina_teryt.clone(), e.gmina_name.clone(), vec![row])),
        }
    }
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    let teams: Vec<Value> = teams
        .into_iter()
        .map(|(teryt, name, rows)| context! { teryt, name, rows })
        .collect();
    let team_options: Vec<(String, String)> = {
        let mut seen: Vec<(String, String)> = Vec::new();
        for e in &data.enrolments {
            if !seen.iter().any(|(t, _)| *t == e.gmina_teryt) {
                seen.push((e.gmina_teryt.clone(), e.gmina_name.clone()));
            }
        }
        seen.sort_by(|a, b| a.1.cmp(&b.1));
        seen
    };
    Ok(ctx.render(
        "attendance/matrix",
        context! {
            cohort => &data.cohort, heads, teams, flagged, threshold => (THRESHOLD * 100.0) as i64,
            groups => options::groups(ctx.lang), team_options,
            filter_group => group.map(|g| g.as_str()).unwrap_or(""), filter_team => team.unwrap_or(""),
        },
    ))
}

#[get("/cohorts/<c>/attendance.csv")]
async fn export_csv(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    let (name, bytes) = exports::attendance(db, &staff.0, c, Format::Csv, ctx.lang).await?;
    Ok(Download::new(&name, ContentType::CSV, bytes))
}

#[get("/cohorts/<c>/attendance.xlsx")]
async fn export_xlsx(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    let (name, bytes) = exports::attendance(db, &staff.0, c, Format::Xlsx, ctx.lang).await?;
    Ok(Download::new(&name, xlsx_type(), bytes))
}

#[post("/activities/<a>/evidence", data = "<form>")]
async fn upload_evidence(
    ctx: Ctx,
    db: &State<Db>,
    user: CurrentUser,
    a: &str,
    form: CsrfForm<FileForm<'_>>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(a)?;
    let back = format!("/activities/{id}/attendance#evidence");
    let (name, bytes) = read_upload(form.0.file.as_ref()).await?;
    let outcome = service::upload_evidence(db, &user.0, id, &name, &bytes).await;
    after_upload(&ctx, back, outcome, "evidence.saved", None)
}

#[get("/evidence/<id>")]
async fn download_evidence(db: &State<Db>, user: CurrentUser, id: &str) -> AppResult<Download> {
    let (meta, bytes) = service::evidence_file(db, &user.0, parse_id(id)?).await?;
    let content_type =
        ContentType::parse_flexible(&meta.content_type).unwrap_or(ContentType::Binary);
    let ascii: String = meta
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(Download::inline(&ascii, content_type, bytes))
}
