//! Meeting slots and tables: the organiser's plan (periods cut into slots of one length, and
//! the places meetings happen at) and the slots two people are both free in.

use super::{Attendee, Direction, RequestStatus};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A place meetings happen at: a table, a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingPlace {
    pub id: i32,
    pub name: String,
}

/// A stretch of the event kept for 1:1 meetings, in the event's wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingPeriod {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T10:00:00"))]
    pub starts_at: NaiveDateTime,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T12:00:00"))]
    pub ends_at: NaiveDateTime,
}

/// The event's meeting plan (`GET`/`PUT /api/events/<id>/meeting-plan`, its organiser's).
/// Each period is cut into slots of `slot_minutes` from its start; a meeting in a slot gets
/// one of the places when it is accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingPlan {
    /// `null` while the event has no meeting periods.
    pub slot_minutes: Option<i32>,
    pub periods: Vec<MeetingPeriod>,
    pub places: Vec<MeetingPlace>,
}

/// One period as given: wall-clock times at the event, `2026-05-04T10:00`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingPeriodInput {
    pub starts_at: String,
    pub ends_at: String,
}

/// The whole plan, replacing the one before. A place whose name is kept (letter case aside)
/// keeps its meetings; a place or a slot that holds an accepted meeting cannot go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingPlanInput {
    pub slot_minutes: Option<i64>,
    #[serde(default)]
    pub periods: Vec<MeetingPeriodInput>,
    #[serde(default)]
    pub places: Vec<String>,
}

/// A slot two people are both free in (`GET /api/attendees/<id>/meeting-slots`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingSlot {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T10:20:00"))]
    pub starts_at: NaiveDateTime,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T10:40:00"))]
    pub ends_at: NaiveDateTime,
    /// Places still free then; `null` when the event names no places.
    pub free_places: Option<i64>,
}

/// A 1:1 meeting request between two attendees of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: i32,
    pub event_id: i32,
    pub requester_id: i32,
    pub target_id: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub appointment_time: NaiveDateTime,
    pub duration_minutes: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub end_time: NaiveDateTime,
    pub location: Option<String>,
    /// The table or room it was given when accepted, in a slot of the event's meeting plan.
    pub place: Option<MeetingPlace>,
    pub notes: Option<String>,
    pub status: RequestStatus,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
    pub direction: Direction,
    pub other: Attendee,
}

impl Appointment {
    /// Where to meet, in words: the table it was given, then what the requester wrote.
    pub fn venue(&self) -> Option<String> {
        venue(
            self.place.as_ref().map(|p| p.name.as_str()),
            self.location.as_deref(),
        )
    }
}

/// Where to meet, in words, from a place's name and what the requester wrote.
pub fn venue(place: Option<&str>, written: Option<&str>) -> Option<String> {
    match (place, written) {
        (Some(place), Some(written)) => Some(format!("{place} · {written}")),
        (Some(place), None) => Some(place.to_owned()),
        (None, written) => written.map(str::to_owned),
    }
}
