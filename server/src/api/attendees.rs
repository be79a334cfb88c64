use super::extract::{read_image_field, two_ids, ApiJson, ApiQuery, Id};
use super::ApiErrors;
use crate::AppState;
use app::domain::Caller;
use app::domain::{
    attendee_lists, attendees, badges, blocks, interests, meeting_slots, my_data, privacy,
};
use app::error::AppError;
use app::inputs::{PageParams, ProfilePatch};
use app::models::{
    Attendee, BadgeChoice, BlockedPerson, InterestsInput, MeetingSlot, MyBadge, MyInterests, Page,
    Privacy, PrivacyPatch, Suggestion,
};
use app::photos::MAX_UPLOAD_BYTES;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(show, update))
        .routes(routes!(badge, choose_badge))
        .routes(routes!(privacy_settings, set_privacy))
        .routes(routes!(blocked))
        .routes(routes!(my_interests, set_interests))
        .routes(routes!(recommendations))
        .routes(routes!(meeting_slots))
        .routes(routes!(export))
        .routes(routes!(block, unblock))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_photo))
                // Room for a 5 MB photo plus the multipart framing; the photo itself is measured.
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    q: Option<String>,
    event_id: Option<i32>,
    /// Only those who offer or look for this interest (`GET /api/events/<id>/tags`).
    tag: Option<i32>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/attendees",
    tag = "attendees",
    params(SearchQuery),
    responses((status = 200, description = "Success", body = Page<Attendee>), ApiErrors)
)]
async fn search(
    caller: Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Page<Attendee>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    };
    Ok(Json(
        attendee_lists::search(
            &mut conn,
            &actor,
            query.event_id,
            query.q.as_deref(),
            query.tag,
            page,
        )
        .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Success", body = Attendee), ApiErrors)
)]
async fn show(caller: Caller, Id(id): Id) -> Result<Json<Attendee>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(attendees::get(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = ProfilePatch,
    responses((status = 200, description = "Updated", body = Attendee), ApiErrors)
)]
async fn update(
    caller: Caller,
    Id(id): Id,
    ApiJson(patch): ApiJson<ProfilePatch>,
) -> Result<Json<Attendee>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        attendees::update_profile(&mut conn, &actor, id, patch).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/badge",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "My badge as it will print (HTML of its size) and what it shows", body = MyBadge), ApiErrors)
)]
async fn badge(caller: Caller, Id(id): Id) -> Result<Json<MyBadge>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(badges::mine(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}/badge",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = BadgeChoice,
    responses((status = 200, description = "Saved: the badge as it now prints", body = MyBadge), ApiErrors)
)]
async fn choose_badge(
    caller: Caller,
    Id(id): Id,
    ApiJson(choice): ApiJson<BadgeChoice>,
) -> Result<Json<MyBadge>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(badges::choose(&mut conn, &actor, id, choice).await?))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/privacy",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Whether I am hidden from the directory, who may ask me for meetings", body = Privacy), ApiErrors)
)]
async fn privacy_settings(caller: Caller, Id(id): Id) -> Result<Json<Privacy>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(privacy::get(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}/privacy",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = PrivacyPatch,
    responses((status = 200, description = "Saved", body = Privacy), ApiErrors)
)]
async fn set_privacy(
    caller: Caller,
    Id(id): Id,
    ApiJson(settings): ApiJson<PrivacyPatch>,
) -> Result<Json<Privacy>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(privacy::put(&mut conn, &actor, id, settings).await?))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/blocks",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id"), PageParams),
    responses((status = 200, description = "Whom I blocked, newest first", body = Page<BlockedPerson>), ApiErrors)
)]
async fn blocked(
    caller: Caller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<BlockedPerson>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(blocks::list(&mut conn, &actor, id, page).await?))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/interests",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "What I offer and look for, and the event's interests to choose from", body = MyInterests), ApiErrors)
)]
async fn my_interests(caller: Caller, Id(id): Id) -> Result<Json<MyInterests>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(interests::mine(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}/interests",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = InterestsInput,
    responses((status = 200, description = "Saved: each list replaces what was there", body = MyInterests), ApiErrors)
)]
async fn set_interests(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<InterestsInput>,
) -> Result<Json<MyInterests>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        interests::set_mine(&mut conn, &actor, id, input).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/attendees/recommendations",
    tag = "attendees",
    params(PageParams),
    responses((status = 200, description = "People to meet, best first, each with the reason: complementary interests, then shared ones; not my connections, not hidden or blocked people", body = Page<Suggestion>), ApiErrors)
)]
async fn recommendations(
    caller: Caller,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<Suggestion>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        interests::recommendations(&mut conn, &actor, page).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/meeting-slots",
    tag = "attendees",
    params(("id" = i32, Path, description = "The attendee to meet"), PageParams),
    responses((status = 200, description = "The slots of the event's meeting plan, from now on, in which both of us are free and a place is free; empty when the event has no meeting periods", body = Page<MeetingSlot>), ApiErrors)
)]
async fn meeting_slots(
    caller: Caller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<MeetingSlot>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        meeting_slots::free_with(&mut conn, &actor, id, page).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/attendees/{id}/export",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Everything NetEvent holds about me, as a JSON download with my photo inside", body = serde_json::Value), ApiErrors)
)]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> Result<impl axum::response::IntoResponse, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let (file_name, data) = my_data::export(&mut conn, state.photos.as_ref(), &actor, id).await?;
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_owned(),
            ),
        ],
        Json(data),
    ))
}

#[utoipa::path(
    put,
    path = "/attendees/{id}/blocks/{attendee_id}",
    tag = "attendees",
    params(("id" = i32, Path, description = "My record's id"), ("attendee_id" = i32, Path, description = "Whom I block")),
    responses((status = 204, description = "Blocked: neither of us finds the other or may ask them anything; our connection and meetings are gone"), ApiErrors)
)]
async fn block(caller: Caller, Path(ids): Path<(String, String)>) -> Result<StatusCode, AppError> {
    let (id, other) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    blocks::block(&mut conn, &actor, id, other).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/attendees/{id}/blocks/{attendee_id}",
    tag = "attendees",
    params(("id" = i32, Path, description = "My record's id"), ("attendee_id" = i32, Path, description = "Whom I unblock")),
    responses((status = 204, description = "Unblocked (what the block took away does not come back)"), ApiErrors)
)]
async fn unblock(
    caller: Caller,
    Path(ids): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let (id, other) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    blocks::unblock(&mut conn, &actor, id, other).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/attendees/{id}/photo",
    tag = "attendees",
    params(("id" = i32, Path, description = "The record's id")),
    request_body(content = String, content_type = "multipart/form-data", description = "The field `photo`: JPEG, PNG or WebP, at most 5 MB"),
    responses((status = 200, description = "{profile_picture}", body = serde_json::Value), ApiErrors)
)]
async fn upload_photo(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (actor, pool) = (caller.actor, caller.pool());
    // Refused before a byte of the body is read: someone else's profile, or too many uploads.
    attendees::may_upload_photo(&mut pool.get().await?, &actor, id).await?;
    let bytes = read_image_field(multipart, "photo").await?;
    // The upload streams in from a phone with no database connection held.
    let address = attendees::set_photo(pool, state.photos.as_ref(), &actor, id, bytes).await?;
    Ok(Json(serde_json::json!({ "profile_picture": address })))
}
