//! Certificates: who has earned one under the cohort's rule, issuing them (numbered without gaps,
//! once per person), the PDF and the ZIP of a cohort, revocation, reissue after a name
//! correction, and the public check by code.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::{Datelike, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::attendance::{self, CohortAttendance};
use super::programmes::cohort_for;
use crate::db::audit::{self, Actor, Change};
use crate::db::certificates::{self as store, Certificate, Public, RuleRow};
use crate::db::programmes::{self as programmes_db, Cohort};
use crate::db::users::User;
use crate::db::{Db, Id, enrolments as enrolments_db, now};
use crate::domain::activity::{ActivityKind, format_hours, local_day, plain_date};
use crate::domain::certificate::{
    self as rules, Facts, Rule, Shortfall, default_prefix, evaluate, file_name, format_code,
    kinds_text, new_code, parse_kinds, parse_modules, parse_prefix,
};
use crate::domain::fold::fold;
use crate::domain::participant::{EnrolmentStatus, person_key};
use crate::error::{AppError, AppResult, ValidationErrors, invalid};
use crate::i18n::{Lang, Msg, t};
use crate::output::certificate::{CertificateDoc, certificate as render_pdf};

/// A cohort's rule and what its certificates say about who issues them.
#[derive(Clone, Debug)]
pub struct Settings {
    pub prefix: String,
    pub rule: Rule,
    pub organiser: String,
    pub signatory: String,
    pub signatory_role: String,
    pub place: String,
}

impl Settings {
    fn of(cohort: &Cohort, row: Option<RuleRow>) -> Settings {
        match row {
            None => Settings {
                prefix: default_prefix(&cohort.slug),
                rule: Rule::default(),
                organiser: String::new(),
                signatory: String::new(),
                signatory_role: String::new(),
                place: String::new(),
            },
            Some(r) => Settings {
                prefix: r.prefix,
                rule: Rule {
                    min_rate: u8::try_from(r.min_rate.clamp(0, 100)).unwrap_or(80),
                    kinds: parse_kinds(&r.required_kinds).unwrap_or_default(),
                    modules: parse_modules(&r.required_modules),
                },
                organiser: r.organiser,
                signatory: r.signatory,
                signatory_role: r.signatory_role,
                place: r.place,
            },
        }
    }
}

pub async fn settings(db: &Db, cohort: &Cohort) -> AppResult<Settings> {
    Ok(Settings::of(cohort, store::rule(db, cohort.id).await?))
}

/// The settings form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SettingsInput {
    pub prefix: String,
    pub min_rate: String,
    pub required_kinds: String,
    pub required_modules: String,
    pub organiser: String,
    pub signatory: String,
    pub signatory_role: String,
    pub place: String,
}

const MAX_TEXT: usize = 200;

