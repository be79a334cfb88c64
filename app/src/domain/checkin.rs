//! Checking attendees in at the door. A scan is idempotent: the first one records who, when,
//! by whom and from which device; every later scan of the same token answers that first
//! check-in. A scan queued offline carries the time it was made, and the earliest time wins.
//! Each scan goes through a check-in list (`checkin_lists`): the event-wide check-in is the
//! first entry on any of them.

use super::attendees;
use super::authorization::{Relation, Visibility};
use super::checkin_lists::{self, ListRow, Passed};
use super::door_keeper::{door_keeper, DoorClock, DoorKeeper};
use super::events;
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::CheckinInput;
use crate::inputs::PageParams;
use crate::models::{
    normalise_ticket, ticket_hash, CheckinResult, DoorCounts, DoorDirection, DoorHeader,
    DoorPerson, Page, StaffRole,
};
use crate::schema::{attendees as attendees_table, checkins};
use crate::validate::{optional_text, parse_local_datetime};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;

fn whole_seconds(at: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    at.with_nanosecond(0).unwrap_or(at)
}

/// When an offline scan was made, as a wall-clock time at the event. Phones send their own
/// time with its UTC offset (the phone's zone, the server's and the event's may all
/// differ); a time without an offset is already event-local.
fn parse_scan_time(raw: &str, zone: chrono_tz::Tz) -> Result<NaiveDateTime, String> {
    match chrono::DateTime::parse_from_rfc3339(raw.trim()) {
        Ok(at) => Ok(at.with_timezone(&zone).naive_local()),
        Err(_) => parse_local_datetime(raw),
    }
}

/// How long before the event's start a scan is still believed (API.md: 24 hours).
const SCANS_BEFORE_START_HOURS: i64 = 24;

/// Checks in the attendee whose QR code holds `input.token`, for the event's organiser or
/// its check-in staff, through the list named (else the staff link's own, else the default)
/// and in the direction given. A token of another event is as unknown as one that does not
/// exist: 404. `attendee_id` instead of a token is a check-in by hand (no ticket at hand):
/// not for stewards.
pub async fn check_in(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: CheckinInput,
) -> Result<CheckinResult, AppError> {
    let keeper = door_keeper(conn, actor, event_id).await?;
    // A self check-in kiosk checks in the ticket shown to it, now, going in, on its own
    // list, within the door's hours: whatever else the request says is not for it.
    let input = match keeper.is_kiosk() {
        true => CheckinInput {
            token: input.token,
            // Still refused (403): a check-in by hand is for supervisors.
            attendee_id: input.attendee_id,
            device: Some("kiosk".into()),
            anyway: Some(false),
            ..CheckinInput::default()
        },
        false => input,
    };
    let anyway = input.anyway;
    let token = normalise_ticket(&input.token);
    let direction = match input.direction.as_deref().map(str::trim) {
        None | Some("") | Some("in") => DoorDirection::In,
        Some("out") => DoorDirection::Out,
        Some(_) => {
            return Err(AppError::field(
                "direction",
                "Direction is \"in\" or \"out\".",
            ))
        }
    };
    let by_hand = match (token.is_empty(), input.attendee_id) {
        (true, None) => {
            return Err(AppError::field(
                "token",
                "Scan or type the code of a ticket.",
            ))
        }
        (false, Some(_)) => {
            return Err(AppError::field(
                "attendee_id",
                "Send a ticket's token or an attendee's id, not both.",
            ))
        }
        (true, Some(id)) => Some(id),
        (false, None) => None,
    };
    if by_hand.is_some() {
        keeper.supervises()?;
    }
    let list = keeper.list(conn, event_id, input.list_id).await?;
    let device = optional_text(input.device.as_deref().unwrap_or(""), 100, "Device")
        .map_err(|problem| AppError::field("device", problem))?;
    let DoorClock {
        zone,
        start,
        window,
    } = keeper.clock(conn, event_id).await?;
    // Whole seconds, as the column keeps them: a fresh answer shows what a repeat will.
    let now = whole_seconds(crate::zone::now_in(zone));
    let scanned_at = match input
        .scanned_at
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => now,
        Some(raw) => {
            let at = parse_scan_time(raw, zone).map_err(|p| AppError::field("scanned_at", p))?;
            // A phone's clock may run a little fast; a scan from the future is not believed.
            if at > now + Duration::minutes(5) {
                return Err(AppError::field("scanned_at", "That time is in the future."));
            }
            // A queued scan from long before the doors opened is a phone's wrong clock or a
            // replay, not a guest at the door.
            let earliest = match window {
                Some(w) => w
                    .opens
                    .min(start - Duration::hours(SCANS_BEFORE_START_HOURS)),
                None => start - Duration::hours(SCANS_BEFORE_START_HOURS),
            };
            if at < earliest {
                return Err(AppError::field(
                    "scanned_at",
                    "That scan is from before the door opened, more than a day before the event starts.",
                ));
            }
            whole_seconds(at)
        }
    };
    let row = match by_hand {
        Some(id) => attendees::find_in_event(conn, id, event_id).await?,
        None => attendees_table::table
            .filter(attendees_table::checkin_token.eq(&token))
            .filter(attendees_table::event_id.eq(event_id))
            .select(attendees::AttendeeRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| AppError::not_found("Ticket"))?,
    };
    // Entries outside the door's window: refused when the client asks for the window (the
    // scanner does), recorded with the reason otherwise (API.md's check-in is unchanged);
    // only the organiser and supervisors check in anyway. A check-in by hand is a
    // supervisor's deliberate act.
    let outside_window = match direction {
        DoorDirection::In => window.and_then(|w| w.refusal(scanned_at)),
        DoorDirection::Out => None,
    };
    if let Some(reason) = &outside_window {
        match (anyway, by_hand) {
            // By hand was proved a supervisor's above.
            (_, Some(_)) => {}
            (Some(true), None) => keeper.supervises()?,
            // Someone already checked in is told so, not turned away.
            (Some(false), None) if !checked_in(conn, row.id).await? => {
                return Err(AppError::conflict("outside_checkin_window", reason.clone()))
            }
            (Some(false), None) => {}
            (None, None) => {}
        }
    }
    let device = if by_hand.is_some() {
        Some("manual".to_owned())
    } else {
        device
    };
    let mut result = record(
        conn, event_id, row, scanned_at, &keeper, &list, direction, device,
    )
    .await?;
    // Already in: no new entry, so nothing about the window to report.
    if !result.already_checked_in {
        result.outside_window = outside_window;
    }
    Ok(result)
}

