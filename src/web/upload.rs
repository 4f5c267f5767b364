//! Reading a file uploaded through a multipart HTML form.

use rocket::fs::TempFile;
use rocket::tokio::io::AsyncReadExt;

use crate::error::AppResult;

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
