use super::extract::{ApiJson, ApiQuery, Id};
use crate::AppState;
use app::auth::AuthSession;
use app::domain::{accounts::actor, connections};
use app::error::AppError;
use app::inputs::{ConnectionInput, StatusInput};
use app::models::{Connection, Page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};

use super::StatusFilter;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connections", get(list).post(create))
        .route("/connections/{id}", put(respond).delete(remove))
}

async fn list(
    State(state): State<AppState>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<StatusFilter>,
) -> Result<Json<Page<Connection>>, AppError> {
    let mut conn = state.pool.get().await?;
    let (status, page) = query.parse()?;
    Ok(Json(
        connections::list_mine(&mut conn, &actor(&auth), status, page).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    ApiJson(input): ApiJson<ConnectionInput>,
) -> Result<(StatusCode, Json<Connection>), AppError> {
    let mut conn = state.pool.get().await?;
    Ok((
        StatusCode::CREATED,
        Json(connections::request(&mut conn, &actor(&auth), input).await?),
    ))
}

async fn respond(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Connection>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(
        connections::respond(&mut conn, &actor(&auth), id, input).await?,
    ))
}

async fn remove(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    let mut conn = state.pool.get().await?;
    connections::remove(&mut conn, &actor(&auth), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
