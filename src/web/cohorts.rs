//! The cohort page, organised by gmina team: team cards with missing roles, adding a gmina,
//! enrolling a person from a team slot, the CSV import with a preview, template and exports.

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{Flash, Redirect, Responder};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::audit::Actor;
use crate::db::{Db, gminy, organisations};
use crate::domain::import::{Column, template_rows};
use crate::domain::participant::Group;
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::output;
use crate::service::enrolments::{self as service, PersonInput};
use crate::service::exports::{self, Format};
use crate::service::import;
use crate::service::programmes::cohort_for;
use crate::web::csrf::CsrfForm;
use crate::web::options;
use crate::web::session::StaffUser;
use crate::web::upload::read_upload;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        show,
        gmina_picker,
        add_gmina,
        remove_gmina,
        enrol_form,
        enrol,
        import_form,
        import_upload,
        template_csv,
        template_xlsx,
        export_csv,
        export_xlsx
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

/// A file download with its name.
#[derive(Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl Download {
    /// A file the browser saves (`name` must be ASCII without quotes).
    pub fn new(name: &str, content_type: ContentType, body: Vec<u8>) -> Download {
        Download {
            body,
            content_type,
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ),
        }
    }

    /// A file the browser may show itself (a PDF), saved under `name` if the user saves it.
    pub fn inline(name: &str, content_type: ContentType, body: Vec<u8>) -> Download {
        Download {
            body,
            content_type,
            disposition: Header::new(
                "Content-Disposition",
                format!("inline; filename=\"{name}\""),
            ),
        }
    }
}

