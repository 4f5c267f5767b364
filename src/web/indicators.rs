//! A programme's indicators: the list, a form to define one or enter a manual value, removal.

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::Db;
use crate::db::indicators::Indicator;
use crate::db::programmes::Programme;
use crate::domain::indicator::Source;
use crate::error::{AppError, AppResult};
use crate::service::indicators::{self as service, IndicatorInput};
use crate::web::csrf::CsrfForm;
use crate::web::session::StaffUser;
use crate::web::{Ctx, done, error_map};

pub fn routes() -> Vec<Route> {
    routes![list, create, edit_form, update, remove]
}

fn parse_id(id: &str) -> AppResult<crate::db::Id> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `87,5` / `87.5`; whole numbers without decimals.
fn shown(n: Option<f64>, ctx: &Ctx) -> String {
    match n {
        None => String::new(),
        Some(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Some(n) if ctx.lang == crate::i18n::Lang::Pl => format!("{n}").replace('.', ","),
        Some(n) => format!("{n}"),
    }
}

#[derive(FromForm, Default, Clone)]
struct IndicatorForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    unit: String,
    #[field(default = String::new())]
    baseline: String,
    #[field(default = String::new())]
    target: String,
    #[field(default = String::new())]
    source: String,
    #[field(default = String::new())]
    manual_value: String,
}
csrf_protected!(IndicatorForm);

impl IndicatorForm {
    fn input(&self) -> IndicatorInput {
        IndicatorInput {
            name: self.name.clone(),
            unit: self.unit.clone(),
            baseline: self.baseline.clone(),
            target: self.target.clone(),
            source: self.source.clone(),
            manual_value: self.manual_value.clone(),
        }
    }

    fn values(&self) -> Value {
        context! {
            name => &self.name, unit => &self.unit, baseline => &self.baseline, target => &self.target,
            source => &self.source, manual_value => &self.manual_value,
        }
    }
}

fn sources(ctx: &Ctx) -> Vec<(String, String)> {
    Source::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), ctx.t(s.label_key())))
        .collect()
}

async fn page(
    ctx: &Ctx,
    programme: &Programme,
    list: &[Indicator],
    editing: Option<&Indicator>,
    values: Value,
    errors: Value,
) -> Template {
    let rows: Vec<Value> = list
        .iter()
        .map(|i| {
            context! {
                id => i.id, name => &i.name, unit => &i.unit, source => ctx.t(i.source.label_key()),
                manual => i.source == Source::Manual, baseline => shown(i.baseline, ctx),
                target => shown(Some(i.target), ctx), value => shown(i.manual_value, ctx),
            }
        })
        .collect();
    let action = match editing {
        Some(i) => format!("/indicators/{}", i.id),
        None => format!("/programmes/{}/indicators", programme.slug),
    };
    ctx.render(
        "indicators/list",
        context! {
            programme, rows, action, editing => editing.map(|i| i.id), values, errors,
            sources => sources(ctx),
        },
    )
}

#[get("/programmes/<p>/indicators")]
async fn list(ctx: Ctx, db: &State<Db>, staff: StaffUser, p: &str) -> AppResult<Template> {
    let (programme, list) = service::list(db, &staff.0, p).await?;
    let values = context! { source => "manual" };
    Ok(page(&ctx, &programme, &list, None, values, Value::from(())).await)
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;

#[post("/programmes/<p>/indicators", data = "<form>")]
async fn create(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
    form: CsrfForm<IndicatorForm>,
) -> FormResult {
    let (programme, list) = service::list(db, &staff.0, p).await?;
    match service::create(db, &staff.0, p, &form.0.input()).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/programmes/{}/indicators", programme.slug),
            "indicator.saved",
        ))),
        Err(AppError::Validation(errors)) => {
            let errors = Value::from_serialize(error_map(&errors, ctx.lang));
            let page = page(&ctx, &programme, &list, None, form.0.values(), errors).await;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[get("/indicators/<id>/edit")]
async fn edit_form(ctx: Ctx, db: &State<Db>, staff: StaffUser, id: &str) -> AppResult<Template> {
    let (indicator, programme) = service::indicator_for(db, &staff.0, parse_id(id)?).await?;
    let (_, list) = service::list(db, &staff.0, &programme.slug).await?;
    let values = context! {
        name => &indicator.name, unit => &indicator.unit, baseline => shown(indicator.baseline, &ctx),
        target => shown(Some(indicator.target), &ctx), source => indicator.source.as_str(),
        manual_value => shown(indicator.manual_value, &ctx),
    };
    Ok(page(
        &ctx,
        &programme,
        &list,
        Some(&indicator),
        values,
        Value::from(()),
    )
    .await)
}

#[post("/indicators/<id>", data = "<form>")]
async fn update(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    form: CsrfForm<IndicatorForm>,
) -> FormResult {
    let (indicator, programme) = service::indicator_for(db, &staff.0, parse_id(id)?).await?;
    match service::update(db, &staff.0, indicator.id, &form.0.input()).await {
        Ok(_) => Ok(Either::Left(done(
            &ctx,
            format!("/programmes/{}/indicators", programme.slug),
            "indicator.saved",
        ))),
        Err(AppError::Validation(errors)) => {
            let (_, list) = service::list(db, &staff.0, &programme.slug).await?;
            let errors = Value::from_serialize(error_map(&errors, ctx.lang));
            let page = page(
                &ctx,
                &programme,
                &list,
                Some(&indicator),
                form.0.values(),
                errors,
            )
            .await;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct EmptyForm {
    csrf_token: Option<String>,
}
csrf_protected!(EmptyForm);

#[post("/indicators/<id>/delete", data = "<_form>")]
async fn remove(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<Flash<Redirect>> {
    let programme = service::delete(db, &staff.0, parse_id(id)?).await?;
    Ok(done(
        &ctx,
        format!("/programmes/{}/indicators", programme.slug),
        "indicator.deleted",
    ))
}
