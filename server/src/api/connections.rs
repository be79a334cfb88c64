use super::extract::{ApiJson, ApiQuery, Id};
use super::ApiErrors;
use crate::AppState;
use app::domain::connections;
use app::domain::Caller;
use app::error::AppError;
use app::inputs::{ConnectionInput, StatusInput};
use app::models::{Connection, Page};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::StatusFilter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(respond, remove))
}

#[utoipa::path(
    get,
    path = "/connections",
    tag = "connections",
    params(StatusFilter),
    responses((status = 200, description = "Success", body = Page<Connection>), ApiErrors)
)]
async fn list(
    caller: Caller,
    ApiQuery(query): ApiQuery<StatusFilter>,
) -> Result<Json<Page<Connection>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let (status, page) = query.parse()?;
    Ok(Json(
        connections::list_mine(&mut conn, &actor, status, page).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/connections",
    tag = "connections",
    request_body = ConnectionInput,
    responses((status = 201, description = "Requested", body = Connection), ApiErrors)
)]
async fn create(
    caller: Caller,
    ApiJson(input): ApiJson<ConnectionInput>,
) -> Result<(StatusCode, Json<Connection>), AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok((
        StatusCode::CREATED,
        Json(connections::request(&mut conn, &actor, input).await?),
    ))
}

#[utoipa::path(
    put,
    path = "/connections/{id}",
    tag = "connections",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = StatusInput,
    responses((status = 200, description = "Answered", body = Connection), ApiErrors)
)]
async fn respond(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Connection>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        connections::respond(&mut conn, &actor, id, input).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/connections/{id}",
    tag = "connections",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 204, description = "Withdrawn"), ApiErrors)
)]
async fn remove(caller: Caller, Id(id): Id) -> Result<StatusCode, AppError> {
    let (actor, mut conn) = caller.open().await?;
    connections::remove(&mut conn, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
