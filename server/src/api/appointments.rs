use super::extract::{ApiJson, ApiQuery, Id};
use super::ApiErrors;
use super::StatusFilter;
use crate::{downloads, AppState};
use app::domain::appointments;
use app::domain::Caller;
use app::error::AppError;
use app::inputs::{AppointmentInput, StatusInput};
use app::models::{Appointment, Page};
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
    caller: Caller,
    ApiQuery(query): ApiQuery<StatusFilter>,
) -> Result<Json<Page<Appointment>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let (status, page) = query.parse()?;
    Ok(Json(
        appointments::list_mine(&mut conn, &actor, status, page).await?,
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
    caller: Caller,
    ApiJson(input): ApiJson<AppointmentInput>,
) -> Result<(StatusCode, Json<Appointment>), AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok((
        StatusCode::CREATED,
        Json(appointments::request(&mut conn, &actor, input).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/appointments/{id}",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Success", body = Appointment), ApiErrors)
)]
async fn show(caller: Caller, Id(id): Id) -> Result<Json<Appointment>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(appointments::get(&mut conn, &actor, id).await?))
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
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Appointment>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        appointments::respond(&mut conn, &actor, id, input).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/appointments/{id}",
    tag = "appointments",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 204, description = "Cancelled"), ApiErrors)
)]
async fn cancel(caller: Caller, Id(id): Id) -> Result<StatusCode, AppError> {
    let (actor, mut conn) = caller.open().await?;
    appointments::cancel(&mut conn, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
