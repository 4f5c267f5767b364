//! HTML pages, grouped per feature; each module exposes `routes()`.

pub mod account;
pub mod admin;
pub mod attendance;
pub mod attendance_export;
pub mod auth;
pub mod base_url;
pub mod certificates;
pub mod cohorts;
pub mod context;
pub mod csrf;
pub mod errors;
pub mod gminy;
pub mod home;
pub mod indicators;
pub mod options;
pub mod organisations;
pub mod participants;
pub mod programmes;
pub mod reports;
pub mod schedule;
pub mod security;
pub mod session;
pub mod survey_links;
pub mod surveys;
pub mod tasks;
pub mod templating;
pub mod upload;
pub mod verify;

use std::collections::BTreeMap;

use rocket::Route;
use rocket::response::{Flash, Redirect};

use crate::error::ValidationErrors;
use crate::i18n::Lang;

pub use context::Ctx;

pub fn routes() -> Vec<Route> {
    [
        auth::routes(),
        home::routes(),
        account::routes(),
        admin::routes(),
        gminy::routes(),
        cohorts::routes(),
        organisations::routes(),
        participants::routes(),
        programmes::routes(),
        schedule::routes(),
        attendance::routes(),
        attendance_export::routes(),
        certificates::routes(),
        reports::routes(),
        tasks::routes(),
        surveys::routes(),
        survey_links::routes(),
        indicators::routes(),
        verify::routes(),
    ]
    .concat()
}

/// Reads a request body as text up to `limit_name`'s limit (Rocket.toml `limits`, at least
/// `fallback`): 413 when it is larger, 400 when it cannot be read.
pub async fn read_text(
    req: &rocket::Request<'_>,
    data: rocket::Data<'_>,
    limit_name: &str,
    fallback: rocket::data::ByteUnit,
) -> Result<String, rocket::http::Status> {
    use rocket::data::ToByteUnit;
    let limit = req
        .limits()
        .get(limit_name)
        .unwrap_or(fallback)
        .max(1.kibibytes());
    match data.open(limit).into_string().await {
        Ok(body) if body.is_complete() => Ok(body.into_inner()),
        Ok(_) => Err(rocket::http::Status::PayloadTooLarge),
        Err(_) => Err(rocket::http::Status::BadRequest),
    }
}

/// Field name → translated message, for showing each error beside its field.
pub fn error_map(errors: &ValidationErrors, lang: Lang) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for e in &errors.0 {
        map.entry(e.field.clone())
            .or_insert_with(|| e.message.render(lang));
    }
    map
}

/// Post/Redirect/Get: back to `to` with a translated success message.
pub fn done(ctx: &Ctx, to: String, key: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to(to), ctx.t(key))
}

/// A local path to return to after login; anything else (other hosts, `//x`) becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.contains(['\r', '\n']) =>
        {
            p.to_owned()
        }
        _ => String::from("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "admin",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
