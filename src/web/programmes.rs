//! Programme and cohort pages: list, create, edit, archive, coordinators of a programme.

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::programmes::{self as db_programmes, Cohort, Programme};
use crate::db::{Db, Id};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::service::programmes::{self as service, CohortInput, ProgrammeInput};
use crate::web::csrf::CsrfForm;
use crate::web::session::StaffUser;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        new_form,
        create,
        show,
        edit_form,
        update,
        archive,
        set_small_cells,
        add_member,
        remove_member,
        new_cohort_form,
        create_cohort,
        edit_cohort_form,
        update_cohort
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

/// `84 393,00 EUR` in Polish, `84,393.00 EUR` in English.
pub fn money(minor: i64, currency: &str, lang: Lang) -> String {
    let whole = (minor / 100).to_string();
    let (group, decimal) = match lang {
        Lang::Pl => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    format!("{grouped}{decimal}{:02}\u{a0}{currency}", minor % 100)
}

fn programme_view(p: &Programme, lang: Lang) -> Value {
    context! {
        ..Value::from_serialize(p),
        ..context! {
            grant => p.grant_amount_minor.map(|m| money(m, p.grant_currency.as_str(), lang)),
        }
    }
}

fn programme_values(p: &Programme) -> Value {
    context! {
        name => &p.name, slug => &p.slug, funder => &p.funder,
        grant_amount => p.grant_amount_minor.map(|m| format!("{}.{:02}", m / 100, m % 100)).unwrap_or_default(),
        grant_currency => p.grant_currency.as_str(),
        starts_on => p.starts_on.to_string(), ends_on => p.ends_on.to_string(),
        partners => &p.partners, acknowledgement => &p.acknowledgement,
    }
}

#[derive(FromForm)]
struct ProgrammeForm {
    csrf_token: Option<String>,
    name: String,
    slug: String,
    funder: String,
    grant_amount: String,
    grant_currency: String,
    starts_on: String,
    ends_on: String,
    partners: String,
    acknowledgement: String,
}
csrf_protected!(ProgrammeForm);

impl ProgrammeForm {
    fn input(&self, archived: bool) -> ProgrammeInput {
        ProgrammeInput {
            name: self.name.clone(),
            slug: self.slug.clone(),
            funder: self.funder.clone(),
            grant_amount: self.grant_amount.clone(),
            grant_currency: self.grant_currency.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            partners: self.partners.clone(),
            acknowledgement: self.acknowledgement.clone(),
            archived,
        }
    }

    fn values(&self) -> Value {
        context! {
            name => &self.name, slug => &self.slug, funder => &self.funder,
            grant_amount => &self.grant_amount, grant_currency => &self.grant_currency,
            starts_on => &self.starts_on, ends_on => &self.ends_on,
            partners => &self.partners, acknowledgement => &self.acknowledgement,
        }
    }
}

#[get("/programmes")]
async fn list(ctx: Ctx, db: &State<Db>, staff: StaffUser) -> AppResult<Template> {
    let programmes = service::list(db, &staff.0).await?;
    let cohorts = service::list_cohorts(db, &staff.0).await?;
    let rows: Vec<Value> = programmes
        .iter()
        .map(|p| {
            let count = cohorts.iter().filter(|c| c.programme_id == p.id).count();
            context! { ..programme_view(p, ctx.lang), ..context! { cohorts => count } }
        })
        .collect();
    Ok(ctx.render("programmes/list", context! { programmes => rows }))
}

#[get("/programmes/new")]
fn new_form(ctx: Ctx, _staff: StaffUser) -> Template {
    ctx.render(
        "programmes/form",
        context! { values => context! { grant_currency => "PLN" }, action => "/programmes" },
    )
}

#[post("/programmes", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    form: CsrfForm<ProgrammeForm>,
) -> FormResult {
    match service::create(db, &staff.0, &form.0.input(false)).await {
        Ok(p) => Ok(Either::Left(done(
            &ctx,
            format!("/programmes/{}", p.slug),
            "programme.created",
        ))),
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            ctx.render(
                "programmes/form",
                context! { values => form.0.values(), errors => error_map(&errors, ctx.lang), action => "/programmes" },
            ),
        ))),
        Err(e) => Err(e),
    }
}

