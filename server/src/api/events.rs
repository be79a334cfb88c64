use super::extract::{read_image_field, ApiJson, ApiQuery, Id};
use super::ApiErrors;
use crate::AppState;
use app::auth::AuthSession;
use app::domain::Caller;
use app::domain::{
    accounts, attendee_lists, deleted_events, event_page, events, interests, meeting_plan,
    retention, waitlist,
};
use app::error::AppError;
use app::inputs::AttendeeRegistration;
use app::inputs::{EventInput, EventPatch, PageParams};
use app::models::{
    Attendee, Event, MeetingPlan, MeetingPlanInput, Page, Retention, RetentionInput, Tag,
    TagsInput, WaitlistInput, WaitlistPlace, WaitlistSetting,
};
use app::photos::MAX_UPLOAD_BYTES;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
        .routes(routes!(list_attendees))
        .routes(routes!(rsvp, cancel_rsvp))
        .routes(routes!(event_tags, set_event_tags))
        .routes(routes!(event_retention, set_event_retention))
        .routes(routes!(event_meeting_plan, set_event_meeting_plan))
        .routes(routes!(waitlist_setting, set_waitlist, join_waitlist))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_cover, remove_cover))
                // Room for a 5 MB picture plus the multipart framing; the picture is measured.
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
}

#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(ListQuery),
    responses((status = 200, description = "Upcoming public events (unlisted ones never), soonest first", body = Page<Event>), ApiErrors)
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Page<Event>>, AppError> {
    let mut conn = state.pool.get().await?;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    };
    Ok(Json(
        events::list_upcoming(&mut conn, query.q.as_deref(), page).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Words that must each appear in the event's name or location.
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/events",
    tag = "events",
    request_body = EventInput,
    responses((status = 201, description = "Created", body = Event), ApiErrors)
)]
async fn create(
    caller: Caller,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok((
        StatusCode::CREATED,
        Json(events::create(&mut conn, &actor, input).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/events/{id}",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Success", body = Event), ApiErrors)
)]
async fn show(State(state): State<AppState>, Id(id): Id) -> Result<Json<Event>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(events::get(&mut conn, id).await?))
}

#[utoipa::path(
    put,
    path = "/events/{id}",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = EventPatch,
    responses((status = 200, description = "Updated", body = Event), ApiErrors)
)]
async fn update(
    caller: Caller,
    Id(id): Id,
    ApiJson(patch): ApiJson<EventPatch>,
) -> Result<Json<Event>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(events::update(&mut conn, &actor, id, patch).await?))
}

#[utoipa::path(
    delete,
    path = "/events/{id}",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 204, description = "Deleted: hidden at once, restorable for 30 days (POST /organizer/events/{id}/restore), then removed with its attendees; attendees of an event not yet over are mailed 10 minutes later unless it is restored by then"), ApiErrors)
)]
async fn remove(caller: Caller, Id(id): Id) -> Result<StatusCode, AppError> {
    let (actor, mut conn) = caller.open().await?;
    deleted_events::delete(&mut conn, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/events/{id}/cover",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body(content = String, content_type = "multipart/form-data", description = "The field `cover`: JPEG, PNG or WebP, at most 5 MB; its centre is cut to 1200×630"),
    responses((status = 200, description = "The event with its new `cover_image`", body = Event), ApiErrors)
)]
async fn upload_cover(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<Event>, AppError> {
    let (actor, pool) = (caller.actor, caller.pool());
    // Refused before a byte of the body is read: not the organiser, or too many uploads.
    event_page::may_upload_cover(&mut pool.get().await?, &actor, id).await?;
    let bytes = read_image_field(multipart, "cover").await?;
    let event = event_page::set_cover(pool, state.photos.as_ref(), &actor, id, bytes).await?;
    Ok(Json(event))
}

#[utoipa::path(
    delete,
    path = "/events/{id}/cover",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "The event without a cover", body = Event), ApiErrors)
)]
async fn remove_cover(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> Result<Json<Event>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        event_page::remove_cover(&mut conn, state.photos.as_ref(), &actor, id).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AttendeeQuery {
    q: Option<String>,
    sort: Option<String>,
    /// `true`: only those checked in; `false`: only those not yet (organiser and door).
    checked_in: Option<String>,
    /// Only attendees of this organisation.
    organisation: Option<String>,
    /// Only those who offer or look for this interest.
    tag: Option<i32>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/events/{id}/attendees",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id"), AttendeeQuery),
    responses((status = 200, description = "Success", body = Page<Attendee>), ApiErrors)
)]
async fn list_attendees(
    caller: Caller,
    Id(id): Id,
    ApiQuery(query): ApiQuery<AttendeeQuery>,
) -> Result<Json<Page<Attendee>>, AppError> {
    let filter = attendee_lists::AttendeeFilter::parse(
        query.checked_in.as_deref(),
        query.organisation.as_deref(),
    )?
    .with_tag(query.tag);
    let (actor, mut conn) = caller.open().await?;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    };
    Ok(Json(
        attendee_lists::list_for_event(
            &mut conn,
            &actor,
            id,
            query.q.as_deref(),
            attendee_lists::AttendeeSort::parse(query.sort.as_deref()),
            filter,
            page,
        )
        .await?,
    ))
}

