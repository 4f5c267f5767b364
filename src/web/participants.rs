//! The participant record: one enrolment of a person in a cohort — its facts, editing the person,
//! the status, possible duplicates (confirm different or merge), and personal data rights
//! (art. 15 export, art. 17 erasure). Coordinators and admins only.

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::enrolments::{self as enrolment_db, EnrolmentRow};
use crate::db::{Db, Id, organisations};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::service::enrolments::{self as service, PersonInput, StatusInput};
use crate::service::privacy;
use crate::web::cohorts::Download;
use crate::web::csrf::CsrfForm;
use crate::web::options;
use crate::web::session::StaffUser;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        show,
        update,
        set_status,
        not_duplicate,
        merge,
        export_json,
        erase
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

/// The edit form's values from the stored record.
fn record_values(row: &EnrolmentRow, p: &enrolment_db::Participant) -> Value {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    context! {
        first_name => &p.first_name,
        last_name => &p.last_name,
        email => p.email.as_deref().unwrap_or(""),
        phone => p.phone.as_deref().unwrap_or(""),
        gmina => &row.gmina_teryt,
        group => row.grp.as_str(),
        organisation => row.organisation.as_deref().unwrap_or(""),
        sex => p.sex.map(|s| s.as_str()).unwrap_or(""),
        birth_year => p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        vulnerability => p.vulnerability.as_deref().unwrap_or(""),
        consent_data_on => date(p.consent_data_on),
        consent_image_on => date(p.consent_image_on),
    }
}

fn status_values(row: &EnrolmentRow) -> Value {
    context! {
        status => row.status.as_str(),
        withdrawn_on => row.withdrawn_on.map(|d| d.to_string()).unwrap_or_default(),
        withdrawal_reason => row.withdrawal_reason.as_deref().unwrap_or(""),
    }
}

/// A failed form on the record page: which one, what was sent, and what is wrong.
struct Failed<'a> {
    form: &'static str,
    values: Option<Value>,
    errors: &'a ValidationErrors,
}

/// The record page; `failed` re-renders one of its forms with the sent values and errors.
async fn record_page(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    id: Id,
    failed: Option<Failed<'_>>,
) -> AppResult<Template> {
    let (cohort, row) = service::enrolment_for(db, &staff.0, id).await?;
    let participant = enrolment_db::find_participant(db, row.participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let duplicates = if row.not_duplicate {
        Vec::new()
    } else {
        service::duplicates_of(db, &row).await?
    };
    let (failed_form, errors) = match &failed {
        Some(f) => (f.form, error_map(f.errors, ctx.lang)),
        None => ("", Default::default()),
    };
    let sent = |form: &str| {
        failed
            .as_ref()
            .filter(|f| f.form == form)
            .and_then(|f| f.values.clone())
    };
    let values = sent("person").unwrap_or_else(|| record_values(&row, &participant));
    let status_values = sent("status").unwrap_or_else(|| status_values(&row));
    let duplicate_views: Vec<Value> = duplicates
        .iter()
        .map(|d| {
            context! {
                id => d.id,
                name => format!("{} {}", d.first_name, d.last_name),
                email => &d.email,
                organisation => &d.organisation,
                group => ctx.t(d.grp.label_key()),
                status => ctx.t(d.status.label_key()),
                created_at => d.created_at,
            }
        })
        .collect();
    let attendance = attendance_view(ctx, db, staff, &cohort.slug, row.id).await?;
    Ok(ctx.render(
        "participants/record",
        context! {
            attendance,
            cohort,
            enrolment => &row,
            participant,
            full_name => format!("{} {}", row.first_name, row.last_name),
            group_label => ctx.t(row.grp.label_key()),
            status_label => ctx.t(row.status.label_key()),
            duplicates => duplicate_views,
            values,
            status_values,
            failed_form,
            errors,
            group_options => options::groups(ctx.lang),
            sex_options => options::sexes(ctx.lang),
            status_options => options::statuses(ctx.lang),
            organisations => organisations::list(db).await?,
        },
    ))
}

async fn with_errors(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    id: Id,
    failed: Failed<'_>,
) -> FormResult {
    let page = record_page(ctx, db, staff, id, Some(failed)).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[get("/enrolments/<id>")]
async fn show(ctx: Ctx, db: &State<Db>, staff: StaffUser, id: Id) -> AppResult<Template> {
    record_page(&ctx, db, &staff, id, None).await
}

#[derive(FromForm)]
struct PersonForm {
    csrf_token: Option<String>,
    first_name: String,
    last_name: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    phone: String,
    gmina: String,
    group: String,
    #[field(default = String::new())]
    organisation: String,
    #[field(default = String::new())]
    sex: String,
    #[field(default = String::new())]
    birth_year: String,
    #[field(default = String::new())]
    vulnerability: String,
    #[field(default = String::new())]
    consent_data_on: String,
    #[field(default = String::new())]
    consent_image_on: String,
}
csrf_protected!(PersonForm);

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            gmina: self.gmina.clone(),
            group: self.group.clone(),
            organisation: self.organisation.clone(),
            sex: self.sex.clone(),
            birth_year: self.birth_year.clone(),
            vulnerability: self.vulnerability.clone(),
            consent_data_on: self.consent_data_on.clone(),
            consent_image_on: self.consent_image_on.clone(),
        }
    }

    fn values(&self) -> Value {
        context! {
            first_name => &self.first_name, last_name => &self.last_name, email => &self.email,
            phone => &self.phone, gmina => &self.gmina, group => &self.group,
            organisation => &self.organisation, sex => &self.sex, birth_year => &self.birth_year,
            vulnerability => &self.vulnerability, consent_data_on => &self.consent_data_on,
            consent_image_on => &self.consent_image_on,
        }
    }
}