async fn programme_page(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    p: &str,
    extra: Value,
) -> AppResult<Template> {
    let programme = service::programme_for(db, &staff.0, p).await?;
    let cohorts = db_programmes::cohorts_of(db, programme.id).await?;
    let members = db_programmes::members(db, programme.id).await?;
    Ok(ctx.render(
        "programmes/show",
        context! {
            programme => programme_view(&programme, ctx.lang), cohorts, members,
            small_cells_max => service::MAX_SMALL_CELL_THRESHOLD, ..extra
        },
    ))
}

#[get("/programmes/<p>")]
async fn show(ctx: Ctx, db: &State<Db>, staff: StaffUser, p: &str) -> AppResult<Template> {
    programme_page(&ctx, db, &staff, p, context! {}).await
}

#[get("/programmes/<p>/edit")]
async fn edit_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, p: &str) -> AppResult<Template> {
    let programme = service::programme_for(db, &staff.0, p).await?;
    Ok(ctx.render(
        "programmes/form",
        context! {
            programme => programme_view(&programme, ctx.lang),
            values => programme_values(&programme),
            action => format!("/programmes/{}", programme.slug),
        },
    ))
}

#[post("/programmes/<p>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<ProgrammeForm>,
) -> FormResult {
    let old = service::programme_for(db, &staff.0, p).await?;
    match service::update(db, &staff.0, p, &form.0.input(old.archived)).await {
        Ok(p) => Ok(Either::Left(done(
            &ctx,
            format!("/programmes/{}", p.slug),
            "programme.saved",
        ))),
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            ctx.render(
                "programmes/form",
                context! {
                    programme => programme_view(&old, ctx.lang),
                    values => form.0.values(),
                    errors => error_map(&errors, ctx.lang),
                    action => format!("/programmes/{}", old.slug),
                },
            ),
        ))),
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct ArchiveForm {
    csrf_token: Option<String>,
    archived: bool,
}
csrf_protected!(ArchiveForm);

#[post("/programmes/<p>/archive", data = "<form>")]
async fn archive(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<ArchiveForm>,
) -> AppResult<Flash<Redirect>> {
    let programme = service::set_archived(db, &staff.0, p, form.0.archived).await?;
    let key = if programme.archived {
        "programme.archived_done"
    } else {
        "programme.restored"
    };
    Ok(done(&ctx, format!("/programmes/{}", programme.slug), key))
}

#[derive(FromForm)]
struct SmallCellsForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    small_cell_threshold: String,
}
csrf_protected!(SmallCellsForm);

