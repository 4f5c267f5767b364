//! Every attendance mark of a programme as one flat CSV (one row per mark), streamed: rows come
//! from the database one by one and leave in 64 KB chunks, so 600,000 marks take as little
//! memory as 60. Admins and the programme's coordinators only (it holds names); audited.

use std::collections::HashMap;

use rocket::futures::TryStreamExt;
use rocket::tokio::io::{AsyncWrite, AsyncWriteExt};
use serde_json::json;

use crate::db::Db;
use crate::db::attendance_export::{self as store, MarkLine};
use crate::db::audit::{self, Actor, Change};
use crate::db::programmes::Programme;
use crate::db::users::User;
use crate::domain::activity::{ActivityKind, format_hours, local_day};
use crate::domain::attendance::Mark;
use crate::domain::participant::Group;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t};
use crate::service::programmes::{find_programme, programme_for};

/// How much CSV is gathered before it is handed on (to the response, a file).
pub const CHUNK: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

const HEADERS: [&str; 13] = [
    "export.date",
    "export.activity",
    "export.kind",
    "export.cohort",
    "export.teryt",
    "export.gmina",
    "export.group",
    "export.enrolment_id",
    "export.last_name",
    "export.first_name",
    "export.mark",
    "export.activity_hours",
    "export.attended_hours",
];

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Marks, without the header.
    pub rows: u64,
    pub bytes: u64,
}

/// The programme (id or slug) `user` may export, with the export recorded: 403 for funders and
/// trainers, 404 for coordinators outside it.
pub async fn start(db: &Db, user: &User, programme_key: &str) -> AppResult<Programme> {
    let programme = programme_for(db, user, programme_key).await?;
    record(db, &Actor::user(user), &programme).await?;
    Ok(programme)
}

/// `start` for the command line: any programme, recorded as done by `cli`.
pub async fn start_cli(db: &Db, programme_key: &str) -> AppResult<Programme> {
    let programme = find_programme(db, programme_key)
        .await?
        .ok_or(AppError::NotFound)?;
    record(db, &Actor::cli(), &programme).await?;
    Ok(programme)
}

/// The names leave as soon as the first chunk does, and the number of rows is not known until
/// the last: the export is recorded when it starts.
async fn record(db: &Db, actor: &Actor, programme: &Programme) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let change = Change {
        action: "attendance.export",
        entity: "programme",
        entity_id: Some(programme.id.to_string()),
        before: None,
        after: Some(json!({ "format": "csv", "scope": "programme" })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// `frekwencja-<slug>.csv` (slugs are ASCII: safe in a header).
pub fn file_name(programme: &Programme) -> String {
    format!("frekwencja-{}.csv", programme.slug)
}

/// Labels looked up once rather than once per row.
struct Labels {
    kinds: HashMap<ActivityKind, String>,
    groups: HashMap<Group, String>,
    marks: HashMap<Mark, String>,
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        Labels {
            kinds: ActivityKind::ALL
                .iter()
                .map(|k| (*k, t(lang, k.label_key())))
                .collect(),
            groups: Group::ALL
                .iter()
                .map(|g| (*g, t(lang, g.label_key())))
                .collect(),
            marks: Mark::ALL
                .iter()
                .map(|m| (*m, t(lang, m.label_key())))
                .collect(),
        }
    }
}

fn csv_writer(buffer: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(buffer)
}

fn unexpected(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Unexpected(e.into())
}

fn write_line(
    csv: &mut csv::Writer<Vec<u8>>,
    line: &MarkLine,
    labels: &Labels,
    lang: Lang,
) -> csv::Result<()> {
    let hours = i64::from(line.hours_centi);
    let attended = if line.status.attended() { hours } else { 0 };
    let (day, enrolment) = (
        local_day(line.starts_at).to_string(),
        line.enrolment_id.to_string(),
    );
    let (hours, attended) = (format_hours(hours, lang), format_hours(attended, lang));
    let fields: [&str; 13] = [
        &day,
        &line.title,
        &labels.kinds[&line.kind],
        &line.cohort,
        &line.gmina_teryt,
        &line.gmina_name,
        &labels.groups[&line.grp],
        &enrolment,
        &line.last_name,
        &line.first_name,
        &labels.marks[&line.status],
        &hours,
        &attended,
    ];
    csv.write_record(fields)
}

/// Writes the programme's marks as CSV (UTF-8 with a BOM, semicolons, CRLF: what Polish Excel
/// opens right) into `out`, chunk by chunk as the rows arrive. No access check: call `start` first.
pub async fn write_csv<W: AsyncWrite + Unpin + Send>(
    db: &Db,
    programme: &Programme,
    lang: Lang,
    out: &mut W,
) -> AppResult<Written> {
    let labels = Labels::new(lang);
    let mut written = Written::default();
    let mut csv = csv_writer(Vec::with_capacity(CHUNK + 4096));
    csv.write_record(HEADERS.iter().map(|k| t(lang, k)))
        .map_err(unexpected)?;
    out.write_all(BOM).await.map_err(unexpected)?;
    written.bytes += BOM.len() as u64;
    let mut rows = store::marks_of_programme(db, programme.id);
    while let Some(line) = rows.try_next().await? {
        write_line(&mut csv, &line, &labels, lang).map_err(unexpected)?;
        written.rows += 1;
        // csv keeps its own small buffer: flushed into ours, which goes out once it is full.
        csv.flush().map_err(unexpected)?;
        if csv.get_ref().len() >= CHUNK {
            let mut chunk = csv.into_inner().map_err(|e| unexpected(e.into_error()))?;
            out.write_all(&chunk).await.map_err(unexpected)?;
            written.bytes += chunk.len() as u64;
            chunk.clear();
            csv = csv_writer(chunk);
        }
    }
    let chunk = csv.into_inner().map_err(|e| unexpected(e.into_error()))?;
    out.write_all(&chunk).await.map_err(unexpected)?;
    out.flush().await.map_err(unexpected)?;
    written.bytes += chunk.len() as u64;
    Ok(written)
}
