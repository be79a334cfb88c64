//! Mail-related endpoints of API.md's "Field-ready additions": password reset, an attendee's
//! notification switches, one-click unsubscribe, and the organiser's view of undelivered mail.

use super::extract::{ApiJson, ApiPath, Id};
use super::ApiErrors;
use crate::AppState;
use app::domain::Caller;
use app::domain::{notifications, outbox, password_reset};
use app::error::AppError;
use app::inputs::{NotificationPatch, PasswordResetConfirm, PasswordResetRequest};
use app::models::{MailDelivery, NotificationSettings};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(notification_settings, set_notifications))
        .routes(routes!(unsubscribe_page, unsubscribe))
        .routes(routes!(delivery))
}

#[utoipa::path(
    post,
    path = "/auth/password-reset",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses((status = 202, description = "A link is on its way if the account exists (the same answer either way)", body = serde_json::Value), ApiErrors)
)]
async fn request_reset(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    let role = password_reset::parse_role(&input.role)?;
    password_reset::request(&state.pool, role, &input.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({
            "message": "If an account has this email, a link to reset its password is on its way."
        })),
    ))
}

#[utoipa::path(
    post,
    path = "/auth/password-reset/confirm",
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses((status = 204, description = "Password set; every session of the account has ended"), ApiErrors)
)]
async fn confirm_reset(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PasswordResetConfirm>,
) -> Result<StatusCode, AppError> {
    password_reset::confirm(&state.pool, &input.token, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/notifications",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Which mails this attendee gets", body = NotificationSettings), ApiErrors)
)]
async fn notification_settings(
    caller: Caller,
    Id(id): Id,
) -> Result<Json<NotificationSettings>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(notifications::get(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}/notifications",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = NotificationPatch,
    responses((status = 200, description = "The switches now", body = NotificationSettings), ApiErrors)
)]
async fn set_notifications(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<NotificationPatch>,
) -> Result<Json<NotificationSettings>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        notifications::put(&mut conn, &actor, id, input).await?,
    ))
}

/// Opened in a browser from a mail's footer: asks before changing anything (a GET never
/// does), with a button that makes the same POST a mail program's one-click sends.
#[utoipa::path(
    get,
    path = "/unsubscribe/{attendee_id}/{what}/{signature}",
    tag = "attendees",
    params(
        ("attendee_id" = i32, Path, description = "The registration"),
        ("what" = String, Path, description = "connection_requests, meeting_requests, meeting_updates, reminders or all"),
        ("signature" = String, Path, description = "The link's signature"),
    ),
    responses((status = 200, description = "A page with an Unsubscribe button", body = String, content_type = "text/html"), ApiErrors)
)]
async fn unsubscribe_page(
    State(state): State<AppState>,
    ApiPath((attendee_id, what, signature)): ApiPath<(i32, String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let what = notifications::Unsubscribe::parse(&what)
        .ok_or_else(|| AppError::not_found("Unsubscribe link"))?;
    let label = describe(what);
    let action = app::badge_html::escape(&format!(
        "/api/unsubscribe/{attendee_id}/{}/{signature}",
        what.as_str()
    ));
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
             <title>Unsubscribe · NetEvent</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
             <body><main class=\"container\"><section class=\"card narrow\"><h1>Unsubscribe</h1>\
             <p>Stop mails about {label}? You can turn them on again in your settings.</p>\
             <form method=\"post\" action=\"{action}\"><button type=\"submit\" class=\"button\">Unsubscribe</button></form>\
             </section></main></body></html>",
            css = state.assets.css,
        )),
    ))
}

fn describe(what: notifications::Unsubscribe) -> &'static str {
    use app::domain::outbox::Preference;
    match what {
        notifications::Unsubscribe::All => "this event (requests, meeting updates and reminders)",
        notifications::Unsubscribe::One(Preference::ConnectionRequests) => "connection requests",
        notifications::Unsubscribe::One(Preference::MeetingRequests) => "meeting requests",
        notifications::Unsubscribe::One(Preference::MeetingUpdates) => {
            "answers to your meeting requests"
        }
        notifications::Unsubscribe::One(Preference::Reminders) => "meeting reminders",
    }
}

/// RFC 8058 one-click unsubscribe: no login, the signed link is the proof.
#[utoipa::path(
    post,
    path = "/unsubscribe/{attendee_id}/{what}/{signature}",
    tag = "attendees",
    params(
        ("attendee_id" = i32, Path, description = "The registration"),
        ("what" = String, Path, description = "connection_requests, meeting_requests, meeting_updates, reminders or all"),
        ("signature" = String, Path, description = "The link's signature"),
    ),
    responses((status = 200, description = "That kind of mail is off", body = serde_json::Value), ApiErrors)
)]
async fn unsubscribe(
    State(state): State<AppState>,
    ApiPath((attendee_id, what, signature)): ApiPath<(i32, String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let what = notifications::unsubscribe(&mut conn, attendee_id, &what, &signature).await?;
    Ok(Json(serde_json::json!({
        "unsubscribed": what.as_str(),
        "message": format!("You will get no more mail about {}.", describe(what)),
    })))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/mail",
    tag = "organizer",
    params(("id" = i32, Path, description = "The event's id")),
    responses((status = 200, description = "Mail sent, waiting and given up on for this event", body = MailDelivery), ApiErrors)
)]
async fn delivery(caller: Caller, Id(id): Id) -> Result<Json<MailDelivery>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(outbox::delivery(&mut conn, &actor, id).await?))
}
