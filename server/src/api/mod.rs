//! The JSON API of ../shared/spec/API.md: thin handlers over `app::domain`.

mod appointments;
mod attendees;
mod auth;
mod connections;
mod events;
pub mod extract;
mod organizer;

use crate::AppState;
use app::error::AppError;
use app::inputs::PageParams;
use app::models::RequestStatus;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(events::routes())
        .merge(attendees::routes())
        .merge(connections::routes())
        .merge(appointments::routes())
        .merge(organizer::routes())
        .fallback(|| async { AppError::not_found("Endpoint") })
        .method_not_allowed_fallback(|| async {
            AppError::MalformedBody("This endpoint does not take that method.".into())
        })
}

/// `?status=pending|accepted|rejected&limit=&offset=` of the connection and meeting lists.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatusFilter {
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

impl StatusFilter {
    fn parse(&self) -> Result<(Option<RequestStatus>, PageParams), AppError> {
        let status = match self.status.as_deref().filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(raw) => Some(RequestStatus::parse(raw).ok_or_else(|| {
                AppError::field("status", "Filter by pending, accepted or rejected.")
            })?),
        };
        let page = PageParams {
            limit: self.limit,
            offset: self.offset,
        };
        Ok((status, page))
    }
}
