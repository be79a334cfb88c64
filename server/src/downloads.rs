//! Public files of an event page: the calendar entry and the QR code of the invite link.

use crate::AppState;
use app::domain::events;
use app::error::AppError;
use app::models::Event;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use icalendar::{Calendar, Component, EventLike};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/e/{code}/event.ics", get(calendar_entry))
        .route("/e/{code}/qr.svg", get(invite_qr))
}

/// The event's own address as the visitor reached this server.
fn invite_url(headers: &HeaderMap, code: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:3000");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        == Some("https");
    format!("{}://{host}/e/{code}", if https { "https" } else { "http" })
}

/// The event of `code` and its invite URL.
async fn find(
    state: &AppState,
    headers: &HeaderMap,
    code: &str,
) -> Result<(Event, String), AppError> {
    let mut conn = state.pool.get().await?;
    let event = events::get_by_code(&mut conn, code).await?;
    let url = invite_url(headers, &event.code);
    Ok((event, url))
}

async fn calendar_entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let (event, url) = find(&state, &headers, &code).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.ics\"", event.code),
            ),
        ],
        calendar(&event, &url),
    ))
}

/// One VEVENT in event-local ("floating") time, as the event's times are kept.
pub fn calendar(event: &Event, url: &str) -> String {
    let mut entry = icalendar::Event::new();
    entry
        .uid(&format!("event-{}@netevent", event.code))
        .summary(&event.name)
        .starts(event.start_time)
        .ends(event.end_time)
        .url(url)
        .description(
            &format!("{}\n\n{url}", event.description.as_deref().unwrap_or(""))
                .trim()
                .to_owned(),
        );
    if let Some(location) = &event.location {
        entry.location(location);
    }
    Calendar::new()
        .name(&event.name)
        .push(entry.done())
        .done()
        .to_string()
}

async fn invite_qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let (_, url) = find(&state, &headers, &code).await?;
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    ))
}
