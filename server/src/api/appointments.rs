use super::extract::{ApiJson, ApiQuery, Id};
use super::ApiErrors;
use super::StatusFilter;
use crate::{downloads, AppState};
use app::auth::AuthSession;
use app::domain::{accounts::actor, appointments};
use app::error::AppError;
use app::inputs::{AppointmentInput, StatusInput};
use app::models::{Appointment, Page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, respond, cancel))
        .routes(routes!(downloads::agenda_calendar))
        .routes(routes!(downloads::appointment_calendar))
}

#[utoipa::path(
    get,
    path = "/appointments",
    tag = "appointments",
    params(StatusFilter),
    responses((status = 200, description = "Success", body = Page<Appointment>), ApiErrors)
)]
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

#[utoipa::path(
    post,
    path = "/appointments",
    tag = "appointments",
    request_body = AppointmentInput,
    responses((status = 201, description = "Requested", body = Appointment), ApiErrors)
)]
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

#[utoipa::path(
    get,
    path = "/appointments/{id}",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Success", body = Appointment), ApiErrors)
)]
async fn show(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<Json<Appointment>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(appointments::get(&mut conn, &actor(&auth), id).await?))
}

#[utoipa::path(
    put,
    path = "/appointments/{id}",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = StatusInput,
    responses((status = 200, description = "Answered", body = Appointment), ApiErrors)
)]
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

#[utoipa::path(
    delete,
    path = "/appointments/{id}",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 204, description = "Cancelled"), ApiErrors)
)]
async fn cancel(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    let mut conn = state.pool.get().await?;
    appointments::cancel(&mut conn, &actor(&auth), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
