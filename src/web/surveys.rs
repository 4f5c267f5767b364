//! Competence survey pages for coordinators: the questionnaire editor, who has answered, entering
//! a person's answers, personal links (one person, or a CSV for a mail merge) and the change so far.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::surveys::Item;
use crate::db::{Db, Id};
use crate::domain::fold::fold;
use crate::domain::participant::Group;
use crate::domain::survey::{Competence, GroupChange, Phase, SCALE};
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::{Lang, t, tf, tn};
use crate::output::csv::excel_csv;
use crate::service::surveys::{self as service, ItemInput, Progress, item_groups, link_url};
use crate::web::base_url::BaseUrl;
use crate::web::cohorts::Download;
use crate::web::csrf::CsrfForm;
use crate::web::session::StaffUser;
use crate::web::{Ctx, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        page,
        add_item,
        edit_item,
        remove_item,
        move_item,
        links,
        answer_form,
        save_answers,
        person_link
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;
type Errors = BTreeMap<String, String>;

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

fn parse_phase(phase: &str) -> AppResult<Phase> {
    Phase::parse(phase).ok_or(AppError::NotFound)
}

fn back_to(slug: &str) -> String {
    format!("/cohorts/{slug}/survey")
}

/// `3,25` / `3.25`, halves rounded away from zero (2.625 → 2,63).
pub fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{:.2}", (value * 100.0).round() / 100.0);
    match lang {
        Lang::Pl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A change with its sign: `+0,50`, `−0,25`, `0,00`.
pub fn signed(value: f64, lang: Lang) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded > 0.0 {
        format!("+{}", decimal(rounded, lang))
    } else if rounded < 0.0 {
        format!("−{}", decimal(-rounded, lang))
    } else {
        decimal(0.0, lang)
    }
}

/// A share from 0 to 1 as a whole percentage.
pub fn percent(share: f64, lang: Lang) -> String {
    let p = (share * 100.0).round();
    match lang {
        Lang::Pl => format!("{p:.0} %"),
        Lang::En => format!("{p:.0}%"),
    }
}

/// "everyone" or the groups' names.
fn groups_label(ctx: &Ctx, groups: &[Group]) -> String {
    if groups.is_empty() {
        ctx.t("survey.items.everyone")
    } else {
        groups
            .iter()
            .map(|g| ctx.t(g.label_key()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The 1–5 scale as the answer forms show it: value and label.
pub fn scale(ctx: &Ctx) -> Vec<Value> {
    SCALE
        .map(|v| context! { value => v.to_string(), label => ctx.t(&format!("survey.scale.{v}")) })
        .collect()
}

/// Items as the answer forms show them.
pub fn item_views(items: &[Item]) -> Vec<Value> {
    items
        .iter()
        .map(|i| context! { id => i.id.to_string(), text => &i.text })
        .collect()
}

/// The error summary of an answer form: each message links to the first choice of its item.
pub fn answer_errors(errors: &ValidationErrors, lang: Lang) -> (Errors, Vec<Value>) {
    let map = error_map(errors, lang);
    let summary = errors
        .0
        .iter()
        .map(|e| {
            let anchor = match e.field.strip_prefix("answers.") {
                Some(item) => format!("q-{item}-1"),
                None => "answers".to_owned(),
            };
            context! { anchor, message => e.message.render(lang) }
        })
        .collect();
    (map, summary)
}

fn group_row(ctx: &Ctx, label: String, g: &GroupChange) -> Value {
    let dash = || "—".to_owned();
    context! {
        label, people => g.people, answered_pre => g.answered_pre, answered_post => g.answered_post,
        mean_pre => g.mean_pre.map(|v| decimal(v, ctx.lang)).unwrap_or_else(dash),
        mean_post => g.mean_post.map(|v| decimal(v, ctx.lang)).unwrap_or_else(dash),
        change => g.mean_change.map(|v| signed(v, ctx.lang)).unwrap_or_else(dash),
        share => g.share_improved.map(|v| percent(v, ctx.lang)).unwrap_or_else(dash),
    }
}

fn results_view(ctx: &Ctx, c: &Competence) -> Value {
    let mut groups: Vec<Value> = Group::ALL
        .iter()
        .map(|g| {
            let change = c.by_group.get(g.as_str()).cloned().unwrap_or_default();
            group_row(ctx, ctx.t(&format!("survey.group.{}", g.as_str())), &change)
        })
        .collect();
    groups.push(group_row(ctx, ctx.t("survey.group.all"), &c.overall));
    let dash = || "—".to_owned();
    let items: Vec<Value> = c
        .items
        .iter()
        .map(|i| {
            context! {
                text => &i.text, groups => groups_label(ctx, &i.groups), people => i.people,
                mean_pre => i.mean_pre.map(|v| decimal(v, ctx.lang)).unwrap_or_else(dash),
                mean_post => i.mean_post.map(|v| decimal(v, ctx.lang)).unwrap_or_else(dash),
                change => i.mean_change.map(|v| signed(v, ctx.lang)).unwrap_or_else(dash),
            }
        })
        .collect();
    context! { groups, items, counted => c.overall.people }
}

fn progress_state(p: &Progress) -> &'static str {
    if p.complete() {
        "done"
    } else if p.answered > 0 {
        "partial"
    } else {
        "none"
    }
}

/// A form of the page that was refused: which one (`add` or an item id), what was typed, why.
struct Refused {
    form: String,
    values: Value,
    errors: Errors,
}

async fn page_view(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    c: &str,
    refused: Option<Refused>,
) -> AppResult<Template> {
    let o = service::overview(db, &staff.0, c).await?;
    let last = o.items.len().saturating_sub(1);
    let items: Vec<Value> = o
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let groups = item_groups(i);
            context! {
                id => i.id.to_string(), number => n + 1, text => &i.text, answers => i.answers,
                groups => groups.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
                groups_label => groups_label(ctx, &groups), first => n == 0, last => n == last,
            }
        })
        .collect();
    let mut rows: Vec<&service::PersonRow> = o.people.iter().collect();
    rows.sort_by_cached_key(|r| {
        let e = &r.enrolment;
        (fold(&e.gmina_name), fold(&e.last_name), fold(&e.first_name))
    });
    let people: Vec<Value> = rows
        .iter()
        .map(|r| {
            let e = &r.enrolment;
            context! {
                id => e.id, name => format!("{} {}", e.first_name, e.last_name), gmina => &e.gmina_name,
                group => ctx.t(e.grp.label_key()), withdrawn => e.status == crate::domain::participant::EnrolmentStatus::Withdrawn,
                erased => e.erased, pre => progress_state(&r.pre), post => progress_state(&r.post),
                asked => r.pre.asked,
            }
        })
        .collect();
    let done = |f: fn(&service::PersonRow) -> &Progress| {
        o.people.iter().filter(|r| f(r).complete()).count() as i64
    };
    let group_options: Vec<(String, String)> = Group::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), ctx.t(g.label_key())))
        .collect();
    let (form, values, errors) = match refused {
        Some(r) => (r.form, r.values, r.errors),
        None => (String::new(), context! {}, Errors::new()),
    };
    Ok(ctx.render(
        "surveys/cohort",
        context! {
            cohort => &o.cohort, items, people, group_options,
            counts => context! {
                people => tn(ctx.lang, "count.people", o.people.len() as i64),
                pre => tn(ctx.lang, "survey.count.pre", done(|r| &r.pre)),
                post => tn(ctx.lang, "survey.count.post", done(|r| &r.post)),
            },
            results => results_view(ctx, &o.competence),
            failed_form => form, values, errors,
        },
    ))
}

