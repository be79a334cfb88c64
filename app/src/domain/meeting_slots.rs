//! The slots two people are both free in, and the places still free at a slot (the plan
//! they come from is `meeting_plan`).

use super::appointments::MAX_MINUTES;
use super::meeting_plan::Grid;
use super::{attendees, events, privacy, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{MeetingSlot, Page};
use crate::schema::{appointments, meeting_places};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use std::collections::HashMap;

/// Places still free at a slot's start: `None` when the event names no places.
pub(crate) async fn free_places_at(
    conn: &mut AsyncMysqlConnection,
    event_id: i32,
    start: NaiveDateTime,
) -> Result<Option<Vec<i32>>, AppError> {
    let places: Vec<i32> = meeting_places::table
        .filter(meeting_places::event_id.eq(event_id))
        .order((meeting_places::position, meeting_places::id))
        .select(meeting_places::id)
        .load(conn)
        .await?;
    if places.is_empty() {
        return Ok(None);
    }
    let taken: Vec<Option<i32>> = appointments::table
        .filter(appointments::event_id.eq(event_id))
        .filter(appointments::appointment_time.eq(start))
        .filter(appointments::place_id.is_not_null())
        .select(appointments::place_id)
        .load(conn)
        .await?;
    Ok(Some(
        places
            .into_iter()
            .filter(|id| !taken.contains(&Some(*id)))
            .collect(),
    ))
}

/// The refusal when every place is taken at a slot.
pub(crate) fn no_free_place(start: NaiveDateTime) -> AppError {
    AppError::conflict(
        "no_free_table",
        format!(
            "Every table is taken at {}. Please pick another time.",
            start.format("%H:%M")
        ),
    )
}

/// The slots from now on in which both I and this attendee are free (no accepted meeting
/// of either overlaps them) and a place is free, in time order. Empty while the event has
/// no meeting periods. As asking them for a meeting: 404 for people I may not see, 403
/// when they take no requests from me.
pub async fn free_with(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    other_id: i32,
    page: PageParams,
) -> Result<Page<MeetingSlot>, AppError> {
    let (me, event_id) = actor.attendee()?;
    if other_id == me {
        return Err(AppError::field(
            "id",
            "You cannot book a meeting with yourself.",
        ));
    }
    let other = attendees::find_in_event(conn, other_id, event_id).await?;
    privacy::may_ask_for_meeting(conn, me, &other).await?;
    let empty = Page {
        items: Vec::new(),
        total: 0,
    };
    let Some(grid) = Grid::of(conn, event_id).await? else {
        return Ok(empty);
    };
    let now = events::find_row(conn, event_id).await?.now();
    let slots: Vec<(NaiveDateTime, NaiveDateTime)> =
        grid.slots().filter(|(start, _)| *start >= now).collect();
    let (Some(first), Some(last)) = (<[_]>::first(&slots), <[_]>::last(&slots)) else {
        return Ok(empty);
    };
    let (first, last) = (first.0, last.1);
    let people = [me, other_id];
    let busy: Vec<(NaiveDateTime, i32)> = appointments::table
        .filter(
            appointments::requester_id
                .eq_any(people)
                .or(appointments::target_id.eq_any(people)),
        )
        .filter(appointments::status.eq("accepted"))
        .filter(
            appointments::appointment_time.gt(first - Duration::minutes(i64::from(MAX_MINUTES))),
        )
        .filter(appointments::appointment_time.lt(last))
        .select((
            appointments::appointment_time,
            appointments::duration_minutes,
        ))
        .load(conn)
        .await?;
    let places: i64 = meeting_places::table
        .filter(meeting_places::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    let taken: HashMap<NaiveDateTime, i64> = appointments::table
        .filter(appointments::event_id.eq(event_id))
        .filter(appointments::appointment_time.ge(first))
        .filter(appointments::appointment_time.lt(last))
        .filter(appointments::place_id.is_not_null())
        .group_by(appointments::appointment_time)
        .select((appointments::appointment_time, diesel::dsl::count_star()))
        .load::<(NaiveDateTime, i64)>(conn)
        .await?
        .into_iter()
        .collect();
    let free: Vec<MeetingSlot> = slots
        .into_iter()
        .filter(|(start, end)| {
            !busy.iter().any(|(from, minutes)| {
                *from < *end && *from + Duration::minutes(i64::from(*minutes)) > *start
            })
        })
        .filter_map(|(starts_at, ends_at)| {
            let free_places =
                (places > 0).then(|| places - taken.get(&starts_at).copied().unwrap_or(0));
            (free_places != Some(0)).then_some(MeetingSlot {
                starts_at,
                ends_at,
                free_places,
            })
        })
        .collect();
    let total = free.len() as i64;
    let items = free
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    Ok(Page { items, total })
}
