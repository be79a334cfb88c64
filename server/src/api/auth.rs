use super::extract::ApiJson;
use super::ApiErrors;
use crate::AppState;
use app::auth::AuthSession;
use app::domain::accounts::{self, Role};
use app::error::AppError;
use app::inputs::{AttendeeRegistration, LoginInput, OrganizerRegistration};
use app::models::{Attendee, Me, Organizer};
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_organizer))
        .routes(routes!(login_organizer))
        .routes(routes!(register_attendee))
        .routes(routes!(login_attendee))
        .routes(routes!(login_staff))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[utoipa::path(
    post,
    path = "/auth/organizer/register",
    tag = "auth",
    request_body = OrganizerRegistration,
    responses((status = 201, description = "Registered and logged in", body = Organizer), ApiErrors)
)]
async fn register_organizer(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<OrganizerRegistration>,
) -> Result<(StatusCode, Json<Organizer>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::register_organizer(&mut auth, input).await?),
    ))
}

#[utoipa::path(
    post,
    path = "/auth/organizer/login",
    tag = "auth",
    request_body = LoginInput,
    responses((status = 200, description = "Logged in: {role, ...profile}", body = serde_json::Value), ApiErrors)
)]
async fn login_organizer(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(
        accounts::login(&mut auth, Role::Organizer, input).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/auth/attendee/register",
    tag = "auth",
    request_body = AttendeeRegistration,
    responses((status = 201, description = "Registered (the RSVP) and logged in", body = Attendee), ApiErrors)
)]
async fn register_attendee(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<AttendeeRegistration>,
) -> Result<(StatusCode, Json<Attendee>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::register_attendee(&mut auth, input).await?),
    ))
}

#[utoipa::path(
    post,
    path = "/auth/attendee/login",
    tag = "auth",
    request_body = LoginInput,
    responses((status = 200, description = "Logged in: {role, ...profile}", body = serde_json::Value), ApiErrors)
)]
async fn login_attendee(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(
        accounts::login(&mut auth, Role::Attendee, input).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
struct StaffLogin {
    token: String,
}

/// Opens a staff link's session (the link's token in the body). The door link's page posts
/// it as a plain form, which works before its script has loaded: that answer is a redirect
/// to the scanner (or back to the link's page, which says why it does not work).
#[utoipa::path(
    post,
    path = "/auth/staff/login",
    tag = "auth",
    request_body = StaffLogin,
    responses((status = 200, description = "Logged in as check-in staff", body = serde_json::Value), ApiErrors)
)]
async fn login_staff(mut auth: AuthSession, request: Request) -> Result<Response, AppError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        let ApiJson(input) = ApiJson::<StaffLogin>::from_request(request, &()).await?;
        let me = accounts::staff_login(&mut auth, &input.token).await?;
        return Ok(Json(me).into_response());
    }
    let Form(input) = Form::<StaffLogin>::from_request(request, &())
        .await
        .map_err(|e| AppError::MalformedBody(e.body_text()))?;
    let to = match accounts::staff_login(&mut auth, &input.token).await {
        Ok(Me::Staff(staff)) => format!("/dashboard/events/{}/scan", staff.event_id),
        Ok(_) => return Err(AppError::internal("a staff link logged in another role")),
        // Revoked or unknown: its page says so.
        Err(AppError::NotFound(_)) => format!("/staff/{}", path_safe(&input.token)),
        Err(other) => return Err(other),
    };
    Ok(Redirect::to(&to).into_response())
}

/// A token as a path segment: only its hex digits (every real token is hex).
fn path_safe(token: &str) -> String {
    token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(128)
        .collect()
}

#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    responses((status = 204, description = "Logged out"), ApiErrors)
)]
async fn logout(mut auth: AuthSession) -> Result<StatusCode, AppError> {
    accounts::logout(&mut auth).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    responses((status = 200, description = "Who is logged in: {role, ...profile}", body = serde_json::Value), ApiErrors)
)]
async fn me(auth: AuthSession) -> Result<Json<Me>, AppError> {
    Ok(Json(accounts::me(&auth).await?))
}
