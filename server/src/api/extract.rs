//! Extractors whose rejections answer in the API.md error shape.

use app::error::AppError;
use app::photos::MAX_UPLOAD_BYTES;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
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

/// The bytes of the multipart field `name` (an image), refusing more than 5 MB as they arrive.
pub async fn read_image_field(
    multipart: Result<Multipart, MultipartRejection>,
    name: &str,
) -> Result<Vec<u8>, AppError> {
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType(format!(
            "Send the image as multipart/form-data in the field \"{name}\"."
        ))
    })?;
    let too_large = app::photos::too_large;
    let read_error = |error: axum::extract::multipart::MultipartError| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::MalformedBody(format!(
                "The upload could not be read: {}.",
                error.body_text()
            ))
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(read_error)? {
        if field.name() != Some(name) {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(read_error)? {
            if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(AppError::field(
        name,
        format!("Send the image as the multipart field \"{name}\"."),
    ))
}

/// Two numeric ids from the path; anything else names nothing (404).
pub fn two_ids((a, b): (String, String)) -> Result<(i32, i32), AppError> {
    let parse = |raw: String| {
        raw.parse::<i32>()
            .map_err(|_| AppError::not_found("Resource"))
    };
    Ok((parse(a)?, parse(b)?))
}
