//! A page's form posted before the app's script ran arrives as a plain HTML form post to its
//! server function (`Accept: text/html`), which leptos_axum answers with a redirect back to
//! the page, error or not (with the error in the address). When the function failed, this sends along the error and what
//! was typed (never a password) in a one-minute cookie, so the page comes back with its
//! errors shown and its values kept (`app::form_flash`).

use app::error::AppError;
use app::form_flash::{FormFlash, COOKIE};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::ServerFnUrlError;

/// A form's fields are a few KB; the server function refuses what it cannot read anyway.
const MAX_FORM: usize = 64 * 1024;

fn is_plain_form_post(request: &Request) -> bool {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    request.method() == axum::http::Method::POST
        && request.uri().path().starts_with("/rpc/")
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
}

pub async fn keep_failed_forms(request: Request, next: Next) -> Response {
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        return AppError::TooLarge("This form is too large.".into()).into_response();
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (mut parts, body, error) = crate::server_fn_status::take_app_error(response).await;
    if let Some(error) = error {
        let flash = FormFlash::new(&path, error, fields);
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax",
            flash.encode()
        );
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            parts.headers.append(header::SET_COOKIE, cookie);
        }
        // server_fn also puts the error in the address (`__path`, `__err`); the cookie
        // carries it, so the page's address stays as it was.
        let location = parts
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok());
        if let Some(mut location) = location.map(str::to_owned) {
            ServerFnUrlError::<AppError>::strip_error_info(&mut location);
            if location.ends_with('?') {
                location.pop();
            }
            if let Ok(location) = HeaderValue::from_str(&location) {
                parts.headers.insert(header::LOCATION, location);
            }
        }
    }
    Response::from_parts(parts, body)
}
