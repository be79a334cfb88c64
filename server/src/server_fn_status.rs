//! Server functions answer every error with 500 (server_fn's `error_response`). This gives
//! such a response the status of the `AppError` it carries (400, 401, 409 …), in one place
//! for every page's server functions. Plain HTML form posts are redirects, not touched.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::response::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// An encoded `AppError` is a few hundred bytes; anything larger is not one.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn use_app_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body, error) = take_app_error(response).await;
    if let Some(error) = error {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, body)
}

/// The `AppError` a server function answered with, read out of its response (`None` when it
/// did not fail); the response comes back whole to be sent on.
pub async fn take_app_error(response: Response) -> (Parts, Body, Option<AppError>) {
    let (parts, body) = response.into_parts();
    if !parts.headers.contains_key(SERVER_FN_ERROR_HEADER) {
        return (parts, body, None);
    }
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "could not read a server function's error");
            return (parts, Body::empty(), None);
        }
    };
    let error = serde_json::from_slice::<AppError>(&bytes).ok();
    (parts, Body::from(bytes), error)
}