#[post("/enrolments/<id>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: Id,
    form: CsrfForm<PersonForm>,
) -> FormResult {
    match service::update(db, &staff.0, id, &form.0.input()).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/enrolments/{id}"),
            "record.saved",
        ))),
        Err(AppError::Validation(errors)) => {
            let failed = Failed {
                form: "person",
                values: Some(form.0.values()),
                errors: &errors,
            };
            with_errors(&ctx, db, &staff, id, failed).await
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct StatusForm {
    csrf_token: Option<String>,
    status: String,
    #[field(default = String::new())]
    withdrawn_on: String,
    #[field(default = String::new())]
    withdrawal_reason: String,
}
csrf_protected!(StatusForm);

#[post("/enrolments/<id>/status", data = "<form>")]
async fn set_status(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: Id,
    form: CsrfForm<StatusForm>,
) -> FormResult {
    let f = form.0;
    let input = StatusInput {
        status: f.status.clone(),
        withdrawn_on: f.withdrawn_on.clone(),
        withdrawal_reason: f.withdrawal_reason.clone(),
    };
    match service::set_status(db, &staff.0, id, &input).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/enrolments/{id}"),
            "record.status_saved",
        ))),
        Err(AppError::Validation(errors)) => {
            let values = context! {
                status => f.status, withdrawn_on => f.withdrawn_on,
                withdrawal_reason => f.withdrawal_reason,
            };
            let failed = Failed {
                form: "status",
                values: Some(values),
                errors: &errors,
            };
            with_errors(&ctx, db, &staff, id, failed).await
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/enrolments/<id>/not-duplicate", data = "<_form>")]
async fn not_duplicate(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: Id,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    service::confirm_different(db, &staff.0, id).await?;
    Ok(done(
        &ctx,
        format!("/enrolments/{id}"),
        "record.not_duplicate_done",
    ))
}

#[derive(FromForm)]
struct MergeForm {
    csrf_token: Option<String>,
    /// The other enrolment, merged into this one and then removed.
    other: String,
}
csrf_protected!(MergeForm);

#[post("/enrolments/<id>/merge", data = "<form>")]
async fn merge(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: Id,
    form: CsrfForm<MergeForm>,
) -> FormResult {
    let other: Id = form
        .0
        .other
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    match service::merge(db, &staff.0, id, other).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/enrolments/{id}"),
            "record.merged",
        ))),
        Err(AppError::Validation(errors)) => {
            let failed = Failed {
                form: "duplicates",
                values: None,
                errors: &errors,
            };
            with_errors(&ctx, db, &staff, id, failed).await
        }
        Err(e) => Err(e),
    }
}

