//! The one error type of NetEvent. Domain code returns it, the REST layer maps it to the
//! API.md error JSON in `IntoResponse` below, and pages show its message.
//!
//! Which layer makes which error:
//! - input checks (`validate`, the domain's `Checker`): `Validation` with its fields;
//!   extractors in `server::api::extract`: `MalformedBody`, `UnsupportedMediaType`,
//!   `TooLarge`;
//! - the domain: `Unauthenticated`, `Forbidden`, `NotFound`, `Conflict`, `BadRequest` (a
//!   request that cannot be honoured as asked), `InvalidCredentials`;
//! - rate limits and capacity (`server::client`, the hashing queue, a pool that answers
//!   nothing): `TooManyAttempts` (429) and `Unavailable` (503), both with `Retry-After`;
//! - the database refusing a transaction for a conflict with another (a deadlock, a lock
//!   wait, a Galera certification failure): `Contention`, which `db::transaction!` retries
//!   and, when the retries run out, answers 503 `unavailable` with `Retry-After`;
//! - the CSRF middleware: `CrossSite`;
//! - anything unexpected: `AppError::internal(cause)`, which logs the cause and answers 500
//!   without it; `Transport` only on the client, when a server function call failed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields are invalid (400, with `fields`).
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    /// A request that cannot be honoured as asked (400), with its own `code`, e.g.
    /// `invalid_token` for a used or expired password-reset link.
    #[error("{message}")]
    BadRequest { code: String, message: String },
    /// The body could not be read at all (400).
    #[error("{0}")]
    MalformedBody(String),
    #[error("Please log in first.")]
    Unauthenticated,
    #[error("That email and password do not match.")]
    InvalidCredentials,
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// Not allowed, for a reason the person should read (403); `code` names it, e.g.
    /// `meetings_closed` when someone takes no meeting requests from the asker.
    #[error("{message}")]
    Refused { code: String, message: String },
    #[error("The request was refused because it came from another site.")]
    CrossSite,
    #[error("{0} not found.")]
    NotFound(String),
    /// Duplicate, full, overlapping (409); `code` names which.
    #[error("{message}")]
    Conflict { code: String, message: String },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("Too many attempts. Please wait a minute and try again.")]
    TooManyAttempts,
    #[error("The service is briefly unavailable. Please try again in a moment.")]
    Unavailable,
    /// The database gave up on a transaction for another one's sake ("try restarting
    /// transaction"); `db::transaction!` runs it again, and only a conflict that lasts
    /// through every retry reaches the caller (503, code `unavailable`).
    #[error("Many people are doing the same at this moment. Please try again.")]
    Contention,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// A server function call that never reached the domain (network, encoding).
    #[error("Could not reach NetEvent: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(name: &str, problem: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(name.to_owned(), problem.into());
        Self::invalid(fields)
    }

    pub fn invalid(fields: FieldErrors) -> Self {
        let message = match fields.len() {
            1 => format!(
                "Please check {}.",
                fields.keys().next().unwrap().replace('_', " ")
            ),
            _ => "Please check the highlighted fields.".to_owned(),
        };
        Self::Validation { message, fields }
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Something that should not happen happened: the cause is logged, the caller is told
    /// only that it went wrong on our side.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(%cause, "internal error");
        #[cfg(not(feature = "ssr"))]
        let _ = cause;
        Self::Internal
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(what.to_owned())
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Validation { .. } | Self::MalformedBody(_) | Self::BadRequest { .. } => 400,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::CrossSite | Self::Refused { .. } => 403,
            Self::NotFound(_) => 404,
            Self::Conflict { .. } => 409,
            Self::TooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::TooManyAttempts => 429,
            Self::Unavailable | Self::Contention => 503,
            Self::Internal | Self::Transport(_) => 500,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Self::Validation { .. } => "invalid_input",
            Self::MalformedBody(_) => "malformed_body",
            Self::BadRequest { code, .. } => code,
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::Refused { code, .. } => code,
            Self::CrossSite => "cross_site_request",
            Self::NotFound(_) => "not_found",
            Self::Conflict { code, .. } => code,
            Self::TooLarge(_) => "too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooManyAttempts => "too_many_attempts",
            Self::Unavailable | Self::Contention => "unavailable",
            Self::Internal => "internal",
            Self::Transport(_) => "transport",
        }
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The problem with one form field, for showing it next to the input.
    pub fn field_error(&self, name: &str) -> Option<String> {
        self.fields().and_then(|f| f.get(name).cloned())
    }

    /// The API.md error body.
    pub fn to_json(&self) -> serde_json::Value {
        let mut error = serde_json::json!({ "code": self.code(), "message": self.to_string() });
        if let Some(fields) = self.fields() {
            error["fields"] = serde_json::json!(fields);
        }
        serde_json::json!({ "error": error })
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::response::{IntoResponse, Response};
    use diesel::result::{DatabaseErrorKind, Error as DieselError};

    impl From<DieselError> for AppError {
        fn from(error: DieselError) -> Self {
            match error {
                DieselError::NotFound => AppError::not_found("Record"),
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    AppError::conflict("duplicate", "That already exists.")
                }
                DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                    AppError::Contention
                }
                DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                    if crate::db::is_contention(info.message()) =>
                {
                    AppError::Contention
                }
                DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
                | DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                    tracing::warn!(%error, "database connection lost");
                    crate::db::note_failure();
                    AppError::Unavailable
                }
                other => {
                    crate::db::note_failure();
                    let text = other.to_string();
                    // mysql_async reports a dropped server as an I/O or driver error in
                    // words only ("Input/output error: Broken pipe (os error 32)", "Connection
                    // reset", "Server disconnected"); the fault test kills MariaDB to see them.
                    // A Galera node cut off from the cluster's majority refuses every
                    // statement with "WSREP has not yet prepared node for application use"
                    // until it is back: unavailable, like a dropped server.
                    const GONE: [&str; 7] = [
                        "WSREP",
                        "onnection",
                        "Input/output",
                        "Io",
                        "Broken pipe",
                        "os error",
                        "disconnected",
                    ];
                    if GONE.iter().any(|sign| text.contains(sign)) {
                        tracing::warn!(error = %text, "database unreachable");
                        AppError::Unavailable
                    } else {
                        tracing::error!(error = %text, "database error");
                        AppError::Internal
                    }
                }
            }
        }
    }

    impl<E: std::error::Error + 'static> From<bb8::RunError<E>> for AppError {
        fn from(error: bb8::RunError<E>) -> Self {
            tracing::warn!(%error, "no database connection available");
            crate::db::note_failure();
            AppError::Unavailable
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status = axum::http::StatusCode::from_u16(self.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, axum::Json(self.to_json())).into_response();
            if matches!(
                self,
                AppError::Unavailable | AppError::Contention | AppError::TooManyAttempts
            ) {
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
            }
            response
        }
    }
}
