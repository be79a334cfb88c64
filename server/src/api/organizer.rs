use super::extract::{two_ids, ApiJson, ApiQuery, Id};
use super::ApiErrors;
use crate::AppState;
use app::domain::badges::{self, Layout, Selection};
use app::domain::Caller;
use app::domain::{
    attendee_lists, checkin, checkin_lists, deleted_events, registrations, staff, stats,
};
use app::error::AppError;
use app::inputs::{CheckinInput, ListInput, PageParams, StaffInput};
use app::models::{BulkOutcome, EventStats, NameCount};
use app::models::{CheckinList, CheckinResult, DeletedEvent, DoorPerson, Event, Page, StaffAccess};
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(event_stats))
        .routes(routes!(export_attendees))
        .routes(routes!(badge_sheet))
        .routes(routes!(badges_printed))
        .routes(routes!(check_in))
        .routes(routes!(list_lists, create_list))
        .routes(routes!(door_roster))
        .routes(routes!(scanner_page))
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(revoke_staff))
        .routes(routes!(undo_check_in))
        .routes(routes!(cancel_registration))
        .routes(routes!(resend_ticket))
        .routes(routes!(bulk_action))
        .routes(routes!(organisations))
        .routes(routes!(list_deleted))
        .routes(routes!(restore))
}

#[utoipa::path(
    get,
    path = "/organizer/events/deleted",
    tag = "organizer",
    params(PageParams),
    responses((status = 200, description = "My deleted events that can still be restored, the latest deleted first", body = Page<DeletedEvent>), ApiErrors)
)]
async fn list_deleted(
    caller: Caller,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<DeletedEvent>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(deleted_events::list(&mut conn, &actor, page).await?))
}

#[utoipa::path(
    post,
    path = "/organizer/events/{id}/restore",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Restored with its attendees (a live event is answered as it is)", body = Event), ApiErrors)
)]
async fn restore(caller: Caller, Id(id): Id) -> Result<Json<Event>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(deleted_events::restore(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/scan",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 303, description = "To the scanner page, /dashboard/events/{id}/scan"), ApiErrors)
)]
async fn scanner_page(Id(id): Id) -> axum::response::Redirect {
    axum::response::Redirect::to(&format!("/dashboard/events/{id}/scan"))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/stats",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "Success", body = EventStats), ApiErrors)
)]
async fn event_stats(caller: Caller, Id(id): Id) -> Result<Json<EventStats>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(stats::for_event(&mut conn, &actor, id).await?))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/attendees.csv",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "UTF-8 CSV with a BOM", body = String, content_type = "text/csv"), ApiErrors)
)]
async fn export_attendees(caller: Caller, Id(id): Id) -> Result<impl IntoResponse, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let csv = attendee_lists::export_csv(&mut conn, &actor, id).await?;
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BadgeQuery {
    format: Option<String>,
    layout: Option<String>,
    ids: Option<String>,
    only: Option<String>,
}

/// `?format=pdf` → the PDF sheet; otherwise the print-ready HTML view of the same sheet.
/// `layout`, `ids` and `only=not_printed` choose stock and attendees. Reading a sheet
/// records nothing (`POST .../badges/printed` does); the PDF's `X-Badge-Last-Id` names the
/// highest attendee id on it, for the page's "mark as printed".
#[utoipa::path(
    get,
    path = "/organizer/events/{id}/badges",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id"), BadgeQuery),
    responses((status = 200, description = "The PDF (format=pdf) or the print-ready HTML sheet", body = String, content_type = "application/pdf"), ApiErrors)
)]
async fn badge_sheet(
    caller: Caller,
    Id(id): Id,
    ApiQuery(query): ApiQuery<BadgeQuery>,
) -> Result<Response, AppError> {
    let layout = Layout::parse(query.layout.as_deref())?;
    let selection = Selection::parse(query.ids.as_deref(), query.only.as_deref())?;
    let pdf = match query.format.as_deref().map(str::trim) {
        Some("pdf") => true,
        None | Some("") | Some("html") => false,
        Some(_) => return Err(AppError::field("format", "Use format=pdf or format=html.")),
    };
    let (actor, pool) = (caller.actor, caller.pool());
    if !pdf {
        let mut pdf_href = format!(
            "/api/organizer/events/{id}/badges?format=pdf&layout={}",
            layout.name()
        );
        if let Some(ids) = &query.ids {
            pdf_href.push_str(&format!("&ids={}", ids.trim()));
        }
        if selection.not_printed {
            pdf_href.push_str("&only=not_printed");
        }
        let html = badges::print_view(pool, &actor, id, &selection, layout, pdf_href).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response());
    }
    let (event, sheet, ids) = badges::print(pool, &actor, id, &selection, layout).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"badges-{}.pdf\"", event.code),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::HeaderName::from_static("x-badge-count"),
                ids.len().to_string(),
            ),
            (
                header::HeaderName::from_static("x-badge-last-id"),
                ids.iter().max().copied().unwrap_or(0).to_string(),
            ),
        ],
        sheet.bytes,
    )
        .into_response())
}

