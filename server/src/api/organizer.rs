use super::extract::Id;
use crate::AppState;
use app::auth::AuthSession;
use app::domain::{accounts::actor, attendees, stats};
use app::error::AppError;
use app::models::EventStats;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organizer/events/{id}/stats", get(event_stats))
        .route(
            "/organizer/events/{id}/attendees.csv",
            get(export_attendees),
        )
}

async fn event_stats(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<Json<EventStats>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(stats::for_event(&mut conn, &actor(&auth), id).await?))
}

async fn export_attendees(
    State(state): State<AppState>,
    auth: AuthSession,
    Id(id): Id,
) -> Result<impl IntoResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let csv = attendees::export_csv(&mut conn, &actor(&auth), id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attendees-event-{id}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    ))
}
