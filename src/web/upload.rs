//! Reading a file uploaded through a multipart HTML form, and the redirect after storing it.

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::response::{Flash, Redirect};
use rocket::tokio::io::AsyncReadExt;

use crate::csrf_protected;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

/// A form with one file (an evidence upload).
#[derive(FromForm)]
pub struct FileForm<'r> {
    pub csrf_token: Option<String>,
    pub file: Option<TempFile<'r>>,
}
csrf_protected!(FileForm<'_>);

/// Back to `back` after an upload: `saved` when stored; a refused file as an error message,
/// after `field` when given (named as beside a form field: "Plik dokumentu: …").
pub fn after_upload<T>(
    ctx: &Ctx,
    back: String,
    outcome: AppResult<T>,
    saved: &str,
    field: Option<&str>,
) -> AppResult<Flash<Redirect>> {
    match outcome {
        Ok(_) => Ok(Flash::success(Redirect::to(back), ctx.t(saved))),
        Err(AppError::Validation(errors)) => {
            let sentence = errors.sentence(ctx.lang);
            let text = match field {
                Some(field) => format!("{}: {sentence}", ctx.t(field)),
                None => sentence,
            };
            Ok(Flash::error(Redirect::to(back), text))
        }
        Err(e) => Err(e),
    }
}

/// The name the browser gave an uploaded file and its bytes; both empty when none was chosen
/// (or the chosen file is empty). The name is as sent, unsanitised: never use it as a path.
/// Sizes are limited by Rocket (`limits.file`, `limits.data-form`) and by the service that takes
/// the bytes.
pub async fn read_upload(file: Option<&TempFile<'_>>) -> AppResult<(String, Vec<u8>)> {
    let Some(file) = file.filter(|f| f.len() > 0) else {
        return Ok(Default::default());
    };
    let name = file.raw_name().map_or_else(String::new, |n| {
        n.dangerous_unsafe_unsanitized_raw().as_str().to_owned()
    });
    let mut bytes = Vec::new();
    let mut reader = file.open().await.map_err(anyhow::Error::from)?;
    reader
        .read_to_end(&mut bytes)
        .await
        .map_err(anyhow::Error::from)?;
    Ok((name, bytes))
}
