//! The cohort's register of commissioned public tasks: the list with its totals, the form to
//! record, correct or remove a task, and the task's documents (uploaded files).

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::evidence::{self, Kind};
use crate::db::programmes::Cohort;
use crate::db::tasks::TaskRow;
use crate::db::{Db, Id, enrolments, reference};
use crate::domain::task::{TargetGroup, TaskStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::service::evidence::MAX_EVIDENCE_BYTES;
use crate::service::programmes::{cohort_for, slugify};
use crate::service::tasks::{self as service, TaskInput};
use crate::web::cohorts::Download;
use crate::web::csrf::CsrfForm;
use crate::web::session::StaffUser;
use crate::web::upload::{FileForm, after_upload, read_upload};
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        new_form,
        create,
        edit_form,
        update,
        remove,
        upload_evidence,
        download_evidence,
        remove_evidence
    ]
}

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

/// `9 500,00 zł` / `PLN 9,500.00`.
pub fn money(grosze: i64, lang: Lang) -> String {
    let whole = grosze / 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(if lang == Lang::Pl { '\u{a0}' } else { ',' });
        }
        grouped.push(c);
    }
    match lang {
        Lang::Pl => format!("{grouped},{:02}\u{a0}zł", grosze % 100),
        Lang::En => format!("PLN\u{a0}{grouped}.{:02}", grosze % 100),
    }
}

fn task_view(ctx: &Ctx, t: &TaskRow) -> Value {
    let groups: Vec<String> = t
        .target_groups
        .split(',')
        .filter_map(TargetGroup::parse)
        .map(|g| ctx.t(g.label_key()))
        .collect();
    context! {
        id => t.id, gmina => &t.gmina_name, title => &t.title,
        sphere => format!("{} – {}", t.sphere, t.sphere_label), mode => &t.mode_name,
        contractor => &t.contractor,
        amount => t.amount_grosze.map(|g| money(g, ctx.lang)).unwrap_or_else(|| "—".into()),
        on => t.commissioned_on.format("%d.%m.%Y").to_string(),
        status => ctx.t(t.status.label_key()), counts => t.status.counts(), is_new => t.is_new,
        groups => groups.join(", "), evidence_url => &t.evidence_url, files => t.evidence_files,
    }
}

#[get("/cohorts/<c>/tasks")]
async fn list(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Template> {
    let (cohort, tasks) = service::list(db, &staff.0, c).await?;
    let counted: Vec<&TaskRow> = tasks.iter().filter(|t| t.status.counts()).collect();
    let new_tasks = counted.iter().filter(|t| t.is_new).count();
    let mut gminas: Vec<&str> = counted
        .iter()
        .filter(|t| t.is_new)
        .map(|t| t.gmina_teryt.as_str())
        .collect();
    gminas.sort_unstable();
    gminas.dedup();
    let amount: i64 = counted.iter().filter_map(|t| t.amount_grosze).sum();
    let rows: Vec<Value> = tasks.iter().map(|t| task_view(&ctx, t)).collect();
    Ok(ctx.render(
        "tasks/list",
        context! {
            cohort, rows, new_tasks, gminas => gminas.len(), total => tasks.len(),
            in_preparation => tasks.len() - counted.len(), amount => money(amount, ctx.lang),
        },
    ))
}

/// Form values as the template shows them again.
#[derive(FromForm, Default, Clone)]
struct TaskForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    gmina: String,
    #[field(default = String::new())]
    team: String,
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    sphere: String,
    #[field(default = String::new())]
    mode: String,
    #[field(default = String::new())]
    contractor: String,
    #[field(default = String::new())]
    amount: String,
    #[field(default = String::new())]
    commissioned_on: String,
    #[field(default = String::new())]
    status: String,
    is_new: bool,
    target_groups: Vec<String>,
    #[field(default = String::new())]
    evidence_url: String,
}
csrf_protected!(TaskForm);

