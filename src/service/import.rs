//! Participant CSV import: every row checked against the rules and the gmina register before
//! anything is written, then all rows written in one transaction (or none).

use std::collections::HashSet;

use serde::Serialize;
use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments;
use crate::db::programmes::Cohort;
use crate::db::{Db, Id};
use crate::domain::import::{self, Column, MAX_ERRORS, Sheet};
use crate::error::{AppError, AppResult, FieldError, ValidationErrors};
use crate::i18n::Msg;
use crate::service::enrolments::{GminaIndex, NewPerson, this_year, write_people};

/// A file checked row by row: the rows that can be written and every problem found.
pub struct Checked {
    pub sheet: Sheet,
    pub people: Vec<NewPerson>,
    pub errors: ValidationErrors,
}

/// One row of the preview the UI shows before anything is written.
#[derive(Clone, Debug, Serialize)]
pub struct PreviewRow {
    pub row: usize,
    pub values: Vec<String>,
    pub problems: Vec<String>,
}

impl Checked {
    /// Every row with its values (in `Column::ALL` order) and its problems in `lang`.
    pub fn preview(&self, lang: crate::i18n::Lang) -> Vec<PreviewRow> {
        self.sheet
            .rows
            .iter()
            .map(|raw| PreviewRow {
                row: raw.row,
                values: Column::ALL.iter().map(|c| raw.get(*c).to_owned()).collect(),
                problems: self
                    .errors
                    .0
                    .iter()
                    .filter(|e| e.row == Some(raw.row))
                    .map(|e| format!("{}: {}", e.field, e.message.render(lang)))
                    .collect(),
            })
            .collect()
    }
}

fn sort(errors: &mut ValidationErrors, sheet: &Sheet) {
    let order = |field: &str| {
        Column::ALL
            .iter()
            .position(|c| sheet.header(*c) == field)
            .unwrap_or(usize::MAX)
    };
    errors
        .0
        .sort_by_key(|e: &FieldError| (e.row.unwrap_or(0), order(&e.field)));
}

/// Reads and checks a file for a cohort without writing anything.
pub async fn check(db: &Db, cohort: &Cohort, bytes: &[u8]) -> AppResult<Checked> {
    let sheet = import::read(bytes).map_err(AppError::Validation)?;
    let mut errors = ValidationErrors::new();
    let rows = import::check(&sheet, this_year(), &mut errors);
    let index = GminaIndex::load(db).await?;
    let taken: HashSet<String> = enrolments::cohort_emails(db, cohort.id)
        .await?
        .into_iter()
        .collect();
    let mut people = Vec::with_capacity(rows.len());
    for r in rows {
        let mut ok = true;
        let gmina = match index.resolve(&r.gmina) {
            Ok(code) => code,
            Err(message) => {
                errors.add_row(r.row, sheet.header(Column::Gmina), message);
                ok = false;
                String::new()
            }
        };
        if let Some(email) = r.email.as_ref().filter(|e| taken.contains(e.as_str())) {
            errors.add_row(
                r.row,
                sheet.header(Column::Email),
                Msg::new("err.email_in_cohort").arg("email", email.as_str()),
            );
            ok = false;
        }
        if ok {
            people.push(NewPerson {
                row: Some(r.row),
                first_name: r.first_name,
                last_name: r.last_name,
                email: r.email,
                phone: r.phone,
                gmina,
                group: r.group,
                organisation: r.organisation,
                sex: r.sex,
                birth_year: r.birth_year,
                vulnerability: None,
                consent_data_on: None,
                consent_image_on: None,
            });
        }
    }
    errors.0.truncate(MAX_ERRORS);
    sort(&mut errors, &sheet);
    Ok(Checked {
        sheet,
        people,
        errors,
    })
}

/// What an import did: rows written (0 on a dry run) and rows found valid.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Outcome {
    pub imported: usize,
    pub valid: usize,
}

/// Imports a file into a cohort: any problem in any row is a 422 listing them all and nothing is
/// written; `dry_run` checks only.
pub async fn import(
    db: &Db,
    actor: &Actor,
    cohort: &Cohort,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<Outcome> {
    let checked = check(db, cohort, bytes).await?;
    checked.errors.clone().into_result()?;
    let valid = checked.people.len();
    if dry_run {
        return Ok(Outcome { imported: 0, valid });
    }
    let mut tx = db.begin().await?;
    let ids: Vec<Id> = write_people(&mut tx, cohort.id, &checked.people).await?;
    let change = Change {
        action: "enrolment.import",
        entity: "cohort",
        entity_id: Some(cohort.id.to_string()),
        before: None,
        after: Some(json!({ "cohort": cohort.slug, "imported": ids.len() })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(Outcome {
        imported: ids.len(),
        valid,
    })
}
