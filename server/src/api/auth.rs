use super::extract::ApiJson;
use super::ApiErrors;
use crate::AppState;
use app::auth::AuthSession;
use app::domain::accounts::{self, Role};
use app::error::AppError;
use app::inputs::{AttendeeRegistration, LoginInput, OrganizerRegistration};
use app::models::{Attendee, Me, Organizer};
use axum::http::StatusCode;
use axum::Json;
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

/// Opens a staff link's session (the link's token in the body).
#[utoipa::path(
    post,
    path = "/auth/staff/login",
    tag = "auth",
    request_body = StaffLogin,
    responses((status = 200, description = "Logged in as check-in staff", body = serde_json::Value), ApiErrors)
)]
async fn login_staff(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<StaffLogin>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(accounts::staff_login(&mut auth, &input.token).await?))
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