impl TaskForm {
    fn input(&self) -> TaskInput {
        TaskInput {
            gmina: self.gmina.clone(),
            team: self.team.clone(),
            title: self.title.clone(),
            sphere: self.sphere.clone(),
            mode: self.mode.clone(),
            contractor: self.contractor.clone(),
            amount: self.amount.clone(),
            commissioned_on: self.commissioned_on.clone(),
            status: self.status.clone(),
            is_new: self.is_new,
            target_groups: self.target_groups.clone(),
            evidence_url: self.evidence_url.clone(),
        }
    }

    fn values(&self) -> Value {
        context! {
            gmina => &self.gmina, team => &self.team, title => &self.title, sphere => &self.sphere,
            mode => &self.mode, contractor => &self.contractor, amount => &self.amount,
            commissioned_on => &self.commissioned_on, status => &self.status, is_new => self.is_new,
            target_groups => &self.target_groups, evidence_url => &self.evidence_url,
        }
    }

    fn of(t: &TaskRow) -> TaskForm {
        TaskForm {
            csrf_token: None,
            gmina: t.gmina_teryt.clone(),
            team: t.team_teryt.clone(),
            title: t.title.clone(),
            sphere: t.sphere.clone(),
            mode: t.mode.clone(),
            contractor: t.contractor.clone(),
            amount: t
                .amount_grosze
                .map(|g| format!("{},{:02}", g / 100, g % 100))
                .unwrap_or_default(),
            commissioned_on: t.commissioned_on.to_string(),
            status: t.status.as_str().to_owned(),
            is_new: t.is_new,
            target_groups: t
                .target_groups
                .split(',')
                .filter(|g| !g.is_empty())
                .map(str::to_owned)
                .collect(),
            evidence_url: t.evidence_url.clone(),
        }
    }
}

/// The form (new when `task` is None) with values and errors.
async fn form_page(
    ctx: &Ctx,
    db: &Db,
    cohort: &Cohort,
    task: Option<Id>,
    values: Value,
    errors: Value,
) -> AppResult<Template> {
    let teams: Vec<(String, String)> = enrolments::teams(db, cohort.id)
        .await?
        .into_iter()
        .map(|t| (t.teryt, format!("{} (pow. {})", t.name, t.powiat)))
        .collect();
    let spheres: Vec<(String, String)> = reference::spheres(db)
        .await?
        .into_iter()
        .map(|s| (s.pkt.clone(), format!("{} – {}", s.pkt, s.label)))
        .collect();
    let modes: Vec<(String, String)> = reference::modes(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let statuses: Vec<(String, String)> = TaskStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), ctx.t(s.label_key())))
        .collect();
    let target_groups: Vec<(String, String)> = TargetGroup::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), ctx.t(g.label_key())))
        .collect();
    let action = match task {
        Some(id) => format!("/tasks/{id}"),
        None => format!("/cohorts/{}/tasks", cohort.slug),
    };
    // The callers have authorised the task already.
    let evidence: Vec<Value> = match task {
        Some(id) => evidence::list(db, Kind::Task, id).await?,
        None => Vec::new(),
    }
    .iter()
    .map(|e| {
        context! { id => e.id, name => &e.file_name, kb => (e.size_bytes + 1023) / 1024,
        by => &e.uploaded_by_name, at => e.uploaded_at.to_rfc3339() }
    })
    .collect();
    Ok(ctx.render(
        "tasks/form",
        context! {
            cohort, task, action, values, errors, teams, spheres, modes, statuses, target_groups,
            evidence, max_mb => MAX_EVIDENCE_BYTES / 1024 / 1024,
        },
    ))
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

