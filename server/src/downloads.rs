//! Files rather than JSON: an event's calendar entry and invite QR code, an attendee's
//! meetings as calendar files, and profile photos.

use crate::api::extract::Id;
use crate::api::ApiErrors;
use crate::calendar::{calendar, meetings_calendar};
use crate::AppState;
use app::domain::{appointments, events, Caller};
use app::error::AppError;
use app::models::Event;
use app::photos::PHOTO_PATH;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/e/{code}/event.ics", get(calendar_entry))
        .route("/e/{code}/qr.svg", get(invite_qr))
        .route(&format!("{PHOTO_PATH}/{{name}}"), get(photo))
        .route("/staff/{token}/qr.svg", get(staff_link_qr))
}

/// `path` on this site, as the visitor reached it.
fn site_url(headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:3000");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        == Some("https");
    format!("{}://{host}{path}", if https { "https" } else { "http" })
}

/// The event's own address.
fn invite_url(headers: &HeaderMap, code: &str) -> String {
    site_url(headers, &format!("/e/{code}"))
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
    Ok(calendar_file(
        &format!("{}.ics", event.code),
        calendar(&event, &url),
    ))
}

async fn invite_qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let (_, url) = find(&state, &headers, &code).await?;
    qr_svg(&url, "public, max-age=3600")
}

/// The staff link as a QR code, for the door phone to scan off the organiser's screen.
async fn staff_link_qr(
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let url = site_url(&headers, &format!("/staff/{token}"));
    qr_svg(&url, "private, no-store")
}

fn qr_svg(url: &str, cache: &'static str) -> Result<impl IntoResponse, AppError> {
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(AppError::internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, cache),
        ],
        svg,
    ))
}

fn calendar_file(filename: &str, body: String) -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
}

/// Every accepted meeting of the attendee logged in, as one calendar file.
#[utoipa::path(
    get,
    path = "/appointments/agenda.ics",
    tag = "appointments",
    responses((status = 200, description = "iCalendar", body = String, content_type = "text/calendar"), ApiErrors)
)]
pub(crate) async fn agenda_calendar(caller: Caller) -> Result<impl IntoResponse, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let meetings = appointments::accepted(&mut conn, &actor).await?;
    let event = events::get(&mut conn, actor.attendee()?.1).await?;
    Ok(calendar_file(
        "netevent-agenda.ics",
        meetings_calendar("My NetEvent meetings", &event.timezone, &meetings),
    ))
}

/// One meeting of the attendee logged in, once accepted.
#[utoipa::path(
    get,
    path = "/appointments/{id}/event.ics",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "iCalendar", body = String, content_type = "text/calendar"), ApiErrors)
)]
pub(crate) async fn appointment_calendar(
    caller: Caller,
    Id(id): Id,
) -> Result<impl IntoResponse, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let meeting = appointments::get(&mut conn, &actor, id).await?;
    if meeting.status != app::models::RequestStatus::Accepted {
        return Err(AppError::conflict(
            "not_accepted",
            "This meeting has not been accepted yet.",
        ));
    }
    let event = events::get(&mut conn, actor.attendee()?.1).await?;
    Ok(calendar_file(
        &format!("meeting-{id}.ics"),
        meetings_calendar(
            "NetEvent meeting",
            &event.timezone,
            std::slice::from_ref(&meeting),
        ),
    ))
}

/// A profile photo. Its name is random and never reused, so it may be cached for good.
async fn photo(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let bytes = state
        .photos
        .get(&name)
        .await?
        .ok_or_else(|| AppError::not_found("Photo"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    ))
}