pub fn xlsx_type() -> ContentType {
    ContentType::new(
        "application",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
}

#[get("/cohorts/<c>")]
async fn show(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Template> {
    let (cohort, teams) = service::teams(db, &staff.0, c).await?;
    let mut by_group = [0usize; 3];
    let mut duplicates = 0;
    for team in &teams {
        for (i, list) in [&team.official, &team.ngo, &team.at_risk]
            .into_iter()
            .enumerate()
        {
            for m in list {
                if m.row.status != crate::domain::participant::EnrolmentStatus::Withdrawn {
                    by_group[i] += 1;
                }
                duplicates += usize::from(m.possible_duplicate);
            }
        }
    }
    let complete = teams.iter().filter(|t| t.complete).count();
    let total: usize = by_group.iter().sum();
    let team_views: Vec<Value> = teams
        .iter()
        .map(|team| {
            let slots: Vec<Value> = [
                (Group::Official, &team.official),
                (Group::Ngo, &team.ngo),
                (Group::AtRisk, &team.at_risk),
            ]
            .into_iter()
            .map(|(group, members)| {
                context! {
                    group => group.as_str(),
                    label => ctx.t(group.label_key()),
                    missing => team.missing.contains(&group),
                    missing_text => ctx.t(&format!("team.missing.{}", group.as_str())),
                    members => members.iter().map(|m| context! {
                        id => m.row.id, name => format!("{} {}", m.row.first_name, m.row.last_name),
                        organisation => &m.row.organisation, withdrawn => m.row.status == crate::domain::participant::EnrolmentStatus::Withdrawn,
                        status => ctx.t(m.row.status.label_key()), duplicate => m.possible_duplicate,
                    }).collect::<Vec<_>>(),
                }
            })
            .collect();
            context! { gmina => &team.gmina, complete => team.complete, slots, members => team.active_members,
                       empty => team.official.is_empty() && team.ngo.is_empty() && team.at_risk.is_empty() }
        })
        .collect();
    Ok(ctx.render(
        "cohorts/show",
        context! {
            cohort, teams => team_views, total, complete, duplicates,
            officials => by_group[0], ngos => by_group[1], at_risk => by_group[2],
        },
    ))
}

#[get("/cohorts/<c>/gminas?<q>")]
async fn gmina_picker(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    q: Option<&str>,
) -> AppResult<Template> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let q = q.unwrap_or("").trim();
    let results: Vec<Value> = if q.is_empty() {
        Vec::new()
    } else {
        gminy::search(db, q, 30)
            .await?
            .iter()
            .map(|g| context! { teryt => &g.teryt, name => &g.name, kind => ctx.t(g.kind.label_key()), powiat => &g.powiat, voivodeship => &g.voivodeship })
            .collect()
    };
    Ok(ctx.render(
        "cohorts/gminas",
        context! { cohort, q, results, searched => !q.is_empty() },
    ))
}

#[derive(FromForm)]
struct GminaForm {
    csrf_token: Option<String>,
    gmina: String,
}
csrf_protected!(GminaForm);

#[post("/cohorts/<c>/gminas", data = "<form>")]
async fn add_gmina(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<GminaForm>,
) -> AppResult<Flash<Redirect>> {
    let cohort = service::add_team(db, &staff.0, c, &form.0.gmina).await?;
    Ok(done(
        &ctx,
        format!("/cohorts/{}#team-{}", cohort.slug, form.0.gmina.trim()),
        "team.added",
    ))
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/cohorts/<c>/gminas/<teryt>/remove", data = "<_form>")]
async fn remove_gmina(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    teryt: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let cohort = service::remove_team(db, &staff.0, c, teryt).await?;
    Ok(done(
        &ctx,
        format!("/cohorts/{}", cohort.slug),
        "team.removed",
    ))
}

async fn enrol_page(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    c: &str,
    values: Value,
    errors: &ValidationErrors,
) -> AppResult<Template> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let gmina = match values
        .get_attr("gmina")
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
    {
        Some(code) => gminy::find(db, &code).await?,
        None => None,
    };
    Ok(ctx.render(
        "cohorts/enrol",
        context! {
            cohort, values, gmina,
            errors => error_map(errors, ctx.lang),
            group_options => options::groups(ctx.lang),
            sex_options => options::sexes(ctx.lang),
            organisations => organisations::list(db).await?,
        },
    ))
}

#[get("/cohorts/<c>/enrol?<gmina>&<group>")]
async fn enrol_form(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    gmina: Option<&str>,
    group: Option<&str>,
) -> AppResult<Template> {
    let values = context! { gmina => gmina.unwrap_or(""), group => group.unwrap_or("") };
    enrol_page(&ctx, db, &staff, c, values, &ValidationErrors::new()).await
}

#[derive(FromForm)]
struct PersonForm {
    csrf_token: Option<String>,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    gmina: String,
    group: String,
    organisation: String,
    sex: String,
    birth_year: String,
    vulnerability: String,
    consent_data_on: String,
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

#[post("/cohorts/<c>/enrolments", data = "<form>")]
async fn enrol(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<PersonForm>,
) -> FormResult {
    match service::enrol(db, &staff.0, c, &form.0.input()).await {
        Ok(row) => {
            let cohort = cohort_for(db, &staff.0, c).await?;
            Ok(Either::Left(done(
                &ctx,
                format!("/cohorts/{}#team-{}", cohort.slug, row.gmina_teryt),
                "enrolment.created",
            )))
        }
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            enrol_page(&ctx, db, &staff, c, form.0.values(), &errors).await?,
        ))),
        Err(e) => Err(e),
    }
}

fn columns(ctx: &Ctx) -> Vec<Value> {
    Column::ALL
        .iter()
        .map(|c| context! { pl => c.polish(), en => c.english(), required => c.required(), label => ctx.t(&format!("import.col.{}", c.english())) })
        .collect()
}

#[get("/cohorts/<c>/import")]
async fn import_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Template> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    Ok(ctx.render(
        "cohorts/import",
        context! { cohort, columns => columns(&ctx) },
    ))
}