/// The attendees whose badges came off the printer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct PrintedBadges {
    attendee_ids: Vec<i32>,
}

/// Records a print: the named attendees' badges count as printed (`only=not_printed` leaves
/// them out). All or none: an id of another event is 400.
#[utoipa::path(
    post,
    path = "/organizer/events/{id}/badges/printed",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = PrintedBadges,
    responses((status = 204, description = "Recorded"), ApiErrors)
)]
async fn badges_printed(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<PrintedBadges>,
) -> Result<axum::http::StatusCode, AppError> {
    let (actor, mut conn) = caller.open().await?;
    badges::mark_printed(
        &mut conn,
        &actor,
        id,
        badges::Printed::Ids(input.attendee_ids),
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// A scan at the door; repeating it is harmless.
#[utoipa::path(
    post,
    path = "/organizer/events/{id}/checkins",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = CheckinInput,
    responses((status = 200, description = "Checked in, or the first check-in of a repeated scan", body = CheckinResult), ApiErrors)
)]
async fn check_in(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CheckinInput>,
) -> Result<Json<CheckinResult>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(checkin::check_in(&mut conn, &actor, id, input).await?))
}

/// The event's check-in lists (gates), the default one first.
#[utoipa::path(
    get,
    path = "/organizer/events/{id}/lists",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id"), PageParams),
    responses((status = 200, description = "The event's check-in lists", body = Page<CheckinList>), ApiErrors)
)]
async fn list_lists(
    caller: Caller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<CheckinList>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        checkin_lists::list(&mut conn, &actor, id, page).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/organizer/events/{id}/lists",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = ListInput,
    responses((status = 201, description = "A new check-in list", body = CheckinList), ApiErrors)
)]
async fn create_list(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ListInput>,
) -> Result<(axum::http::StatusCode, Json<CheckinList>), AppError> {
    let (actor, mut conn) = caller.open().await?;
    let list = checkin_lists::create(&mut conn, &actor, id, input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(list)))
}

/// The door's list for scanning offline (`limit` up to 1,000): names and ticket hashes.
#[utoipa::path(
    get,
    path = "/organizer/events/{id}/roster",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id"), PageParams),
    responses((status = 200, description = "The door's list (limit up to 1,000)", body = Page<DoorPerson>), ApiErrors)
)]
async fn door_roster(
    caller: Caller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<DoorPerson>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(checkin::roster(&mut conn, &actor, id, page).await?))
}

