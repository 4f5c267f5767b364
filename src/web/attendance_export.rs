//! The programme's attendance as one flat CSV, streamed to the browser while it is read from the
//! database (`service::attendance_export`); the API answers with the same `CsvStream`.

use rocket::http::ContentType;
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::tokio::io::{AsyncWriteExt, DuplexStream};
use rocket::{Route, State, get, routes};

use crate::db::Db;
use crate::db::programmes::Programme;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::service::attendance_export::{self as service, CHUNK};
use crate::web::Ctx;
use crate::web::session::StaffUser;

pub fn routes() -> Vec<Route> {
    routes![programme_csv]
}

/// A CSV file written by a task of its own while the response is being sent: the body holds at
/// most a chunk or two, whatever the number of rows.
pub struct CsvStream {
    name: String,
    body: DuplexStream,
}

impl CsvStream {
    /// Starts writing the programme's attendance (access already checked and recorded).
    pub fn spawn(db: Db, programme: Programme, lang: Lang) -> CsvStream {
        let (mut writer, body) = rocket::tokio::io::duplex(CHUNK);
        let name = service::file_name(&programme);
        rocket::tokio::spawn(async move {
            if let Err(e) = service::write_csv(&db, &programme, lang, &mut writer).await {
                // The status line left long ago: all that can be done is to say so in the file
                // (a reader who went away sees nothing of it).
                tracing::warn!(programme = %programme.slug, error = %e, "attendance export stopped");
                let _ = writer
                    .write_all(b"\r\n### EKSPORT PRZERWANY / EXPORT INCOMPLETE\r\n")
                    .await;
            }
        });
        CsvStream { name, body }
    }
}

impl<'r> Responder<'r, 'static> for CsvStream {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build()
            .header(ContentType::CSV)
            .raw_header(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.name),
            )
            .streamed_body(self.body)
            .finalize();
        response.set_max_chunk_size(CHUNK);
        Ok(response)
    }
}

#[get("/programmes/<p>/attendance.csv")]
async fn programme_csv(
    ctx: Ctx,
    db: &State<Db>,
    staff: StaffUser,
    p: &str,
) -> AppResult<CsvStream> {
    let programme = service::start(db, &staff.0, p).await?;
    Ok(CsvStream::spawn(db.inner().clone(), programme, ctx.lang))
}
