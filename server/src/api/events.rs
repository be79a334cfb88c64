use super::extract::{ApiJson, ApiQuery, Id};
use crate::AppState;
use app::auth::AuthSession;
use app::domain::{accounts, accounts::actor, attendees, events};
use app::error::AppError;
use app::inputs::{EventInput, EventPatch, PageParams};
use app::models::{Attendee, Event, Page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(list).post(create))
        .route("/events/{id}", get(show).put(update).delete(remove))
        .route("/events/{id}/attendees", get(list_attendees))
        .route("/events/{id}/rsvp", post(rsvp).delete(cancel_rsvp))
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<Event>>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(events::list_upcoming(&mut conn, page).await?))
}

async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    let mut conn = state.pool.get().await?;
    Ok((
        StatusCode::CREATED,
        Json(events::create(&mut conn, &actor(&auth), input).await?),
    ))
}

async fn show(State(state): State<AppState>, Id(id): Id) -> Result<Json<Event>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(events::get(&mut conn, id).await?))
}

async fn update(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
    ApiJson(patch): ApiJson<EventPatch>,
) -> Result<Json<Event>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(
        events::update(&mut conn, &actor(&auth), id, patch).await?,
    ))
}

async fn remove(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    let mut conn = state.pool.get().await?;
    events::delete(&mut conn, &actor(&auth), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
struct AttendeeQuery {
    q: Option<String>,
    sort: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_attendees(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
    ApiQuery(query): ApiQuery<AttendeeQuery>,
) -> Result<Json<Page<Attendee>>, AppError> {
    let mut conn = state.pool.get().await?;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    };
    Ok(Json(
        attendees::list_for_event(
            &mut conn,
            &actor(&auth),
            id,
            query.q.as_deref(),
            attendees::AttendeeSort::parse(query.sort.as_deref()),
            page,
        )
        .await?,
    ))
}

/// One-click RSVP with the profile of the attendee logged in (for another event).
async fn rsvp(mut auth: AuthSession, Id(id): Id) -> Result<(StatusCode, Json<Attendee>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::rsvp(&mut auth, id).await?),
    ))
}

async fn cancel_rsvp(mut auth: AuthSession, Id(id): Id) -> Result<StatusCode, AppError> {
    accounts::cancel_rsvp(&mut auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