/// The threshold below which funder-facing reports show counts of at-risk participants as "<N".
#[post("/programmes/<p>/small-cells", data = "<form>")]
async fn set_small_cells(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<SmallCellsForm>,
) -> AppResult<Flash<Redirect>> {
    // Who may not edit the programme learns nothing from the value they sent.
    let programme = service::programme_for(db, &staff.0, p).await?;
    let key = programme.id.to_string();
    let back = format!("/programmes/{}#small-cells", programme.slug);
    let saved = match service::parse_small_cell_threshold(&form.0.small_cell_threshold) {
        Ok(threshold) => service::set_small_cell_threshold(db, &staff.0, &key, threshold).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(done(&ctx, back, "programme.small_cells_saved")),
        Err(AppError::Validation(errors)) => {
            let field = ctx.t("programme.small_cells_label");
            let args = [("field", field), ("problem", errors.sentence(ctx.lang))];
            let text = crate::i18n::tf(ctx.lang, "programme.field_error", &args);
            Ok(Flash::error(Redirect::to(back), text))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct MemberForm {
    csrf_token: Option<String>,
    email: String,
}
csrf_protected!(MemberForm);

#[post("/programmes/<p>/members", data = "<form>")]
async fn add_member(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<MemberForm>,
) -> FormResult {
    match service::add_member(db, &staff.0, p, &form.0.email).await {
        Ok(()) => Ok(Either::Left(done(
            &ctx,
            format!("/programmes/{p}"),
            "programme.member_added",
        ))),
        Err(AppError::Validation(errors)) => {
            let extra =
                context! { errors => error_map(&errors, ctx.lang), member_email => &form.0.email };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                programme_page(&ctx, db, &staff, p, extra).await?,
            )))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/programmes/<p>/members/<user>/remove", data = "<_form>")]
async fn remove_member(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    user: Id,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    service::remove_member(db, &staff.0, p, user).await?;
    Ok(done(
        &ctx,
        format!("/programmes/{p}"),
        "programme.member_removed",
    ))
}

#[derive(FromForm)]
struct CohortForm {
    csrf_token: Option<String>,
    name: String,
    slug: String,
    starts_on: String,
    ends_on: String,
    archived: Option<bool>,
    #[field(default = String::new())]
    marking_days: String,
}
csrf_protected!(CohortForm);

impl CohortForm {
    fn input(&self, programme: &str) -> CohortInput {
        CohortInput {
            programme: programme.to_owned(),
            name: self.name.clone(),
            slug: self.slug.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            archived: self.archived.unwrap_or(false),
            marking_days: self.marking_days.clone(),
        }
    }

    fn values(&self) -> Value {
        context! { name => &self.name, slug => &self.slug, starts_on => &self.starts_on,
        ends_on => &self.ends_on, archived => self.archived.unwrap_or(false), marking_days => &self.marking_days }
    }
}

fn cohort_values(c: &Cohort) -> Value {
    context! { name => &c.name, slug => &c.slug, starts_on => c.starts_on.to_string(),
    ends_on => c.ends_on.to_string(), archived => c.archived, marking_days => c.marking_days.to_string() }
}

#[get("/programmes/<p>/cohorts/new")]
async fn new_cohort_form(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
) -> AppResult<Template> {
    let programme = service::programme_for(db, &staff.0, p).await?;
    Ok(ctx.render(
        "programmes/cohort_form",
        context! {
            programme => programme_view(&programme, ctx.lang),
            values => context! { starts_on => programme.starts_on.to_string(), ends_on => programme.ends_on.to_string() },
            action => format!("/programmes/{}/cohorts", programme.slug),
        },
    ))
}

#[post("/programmes/<p>/cohorts", data = "<form>")]
async fn create_cohort(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<CohortForm>,
) -> FormResult {
    let programme = service::programme_for(db, &staff.0, p).await?;
    match service::create_cohort(db, &staff.0, &form.0.input(&programme.id.to_string())).await {
        Ok(c) => Ok(Either::Left(done(
            &ctx,
            format!("/cohorts/{}", c.slug),
            "cohort.created",
        ))),
        Err(AppError::Validation(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            ctx.render(
                "programmes/cohort_form",
                context! {
                    programme => programme_view(&programme, ctx.lang),
                    values => form.0.values(),
                    errors => error_map(&errors, ctx.lang),
                    action => format!("/programmes/{}/cohorts", programme.slug),
                },
            ),
        ))),
        Err(e) => Err(e),
    }
}

#[get("/cohorts/<c>/edit")]
async fn edit_cohort_form(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
) -> AppResult<Template> {
    let cohort = service::cohort_for(db, &staff.0, c).await?;
    let programme = service::programme_for(db, &staff.0, &cohort.programme_id.to_string()).await?;
    Ok(ctx.render(
        "programmes/cohort_form",
        context! {
            programme => programme_view(&programme, ctx.lang),
            cohort => &cohort,
            values => cohort_values(&cohort),
            action => format!("/cohorts/{}", cohort.slug),
        },
    ))
}

#[post("/cohorts/<c>", data = "<form>")]
async fn update_cohort(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<CohortForm>,
) -> FormResult {
    let cohort = service::cohort_for(db, &staff.0, c).await?;
    match service::update_cohort(db, &staff.0, c, &form.0.input("")).await {
        Ok(c) => Ok(Either::Left(done(
            &ctx,
            format!("/cohorts/{}", c.slug),
            "cohort.saved",
        ))),
        Err(AppError::Validation(errors)) => {
            let programme =
                service::programme_for(db, &staff.0, &cohort.programme_id.to_string()).await?;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                ctx.render(
                    "programmes/cohort_form",
                    context! {
                        programme => programme_view(&programme, ctx.lang),
                        cohort => &cohort,
                        values => form.0.values(),
                        errors => error_map(&errors, ctx.lang),
                        action => format!("/cohorts/{}", cohort.slug),
                    },
                ),
            )))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::money;
    use crate::i18n::Lang;

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money(8_439_300, "EUR", Lang::Pl), "84\u{a0}393,00\u{a0}EUR");
        assert_eq!(money(8_439_350, "EUR", Lang::En), "84,393.50\u{a0}EUR");
        assert_eq!(money(5, "PLN", Lang::Pl), "0,05\u{a0}PLN");
    }
}
