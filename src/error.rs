//! One error type at the edge: handlers return `AppResult`, and the responder turns each error
//! into the right status with a JSON body under `/api` or a translated error page elsewhere.

use std::sync::Mutex;

use rocket::Request;
use rocket::http::Status;
use rocket::response::{self, Responder};

use crate::i18n::Msg;

/// A problem with one field of the input, optionally in one row of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub row: Option<usize>,
    pub field: String,
    pub message: Msg,
}

/// Every problem found in an input, so the user can fix them all at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<Msg>) {
        self.0.push(FieldError {
            row: None,
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn add_row(&mut self, row: usize, field: &str, message: impl Into<Msg>) {
        self.0.push(FieldError {
            row: Some(row),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every message in one line, for a flash message or a plain-text answer.
    pub fn sentence(&self, lang: crate::i18n::Lang) -> String {
        self.0
            .iter()
            .map(|e| e.message.render(lang))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first problem with `field`, for showing beside it in a form.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// `Ok(())` when nothing was found, else the errors as an `AppError`.
    pub fn into_result(self) -> AppResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

/// Shorthand for a single-field validation error.
pub fn invalid(field: &str, message: impl Into<Msg>) -> AppError {
    let mut errors = ValidationErrors::new();
    errors.add(field, message);
    AppError::Validation(errors)
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("nie znaleziono")]
    NotFound,
    #[error("wymagane logowanie")]
    Unauthorized,
    #[error("brak uprawnień")]
    Forbidden,
    #[error("konflikt")]
    Conflict(Msg),
    /// A conflict with a machine-readable description of what it clashes with (JSON `conflicts`).
    #[error("konflikt")]
    ConflictWith(Msg, serde_json::Value),
    #[error("błędne dane")]
    Validation(ValidationErrors),
    #[error("zbyt wiele prób")]
    TooManyRequests,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

/// What a catcher shows beyond the status: the message and the field errors of the failed request.
#[derive(Clone, Debug, Default)]
pub struct ErrorDetail {
    pub message: Option<Msg>,
    pub errors: ValidationErrors,
    /// What a conflict clashes with, for API clients.
    pub conflicts: Option<serde_json::Value>,
}

/// Request-local slot that hands `ErrorDetail` from a responder or guard to the catcher.
#[derive(Default)]
pub struct PendingError(Mutex<Option<ErrorDetail>>);

impl PendingError {
    pub fn set(req: &Request<'_>, detail: ErrorDetail) {
        let slot = req.local_cache(PendingError::default);
        if let Ok(mut guard) = slot.0.lock() {
            *guard = Some(detail);
        }
    }

    pub fn get(req: &Request<'_>) -> Option<ErrorDetail> {
        let slot = req.local_cache(PendingError::default);
        slot.0.lock().ok().and_then(|g| g.clone())
    }
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            AppError::NotFound => Err(Status::NotFound),
            AppError::Unauthorized => Err(Status::Unauthorized),
            AppError::Forbidden => Err(Status::Forbidden),
            AppError::TooManyRequests => Err(Status::TooManyRequests),
            AppError::Conflict(message) => {
                PendingError::set(
                    req,
                    ErrorDetail {
                        message: Some(message),
                        ..Default::default()
                    },
                );
                Err(Status::Conflict)
            }
            AppError::ConflictWith(message, conflicts) => {
                PendingError::set(
                    req,
                    ErrorDetail {
                        message: Some(message),
                        conflicts: Some(conflicts),
                        ..Default::default()
                    },
                );
                Err(Status::Conflict)
            }
            AppError::Validation(errors) => {
                PendingError::set(
                    req,
                    ErrorDetail {
                        errors,
                        ..Default::default()
                    },
                );
                Err(Status::UnprocessableEntity)
            }
            AppError::Unexpected(e) => {
                tracing::error!(uri = %req.uri(), error = format!("{e:#}"), "unexpected error");
                Err(Status::InternalServerError)
            }
        }
    }
}