/// Checks in an attendee found by name at the door (no ticket at hand): the organiser and
/// supervisors, through the staff link's list or the default one.
pub async fn check_in_by_id(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    attendee_id: i32,
) -> Result<CheckinResult, AppError> {
    let input = CheckinInput {
        attendee_id: Some(attendee_id),
        ..CheckinInput::default()
    };
    check_in(conn, actor, event_id, input).await
}

/// A ticket shown to a self check-in kiosk: only kiosk sessions (403 for anyone else, so a
/// kiosk page opened by the organiser checks nobody in as them). The first check-in marks
/// the badge printed, as the kiosk prints it: the organiser's "not printed yet" sheet leaves
/// it out.
pub async fn kiosk_check_in(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    token: String,
) -> Result<CheckinResult, AppError> {
    if !matches!(
        actor,
        Actor::Staff {
            role: StaffRole::Kiosk,
            event_id: theirs,
            ..
        } if *theirs == event_id
    ) {
        return Err(AppError::Forbidden);
    }
    let input = CheckinInput {
        token,
        ..CheckinInput::default()
    };
    let result = check_in(conn, actor, event_id, input).await?;
    if !result.already_checked_in {
        diesel::update(attendees_table::table.find(result.attendee.id))
            .set(attendees_table::badge_printed_at.eq(events::utc_now()))
            .execute(conn)
            .await?;
    }
    Ok(result)
}

/// Records the pass through the list, then the event-wide check-in unless there is one (the
/// earliest time wins). Both steps are safe to repeat: a scan retried after a failure in
/// between completes what the first attempt began.
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut DbConn<'_>,
    event_id: i32,
    row: attendees::AttendeeRow,
    scanned_at: NaiveDateTime,
    keeper: &DoorKeeper,
    list: &ListRow,
    direction: DoorDirection,
    device: Option<String>,
) -> Result<CheckinResult, AppError> {
    let passed = checkin_lists::pass(conn, list, row.id, direction, scanned_at).await?;
    if passed.went_in() {
        check_in_event_wide(conn, event_id, row.id, scanned_at, keeper, device).await?;
    }
    let checked_in_at = match passed {
        Passed::Entered(since) | Passed::AlreadyInside(since) => since,
        Passed::Reentered | Passed::Left | Passed::NotInside => scanned_at,
    };
    // The door needs a name and a face, not contact details.
    let visibility = Visibility::of(match keeper {
        DoorKeeper::Staff { .. } => Relation::DoorStaff,
        DoorKeeper::Organizer(_) => Relation::EventOrganizer,
    });
    Ok(CheckinResult {
        attendee: row.view(visibility),
        checked_in_at,
        already_checked_in: passed.changed_nothing(),
        list_id: list.id,
        direction,
        outside_window: None,
    })
}

/// Whether the attendee is checked in (event-wide).
async fn checked_in(conn: &mut DbConn<'_>, attendee_id: i32) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        checkins::table.filter(checkins::attendee_id.eq(attendee_id)),
    ))
    .get_result(conn)
    .await?)
}

