//! Certificate pages for coordinators: where everyone in a cohort stands and issuing, the
//! cohort's rule and signature block, one certificate with its PDF, revocation and reissue.

use std::collections::{BTreeMap, HashMap};

use minijinja::{Value, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::csrf_protected;
use crate::db::certificates::{self as store, Certificate};
use crate::db::{Db, Id, activities};
use crate::domain::activity::{ActivityKind, format_hours};
use crate::domain::certificate::format_code;
use crate::domain::fold::fold;
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::{Lang, t, tf, tn};
use crate::service::certificates::{
    self as service, Content, Row, Settings, SettingsInput, Standing, verify_url,
};
use crate::service::programmes::cohort_for;
use crate::web::base_url::BaseUrl;
use crate::web::cohorts::Download;
use crate::web::csrf::CsrfForm;
use crate::web::session::StaffUser;
use crate::web::{Ctx, error_map};

pub fn routes() -> Vec<Route> {
    routes![
        cohort_page,
        issue,
        save_rule,
        zip,
        show,
        pdf,
        revoke,
        reissue
    ]
}

type FormResult = AppResult<Either<Flash<Redirect>, (Status, Template)>>;
type Errors = BTreeMap<String, String>;

fn parse_id(id: &str) -> AppResult<Id> {
    id.parse::<Id>().map_err(|_| AppError::NotFound)
}

/// The sections of the cohort page, in the order a coordinator acts on them.
const STATUSES: [&str; 4] = ["eligible", "not_yet", "certified", "revoked"];

fn status_of(standing: &Standing) -> &'static str {
    match standing {
        Standing::Eligible => "eligible",
        Standing::NotYet(_) => "not_yet",
        Standing::Certified(_) => "certified",
        Standing::Revoked(_) => "revoked",
    }
}

/// Rounded down, so 79.5 % never reads as the 80 % it falls short of.
fn rate_text(attended: i64, planned: i64, lang: Lang) -> String {
    if planned <= 0 {
        return "—".to_owned();
    }
    let percent = attended.max(0) * 100 / planned;
    match lang {
        Lang::Pl => format!("{percent} %"),
        Lang::En => format!("{percent}%"),
    }
}

fn lang_label(ctx: &Ctx, code: &str) -> String {
    let lang = Lang::parse(code).unwrap_or_default();
    ctx.t(&format!("cert.lang.{}", lang.code()))
}