#[get("/participants/<participant>/export.json")]
async fn export_json(db: &State<Db>, staff: StaffUser, participant: Id) -> AppResult<Download> {
    let data = privacy::export(db, &staff.0, participant).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(Download::new(
        &format!("dane-osobowe-{participant}.json"),
        ContentType::JSON,
        body,
    ))
}

#[derive(FromForm)]
struct EraseForm {
    csrf_token: Option<String>,
    /// The enrolment page the form was sent from (to return to it).
    enrolment: Option<String>,
    confirm: bool,
}
csrf_protected!(EraseForm);

/// The enrolment of `participant` to show or return to: the one the form came from, else the first
/// one `staff` may manage.
async fn enrolment_of(
    db: &Db,
    staff: &StaffUser,
    participant: Id,
    from: Option<Id>,
) -> AppResult<EnrolmentRow> {
    let all = enrolment_db::for_participant(db, participant).await?;
    let candidates = match from {
        Some(id) => all.into_iter().filter(|e| e.id == id).collect(),
        None => all,
    };
    for e in candidates {
        match service::enrolment_for(db, &staff.0, e.id).await {
            Ok((_, row)) => return Ok(row),
            Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    Err(AppError::NotFound)
}

#[post("/participants/<participant>/erase", data = "<form>")]
async fn erase(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    participant: Id,
    form: CsrfForm<EraseForm>,
) -> FormResult {
    let from = form
        .0
        .enrolment
        .as_deref()
        .and_then(|e| e.trim().parse().ok());
    let row = enrolment_of(db, &staff, participant, from).await?;
    if !form.0.confirm {
        let mut errors = ValidationErrors::new();
        errors.add("confirm", "record.erase_confirm_required");
        let failed = Failed {
            form: "erase",
            values: None,
            errors: &errors,
        };
        return with_errors(&ctx, db, &staff, row.id, failed).await;
    }
    privacy::erase(db, &staff.0, participant).await?;
    let (cohort, _) = service::enrolment_for(db, &staff.0, row.id).await?;
    Ok(Either::Left(done(
        &ctx,
        format!("/cohorts/{}", cohort.slug),
        "record.erased_done",
    )))
}

/// The person's attendance in this cohort: hours, rate and each activity's mark so far.
async fn attendance_view(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    cohort: &str,
    enrolment: Id,
) -> AppResult<Value> {
    use crate::domain::activity::{format_hours, span_text};
    let data = crate::service::attendance::cohort(db, &staff.0, cohort).await?;
    let summary = data.summaries.get(&enrolment).cloned().unwrap_or_default();
    let now = chrono::Utc::now();
    let rows: Vec<Value> = data
        .views
        .iter()
        .filter(|v| v.roster.contains(&enrolment) && v.activity.starts_at <= now)
        .map(|v| {
            let mark = data.marks.get(&(v.activity.id, enrolment));
            context! {
                id => v.activity.id, title => &v.activity.title, kind => ctx.t(v.activity.kind.label_key()),
                when => span_text(v.activity.starts_at, v.activity.ends_at, ctx.lang),
                hours => format_hours(i64::from(v.activity.hours_centi), ctx.lang),
                cancelled => v.cancelled(),
                mark => mark.map(|m| ctx.t(m.label_key())).unwrap_or_else(|| ctx.t("mark.none")),
            }
        })
        .collect();
    Ok(context! {
        rate => summary.total.rate().map(|r| format!("{:.0} %", (r * 100.0).floor())),
        attended => format_hours(summary.total.attended, ctx.lang),
        planned => format_hours(summary.total.planned, ctx.lang),
        excused => format_hours(summary.total.excused, ctx.lang),
        rows,
    })
}