/// The event-wide check-in: one row per attendee, the earliest scan's time.
async fn check_in_event_wide(
    conn: &mut DbConn<'_>,
    event_id: i32,
    attendee_id: i32,
    scanned_at: NaiveDateTime,
    keeper: &DoorKeeper,
    device: Option<String>,
) -> Result<(), AppError> {
    let (organizer_id, staff_id) = match keeper {
        DoorKeeper::Organizer(event) => (Some(event.organizer_id), None),
        DoorKeeper::Staff { id, .. } => (None, Some(*id)),
    };
    let inserted = diesel::insert_into(checkins::table)
        .values((
            checkins::event_id.eq(event_id),
            checkins::attendee_id.eq(attendee_id),
            checkins::checked_in_at.eq(scanned_at),
            checkins::checked_in_by_organizer_id.eq(organizer_id),
            checkins::checked_in_by_staff_id.eq(staff_id),
            checkins::device.eq(&device),
        ))
        .execute(conn)
        .await;
    match inserted {
        Ok(_) => Ok(()),
        // Scanned before, here or on another device: one row per attendee.
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            diesel::update(
                checkins::table
                    .filter(checkins::attendee_id.eq(attendee_id))
                    .filter(checkins::checked_in_at.gt(scanned_at)),
            )
            .set(checkins::checked_in_at.eq(scanned_at))
            .execute(conn)
            .await?;
            Ok(())
        }
        Err(other) => Err(other.into()),
    }
}

/// Undoes a mistaken check-in, on every list; the organiser and supervisors. Not checked in
/// is 404.
pub async fn undo(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    attendee_id: i32,
) -> Result<(), AppError> {
    door_keeper(conn, actor, event_id).await?.supervises()?;
    checkin_lists::forget(conn, event_id, attendee_id).await?;
    let removed = diesel::delete(
        checkins::table
            .filter(checkins::event_id.eq(event_id))
            .filter(checkins::attendee_id.eq(attendee_id)),
    )
    .execute(conn)
    .await?;
    if removed == 0 {
        return Err(AppError::not_found("Check-in"));
    }
    Ok(())
}

/// The door's header: the event's name and, for the organiser and supervisors, how many are
/// checked in of how many registered; stewards see no counts.
pub async fn door(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<DoorHeader, AppError> {
    let keeper = door_keeper(conn, actor, event_id).await?;
    let counts_shown = keeper.supervises().is_ok();
    // The organiser's right was checked on the event's row: no second read.
    let event = match keeper {
        DoorKeeper::Organizer(event) => event,
        DoorKeeper::Staff { .. } => events::find_row(conn, event_id).await?,
    };
    let counts = match counts_shown {
        false => None,
        true => {
            let (registered, checked_in) = super::stats::attendance(conn, &event).await?;
            Some(DoorCounts {
                checked_in,
                registered,
                lists: checkin_lists::counts(conn, event_id).await?,
            })
        }
    };
    Ok(DoorHeader {
        window: event.door_window(),
        event_name: event.name,
        counts,
    })
}

/// id, first name, last name, organisation, photo, check-in token.
type RosterColumns = (i32, String, String, Option<String>, Option<String>, String);

/// How many people one page of the door's list holds: a phone saves a 20,000-person
/// conference in 20 requests.
pub const ROSTER_PAGE: i64 = 1000;

/// The event's attendees as a scanner phone keeps them to check tickets offline: names,
/// organisation, photo, a hash of each ticket and the check-in time so far. For the
/// organiser and the event's staff; in id order, so pages stay stable as people register.
pub async fn roster(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    page: PageParams,
) -> Result<Page<DoorPerson>, AppError> {
    // A kiosk stands in the hall: it keeps nobody's name.
    if door_keeper(conn, actor, event_id).await?.is_kiosk() {
        return Err(AppError::Forbidden);
    }
    let total: i64 = attendees_table::table
        .filter(attendees_table::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    let rows: Vec<(RosterColumns, Option<NaiveDateTime>)> = attendees_table::table
        .left_join(checkins::table.on(checkins::attendee_id.eq(attendees_table::id)))
        .filter(attendees_table::event_id.eq(event_id))
        .order(attendees_table::id)
        .limit(page.limit_up_to(ROSTER_PAGE))
        .offset(page.offset())
        .select((
            (
                attendees_table::id,
                attendees_table::first_name,
                attendees_table::last_name,
                attendees_table::organisation,
                attendees_table::profile_picture,
                attendees_table::checkin_token,
            ),
            checkins::checked_in_at.nullable(),
        ))
        .load(conn)
        .await?;
    let items = rows
        .into_iter()
        .map(
            |((id, first_name, last_name, organisation, profile_picture, token), checked_in_at)| {
                DoorPerson {
                    id,
                    first_name,
                    last_name,
                    organisation,
                    profile_picture,
                    token_hash: ticket_hash(&token),
                    checked_in_at,
                }
            },
        )
        .collect();
    Ok(Page { items, total })
}
