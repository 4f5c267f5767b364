//! `ApiJson<T>`: a JSON request body for the API. Unlike Rocket's `Json`, every problem with the
//! body is a 422 whose `details` name the field (`starts_on`, `audience.groups[1]`), so a client
//! can show the user what to fix.

use rocket::data::{self, Data, FromData, Limits};
use rocket::http::Status;
use rocket::request::Request;
use serde::de::DeserializeOwned;

use crate::error::{ErrorDetail, PendingError, ValidationErrors};
use crate::i18n::Msg;

pub struct ApiJson<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned> FromData<'r> for ApiJson<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let body = match crate::web::read_text(req, data, "json", Limits::JSON).await {
            Ok(body) => body,
            Err(status) => return data::Outcome::Error((status, ())),
        };
        ApiJson::from_text(req, &body)
    }
}

/// A JSON body that may be left out: an empty body means `T::default()`.
pub struct ApiJsonOrDefault<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Default> FromData<'r> for ApiJsonOrDefault<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let body = match crate::web::read_text(req, data, "json", Limits::JSON).await {
            Ok(body) => body,
            Err(status) => return data::Outcome::Error((status, ())),
        };
        if body.trim().is_empty() {
            return data::Outcome::Success(ApiJsonOrDefault(T::default()));
        }
        match ApiJson::<T>::from_text(req, &body) {
            data::Outcome::Success(ApiJson(v)) => data::Outcome::Success(ApiJsonOrDefault(v)),
            data::Outcome::Error(e) => data::Outcome::Error(e),
            data::Outcome::Forward(f) => data::Outcome::Forward(f),
        }
    }
}

impl<T: DeserializeOwned> ApiJson<T> {
    fn from_text<'r>(req: &'r Request<'_>, body: &str) -> data::Outcome<'r, Self, ()> {
        match parse::<T>(body) {
            Ok(value) => data::Outcome::Success(ApiJson(value)),
            Err(errors) => {
                PendingError::set(
                    req,
                    ErrorDetail {
                        message: Some(Msg::new("err.api.body")),
                        errors,
                        conflicts: None,
                    },
                );
                data::Outcome::Error((Status::UnprocessableEntity, ()))
            }
        }
    }
}

/// Parses `body` as `T`; the error names the field at fault.
pub fn parse<T: DeserializeOwned>(body: &str) -> Result<T, ValidationErrors> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let (mut path, inner) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => return Ok(value),
            Err(trailing) => (String::from("."), trailing),
        },
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let text = inner.to_string();
    let mut errors = ValidationErrors::new();
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        path = if path == "." {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        errors.add(&path, "err.required");
    } else if inner.is_syntax() || inner.is_eof() {
        errors.add(
            "body",
            Msg::new("err.api.json_syntax")
                .arg("line", inner.line())
                .arg("column", inner.column()),
        );
    } else {
        let field = if path == "." { "body".to_owned() } else { path };
        let detail = text.split(" at line ").next().unwrap_or(&text).to_owned();
        errors.add(
            &field,
            Msg::new("err.api.invalid_value").arg("detail", detail),
        );
    }
    Err(errors)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Probe {
        name: String,
        starts_on: chrono::NaiveDate,
        tags: Vec<u8>,
    }

    fn first(body: &str) -> (String, &'static str) {
        let errors = parse::<Probe>(body).unwrap_err();
        (errors.0[0].field.clone(), errors.0[0].message.key)
    }

    #[test]
    fn body_errors_name_the_field() {
        assert_eq!(
            first(r#"{"starts_on":"2026-01-01","tags":[]}"#),
            ("name".into(), "err.required")
        );
        assert_eq!(
            first(r#"{"name":"x","starts_on":"1 stycznia","tags":[]}"#),
            ("starts_on".into(), "err.api.invalid_value")
        );
        assert_eq!(
            first(r#"{"name":"x","starts_on":"2026-01-01","tags":[1,"a"]}"#),
            ("tags[1]".into(), "err.api.invalid_value")
        );
        assert_eq!(
            first(r#"{"name":"x","#),
            ("body".into(), "err.api.json_syntax")
        );
        assert_eq!(
            first(r#"{"name":"x","starts_on":"2026-01-01","tags":[]} trailing"#),
            ("body".into(), "err.api.json_syntax")
        );
        assert!(parse::<Probe>(r#"{"name":"x","starts_on":"2026-01-01","tags":[1]}"#).is_ok());
    }
}
