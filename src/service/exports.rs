//! The cohort's participant list as CSV (UTF-8 with BOM, semicolons: what Polish Excel opens
//! right) and XLSX. Coordinator-only, audited; sensitive fields (vulnerability) are never exported.

use serde_json::json;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::programmes::Cohort;
use crate::db::users::User;
use crate::domain::activity::{format_hours, local_day};
use crate::error::AppResult;
use crate::i18n::{Lang, t};
use crate::output;
use crate::service::enrolments::list;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The file's name and bytes.
pub async fn participants(
    db: &Db,
    user: &User,
    cohort_key: &str,
    format: Format,
    lang: Lang,
) -> AppResult<(String, Vec<u8>)> {
    let (cohort, rows) = list(db, user, cohort_key).await?;
    let headers: Vec<String> = [
        "export.first_name",
        "export.last_name",
        "export.email",
        "export.phone",
        "export.teryt",
        "export.gmina",
        "export.powiat",
        "export.group",
        "export.organisation",
        "export.sex",
        "export.birth_year",
        "export.status",
        "export.withdrawn_on",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|v| {
            let r = &v.row;
            vec![
                r.first_name.clone(),
                r.last_name.clone(),
                r.email.clone().unwrap_or_default(),
                r.phone.clone().unwrap_or_default(),
                r.gmina_teryt.clone(),
                r.gmina_name.clone(),
                r.powiat.clone(),
                t(lang, r.grp.label_key()),
                r.organisation.clone().unwrap_or_default(),
                r.sex.map(|s| t(lang, s.label_key())).unwrap_or_default(),
                r.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                t(lang, r.status.label_key()),
                r.withdrawn_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let file = format!("uczestnicy-{}", cohort.slug);
    write(
        db,
        user,
        &cohort,
        Export {
            action: "cohort.export",
            file,
            headers,
            body,
        },
        format,
        lang,
    )
    .await
}

/// A file about to be exported.
struct Export {
    action: &'static str,
    /// The file name without its extension.
    file: String,
    headers: Vec<String>,
    body: Vec<Vec<String>>,
}

/// Writes the file in `format` and records the export in the audit log.
async fn write(
    db: &Db,
    user: &User,
    cohort: &Cohort,
    export: Export,
    format: Format,
    lang: Lang,
) -> AppResult<(String, Vec<u8>)> {
    let (ext, bytes) = match format {
        Format::Csv => (
            "csv",
            output::csv::excel_csv(&export.headers, &export.body)?,
        ),
        Format::Xlsx => (
            "xlsx",
            output::xlsx::workbook(&t(lang, "export.sheet"), &export.headers, &export.body)?,
        ),
    };
    let mut tx = db.begin().await?;
    let change = Change {
        action: export.action,
        entity: "cohort",
        entity_id: Some(cohort.id.to_string()),
        before: None,
        after: Some(json!({ "format": ext, "rows": export.body.len() })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok((format!("{}.{ext}", export.file), bytes))
}

/// The cohort's attendance matrix: one row per enrolment with hours and rate, one column per
/// activity that has taken place.
pub async fn attendance(
    db: &Db,
    user: &User,
    cohort_key: &str,
    format: Format,
    lang: Lang,
) -> AppResult<(String, Vec<u8>)> {
    let data = crate::service::attendance::cohort(db, user, cohort_key).await?;
    let columns = data.held();
    let mut headers: Vec<String> = [
        "export.gmina",
        "export.teryt",
        "export.first_name",
        "export.last_name",
        "export.group",
        "export.planned_hours",
        "export.attended_hours",
        "export.excused_hours",
        "export.rate",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    headers.extend(columns.iter().map(|v| {
        format!(
            "{} {}",
            local_day(v.activity.starts_at).format("%d.%m.%Y"),
            v.activity.title
        )
    }));
    let mut enrolments = data.enrolments.clone();
    enrolments.sort_by(|a, b| a.gmina_name.cmp(&b.gmina_name).then(a.grp.cmp(&b.grp)));
    let body: Vec<Vec<String>> = enrolments
        .iter()
        .map(|e| {
            let s = data.summaries.get(&e.id).cloned().unwrap_or_default();
            let mut row = vec![
                e.gmina_name.clone(),
                e.gmina_teryt.clone(),
                e.first_name.clone(),
                e.last_name.clone(),
                t(lang, e.grp.label_key()),
                format_hours(s.total.planned, lang),
                format_hours(s.total.attended, lang),
                format_hours(s.total.excused, lang),
                s.total
                    .rate()
                    .map(|r| format!("{:.1}", (r * 1000.0).floor() / 10.0))
                    .map(|r| {
                        if lang == Lang::Pl {
                            r.replace('.', ",")
                        } else {
                            r
                        }
                    })
                    .unwrap_or_default(),
            ];
            row.extend(columns.iter().map(|v| {
                if !v.roster.contains(&e.id) {
                    return String::new();
                }
                data.marks
                    .get(&(v.activity.id, e.id))
                    .map(|m| t(lang, m.label_key()))
                    .unwrap_or_else(|| t(lang, "mark.none"))
            }));
            row
        })
        .collect();
    let file = format!("frekwencja-{}", data.cohort.slug);
    let export = Export {
        action: "attendance.export",
        file,
        headers,
        body,
    };
    write(db, user, &data.cohort, export, format, lang).await
}
