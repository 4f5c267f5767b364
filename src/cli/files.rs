//! The commands that write files: certificates as a ZIP, the attendance export and the results
//! report.

use super::explain;
use crate::config::AppConfig;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::error::AppError;
use crate::i18n::Lang;

pub(super) async fn certificates(
    db: &Db,
    config: &AppConfig,
    cohort: &str,
    out: &std::path::Path,
    lang: &str,
) -> anyhow::Result<()> {
    use crate::service::certificates::{Issuer, issue_in, zip_in};
    let Some(cohort) = crate::service::programmes::find_cohort(db, cohort)
        .await
        .map_err(explain)?
    else {
        anyhow::bail!("no cohort with id or slug {cohort}");
    };
    let by = Issuer {
        actor: Actor::cli(),
        user: None,
        day: None,
    };
    let lang = Lang::parse(lang).unwrap_or_default();
    let issued = issue_in(db, cohort.clone(), &by, None, lang)
        .await
        .map_err(explain)?;
    let base = config
        .public_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "http://localhost:8000".to_owned());
    let slug = cohort.slug.clone();
    let (_, bytes) = zip_in(db, cohort, &base).await.map_err(explain)?;
    let count = {
        let reader = zip::ZipArchive::new(std::io::Cursor::new(&bytes))?;
        reader.len()
    };
    std::fs::write(out, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    println!(
        "{slug}: {} newly issued, {count} valid certificates written to {}",
        issued.len(),
        out.display()
    );
    Ok(())
}

pub(super) async fn export_attendance(
    db: &Db,
    programme: &str,
    out: &std::path::Path,
    lang: &str,
) -> anyhow::Result<()> {
    use crate::service::attendance_export::{start_cli, write_csv};
    let programme = start_cli(db, programme).await.map_err(|e| match e {
        AppError::NotFound => anyhow::anyhow!("no programme with id or slug {programme}"),
        other => explain(other),
    })?;
    let mut file = rocket::tokio::fs::File::create(out)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    let lang = Lang::parse(lang).unwrap_or_default();
    let written = write_csv(db, &programme, lang, &mut file)
        .await
        .map_err(explain)?;
    println!(
        "{}: {} attendance marks written to {} ({} bytes)",
        programme.slug,
        written.rows,
        out.display(),
        written.bytes
    );
    Ok(())
}

pub(super) async fn report(
    db: &Db,
    cohort: Option<String>,
    programme: Option<String>,
    format: &str,
    lang: &str,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    use crate::service::programmes::{find_cohort, find_programme};
    use crate::service::reports::{Facing, cohort_of, programme_of};
    let report = match (cohort, programme) {
        (Some(key), _) => match find_cohort(db, &key).await.map_err(explain)? {
            Some(c) => cohort_of(db, &c, Facing::Staff).await,
            None => anyhow::bail!("no cohort with id or slug {key}"),
        },
        (None, Some(key)) => match find_programme(db, &key).await.map_err(explain)? {
            Some(p) => programme_of(db, &p, Facing::Staff).await,
            None => anyhow::bail!("no programme with id or slug {key}"),
        },
        (None, None) => anyhow::bail!("give --cohort or --programme"),
    }
    .map_err(explain)?;
    let lang = Lang::parse(lang).unwrap_or_default();
    let bytes = match format {
        "json" => serde_json::to_vec_pretty(&report)?,
        "csv" => crate::output::report::csv(&report, lang)?,
        "xlsx" => crate::output::report::xlsx(&report, lang)?,
        "pdf" => crate::output::report::pdf(&report, lang)?,
        other => anyhow::bail!("unknown format {other}: json, csv, xlsx or pdf"),
    };
    std::fs::write(out, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    println!(
        "{} report of {} written to {} ({} bytes)",
        format,
        report.scope.slug,
        out.display(),
        bytes.len()
    );
    Ok(())
}