#[derive(FromForm)]
struct ImportForm<'r> {
    csrf_token: Option<String>,
    file: Option<TempFile<'r>>,
    /// The checked file's text, sent back with the confirmation (the server keeps no upload).
    content: Option<String>,
    confirm: Option<bool>,
}
csrf_protected!(ImportForm<'_>);

/// Most rows shown in the preview besides those with problems.
const PREVIEW_ROWS: usize = 30;

#[post("/cohorts/<c>/import", data = "<form>")]
async fn import_upload(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<ImportForm<'_>>,
) -> FormResult {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let f = form.0;
    let bytes = match f.content.as_ref().filter(|t| !t.trim().is_empty()) {
        Some(content) => content.as_bytes().to_vec(),
        None => read_upload(f.file.as_ref()).await?.1,
    };
    let page = |status: Status, extra: Value| -> FormResult {
        Ok(Either::Right((
            status,
            ctx.render(
                "cohorts/import",
                context! { cohort => &cohort, columns => columns(&ctx), ..extra },
            ),
        )))
    };
    if bytes.is_empty() {
        let mut errors = ValidationErrors::new();
        errors.add("file", "err.file_required");
        return page(
            Status::UnprocessableEntity,
            context! { errors => error_map(&errors, ctx.lang) },
        );
    }
    let checked = match import::check(db, &cohort, &bytes).await {
        Ok(checked) => checked,
        Err(AppError::Validation(errors)) => {
            let problems: Vec<String> = errors
                .0
                .iter()
                .map(|e| e.message.render(ctx.lang))
                .collect();
            return page(
                Status::UnprocessableEntity,
                context! { file_problems => problems },
            );
        }
        Err(e) => return Err(e),
    };
    if f.confirm.unwrap_or(false) && checked.errors.is_empty() {
        let outcome = import::import(db, &Actor::user(&staff.0), &cohort, &bytes, false).await?;
        let message = crate::i18n::tn(ctx.lang, "import.done", outcome.imported as i64);
        return Ok(Either::Left(Flash::success(
            Redirect::to(format!("/cohorts/{}", cohort.slug)),
            message,
        )));
    }
    let preview = checked.preview(ctx.lang);
    let bad = preview.iter().filter(|r| !r.problems.is_empty()).count();
    let shown: Vec<_> = preview
        .iter()
        .enumerate()
        .filter(|(i, r)| !r.problems.is_empty() || *i < PREVIEW_ROWS)
        .map(|(_, r)| r)
        .collect();
    let status = if bad > 0 {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    page(
        status,
        context! {
            preview => shown, total => preview.len(), bad, valid => checked.people.len(),
            problems => checked.errors.0.len(),
            content => crate::domain::import::decode(&bytes),
            headers => Column::ALL.iter().map(|c| checked.sheet.header(*c).to_owned()).collect::<Vec<_>>(),
        },
    )
}

/// The import template's header and example rows as text.
fn template() -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut rows = template_rows();
    let header = rows.remove(0);
    let body = rows
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
    (header, body)
}

#[get("/cohorts/<c>/import/template.csv")]
async fn template_csv(db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    cohort_for(db, &staff.0, c).await?;
    let (header, body) = template();
    let bytes = output::csv::excel_csv(&header, &body)?;
    Ok(Download::new(
        "szablon-uczestnicy.csv",
        ContentType::CSV,
        bytes,
    ))
}

#[get("/cohorts/<c>/import/template.xlsx")]
async fn template_xlsx(db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    cohort_for(db, &staff.0, c).await?;
    let (header, body) = template();
    let bytes = output::xlsx::workbook("Uczestnicy", &header, &body)?;
    Ok(Download::new("szablon-uczestnicy.xlsx", xlsx_type(), bytes))
}

#[get("/cohorts/<c>/export.csv")]
async fn export_csv(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    let (name, bytes) = exports::participants(db, &staff.0, c, Format::Csv, ctx.lang).await?;
    Ok(Download::new(&name, ContentType::CSV, bytes))
}

#[get("/cohorts/<c>/export.xlsx")]
async fn export_xlsx(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Download> {
    let (name, bytes) = exports::participants(db, &staff.0, c, Format::Xlsx, ctx.lang).await?;
    Ok(Download::new(&name, xlsx_type(), bytes))
}
