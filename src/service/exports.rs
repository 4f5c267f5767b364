//! The cohort's participant list as CSV (UTF-8 with BOM, semicolons: what Polish Excel opens
//! right) and XLSX. Coordinator-only, audited; sensitive fields (vulnerability) are never exported.

use serde_json::json;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::users::User;
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
    let (ext, bytes) = match format {
        Format::Csv => ("csv", output::csv::excel_csv(&headers, &body)?),
        Format::Xlsx => (
            "xlsx",
            output::xlsx::workbook(&t(lang, "export.sheet"), &headers, &body)?,
        ),
    };
    let mut tx = db.begin().await?;
    let change = Change {
        action: "cohort.export",
        entity: "cohort",
        entity_id: Some(cohort.id.to_string()),
        before: None,
        after: Some(json!({ "format": ext, "rows": body.len() })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok((format!("uczestnicy-{}.{ext}", cohort.slug), bytes))
}