async fn after_save(
    ctx: &Ctx,
    db: &Db,
    cohort: &Cohort,
    task: Option<Id>,
    form: &TaskForm,
    outcome: AppResult<TaskRow>,
    message: &str,
) -> FormResult {
    match outcome {
        Ok(_) => Ok(Either::Left(done(
            ctx,
            format!("/cohorts/{}/tasks", cohort.slug),
            message,
        ))),
        Err(AppError::Validation(errors)) => {
            let errors = Value::from_serialize(error_map(&errors, ctx.lang));
            let page = form_page(ctx, db, cohort, task, form.values(), errors).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[get("/cohorts/<c>/tasks/new")]
async fn new_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Template> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let values = context! {
        status => "commissioned", is_new => true, target_groups => Vec::<String>::new(),
    };
    form_page(&ctx, db, &cohort, None, values, Value::from(())).await
}

#[post("/cohorts/<c>/tasks", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<TaskForm>,
) -> FormResult {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let outcome = service::create(db, &staff.0, &cohort.slug, &form.0.input()).await;
    after_save(&ctx, db, &cohort, None, &form.0, outcome, "task.created").await
}

#[get("/tasks/<id>/edit")]
async fn edit_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, id: &str) -> AppResult<Template> {
    let (task, cohort) = service::task_for(db, &staff.0, parse_id(id)?).await?;
    let values = TaskForm::of(&task).values();
    form_page(&ctx, db, &cohort, Some(task.id), values, Value::from(())).await
}

#[post("/tasks/<id>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    form: CsrfForm<TaskForm>,
) -> FormResult {
    let id = parse_id(id)?;
    let (_, cohort) = service::task_for(db, &staff.0, id).await?;
    let outcome = service::update(db, &staff.0, id, &form.0.input()).await;
    after_save(
        &ctx,
        db,
        &cohort,
        Some(id),
        &form.0,
        outcome,
        "task.updated",
    )
    .await
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/tasks/<id>/delete", data = "<_form>")]
async fn remove(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let cohort = service::delete(db, &staff.0, parse_id(id)?).await?;
    Ok(done(
        &ctx,
        format!("/cohorts/{}/tasks", cohort.slug),
        "task.deleted",
    ))
}

#[post("/tasks/<id>/evidence", data = "<form>")]
async fn upload_evidence(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    form: CsrfForm<FileForm<'_>>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(id)?;
    let back = format!("/tasks/{id}/edit#evidence");
    let (name, bytes) = read_upload(form.0.file.as_ref()).await?;
    let outcome = service::upload_evidence(db, &staff.0, id, &name, &bytes).await;
    let field = Some("task.evidence.file");
    after_upload(&ctx, back, outcome, "task.evidence.saved", field)
}

/// An ASCII name for the download header: `Zarządzenie nr 12.pdf` → `zarzadzenie-nr-12.pdf`.
fn download_name(file_name: &str) -> String {
    let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    let stem = Some(slugify(stem))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "dokument".to_owned());
    match slugify(ext) {
        ext if ext.is_empty() => stem,
        ext => format!("{stem}.{ext}"),
    }
}

#[get("/task-evidence/<id>")]
async fn download_evidence(db: &State<Db>, staff: StaffUser, id: &str) -> AppResult<Download> {
    let (meta, bytes) = service::evidence_file(db, &staff.0, parse_id(id)?).await?;
    let content_type =
        ContentType::parse_flexible(&meta.content_type).unwrap_or(ContentType::Binary);
    Ok(Download::inline(
        &download_name(&meta.file_name),
        content_type,
        bytes,
    ))
}

#[post("/task-evidence/<id>/delete", data = "<_form>")]
async fn remove_evidence(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let removed = service::remove_evidence(db, &staff.0, parse_id(id)?).await?;
    Ok(done(
        &ctx,
        format!("/tasks/{}/edit#evidence", removed.owner_id),
        "task.evidence.removed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(money(950_000, Lang::Pl), "9\u{a0}500,00\u{a0}zł");
        assert_eq!(money(8_439_300, Lang::En), "PLN\u{a0}84,393.00");
        assert_eq!(money(5, Lang::Pl), "0,05\u{a0}zł");
        assert_eq!(
            money(100_000_000, Lang::Pl),
            "1\u{a0}000\u{a0}000,00\u{a0}zł"
        );
    }

    #[test]
    fn downloads_get_an_ascii_name() {
        assert_eq!(
            download_name("Zarządzenie nr 12 (2024).PDF"),
            "zarzadzenie-nr-12-2024.pdf"
        );
        assert_eq!(download_name("ąę.jpg"), "ae.jpg");
        assert_eq!(download_name("„”.png"), "dokument.png");
        assert_eq!(download_name("umowa"), "umowa");
    }
}