#[utoipa::path(
    delete,
    path = "/organizer/events/{id}/checkins/{attendee_id}",
    tag = "organizer",
    params(("id" = i32, Path), ("attendee_id" = i32, Path)),
    responses((status = 204, description = "Check-in undone"), ApiErrors)
)]
async fn undo_check_in(
    caller: Caller,
    Path(ids): Path<(String, String)>,
) -> Result<axum::http::StatusCode, AppError> {
    let (id, attendee_id) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    checkin::undo(&mut conn, &actor, id, attendee_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/organizer/events/{id}/staff",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = StaffInput,
    responses((status = 201, description = "A new staff link", body = StaffAccess), ApiErrors)
)]
async fn create_staff(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<StaffInput>,
) -> Result<(axum::http::StatusCode, Json<StaffAccess>), AppError> {
    let (actor, mut conn) = caller.open().await?;
    let access = staff::create(&mut conn, &actor, id, input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(access)))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/staff",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id"), PageParams),
    responses((status = 200, description = "Success", body = Page<StaffAccess>), ApiErrors)
)]
async fn list_staff(
    caller: Caller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<StaffAccess>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(staff::list(&mut conn, &actor, id, page).await?))
}

#[utoipa::path(
    delete,
    path = "/organizer/events/{id}/staff/{staff_id}",
    tag = "organizer",
    params(("id" = i32, Path), ("staff_id" = i32, Path)),
    responses((status = 204, description = "Revoked"), ApiErrors)
)]
async fn revoke_staff(
    caller: Caller,
    Path(ids): Path<(String, String)>,
) -> Result<axum::http::StatusCode, AppError> {
    let (id, staff_id) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    staff::revoke(&mut conn, &actor, id, staff_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/organizer/events/{id}/attendees/{attendee_id}",
    tag = "organizer",
    params(("id" = i32, Path), ("attendee_id" = i32, Path)),
    responses((status = 204, description = "Registration cancelled: the seat is free, the person is told by mail"), ApiErrors)
)]
async fn cancel_registration(
    caller: Caller,
    Path(ids): Path<(String, String)>,
) -> Result<axum::http::StatusCode, AppError> {
    let (id, attendee_id) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    registrations::cancel(&mut conn, &actor, id, attendee_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/organizer/events/{id}/attendees/{attendee_id}/ticket",
    tag = "organizer",
    params(("id" = i32, Path), ("attendee_id" = i32, Path)),
    responses((status = 202, description = "The ticket mail is queued (once: a mail still waiting is not doubled)"), ApiErrors)
)]
async fn resend_ticket(
    caller: Caller,
    Path(ids): Path<(String, String)>,
) -> Result<axum::http::StatusCode, AppError> {
    let (id, attendee_id) = two_ids(ids)?;
    let (actor, mut conn) = caller.open().await?;
    registrations::resend_ticket(&mut conn, &actor, id, attendee_id).await?;
    Ok(axum::http::StatusCode::ACCEPTED)
}

/// A bulk action on selected attendees of the organiser's table.
#[derive(Deserialize, utoipa::ToSchema)]
struct BulkInput {
    /// `check_in` or `resend_ticket`.
    action: String,
    /// 1 to 100 attendees of this event.
    attendee_ids: Vec<i32>,
}

#[utoipa::path(
    post,
    path = "/organizer/events/{id}/attendees/bulk",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    request_body = BulkInput,
    responses((status = 200, description = "Done for so many; unchanged for those already checked in or with a ticket mail waiting", body = BulkOutcome), ApiErrors)
)]
async fn bulk_action(
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<BulkInput>,
) -> Result<Json<BulkOutcome>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    let ids = &input.attendee_ids;
    let outcome = match input.action.as_str() {
        "check_in" => registrations::check_in_many(&mut conn, &actor, id, ids).await?,
        "resend_ticket" => registrations::resend_tickets(&mut conn, &actor, id, ids).await?,
        _ => {
            return Err(AppError::field(
                "action",
                "The action is check_in or resend_ticket.",
            ))
        }
    };
    Ok(Json(outcome))
}

#[utoipa::path(
    get,
    path = "/organizer/events/{id}/organisations",
    tag = "organizer",
    params(("id" = i32, Path, description = "The record's id")),
    responses((status = 200, description = "The attendees' organisations, most common first (at most 100)", body = Vec<NameCount>), ApiErrors)
)]
async fn organisations(caller: Caller, Id(id): Id) -> Result<Json<Vec<NameCount>>, AppError> {
    let (actor, mut conn) = caller.open().await?;
    Ok(Json(
        attendee_lists::organisations(&mut conn, &actor, id).await?,
    ))
}
