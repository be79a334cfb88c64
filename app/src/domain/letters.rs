//! What a mail says, read when it is sent: the outbox row names what it is about, and this
//! reads the people, event and meeting as they are at that moment (`letter`), or finds that
//! there is nothing to tell any more. Also the attendee's switches that decide it.

use super::attendees::AttendeeRow;
use super::events;
use super::outbox::{Claimed, MailKind, Preference};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::Event;
use crate::schema::{
    appointments, attendees, connections, meeting_places, notification_settings, password_resets,
};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::collections::HashMap;

/// Someone a mail is about, as the recipient may see them.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    /// Only once the two are connected (an accepted connection).
    pub email: Option<String>,
}

impl Person {
    fn of(row: &AttendeeRow, with_email: bool) -> Self {
        Self {
            name: format!("{} {}", row.first_name, row.last_name),
            organisation: row.organisation.clone(),
            role: row.role.clone(),
            email: with_email.then(|| row.email.clone()),
        }
    }
}

/// A meeting a mail is about; times are wall-clock times at the event.
#[derive(Debug, Clone)]
pub struct MeetingInfo {
    pub id: i32,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub location: Option<String>,
    pub notes: Option<String>,
    /// The recipient asked for it (else they were asked).
    pub recipient_asked: bool,
    /// Cancelled because the other person left the event (else they cancelled it).
    pub partner_left: bool,
}

/// What a cancelled meeting was, kept in its mail's row: the meeting is gone by sending time.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct MeetingFacts {
    pub id: i32,
    /// Who cancelled it or left: the other person's full name.
    pub with: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub location: Option<String>,
    /// They left the event (their registration went) rather than cancelling this meeting.
    pub left: bool,
}

/// Everything a mail says, read when it is sent.
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: i64,
    pub kind: MailKind,
    pub to: String,
    /// How the mail greets its reader.
    pub to_name: String,
    pub event: Option<Event>,
    /// The recipient's registration: whose switches an unsubscribe link turns off.
    pub attendee_id: Option<i32>,
    /// What the recipient's ticket QR code holds.
    pub ticket: Option<String>,
    pub other: Option<Person>,
    pub meeting: Option<MeetingInfo>,
    /// The reset link's token.
    pub reset_token: Option<String>,
}

/// The people and events a claimed batch is about, read with two queries for all of it.
struct Known {
    people: HashMap<i32, (AttendeeRow, Switches)>,
    /// With whether the event is deleted.
    events: HashMap<i32, (Event, bool)>,
}