#[get("/cohorts/<c>/survey")]
async fn page(ctx: Ctx, db: &State<Db>, staff: StaffUser, c: &str) -> AppResult<Template> {
    page_view(&ctx, db, &staff, c, None).await
}

#[derive(FromForm)]
struct ItemForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    text: String,
    /// Checked groups; none = everyone.
    groups: Vec<String>,
}
csrf_protected!(ItemForm);

impl ItemForm {
    fn input(&self) -> ItemInput {
        ItemInput {
            text: self.text.clone(),
            groups: self.groups.clone(),
        }
    }

    fn values(&self) -> Value {
        context! { text => &self.text, groups => &self.groups }
    }
}

async fn refused_item(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    c: &str,
    form: String,
    f: &ItemForm,
    errors: &ValidationErrors,
) -> FormResult {
    let refused = Refused {
        form,
        values: f.values(),
        errors: error_map(errors, ctx.lang),
    };
    let page = page_view(ctx, db, staff, c, Some(refused)).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[post("/cohorts/<c>/survey/items", data = "<form>")]
async fn add_item(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<ItemForm>,
) -> FormResult {
    let f = form.0;
    match service::add_item(db, &staff.0, c, &f.input()).await {
        Ok(item) => {
            let (_, cohort) = service::item_for(db, &staff.0, item.id).await?;
            Ok(Either::Left(Flash::success(
                Redirect::to(format!("{}#item-{}", back_to(&cohort.slug), item.id)),
                ctx.t("survey.flash.added"),
            )))
        }
        Err(AppError::Validation(errors)) => {
            refused_item(&ctx, db, &staff, c, "add".to_owned(), &f, &errors).await
        }
        Err(e) => Err(e),
    }
}

#[post("/survey-items/<id>", data = "<form>")]
async fn edit_item(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    form: CsrfForm<ItemForm>,
) -> FormResult {
    let id = parse_id(id)?;
    let (_, cohort) = service::item_for(db, &staff.0, id).await?;
    let f = form.0;
    match service::edit_item(db, &staff.0, id, &f.input()).await {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("{}#item-{id}", back_to(&cohort.slug))),
            ctx.t("survey.flash.saved_item"),
        ))),
        Err(AppError::Validation(errors)) => {
            let c = cohort.id.to_string();
            refused_item(&ctx, db, &staff, &c, id.to_string(), &f, &errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct PlainForm {
    csrf_token: Option<String>,
}
csrf_protected!(PlainForm);

#[post("/survey-items/<id>/remove", data = "<_form>")]
async fn remove_item(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    _form: CsrfForm<PlainForm>,
) -> AppResult<Flash<Redirect>> {
    let id = parse_id(id)?;
    let (_, cohort) = service::item_for(db, &staff.0, id).await?;
    let back = format!("{}#items-h", back_to(&cohort.slug));
    match service::remove_item(db, &staff.0, id).await {
        Ok(_) => Ok(Flash::success(
            Redirect::to(back),
            ctx.t("survey.flash.removed"),
        )),
        Err(AppError::Conflict(message)) => {
            Ok(Flash::error(Redirect::to(back), message.render(ctx.lang)))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct MoveForm {
    csrf_token: Option<String>,
    /// `up` or `down`.
    #[field(default = String::new())]
    dir: String,
}
csrf_protected!(MoveForm);

#[post("/survey-items/<id>/move", data = "<form>")]
async fn move_item(
    db: &State<Db>,
    staff: StaffUser,
    id: &str,
    form: CsrfForm<MoveForm>,
) -> AppResult<Redirect> {
    let id = parse_id(id)?;
    let cohort = service::move_item(db, &staff.0, id, form.0.dir == "up").await?;
    Ok(Redirect::to(format!("{}#item-{id}", back_to(&cohort.slug))))
}

#[derive(FromForm)]
struct LinksForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    phase: String,
}
csrf_protected!(LinksForm);

/// Links for everyone without answers in the phase, as a CSV for a mail merge.
#[post("/cohorts/<c>/survey/links", data = "<form>")]
async fn links(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    c: &str,
    form: CsrfForm<LinksForm>,
) -> AppResult<Either<Download, Flash<Redirect>>> {
    let (cohort, items) = service::items(db, &staff.0, c).await?;
    let back = format!("{}#links-h", back_to(&cohort.slug));
    let Some(phase) = Phase::parse(&form.0.phase) else {
        return Ok(Either::Right(Flash::error(
            Redirect::to(back),
            ctx.t("survey.err.phase"),
        )));
    };
    if items.is_empty() {
        return Ok(Either::Right(Flash::error(
            Redirect::to(back),
            ctx.t("survey.err.no_items"),
        )));
    }
    let (cohort, made) = service::create_links(db, &staff.0, c, phase, None).await?;
    if made.is_empty() {
        return Ok(Either::Right(Flash::success(
            Redirect::to(back),
            ctx.t("survey.flash.no_links"),
        )));
    }
    let headers: Vec<String> = ["first_name", "last_name", "email", "gmina", "link"]
        .iter()
        .map(|h| ctx.t(&format!("survey.csv.{h}")))
        .collect();
    let rows: Vec<Vec<String>> = made
        .iter()
        .map(|l| {
            let e = &l.enrolment;
            vec![
                e.first_name.clone(),
                e.last_name.clone(),
                e.email.clone().unwrap_or_default(),
                e.gmina_name.clone(),
                link_url(&base.0, &l.token),
            ]
        })
        .collect();
    let bytes = excel_csv(&headers, &rows)?;
    let name = format!("ankieta_{}_{}.csv", cohort.slug, phase.as_str());
    Ok(Either::Left(Download::new(&name, ContentType::CSV, bytes)))
}

async fn answer_view(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    (e, phase): (Id, Phase),
    refused: Option<(BTreeMap<String, String>, &ValidationErrors)>,
    new_link: Option<String>,
) -> AppResult<Template> {
    let s = service::sheet(db, &staff.0, e, phase).await?;
    let (values, errors, summary) = match refused {
        Some((values, errors)) => {
            let (map, summary) = answer_errors(errors, ctx.lang);
            (values, map, summary)
        }
        None => (
            s.answers
                .iter()
                .map(|(item, v)| (item.to_string(), v.to_string()))
                .collect(),
            Errors::new(),
            Vec::new(),
        ),
    };
    let other = match phase {
        Phase::Pre => Phase::Post,
        Phase::Post => Phase::Pre,
    };
    let en = &s.enrolment;
    Ok(ctx.render(
        "surveys/answer",
        context! {
            cohort => &s.cohort, enrolment => en.id, name => format!("{} {}", en.first_name, en.last_name),
            gmina => &en.gmina_name, group => ctx.t(en.grp.label_key()),
            phase => phase.as_str(), phase_label => ctx.t(phase.label_key()),
            other => other.as_str(), other_label => ctx.t(other.label_key()),
            answered => !s.answers.is_empty(), items => item_views(&s.items), scale => scale(ctx),
            values, errors, summary, new_link, erased => en.erased,
        },
    ))
}

#[get("/enrolments/<e>/survey/<phase>")]
async fn answer_form(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    e: &str,
    phase: &str,
) -> AppResult<Template> {
    let key = (parse_id(e)?, parse_phase(phase)?);
    answer_view(&ctx, db, &staff, key, None, None).await
}

#[derive(FromForm)]
pub struct AnswersForm {
    csrf_token: Option<String>,
    /// `answers[<item id>]` = 1–5.
    pub answers: BTreeMap<String, String>,
}
csrf_protected!(AnswersForm);

impl AnswersForm {
    pub fn given(&self) -> Vec<(String, String)> {
        self.answers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[post("/enrolments/<e>/survey/<phase>", data = "<form>")]
async fn save_answers(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    e: &str,
    phase: &str,
    form: CsrfForm<AnswersForm>,
) -> FormResult {
    let (e, phase) = (parse_id(e)?, parse_phase(phase)?);
    let f = form.0;
    match service::save_answers(db, &staff.0, e, phase, &f.given()).await {
        Ok(_) => {
            let s = service::sheet(db, &staff.0, e, phase).await?;
            let who = format!("{} {}", s.enrolment.first_name, s.enrolment.last_name);
            let message = tf(
                ctx.lang,
                "survey.flash.answers_saved",
                &[("name", who), ("phase", t(ctx.lang, phase.label_key()))],
            );
            Ok(Either::Left(Flash::success(
                Redirect::to(format!("{}#e-{e}", back_to(&s.cohort.slug))),
                message,
            )))
        }
        Err(AppError::Validation(errors)) => {
            let page = answer_view(
                &ctx,
                db,
                &staff,
                (e, phase),
                Some((f.answers.clone(), &errors)),
                None,
            )
            .await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

/// A personal link for one person and phase, shown once on the answer page.
#[post("/enrolments/<e>/survey/<phase>/link", data = "<_form>")]
async fn person_link(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    e: &str,
    phase: &str,
    _form: CsrfForm<PlainForm>,
) -> AppResult<Either<Template, Flash<Redirect>>> {
    let (e, phase) = (parse_id(e)?, parse_phase(phase)?);
    let s = service::sheet(db, &staff.0, e, phase).await?;
    let c = s.cohort.id.to_string();
    match service::create_links(db, &staff.0, &c, phase, Some(&[e])).await {
        Ok((_, made)) => {
            let url = made.first().map(|l| link_url(&base.0, &l.token));
            let page = answer_view(&ctx, db, &staff, (e, phase), None, url).await?;
            Ok(Either::Left(page))
        }
        Err(AppError::Validation(errors)) => Ok(Either::Right(Flash::error(
            Redirect::to(format!("/enrolments/{e}/survey/{}", phase.as_str())),
            errors.sentence(ctx.lang),
        ))),
        Err(e) => Err(e),
    }
}