/// One-click RSVP with the profile of the attendee logged in (for another event).
#[utoipa::path(
    post,
    path = "/events/{id}/rsvp",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 201, description = "Registered with the profile of the attendee logged in", body = Attendee), ApiErrors)
)]
async fn rsvp(mut auth: AuthSession, Id(id): Id) -> Result<(StatusCode, Json<Attendee>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(accounts::rsvp(&mut auth, id).await?),
    ))
}

#[utoipa::path(
    delete,
    path = "/events/{id}/rsvp",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 204, description = "Registration cancelled"), ApiErrors)
)]
async fn cancel_rsvp(
    State(state): State<AppState>,
    mut auth: AuthSession,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    accounts::cancel_rsvp(&mut auth, state.photos.as_ref(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/events/{id}/tags",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "The event's interests, in the organiser's order (for its organiser, attendees and door staff)", body = Vec<Tag>), ApiErrors)
)]
async fn event_tags(caller: Caller, Id(id): Id) -> Result<Json<Vec<Tag>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(interests::tags(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/events/{id}/tags",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = TagsInput,
    responses((status = 200, description = "Saved (organiser only): a name kept keeps everyone's picks of it; a name left out is deleted with them", body = Vec<Tag>), ApiErrors)
)]
async fn set_event_tags(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<TagsInput>,
) -> Result<Json<Vec<Tag>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        interests::set_tags(&mut conn, &actor, id, input).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/events/{id}/meeting-plan",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "The event's meeting periods, slot length and places to meet (organiser only)", body = MeetingPlan), ApiErrors)
)]
async fn event_meeting_plan(caller: Caller, Id(id): Id) -> Result<Json<MeetingPlan>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(meeting_plan::plan(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/events/{id}/meeting-plan",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = MeetingPlanInput,
    responses((status = 200, description = "Saved (organiser only): the periods are cut into slots of `slot_minutes`; a place whose name is kept keeps its meetings. 409 `plan_in_use` when an accepted meeting holds a place or slot that would go", body = MeetingPlan), ApiErrors)
)]
async fn set_event_meeting_plan(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MeetingPlanInput>,
) -> Result<Json<MeetingPlan>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        meeting_plan::set_plan(&mut conn, &actor, id, input).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/events/{id}/retention",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "How long attendees' personal data is kept after the event (organiser only)", body = Retention), ApiErrors)
)]
async fn event_retention(caller: Caller, Id(id): Id) -> Result<Json<Retention>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(retention::get(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/events/{id}/retention",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = RetentionInput,
    responses((status = 200, description = "Saved: the data is erased that many days after the event ends (0–3650), or kept with null", body = Retention), ApiErrors)
)]
async fn set_event_retention(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RetentionInput>,
) -> Result<Json<Retention>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(retention::put(&mut conn, &actor, id, input).await?))
}

#[utoipa::path(
    get,
    path = "/events/{id}/waitlist",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Whether the waitlist is open and how many wait (organiser only)", body = WaitlistSetting), ApiErrors)
)]
async fn waitlist_setting(caller: Caller, Id(id): Id) -> Result<Json<WaitlistSetting>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(waitlist::setting(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    put,
    path = "/events/{id}/waitlist",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = WaitlistInput,
    responses((status = 200, description = "Opened or closed (those already waiting stay in line)", body = WaitlistSetting), ApiErrors)
)]
async fn set_waitlist(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<WaitlistInput>,
) -> Result<Json<WaitlistSetting>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        waitlist::set(&mut conn, &actor, id, input.enabled).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/events/{id}/waitlist",
    tag = "events",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = AttendeeRegistration,
    responses((status = 201, description = "In line: the place (1 is next). A freed seat makes the first in line an attendee, with the ticket by mail. 409 `waitlist_closed`, `seats_open`, `already_registered`, `already_waitlisted`", body = WaitlistPlace), ApiErrors)
)]
async fn join_waitlist(
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(input): ApiJson<AttendeeRegistration>,
) -> Result<(StatusCode, Json<WaitlistPlace>), AppError> {
    let input = AttendeeRegistration {
        event_id: Some(id),
        event_code: None,
        ..input
    };
    Ok((
        StatusCode::CREATED,
        Json(waitlist::join(&state.pool, input).await?),
    ))
}
