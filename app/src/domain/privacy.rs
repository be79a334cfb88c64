//! What an attendee lets others see and do: whether they are in the people directory
//! (hidden, only their connections find them; the organiser and the door always do), and
//! who may ask them for a 1:1 meeting (everyone at the event, only their connections, or
//! nobody). The directory, search and the event's page leave hidden people out; profiles,
//! connection and meeting requests answer 404 for them, as for someone who does not exist.

use super::attendees::AttendeeRow;
use super::{connections, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{MeetingsFrom, Privacy, PrivacyPatch};
use crate::schema::attendees;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// My settings; only mine.
pub async fn get(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Privacy, AppError> {
    actor.attendee_itself(id)?;
    let (meetings_from, hidden): (String, bool) = attendees::table
        .find(id)
        .select((attendees::meetings_from, attendees::hidden))
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Attendee"))?;
    Ok(Privacy {
        // The column's CHECK admits only the three names.
        meetings_from: MeetingsFrom::parse(&meetings_from).unwrap_or_default(),
        hidden,
    })
}

/// Changes what is given; answers the settings as they now are.
pub async fn put(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    patch: PrivacyPatch,
) -> Result<Privacy, AppError> {
    let current = get(conn, actor, id).await?;
    let next = Privacy {
        meetings_from: patch.meetings_from.unwrap_or(current.meetings_from),
        hidden: patch.hidden.unwrap_or(current.hidden),
    };
    diesel::update(attendees::table.find(id))
        .set((
            attendees::meetings_from.eq(next.meetings_from.as_str()),
            attendees::hidden.eq(next.hidden),
        ))
        .execute(conn)
        .await?;
    Ok(next)
}

/// Who hid from the directory is, to an attendee not connected with them, as unknown as
/// someone who does not exist (404); everyone else sees them. The one rule for every path
/// that finds a person by id: their profile, connection and meeting requests.
pub(crate) fn seen_by(target: &AttendeeRow, connected: bool) -> Result<(), AppError> {
    if target.hidden && !connected {
        return Err(AppError::not_found("Attendee"));
    }
    Ok(())
}

/// Whether `me` may ask `target` (of the same event, already found) for a meeting: not
/// when they are hidden from `me` (`seen_by`) or a block stands between us; 403 `meetings_closed` with the reason when
/// their setting says no.
pub(crate) async fn may_ask_for_meeting(
    conn: &mut DbConn<'_>,
    me: i32,
    target: &AttendeeRow,
) -> Result<(), AppError> {
    super::blocks::not_apart(conn, me, target).await?;
    // The column's CHECK admits only the three names.
    let setting = MeetingsFrom::parse(&target.meetings_from).unwrap_or_default();
    if setting == MeetingsFrom::Everyone && !target.hidden {
        return Ok(());
    }
    let connected = connections::are_connected(conn, me, target.id).await?;
    seen_by(target, connected)?;
    let name = &target.first_name;
    let closed = |message: String| AppError::Refused {
        code: "meetings_closed".into(),
        message,
    };
    match setting {
        MeetingsFrom::Nobody => Err(closed(format!("{name} is not taking meeting requests."))),
        MeetingsFrom::Connections if !connected => Err(closed(format!(
            "{name} takes meeting requests from their connections only. Connect first."
        ))),
        _ => Ok(()),
    }
}
