//! The JSON API of ../shared/spec/API.md: thin handlers over `app::domain`.

mod auth;
mod events;
pub mod extract;
mod organizer;

use crate::AppState;
use app::error::AppError;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(events::routes())
        .merge(organizer::routes())
        .fallback(|| async { AppError::not_found("Endpoint") })
        .method_not_allowed_fallback(|| async {
            AppError::MalformedBody("This endpoint does not take that method.".into())
        })
}
