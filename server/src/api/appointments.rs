use super::extract::{ApiJson, ApiQuery, Id};
use super::StatusFilter;
use crate::{downloads, AppState};
use app::auth::AuthSession;
use app::domain::{accounts::actor, appointments};
use app::error::AppError;
use app::inputs::{AppointmentInput, StatusInput};
use app::models::{Appointment, Page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appointments", get(list).post(create))
        .route("/appointments/{id}", get(show).put(respond).delete(cancel))
        .route("/appointments/agenda.ics", get(downloads::agenda_calendar))
        .route(
            "/appointments/{id}/event.ics",
            get(downloads::appointment_calendar),
        )
}

async fn list(
    State(state): State<AppState>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<StatusFilter>,
) -> Result<Json<Page<Appointment>>, AppError> {
    let mut conn = state.pool.get().await?;
    let (status, page) = query.parse()?;
    Ok(Json(
        appointments::list_mine(&mut conn, &actor(&auth), status, page).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    ApiJson(input): ApiJson<AppointmentInput>,
) -> Result<(StatusCode, Json<Appointment>), AppError> {
    let mut conn = state.pool.get().await?;
    Ok((
        StatusCode::CREATED,
        Json(appointments::request(&mut conn, &actor(&auth), input).await?),
    ))
}

async fn show(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<Json<Appointment>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(appointments::get(&mut conn, &actor(&auth), id).await?))
}

async fn respond(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Appointment>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(
        appointments::respond(&mut conn, &actor(&auth), id, input).await?,
    ))
}

async fn cancel(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    let mut conn = state.pool.get().await?;
    appointments::cancel(&mut conn, &actor(&auth), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
