//! Who works an event's door and what each may do there: the organiser, and check-in staff
//! as stewards (scan only), supervisors (also search, by hand, undo, counts) or a self
//! check-in kiosk; the list a link is bound to; the event's clock and check-in window.

use super::checkin_lists::{self, ListRow};
use super::events;
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{DoorWindow, StaffRole};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// Who works the door of an event.
pub(super) enum DoorKeeper {
    /// Its organiser, with the event's row that proved it.
    Organizer(events::EventRow),
    /// One of its check-in staff: their id, role and the list their link is bound to.
    Staff {
        id: i32,
        role: StaffRole,
        list_id: Option<i32>,
    },
}

impl DoorKeeper {
    /// A self check-in kiosk: checks in the tickets shown to it, nothing else.
    pub(super) fn is_kiosk(&self) -> bool {
        matches!(
            self,
            DoorKeeper::Staff {
                role: StaffRole::Kiosk,
                ..
            }
        )
    }

    /// Name search, check-in by hand, undo and counts: the organiser and supervisors, not
    /// stewards or kiosks (403).
    pub(super) fn supervises(&self) -> Result<(), AppError> {
        match self {
            DoorKeeper::Staff { role, .. } if !role.supervises() => Err(AppError::Forbidden),
            _ => Ok(()),
        }
    }

    /// The list a staff link is bound to, if any.
    pub(super) fn bound_list(&self) -> Option<i32> {
        match self {
            DoorKeeper::Staff { list_id, .. } => *list_id,
            DoorKeeper::Organizer(_) => None,
        }
    }

    /// The list a scan goes to: a link bound to a list scans only into it (another is 403).
    pub(super) async fn list(
        &self,
        conn: &mut DbConn<'_>,
        event_id: i32,
        asked: Option<i32>,
    ) -> Result<ListRow, AppError> {
        let chosen = match (self, asked) {
            (
                DoorKeeper::Staff {
                    list_id: Some(bound),
                    ..
                },
                Some(asked),
            ) if asked != *bound => return Err(AppError::Forbidden),
            (
                DoorKeeper::Staff {
                    list_id: Some(bound),
                    ..
                },
                _,
            ) => Some(*bound),
            (_, asked) => asked,
        };
        checkin_lists::resolve(conn, event_id, chosen).await
    }

    /// The event's zone, start and door window: from the row the organiser was proved
    /// with, else one read.
    pub(super) async fn clock(
        &self,
        conn: &mut DbConn<'_>,
        event_id: i32,
    ) -> Result<DoorClock, AppError> {
        let (name, start, end, opens) = match self {
            DoorKeeper::Organizer(event) => (
                event.timezone.clone(),
                event.start_time,
                event.end_time,
                event.checkin_opens_minutes_before,
            ),
            DoorKeeper::Staff { .. } => {
                use crate::schema::events as events_table;
                events_table::table
                    .find(event_id)
                    .select((
                        events_table::timezone,
                        events_table::start_time,
                        events_table::end_time,
                        events_table::checkin_opens_minutes_before,
                    ))
                    .first::<(String, NaiveDateTime, NaiveDateTime, Option<i32>)>(conn)
                    .await?
            }
        };
        Ok(DoorClock {
            zone: crate::zone::of_event(&name),
            start,
            window: DoorWindow::of(start, end, opens),
        })
    }
}

/// What the door needs to know of the event's times.
pub(super) struct DoorClock {
    pub(super) zone: chrono_tz::Tz,
    /// Wall-clock at the event, as are the window's times.
    pub(super) start: NaiveDateTime,
    pub(super) window: Option<DoorWindow>,
}

/// The event's organiser or its check-in staff; anyone else is refused.
pub(super) async fn door_keeper(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<DoorKeeper, AppError> {
    match *actor {
        Actor::Staff {
            id,
            event_id: theirs,
            role,
            list_id,
        } if theirs == event_id => Ok(DoorKeeper::Staff { id, role, list_id }),
        Actor::Staff { .. } => Err(AppError::Forbidden),
        _ => Ok(DoorKeeper::Organizer(
            events::owned_row(conn, actor, event_id).await?,
        )),
    }
}

/// For the organiser and the event's staff: the list their link is bound to, if any.
pub(crate) async fn door_list_binding(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<Option<i32>, AppError> {
    Ok(door_keeper(conn, actor, event_id).await?.bound_list())
}

/// Whether the actor may read counts and search names at this event's door: the organiser
/// and supervisors (stewards are 403).
pub(crate) async fn supervisor_or_organiser(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<(), AppError> {
    door_keeper(conn, actor, event_id).await?.supervises()
}
