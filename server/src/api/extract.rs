//! Extractors whose rejections answer in the API.md error shape.

use app::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;

/// A JSON body. Invalid JSON or wrong types are 400; a non-JSON content type is 415.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        if let Some(content_type) = content_type {
            if !content_type.contains("json") {
                return Err(AppError::UnsupportedMediaType(
                    "Send the body as JSON (Content-Type: application/json).".into(),
                ));
            }
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge("The request body is too large.".into())
                } else {
                    AppError::MalformedBody("The request body could not be read.".into())
                }
            })?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
            Bytes::from_static(b"{}")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            AppError::MalformedBody(format!(
                "The request body is not valid JSON for this endpoint: {e}."
            ))
        })
    }
}

/// Query parameters; unparsable ones are 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e| AppError::field("query", e.body_text()))
    }
}

/// The numeric id in the path; anything else cannot name a record, so it is 404.
pub struct Id(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::not_found("Resource"))?;
        raw.parse()
            .map(Id)
            .map_err(|_| AppError::not_found("Resource"))
    }
}

/// Path parameters of several parts; any that does not parse names nothing: 404.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|_| AppError::not_found("Resource"))
    }
}
