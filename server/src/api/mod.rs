//! The JSON API of ../shared/spec/API.md: thin handlers over `app::domain`.

mod appointments;
mod attendees;
mod auth;
mod connections;
mod events;
pub mod extract;
mod mail;
mod organizer;

use crate::AppState;
use app::error::AppError;
use app::inputs::PageParams;
use app::models::RequestStatus;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NetEvent API",
        description = "The JSON API of NetEvent (API.md). Log in through /auth/*; the session cookie `netevent_session` carries who you are. Errors answer {\"error\": {\"code\", \"message\", \"fields\"?}}."
    ),
    servers((url = "/api")),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The API.md error body.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorDetail {
    /// snake_case, e.g. `not_found`, `invalid_input`, `event_full`.
    code: String,
    /// A sentence for a person.
    message: String,
    /// What is wrong with each field, for `invalid_input` only.
    fields: Option<BTreeMap<String, String>>,
}

/// The error answers every operation may give.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ApiErrors {
    /// Refused (400, 401, 403, 404, 409, 413, 415, 429), in the API.md error shape.
    #[response(status = "4XX")]
    Refused(ErrorBody),
    /// The database is unreachable or the request took too long (503, with Retry-After).
    #[response(status = "5XX")]
    Unavailable(ErrorBody),
}

/// Every handler of the API with its OpenAPI description: routes and document come from the
/// same annotations, so they cannot drift apart.
fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(events::routes())
        .merge(attendees::routes())
        .merge(connections::routes())
        .merge(appointments::routes())
        .merge(organizer::routes())
        .merge(mail::routes())
}

/// The OpenAPI document served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().into_openapi()
}

pub fn router() -> Router<AppState> {
    let (router, document) = documented().split_for_parts();
    let document = std::sync::Arc::new(document.to_json().unwrap_or_default());
    router
        .route(
            "/openapi.json",
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    document.as_ref().clone(),
                )
            }),
        )
        .fallback(|| async { AppError::not_found("Endpoint") })
        .method_not_allowed_fallback(|| async {
            AppError::MalformedBody("This endpoint does not take that method.".into())
        })
}

/// `?status=pending|accepted|rejected&limit=&offset=` of the connection and meeting lists.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
