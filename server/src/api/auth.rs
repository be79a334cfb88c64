use super::extract::ApiJson;
use app::auth::AuthSession;
use app::domain::accounts::{self, Role};
use app::error::AppError;
use app::inputs::{AttendeeRegistration, LoginInput, OrganizerRegistration};
use app::models::{Attendee, Me, Organizer};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn routes() -> Router<crate::AppState> {
    Router::new()
        .route("/auth/organizer/register", post(register_organizer))
        .route("/auth/organizer/login", post(login_organizer))
        .route("/auth/attendee/register", post(register_attendee))
        .route("/auth/attendee/login", post(login_attendee))
        .route("/auth/staff/login", post(login_staff))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

async fn register_organizer(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<OrganizerRegistration>,
) -> Result<(StatusCode, Json<Organizer>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::register_organizer(&mut auth, input).await?),
    ))
}

async fn login_organizer(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(
        accounts::login(&mut auth, Role::Organizer, input).await?,
    ))
}

async fn register_attendee(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<AttendeeRegistration>,
) -> Result<(StatusCode, Json<Attendee>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::register_attendee(&mut auth, input).await?),
    ))
}

async fn login_attendee(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(
        accounts::login(&mut auth, Role::Attendee, input).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct StaffLogin {
    token: String,
}

/// Opens a staff link's session (the link's token in the body).
async fn login_staff(
    mut auth: AuthSession,
    ApiJson(input): ApiJson<StaffLogin>,
) -> Result<Json<Me>, AppError> {
    Ok(Json(accounts::staff_login(&mut auth, &input.token).await?))
}

async fn logout(mut auth: AuthSession) -> Result<StatusCode, AppError> {
    accounts::logout(&mut auth).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(auth: AuthSession) -> Result<Json<Me>, AppError> {
    Ok(Json(accounts::me(&auth).await?))
}
