//! The door's server functions: the header, the lists a phone may scan into, a scan, the
//! list kept for scanning offline, and the name search with its check-in by hand.

use crate::error::AppError;
use crate::models::{
    Attendee, CheckinList, CheckinResult, DoorDirection, DoorHeader, DoorPerson, Page,
};
use leptos::prelude::*;

#[server(prefix = "/rpc")]
/// The event's name and, for the organiser and supervisors, (checked in, registered).
pub async fn door(event_id: i32) -> Result<DoorHeader, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::door(&mut conn, &actor, event_id).await
}

/// The lists this door phone may scan into: only its own for a link bound to one.
#[server(prefix = "/rpc")]
pub async fn door_lists(event_id: i32) -> Result<Vec<CheckinList>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin_lists::for_door(&mut conn, &actor, event_id).await
}

/// A scan; `scanned_at` (RFC 3339) when it was made offline and is synced now; through
/// `list_id` (else the link's list or the default) in `direction` (else in). An empty token
/// with `attendee_id` is a check-in by hand queued offline. `anyway`: see `CheckinInput`.
#[server(prefix = "/rpc")]
pub async fn scan_ticket(
    event_id: i32,
    token: String,
    scanned_at: Option<String>,
    list_id: Option<i32>,
    direction: Option<DoorDirection>,
    attendee_id: Option<i32>,
    anyway: Option<bool>,
) -> Result<CheckinResult, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let device = if scanned_at.is_some() {
        "scanner (offline)"
    } else {
        "scanner"
    };
    let input = crate::inputs::CheckinInput {
        token,
        scanned_at,
        device: Some(device.into()),
        attendee_id,
        list_id,
        direction: direction.map(|d| d.as_str().to_owned()),
        anyway,
    };
    crate::domain::checkin::check_in(&mut conn, &actor, event_id, input).await
}

/// One page of the list the phone keeps for scanning offline.
#[server(prefix = "/rpc")]
pub async fn door_roster(event_id: i32, offset: i64) -> Result<Page<DoorPerson>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: None,
        offset: Some(offset),
    };
    crate::domain::checkin::roster(&mut conn, &actor, event_id, page).await
}

#[server(prefix = "/rpc")]
pub async fn check_in_person(event_id: i32, attendee_id: i32) -> Result<CheckinResult, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::check_in_by_id(&mut conn, &actor, event_id, attendee_id).await
}

#[server(prefix = "/rpc")]
pub async fn find_at_door(event_id: i32, q: String) -> Result<Page<Attendee>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: Some(8),
        offset: Some(0),
    };
    use crate::domain::attendee_lists::{list_for_event, AttendeeSort};
    list_for_event(
        &mut conn,
        &actor,
        event_id,
        Some(&q),
        AttendeeSort::Name,
        Default::default(),
        page,
    )
    .await
}