/// The letters of a claimed batch, in its order (`None`: nothing to tell any more). The
/// recipients and their events are read once for the batch; a connection or meeting mail
/// then reads its own connection or meeting.
pub async fn letters(
    conn: &mut DbConn<'_>,
    mails: &[Claimed],
) -> Result<Vec<Option<Letter>>, AppError> {
    let mut ids: Vec<i32> = mails.iter().filter_map(|mail| mail.attendee_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people = attendees_with_switches(conn, &ids).await?;
    // A mail to someone whose record is gone (a cancelled registration) names its event.
    let unregistered = mails
        .iter()
        .filter(|mail| mail.attendee_id.is_none())
        .filter_map(|mail| mail.event_id);
    let mut event_ids: Vec<i32> = people
        .values()
        .map(|(row, _)| row.event_id)
        .chain(unregistered)
        .collect();
    event_ids.sort_unstable();
    event_ids.dedup();
    let events = events::get_many_with_deleted(conn, &event_ids)
        .await?
        .into_iter()
        .map(|(event, deleted)| (event.id, (event, deleted)))
        .collect();
    let known = Known { people, events };
    let mut letters = Vec::with_capacity(mails.len());
    for mail in mails {
        letters.push(letter(conn, &known, mail).await?);
    }
    Ok(letters)
}

/// Whether the row's mail is still to be sent, and what it says.
async fn letter(
    conn: &mut DbConn<'_>,
    known: &Known,
    mail: &Claimed,
) -> Result<Option<Letter>, AppError> {
    let Some(kind) = MailKind::parse(&mail.kind) else {
        return Ok(None);
    };
    let mut letter = Letter {
        id: mail.id,
        kind,
        to: mail.recipient.clone(),
        to_name: String::new(),
        event: None,
        attendee_id: mail.attendee_id,
        ticket: None,
        other: None,
        meeting: None,
        reset_token: None,
    };
    if kind == MailKind::PasswordReset {
        let Some(token) = &mail.secret else {
            return Ok(None);
        };
        let open: i64 = password_resets::table
            .filter(password_resets::token_hash.eq(super::password_reset::token_hash(token)))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(Utc::now().naive_utc()))
            .count()
            .get_result(conn)
            .await?;
        if open == 0 {
            return Ok(None);
        }
        letter.reset_token = Some(token.clone());
        return Ok(Some(letter));
    }
    if kind == MailKind::RegistrationCancelled {
        // Their record is gone: the address and the event are all there is to tell.
        let Some((event, false)) = mail.event_id.and_then(|id| known.events.get(&id)) else {
            return Ok(None);
        };
        letter.event = Some(event.clone());
        return Ok(Some(letter));
    }
    let Some((me, switches)) = mail.attendee_id.and_then(|id| known.people.get(&id)) else {
        return Ok(None);
    };
    if let Some(preference) = kind.preference() {
        if !switches.is_on(preference) {
            return Ok(None);
        }
    }
    letter.to_name = me.first_name.clone();
    letter.to = me.email.clone();
    let Some((event, deleted)) = known.events.get(&me.event_id) else {
        return Ok(None);
    };
    // Only the cancellation is about a deleted event; it is not sent once it is restored.
    if *deleted != (kind == MailKind::EventCancelled) {
        return Ok(None);
    }
    letter.event = Some(event.clone());
    match kind {
        MailKind::Registered => letter.ticket = Some(me.checkin_token.clone()),
        MailKind::ConnectionRequested | MailKind::ConnectionAccepted => {
            let Some(id) = mail.subject_id else {
                return Ok(None);
            };
            let row: Option<(i32, i32, String)> = connections::table
                .find(id)
                .select((
                    connections::attendee_id,
                    connections::connected_attendee_id,
                    connections::status,
                ))
                .first(conn)
                .await
                .optional()?;
            let Some((requester, target, status)) = row else {
                return Ok(None);
            };
            let (other_id, wanted, with_email) = match kind {
                MailKind::ConnectionRequested => {
                    (requester, target == me.id && status == "pending", false)
                }
                _ => (target, requester == me.id && status == "accepted", true),
            };
            if !wanted {
                return Ok(None);
            }
            let Some(other) = other_row(conn, other_id).await? else {
                return Ok(None);
            };
            letter.other = Some(Person::of(&other, with_email));
        }
        MailKind::MeetingRequested
        | MailKind::MeetingAccepted
        | MailKind::MeetingDeclined
        | MailKind::MeetingReminder => {
            let Some(id) = mail.subject_id else {
                return Ok(None);
            };
            type MeetingRow = (
                i32,
                i32,
                NaiveDateTime,
                i32,
                Option<String>,
                Option<String>,
                String,
                Option<String>,
            );
            let row: Option<MeetingRow> = appointments::table
                .left_join(meeting_places::table)
                .filter(appointments::id.eq(id))
                .select((
                    appointments::requester_id,
                    appointments::target_id,
                    appointments::appointment_time,
                    appointments::duration_minutes,
                    appointments::location,
                    appointments::notes,
                    appointments::status,
                    meeting_places::name.nullable(),
                ))
                .first(conn)
                .await
                .optional()?;
            let Some((requester, target, start, minutes, location, notes, status, place)) = row
            else {
                return Ok(None);
            };
            let wanted_status = match kind {
                MailKind::MeetingRequested => "pending",
                MailKind::MeetingDeclined => "rejected",
                _ => "accepted",
            };
            if status != wanted_status || (me.id != requester && me.id != target) {
                return Ok(None);
            }
            let other_id = if me.id == requester {
                target
            } else {
                requester
            };
            let Some(other) = other_row(conn, other_id).await? else {
                return Ok(None);
            };
            let connected = super::connections::are_connected(conn, me.id, other_id).await?;
            letter.other = Some(Person::of(&other, connected));
            letter.meeting = Some(MeetingInfo {
                id,
                start,
                end: start + Duration::minutes(i64::from(minutes)),
                location: crate::models::venue(place.as_deref(), location.as_deref()),
                notes,
                recipient_asked: me.id == requester,
                partner_left: false,
            });
        }
        MailKind::MeetingCancelled => {
            let facts = mail.facts.as_deref().unwrap_or_default();
            let facts = match serde_json::from_str::<MeetingFacts>(facts) {
                Ok(facts) => facts,
                Err(error) => {
                    tracing::error!(mail = mail.id, %error, "a cancelled meeting's mail has no readable facts");
                    return Ok(None);
                }
            };
            letter.other = Some(Person {
                name: facts.with,
                organisation: None,
                role: None,
                email: None,
            });
            letter.meeting = Some(MeetingInfo {
                id: facts.id,
                start: facts.start,
                end: facts.end,
                location: facts.location,
                notes: None,
                recipient_asked: false,
                partner_left: facts.left,
            });
        }
        MailKind::EventCancelled | MailKind::EventRestored => {}
        MailKind::RegistrationCancelled => unreachable!("handled above"),
        MailKind::PasswordReset => unreachable!("handled above"),
    }
    Ok(Some(letter))
}