pub async fn save_settings(
    db: &Db,
    user: &User,
    cohort_key: &str,
    input: &SettingsInput,
) -> AppResult<()> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let mut errors = ValidationErrors::new();
    let prefix = parse_prefix(&input.prefix);
    if prefix.is_none() {
        errors.add("prefix", "cert.err.prefix");
    }
    let min_rate = input
        .min_rate
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|r| (0..=100).contains(r));
    if min_rate.is_none() {
        errors.add("min_rate", "cert.err.min_rate");
    }
    let kinds = parse_kinds(&input.required_kinds).unwrap_or_else(|part| {
        errors.add(
            "required_kinds",
            Msg::new("cert.err.kinds").arg("part", part),
        );
        Vec::new()
    });
    let modules = parse_modules(&input.required_modules);
    for (field, value) in [
        ("organiser", &input.organiser),
        ("signatory", &input.signatory),
        ("signatory_role", &input.signatory_role),
        ("place", &input.place),
    ] {
        if value.trim().chars().count() > MAX_TEXT {
            errors.add(field, Msg::new("err.too_long").arg("max", MAX_TEXT));
        }
    }
    errors.into_result()?;
    let row = RuleRow {
        cohort_id: cohort.id,
        prefix: prefix.unwrap_or_default(),
        min_rate: min_rate.unwrap_or(80),
        required_kinds: kinds_text(&kinds),
        required_modules: modules.join("\n"),
        organiser: input.organiser.trim().to_owned(),
        signatory: input.signatory.trim().to_owned(),
        signatory_role: input.signatory_role.trim().to_owned(),
        place: input.place.trim().to_owned(),
    };
    let mut tx = db.begin().await?;
    store::save_rule(&mut tx, &row, now()).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        Change {
            action: "certificate_rule.update",
            entity: "cohort",
            entity_id: Some(cohort.id.to_string()),
            before: None,
            after: Some(json!({
                "prefix": row.prefix, "min_rate": row.min_rate, "required_kinds": row.required_kinds,
                "required_modules": row.required_modules, "organiser": row.organiser,
                "signatory": row.signatory, "signatory_role": row.signatory_role, "place": row.place,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where an enrolment stands.
#[derive(Clone, Debug)]
pub enum Standing {
    /// Holds a valid certificate.
    Certified(Certificate),
    /// Its certificate was revoked and not replaced: only an explicit reissue gives a new one.
    Revoked(Certificate),
    Eligible,
    NotYet(Vec<Shortfall>),
}

/// One enrolment on the certificate page.
pub struct Row {
    pub enrolment: crate::db::enrolments::EnrolmentRow,
    pub attended: i64,
    pub planned: i64,
    pub standing: Standing,
    /// What a certificate issued now would list as attended.
    lines: Vec<Line>,
}

pub struct Overview {
    pub cohort: Cohort,
    pub settings: Settings,
    pub rows: Vec<Row>,
    pub certificates: Vec<Certificate>,
}

impl Overview {
    pub fn eligible(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| matches!(r.standing, Standing::Eligible))
    }
}

/// Attended activities of each enrolment, grouped as the certificate lists them: by module where
/// the activity has one, else by kind; with the facts the rule is checked against.
struct Attended {
    facts: Facts,
    lines: Vec<Line>,
}

fn attended_by_enrolment(data: &CohortAttendance) -> HashMap<Id, Attended> {
    let mut out: HashMap<Id, Attended> = HashMap::new();
    for e in &data.enrolments {
        let s = data.summaries.get(&e.id).cloned().unwrap_or_default();
        out.insert(
            e.id,
            Attended {
                facts: Facts {
                    withdrawn: e.status == EnrolmentStatus::Withdrawn,
                    planned: s.total.planned,
                    attended: s.total.attended,
                    ..Facts::default()
                },
                lines: Vec::new(),
            },
        );
    }
    for v in data.held() {
        let a = &v.activity;
        let module = a.module.trim();
        for e in &v.roster {
            let attended = data.marks.get(&(a.id, *e)).is_some_and(|m| m.attended());
            let Some(entry) = out.get_mut(e).filter(|_| attended) else {
                continue;
            };
            *entry.facts.kinds.entry(a.kind).or_default() += 1;
            if !module.is_empty() {
                entry.facts.modules.insert(fold(module));
            }
            let key = (!module.is_empty()).then(|| module.to_owned());
            let hours = i64::from(a.hours_centi);
            match entry
                .lines
                .iter_mut()
                .find(|l| l.module == key && (key.is_some() || l.kind == a.kind))
            {
                Some(line) => line.hours_centi += hours,
                None => entry.lines.push(Line {
                    kind: a.kind,
                    module: key,
                    hours_centi: hours,
                }),
            }
        }
    }
    out
}

/// Every enrolment of the cohort with where it stands (coordinators of the programme).
pub async fn overview(db: &Db, user: &User, cohort_key: &str) -> AppResult<Overview> {
    overview_of(db, cohort_for(db, user, cohort_key).await?).await
}

/// `overview` of a cohort already authorised (or for the command line).
pub async fn overview_of(db: &Db, cohort: Cohort) -> AppResult<Overview> {
    let data = attendance::load_cohort(db, cohort).await?;
    let settings = settings(db, &data.cohort).await?;
    let certificates = store::for_cohort(db, data.cohort.id).await?;
    let attended = attended_by_enrolment(&data);
    let rows = data
        .enrolments
        .iter()
        .map(|e| {
            let held: Vec<&Certificate> = certificates
                .iter()
                .filter(|c| c.enrolment_id == e.id)
                .collect();
            let a = attended.get(&e.id);
            let standing = if let Some(valid) = held.iter().find(|c| !c.revoked()) {
                Standing::Certified((*valid).clone())
            } else if let Some(last) = held.last() {
                Standing::Revoked((*last).clone())
            } else {
                let short = a
                    .map(|a| evaluate(&settings.rule, &a.facts))
                    .unwrap_or_default();
                if short.is_empty() {
                    Standing::Eligible
                } else {
                    Standing::NotYet(short)
                }
            };
            Row {
                enrolment: e.clone(),
                attended: a.map(|a| a.facts.attended).unwrap_or(0),
                planned: a.map(|a| a.facts.planned).unwrap_or(0),
                standing,
                lines: a.map(|a| a.lines.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Overview {
        cohort: data.cohort.clone(),
        settings,
        rows,
        certificates,
    })
}

/// One line of "what was attended": a module, or a kind of activity without a module.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Line {
    pub kind: ActivityKind,
    pub module: Option<String>,
    pub hours_centi: i64,
}

/// What a certificate says besides its holder, fixed when it is issued.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Content {
    pub gmina: String,
    pub programme: String,
    pub cohort: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours_centi: i64,
    pub lines: Vec<Line>,
    pub organiser: String,
    pub signatory: String,
    pub signatory_role: String,
    pub place: String,
    pub acknowledgement: String,
}

/// The year certificates issued today are numbered in (Warsaw time).
fn today() -> NaiveDate {
    local_day(Utc::now())
}

/// Issues certificates in `lang` to the eligible enrolments of the cohort that never held one
/// (all of them, or those of `only`: naming someone not eligible is an error). Returns the new
/// certificates; issuing again issues nothing.
pub async fn issue(
    db: &Db,
    user: &User,
    cohort_key: &str,
    only: Option<&[Id]>,
    lang: Lang,
) -> AppResult<Vec<Certificate>> {
    let cohort = cohort_for(db, user, cohort_key).await?;
    let by = Issuer {
        actor: Actor::user(user),
        user: Some(user.id),
        day: None,
    };
    issue_in(db, cohort, &by, only, lang).await
}

/// Who issues: the audit's actor and the user recorded on the certificate (none at the command line).
pub struct Issuer {
    pub actor: Actor,
    pub user: Option<Id>,
    /// The date of issue (Warsaw); today when `None`. The demo issues on the cohort's last day.
    pub day: Option<NaiveDate>,
}

/// `issue` in a cohort already authorised (or for the command line and the demo).
pub async fn issue_in(
    db: &Db,
    cohort: Cohort,
    by: &Issuer,
    only: Option<&[Id]>,
    lang: Lang,
) -> AppResult<Vec<Certificate>> {
    let overview = overview_of(db, cohort).await?;
    if let Some(ids) = only {
        let mut errors = ValidationErrors::new();
        for (i, id) in ids.iter().enumerate() {
            match overview.rows.iter().find(|r| r.enrolment.id == *id) {
                None => errors.add_row(i + 1, "enrolments", "cert.err.not_in_cohort"),
                Some(Row {
                    standing: Standing::NotYet(short),
                    ..
                }) => {
                    let reasons = |lang| {
                        short
                            .iter()
                            .map(|s| s.text(lang))
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    errors.add_row(
                        i + 1,
                        "enrolments",
                        Msg::new("cert.err.not_eligible")
                            .arg("reasons", reasons(Lang::Pl))
                            .arg("reasons_en", reasons(Lang::En)),
                    );
                }
                Some(_) => {}
            }
        }
        errors.into_result()?;
    }
    let programme = programmes_db::find(db, overview.cohort.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chosen: Vec<&Row> = overview
        .eligible()
        .filter(|r| only.is_none_or(|ids| ids.contains(&r.enrolment.id)))
        .collect();
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let s = &overview.settings;
    let day = by.day.unwrap_or_else(today);
    let year = day.year();
    let at = now();
    let mut tx = db.begin().await?;
    let mut last = store::lock_counter(&mut tx, &s.prefix, year).await?;
    let held: HashSet<Id> = store::holders(&mut tx, overview.cohort.id)
        .await?
        .into_iter()
        .collect();
    let mut issued = Vec::new();
    for row in chosen
        .into_iter()
        .filter(|r| !held.contains(&r.enrolment.id))
    {
        let e = &row.enrolment;
        let content = Content {
            gmina: e.gmina_name.clone(),
            programme: programme.name.clone(),
            cohort: overview.cohort.name.clone(),
            starts_on: overview.cohort.starts_on,
            ends_on: overview.cohort.ends_on,
            hours_centi: row.attended,
            lines: row.lines.clone(),
            organiser: s.organiser.clone(),
            signatory: s.signatory.clone(),
            signatory_role: s.signatory_role.clone(),
            place: s.place.clone(),
            acknowledgement: programme.acknowledgement.clone(),
        };
        last += 1;
        let cert = Certificate {
            id: Id::new(),
            cohort_id: overview.cohort.id,
            enrolment_id: e.id,
            number: rules::number(&s.prefix, year, last),
            year,
            sequence: last,
            code: new_code(),
            lang: lang.code().to_owned(),
            first_name: e.first_name.clone(),
            last_name: e.last_name.clone(),
            content: serde_json::to_string(&content).map_err(anyhow::Error::from)?,
            issued_on: day,
            issued_at: at,
            issued_by: by.user,
            revoked_at: None,
            revoked_by: None,
            revoked_reason: None,
            replaced_by: None,
        };
        store::insert(&mut tx, &cert).await?;
        audit::record(&mut tx, &by.actor, issue_change(&cert)).await?;
        issued.push(cert);
    }
    store::set_counter(&mut tx, &s.prefix, year, last).await?;
    tx.commit().await?;
    Ok(issued)
}

fn issue_change(c: &Certificate) -> Change<'static> {
    Change {
        action: "certificate.issue",
        entity: "certificate",
        entity_id: Some(c.id.to_string()),
        before: None,
        after: Some(json!({
            "number": c.number, "enrolment": c.enrolment_id, "holder": c.holder(), "lang": c.lang,
        })),
    }
}

/// A certificate with its cohort, for a coordinator of its programme (404 for anyone else).
pub async fn certificate_for(db: &Db, user: &User, id: Id) -> AppResult<(Certificate, Cohort)> {
    let cert = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    let cohort = cohort_for(db, user, &cert.cohort_id.to_string()).await?;
    Ok((cert, cohort))
}

/// The verification URL printed on a certificate.
pub fn verify_url(base: &str, code: &str) -> String {
    format!(
        "{}/verify/{}",
        base.trim_end_matches('/'),
        format_code(code)
    )
}

/// The certificate as a PDF, from what it said when issued.
pub fn render(cert: &Certificate, base: &str) -> AppResult<Vec<u8>> {
    let content: Content = serde_json::from_str(&cert.content).map_err(anyhow::Error::from)?;
    let lang = Lang::parse(&cert.lang).unwrap_or_default();
    let lines = content
        .lines
        .iter()
        .map(|l| {
            let label = l
                .module
                .clone()
                .unwrap_or_else(|| t(lang, &format!("cert.kinds.{}", l.kind.as_str())));
            (capitalise(&label), format_hours(l.hours_centi, lang))
        })
        .collect();
    let period = format!(
        "{} – {}",
        plain_date(content.starts_on, lang),
        plain_date(content.ends_on, lang)
    );
    let date = plain_date(cert.issued_on, lang);
    let doc = CertificateDoc {
        lang,
        holder: cert.holder(),
        gmina: if content.gmina.is_empty() {
            String::new()
        } else {
            format!("{} {}", t(lang, "cert.pdf.gmina"), content.gmina)
        },
        programme: content.programme,
        cohort: content.cohort,
        period,
        hours: format_hours(content.hours_centi, lang),
        lines,
        organiser: content.organiser,
        signatory: content.signatory,
        signatory_role: content.signatory_role,
        place_date: if content.place.is_empty() {
            date
        } else {
            format!("{}, {date}", content.place)
        },
        acknowledgement: content.acknowledgement,
        number: cert.number.clone(),
        code: format_code(&cert.code),
        url: verify_url(base, &cert.code),
    };
    Ok(render_pdf(&doc)?)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One certificate's PDF and its file name.
pub async fn pdf(db: &Db, user: &User, id: Id, base: &str) -> AppResult<(String, Vec<u8>)> {
    let (cert, _) = certificate_for(db, user, id).await?;
    let name = file_name(cert.year, cert.sequence, &cert.last_name, &cert.first_name);
    Ok((name, render(&cert, base)?))
}

/// Every valid certificate of the cohort as PDFs in a ZIP: `2022-017_Zolkiewska-Lecka_Malgorzata.pdf`.
pub async fn zip(
    db: &Db,
    user: &User,
    cohort_key: &str,
    base: &str,
) -> AppResult<(String, Vec<u8>)> {
    zip_in(db, cohort_for(db, user, cohort_key).await?, base).await
}

/// `zip` of a cohort already authorised (or for the command line): the file name and the bytes.
pub async fn zip_in(db: &Db, cohort: Cohort, base: &str) -> AppResult<(String, Vec<u8>)> {
    let certs: Vec<Certificate> = store::for_cohort(db, cohort.id)
        .await?
        .into_iter()
        .filter(|c| !c.revoked())
        .collect();
    let bytes = zip_of(&certs, base)?;
    Ok((format!("zaswiadczenia_{}.zip", cohort.slug), bytes))
}

pub fn zip_of(certs: &[Certificate], base: &str) -> AppResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // PDFs are already compressed inside; storing them keeps the ZIP fast to build.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut names = HashSet::new();
    for cert in certs {
        let t = cert.issued_at.with_timezone(&chrono_tz::Europe::Warsaw);
        let options = match zip::DateTime::from_date_and_time(
            u16::try_from(t.year()).unwrap_or(1980),
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        ) {
            Ok(stamp) => stored.last_modified_time(stamp),
            Err(_) => stored,
        };
        let base_name = file_name(cert.year, cert.sequence, &cert.last_name, &cert.first_name);
        let mut name = base_name.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = base_name.replace(".pdf", &format!("_{n}.pdf"));
            n += 1;
        }
        let pdf = render(cert, base)?;
        writer
            .start_file(name, options)
            .map_err(anyhow::Error::from)?;
        writer.write_all(&pdf).map_err(anyhow::Error::from)?;
    }
    let cursor = writer.finish().map_err(anyhow::Error::from)?;
    Ok(cursor.into_inner())
}

const MAX_REASON: usize = 500;

fn reason_of(reason: &str) -> AppResult<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "cert.err.reason"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(invalid(
            "reason",
            Msg::new("err.too_long").arg("max", MAX_REASON),
        ));
    }
    Ok(reason.to_owned())
}

/// Revokes a valid certificate with a reason; it verifies as revoked from then on.
pub async fn revoke(db: &Db, user: &User, id: Id, reason: &str) -> AppResult<Certificate> {
    let (cert, _) = certificate_for(db, user, id).await?;
    let reason = reason_of(reason)?;
    let mut tx = db.begin().await?;
    if !store::revoke(&mut tx, id, Some(user.id), &reason, now()).await? {
        return Err(invalid("reason", "cert.err.already_revoked"));
    }
    audit::record(
        &mut tx,
        &Actor::user(user),
        Change {
            action: "certificate.revoke",
            entity: "certificate",
            entity_id: Some(id.to_string()),
            before: Some(json!({ "number": cert.number, "holder": cert.holder() })),
            after: Some(json!({ "reason": reason })),
        },
    )
    .await?;
    let cert = store::get_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(cert)
}

/// Reissues a certificate after a name correction: the participant's name is corrected, a new
/// certificate (new number and code, same content) is issued, the old one is revoked (if it was
/// not already) and points to the new one.
pub async fn reissue(
    db: &Db,
    user: &User,
    id: Id,
    first_name: &str,
    last_name: &str,
    lang: Option<Lang>,
) -> AppResult<Certificate> {
    let (old, cohort) = certificate_for(db, user, id).await?;
    let mut errors = ValidationErrors::new();
    let (first, last) = (first_name.trim(), last_name.trim());
    if first.is_empty() {
        errors.add("first_name", "err.required");
    }
    if last.is_empty() {
        errors.add("last_name", "err.required");
    }
    if old.replaced_by.is_some() {
        errors.add("first_name", "cert.err.already_replaced");
    }
    errors.into_result()?;
    let settings = settings(db, &cohort).await?;
    let day = today();
    let year = day.year();
    let at = now();
    let actor = Actor::user(user);
    let mut tx = db.begin().await?;
    let seq = store::lock_counter(&mut tx, &settings.prefix, year).await? + 1;
    let current = store::get_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.replaced_by.is_some() {
        return Err(invalid("first_name", "cert.err.already_replaced"));
    }
    let participant = enrolments_db::participant_of(&mut tx, old.enrolment_id).await?;
    enrolments_db::rename_participant(&mut tx, participant, first, last, &person_key(first, last))
        .await?;
    let reason = format!(
        "{} {} → {first} {last}",
        t(Lang::Pl, "cert.reissue.reason"),
        old.holder()
    );
    store::revoke(&mut tx, id, Some(user.id), &reason, at).await?;
    let new = Certificate {
        id: Id::new(),
        number: rules::number(&settings.prefix, year, seq),
        year,
        sequence: seq,
        code: new_code(),
        lang: lang
            .map(|l| l.code().to_owned())
            .unwrap_or(old.lang.clone()),
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        issued_on: day,
        issued_at: at,
        issued_by: Some(user.id),
        revoked_at: None,
        revoked_by: None,
        revoked_reason: None,
        replaced_by: None,
        ..old.clone()
    };
    store::insert(&mut tx, &new).await?;
    store::link_replacement(&mut tx, id, new.id).await?;
    store::set_counter(&mut tx, &settings.prefix, year, seq).await?;
    audit::record(
        &mut tx,
        &actor,
        Change {
            action: "certificate.reissue",
            entity: "certificate",
            entity_id: Some(new.id.to_string()),
            before: Some(json!({ "id": old.id, "number": old.number, "holder": old.holder() })),
            after: Some(json!({ "number": new.number, "holder": new.holder() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// What anyone may learn from a code: `None` for a code that is malformed or unknown.
pub async fn verify(db: &Db, code: &str) -> AppResult<Option<Public>> {
    match rules::normalise_code(code) {
        Some(code) => Ok(store::by_code(db, &code).await?),
        None => Ok(None),
    }
}