/// "wizyty studyjne": a kind as the rule counts it.
fn kind_label(ctx: &Ctx, kind: ActivityKind) -> String {
    ctx.t(&format!("cert.kinds.{}", kind.as_str()))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A certificate as a table cell or a link shows it.
fn cert_view(ctx: &Ctx, c: &Certificate) -> Value {
    context! {
        id => c.id, number => &c.number, issued_on => c.issued_on, lang => lang_label(ctx, &c.lang),
        revoked_at => c.revoked_at.map(|t| t.to_rfc3339()), reason => &c.revoked_reason,
    }
}

fn row_view(ctx: &Ctx, r: &Row) -> Value {
    let e = &r.enrolment;
    let (reasons, cert): (Vec<String>, _) = match &r.standing {
        Standing::NotYet(short) => (short.iter().map(|s| s.text(ctx.lang)).collect(), None),
        Standing::Certified(c) | Standing::Revoked(c) => (Vec::new(), Some(cert_view(ctx, c))),
        Standing::Eligible => (Vec::new(), None),
    };
    context! {
        id => e.id, name => format!("{} {}", e.first_name, e.last_name), gmina => &e.gmina_name,
        group => ctx.t(e.grp.label_key()), attended => format_hours(r.attended, ctx.lang),
        planned => format_hours(r.planned, ctx.lang), rate => rate_text(r.attended, r.planned, ctx.lang),
        reasons, cert,
    }
}

/// The rule form's values as stored.
fn stored_values(s: &Settings) -> Value {
    let kinds: BTreeMap<&str, String> = ActivityKind::ALL
        .iter()
        .map(|k| {
            let n = s.rule.kinds.iter().find(|(kind, _)| kind == k);
            (
                k.as_str(),
                n.map(|(_, n)| n.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    context! {
        prefix => &s.prefix, min_rate => s.rule.min_rate.to_string(), kinds,
        required_modules => s.rule.modules.join("\n"), organiser => &s.organiser,
        signatory => &s.signatory, signatory_role => &s.signatory_role, place => &s.place,
    }
}

/// The cohort page: only the rows of `status` and `team` when given; the rule form as typed
/// (with its errors) after a refused save.
async fn cohort_view(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    c: &str,
    (status, team): (Option<&str>, Option<&str>),
    rule_form: Option<(Value, Errors)>,
) -> AppResult<Template> {
    let overview = service::overview(db, &staff.0, c).await?;
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for r in &overview.rows {
        *counts.entry(status_of(&r.standing)).or_default() += 1;
    }
    let count = |s: &str| counts.get(s).copied().unwrap_or(0);
    let mut rows: Vec<&Row> = overview
        .rows
        .iter()
        .filter(|r| team.is_none_or(|t| t == r.enrolment.gmina_teryt))
        .collect();
    rows.sort_by_cached_key(|r| {
        let e = &r.enrolment;
        (fold(&e.gmina_name), fold(&e.last_name), fold(&e.first_name))
    });
    let sections: Vec<Value> = STATUSES
        .iter()
        .filter(|s| status.is_none_or(|f| f == **s))
        .filter_map(|s| {
            let rows: Vec<Value> = rows
                .iter()
                .filter(|r| status_of(&r.standing) == *s)
                .map(|r| row_view(ctx, r))
                .collect();
            (!rows.is_empty()).then(|| {
                context! { status => s, title => ctx.t(&format!("cert.section.{s}")),
                last => ctx.t(&format!("cert.column.{s}")), rows }
            })
        })
        .collect();
    let mut teams: Vec<(String, String)> = Vec::new();
    for r in &overview.rows {
        let e = &r.enrolment;
        if !teams.iter().any(|(t, _)| *t == e.gmina_teryt) {
            teams.push((e.gmina_teryt.clone(), e.gmina_name.clone()));
        }
    }
    teams.sort_by_cached_key(|(_, name)| fold(name));
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|s| (s.to_string(), ctx.t(&format!("cert.section.{s}"))))
        .collect();
    let mut modules: Vec<String> = Vec::new();
    for a in activities::list_for_cohort(db, overview.cohort.id).await? {
        let m = a.module.trim();
        if !m.is_empty() && !modules.iter().any(|x| fold(x) == fold(m)) {
            modules.push(m.to_owned());
        }
    }
    let kinds: Vec<Value> = ActivityKind::ALL
        .iter()
        .map(|k| context! { value => k.as_str(), label => capitalise(&kind_label(ctx, *k)) })
        .collect();
    let s = &overview.settings;
    let current = stored_values(s);
    let (values, errors) = rule_form.unwrap_or_else(|| (current.clone(), Errors::new()));
    let valid = overview.certificates.iter().filter(|c| !c.revoked());
    let rule_kinds: Vec<(String, u32)> = s
        .rule
        .kinds
        .iter()
        .map(|(k, n)| (kind_label(ctx, *k), *n))
        .collect();
    Ok(ctx.render(
        "certificates/cohort",
        context! {
            cohort => &overview.cohort,
            counts => STATUSES.iter().map(|s| tn(ctx.lang, &format!("cert.count.{s}"), count(s))).collect::<Vec<_>>(),
            eligible => count("eligible"), valid => valid.count(), sections, filtered => status.is_some() || team.is_some(),
            filter_status => status.unwrap_or(""), filter_team => team.unwrap_or(""),
            statuses, teams, kinds, modules => modules.join(", "), current,
            rule => context! { min_rate => s.rule.min_rate, kinds => rule_kinds, modules => &s.rule.modules },
            values, errors,
        },
    ))
}

#[get("/cohorts/<c>/certificates?<status>&<team>")]
async fn cohort_page(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    status: Option<&str>,
    team: Option<&str>,
) -> AppResult<Template> {
    let status = status.filter(|s| STATUSES.contains(s));
    let team = team.filter(|t| !t.is_empty());
    cohort_view(&ctx, db, &staff, c, (status, team), None).await
}

#[derive(FromForm)]
struct IssueForm {
    csrf_token: Option<String>,
    /// One enrolment; every eligible one when empty.
    #[field(default = String::new())]
    enrolment: String,
    #[field(default = String::new())]
    lang: String,
}
csrf_protected!(IssueForm);

#[post("/cohorts/<c>/certificates/issue", data = "<form>")]
async fn issue(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<IssueForm>,
) -> AppResult<Flash<Redirect>> {
    let cohort = cohort_for(db, &staff.0, c).await?;
    let back = format!("/cohorts/{}/certificates", cohort.slug);
    let lang = Lang::parse(&form.0.lang).unwrap_or_default();
    let one = form.0.enrolment.trim();
    let only = if one.is_empty() {
        None
    } else {
        match one.parse::<Id>() {
            Ok(id) => Some(vec![id]),
            Err(_) => {
                return Ok(Flash::error(
                    Redirect::to(back),
                    ctx.t("cert.err.not_in_cohort"),
                ));
            }
        }
    };
    match service::issue(db, &staff.0, c, only.as_deref(), lang).await {
        Ok(issued) => {
            let message = match (issued.as_slice(), &only) {
                ([], Some(_)) => ctx.t("cert.flash.issued_none_one"),
                ([], None) => ctx.t("cert.flash.issued_none"),
                ([cert], Some(_)) => tf(
                    ctx.lang,
                    "cert.flash.issued_one",
                    &[("number", cert.number.clone()), ("holder", cert.holder())],
                ),
                (many, _) => tn(ctx.lang, "cert.flash.issued", many.len() as i64),
            };
            let to = match (issued.first(), &only) {
                (Some(cert), Some(_)) => format!("{back}#e-{}", cert.enrolment_id),
                _ => back,
            };
            Ok(Flash::success(Redirect::to(to), message))
        }
        Err(AppError::Validation(errors)) => {
            Ok(Flash::error(Redirect::to(back), errors.sentence(ctx.lang)))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct RuleForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    prefix: String,
    #[field(default = String::new())]
    min_rate: String,
    /// `kinds[study_visit]=1`: at least this many attended activities of the kind; 0 or empty
    /// means not required.
    kinds: HashMap<String, String>,
    #[field(default = String::new())]
    required_modules: String,
    #[field(default = String::new())]
    organiser: String,
    #[field(default = String::new())]
    signatory: String,
    #[field(default = String::new())]
    signatory_role: String,
    #[field(default = String::new())]
    place: String,
}
csrf_protected!(RuleForm);

impl RuleForm {
    fn kind(&self, k: ActivityKind) -> &str {
        self.kinds.get(k.as_str()).map(|v| v.trim()).unwrap_or("")
    }

    /// The kinds as the service takes them (`study_visit=1,coaching=2`); a count that is not a
    /// number goes through as `?`, so the service refuses the whole form.
    fn kinds_text(&self) -> String {
        ActivityKind::ALL
            .iter()
            .filter_map(|k| match self.kind(*k) {
                "" => None,
                raw => match raw.parse::<u32>() {
                    Ok(0) => None,
                    Ok(n) => Some(format!("{}={n}", k.as_str())),
                    Err(_) => Some(format!("{}=?", k.as_str())),
                },
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn input(&self) -> SettingsInput {
        SettingsInput {
            prefix: self.prefix.clone(),
            min_rate: self.min_rate.clone(),
            required_kinds: self.kinds_text(),
            required_modules: self.required_modules.clone(),
            organiser: self.organiser.clone(),
            signatory: self.signatory.clone(),
            signatory_role: self.signatory_role.clone(),
            place: self.place.clone(),
        }
    }

    fn values(&self) -> Value {
        let kinds: BTreeMap<&str, &str> = ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str(), self.kind(*k)))
            .collect();
        context! {
            prefix => &self.prefix, min_rate => &self.min_rate, kinds,
            required_modules => &self.required_modules, organiser => &self.organiser,
            signatory => &self.signatory, signatory_role => &self.signatory_role, place => &self.place,
        }
    }

    /// The service's errors keyed by this form's fields: a kinds error goes to each count that
    /// is not a whole number from 0 to 100.
    fn errors(&self, errors: &ValidationErrors, lang: Lang) -> Errors {
        let mut map = error_map(errors, lang);
        if map.contains_key("required_kinds") {
            let bad: Vec<ActivityKind> = ActivityKind::ALL
                .iter()
                .copied()
                .filter(|k| {
                    let raw = self.kind(*k);
                    !raw.is_empty() && !raw.parse::<u32>().is_ok_and(|n| n <= 100)
                })
                .collect();
            if !bad.is_empty() {
                map.remove("required_kinds");
                for k in bad {
                    let kind = capitalise(&t(lang, &format!("cert.kinds.{}", k.as_str())));
                    map.insert(
                        format!("kinds-{}", k.as_str()),
                        tf(lang, "cert.err.kind_count", &[("kind", kind)]),
                    );
                }
            }
        }
        map
    }
}

#[post("/cohorts/<c>/certificates/rule", data = "<form>")]
async fn save_rule(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    c: &str,
    form: CsrfForm<RuleForm>,
) -> FormResult {
    let cohort = cohort_for(db, &staff.0, c).await?;
    match service::save_settings(db, &staff.0, c, &form.0.input()).await {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/cohorts/{}/certificates", cohort.slug)),
            ctx.t("cert.flash.rule_saved"),
        ))),
        Err(AppError::Validation(errors)) => {
            let state = (form.0.values(), form.0.errors(&errors, ctx.lang));
            let page = cohort_view(&ctx, db, &staff, c, (None, None), Some(state)).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[get("/cohorts/<c>/certificates.zip")]
async fn zip(db: &State<Db>, staff: StaffUser, base: BaseUrl, c: &str) -> AppResult<Download> {
    let (name, bytes) = service::zip(db, &staff.0, c, &base.0).await?;
    Ok(Download::new(&name, ContentType::ZIP, bytes))
}

/// A form of the certificate page that was refused: which one, what was typed, and why.
struct Refused {
    form: &'static str,
    values: Value,
    errors: Errors,
}

async fn certificate_view(
    ctx: &Ctx,
    db: &Db,
    staff: &StaffUser,
    base: &BaseUrl,
    id: Id,
    refused: Option<Refused>,
) -> AppResult<Template> {
    let (cert, cohort) = service::certificate_for(db, &staff.0, id).await?;
    let content: Content = serde_json::from_str(&cert.content).map_err(anyhow::Error::from)?;
    let siblings = store::for_cohort(db, cohort.id).await?;
    let replaced_by = cert
        .replaced_by
        .and_then(|r| siblings.iter().find(|c| c.id == r))
        .map(|c| cert_view(ctx, c));
    let replaces = siblings
        .iter()
        .find(|c| c.replaced_by == Some(cert.id))
        .map(|c| cert_view(ctx, c));
    let lines: Vec<Value> = content
        .lines
        .iter()
        .map(|l| {
            let label = l
                .module
                .clone()
                .unwrap_or_else(|| capitalise(&kind_label(ctx, l.kind)));
            context! { label, hours => format_hours(l.hours_centi, ctx.lang) }
        })
        .collect();
    let (form, values, errors) = match refused {
        Some(r) => (r.form, r.values, r.errors),
        None => ("", context! {}, Errors::new()),
    };
    let langs: Vec<(String, String)> = Lang::ALL
        .iter()
        .map(|l| {
            let label = ctx.t(&format!("cert.lang.{}", l.code()));
            (l.code().to_owned(), capitalise(&label))
        })
        .collect();
    Ok(ctx.render(
        "certificates/show",
        context! {
            cohort, cert => cert_view(ctx, &cert), holder => cert.holder(), enrolment => cert.enrolment_id,
            first_name => &cert.first_name, last_name => &cert.last_name, cert_lang => &cert.lang,
            revoked => cert.revoked(), replaced => cert.replaced_by.is_some(), replaced_by, replaces,
            gmina => &content.gmina, programme => &content.programme, cohort_name => &content.cohort,
            starts_on => content.starts_on, ends_on => content.ends_on,
            hours => format_hours(content.hours_centi, ctx.lang), lines,
            signatory => &content.signatory, signatory_role => &content.signatory_role,
            organiser => &content.organiser, place => &content.place,
            code => format_code(&cert.code), url => verify_url(&base.0, &cert.code), langs,
            failed_form => form, values, errors,
        },
    ))
}

#[get("/certificates/<id>")]
async fn show(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    id: &str,
) -> AppResult<Template> {
    certificate_view(&ctx, db, &staff, &base, parse_id(id)?, None).await
}

#[get("/certificates/<id>/pdf")]
async fn pdf(db: &State<Db>, staff: StaffUser, base: BaseUrl, id: &str) -> AppResult<Download> {
    let (name, bytes) = service::pdf(db, &staff.0, parse_id(id)?, &base.0).await?;
    Ok(Download::inline(&name, ContentType::PDF, bytes))
}

#[derive(FromForm)]
struct RevokeForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    reason: String,
    /// "I understand that revoking cannot be undone."
    confirm: bool,
}
csrf_protected!(RevokeForm);

#[post("/certificates/<id>/revoke", data = "<form>")]
async fn revoke(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    id: &str,
    form: CsrfForm<RevokeForm>,
) -> FormResult {
    let id = parse_id(id)?;
    let f = form.0;
    let result = if f.confirm {
        service::revoke(db, &staff.0, id, &f.reason).await
    } else {
        let mut errors = ValidationErrors::new();
        if f.reason.trim().is_empty() {
            errors.add("reason", "cert.err.reason");
        }
        errors.add("confirm", "cert.err.confirm");
        Err(AppError::Validation(errors))
    };
    match result {
        Ok(cert) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/certificates/{id}")),
            tf(ctx.lang, "cert.flash.revoked", &[("number", cert.number)]),
        ))),
        Err(AppError::Validation(errors)) => {
            let refused = Refused {
                form: "revoke",
                values: context! { reason => &f.reason },
                errors: error_map(&errors, ctx.lang),
            };
            let page = certificate_view(&ctx, db, &staff, &base, id, Some(refused)).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct ReissueForm {
    csrf_token: Option<String>,
    #[field(default = String::new())]
    first_name: String,
    #[field(default = String::new())]
    last_name: String,
    /// `pl` or `en`; the old certificate's language when empty.
    #[field(default = String::new())]
    lang: String,
}
csrf_protected!(ReissueForm);

#[post("/certificates/<id>/reissue", data = "<form>")]
async fn reissue(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    base: BaseUrl,
    id: &str,
    form: CsrfForm<ReissueForm>,
) -> FormResult {
    let id = parse_id(id)?;
    let f = form.0;
    let lang = Lang::parse(&f.lang);
    match service::reissue(db, &staff.0, id, &f.first_name, &f.last_name, lang).await {
        Ok(new) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/certificates/{}", new.id)),
            tf(
                ctx.lang,
                "cert.flash.reissued",
                &[("number", new.number.clone()), ("holder", new.holder())],
            ),
        ))),
        Err(AppError::Validation(errors)) => {
            let refused = Refused {
                form: "reissue",
                values: context! { first_name => &f.first_name, last_name => &f.last_name, lang => &f.lang },
                errors: error_map(&errors, ctx.lang),
            };
            let page = certificate_view(&ctx, db, &staff, &base, id, Some(refused)).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(e) => Err(e),
    }
}