async fn other_row(conn: &mut DbConn<'_>, id: i32) -> Result<Option<AttendeeRow>, AppError> {
    Ok(attendees::table
        .find(id)
        .select(AttendeeRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// An attendee's four switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct Switches {
    pub connection_requests: bool,
    pub meeting_requests: bool,
    pub meeting_updates: bool,
    pub reminders: bool,
}

impl Switches {
    pub fn is_on(&self, preference: Preference) -> bool {
        match preference {
            Preference::ConnectionRequests => self.connection_requests,
            Preference::MeetingRequests => self.meeting_requests,
            Preference::MeetingUpdates => self.meeting_updates,
            Preference::Reminders => self.reminders,
        }
    }
}

impl Switches {
    pub const ALL_ON: Switches = Switches {
        connection_requests: true,
        meeting_requests: true,
        meeting_updates: true,
        reminders: true,
    };
}

/// Attendees with their switches (all on until they change one), by id.
async fn attendees_with_switches(
    conn: &mut DbConn<'_>,
    ids: &[i32],
) -> Result<HashMap<i32, (AttendeeRow, Switches)>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(AttendeeRow, Option<Switches>)> = attendees::table
        .left_join(notification_settings::table)
        .filter(attendees::id.eq_any(ids))
        .select((AttendeeRow::as_select(), switch_columns()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, switches)| (row.id, (row, switches.unwrap_or(Switches::ALL_ON))))
        .collect())
}

/// An attendee with their switches (all on until they change one).
pub(crate) async fn attendee_with_switches(
    conn: &mut DbConn<'_>,
    id: i32,
) -> Result<Option<(AttendeeRow, Switches)>, AppError> {
    Ok(attendees_with_switches(conn, &[id]).await?.remove(&id))
}

/// The four switches of a left-joined `notification_settings` row.
#[allow(clippy::type_complexity)]
fn switch_columns() -> diesel::dsl::Nullable<(
    notification_settings::connection_requests,
    notification_settings::meeting_requests,
    notification_settings::meeting_updates,
    notification_settings::reminders,
)> {
    (
        notification_settings::connection_requests,
        notification_settings::meeting_requests,
        notification_settings::meeting_updates,
        notification_settings::reminders,
    )
        .nullable()
}
