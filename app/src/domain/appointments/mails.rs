//! The mails a meeting's changes send: the answer to a request (with the reminders), and
//! the word to the other person when an accepted meeting goes.

use super::{AppointmentRow, MAX_MINUTES};
use crate::db::DbConn;
use crate::domain::attendees;
use crate::domain::events::find_row as find_event_row;
use crate::domain::letters::MeetingFacts;
use crate::domain::meeting_plan::places_by_id;
use crate::domain::outbox::{MailKind, NewMail};
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::RequestStatus;
use crate::schema::appointments;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// How long before a meeting both people are reminded.
pub const REMINDER_BEFORE: Duration = Duration::minutes(15);

/// The mails an answer sends: a yes goes to both (with the calendar file) and sets both
/// reminders, due 15 minutes before the meeting's start at the event; a no tells the one
/// who asked. Answering the same way twice sends nothing new.
pub(super) async fn answer_mails(
    conn: &mut DbConn<'_>,
    row: &AppointmentRow,
    answer: RequestStatus,
) -> Result<Vec<NewMail>, AppError> {
    if row.status == answer.as_str() {
        return Ok(Vec::new());
    }
    let mut people = attendees::rows_by_id(conn, &[row.requester_id, row.target_id]).await?;
    let (Some(requester), Some(target)) = (
        people.remove(&row.requester_id),
        people.remove(&row.target_id),
    ) else {
        return Err(AppError::not_found("Attendee"));
    };
    let mut mails = Vec::new();
    match answer {
        RequestStatus::Accepted => {
            let event = find_event_row(conn, row.event_id).await?;
            let starts = crate::zone::to_utc(row.appointment_time, event.zone()).naive_utc();
            let now = chrono::Utc::now().naive_utc();
            for person in [&requester, &target] {
                mails.push(NewMail::to_attendee(
                    MailKind::MeetingAccepted,
                    person,
                    Some(row.id),
                ));
                if starts > now {
                    mails.push(
                        NewMail::to_attendee(MailKind::MeetingReminder, person, Some(row.id))
                            .due((starts - REMINDER_BEFORE).max(now)),
                    );
                }
            }
        }
        RequestStatus::Rejected => mails.push(NewMail::to_attendee(
            MailKind::MeetingDeclined,
            &requester,
            Some(row.id),
        )),
        RequestStatus::Pending => {}
    }
    Ok(mails)
}

/// The mails telling the others that `person`'s accepted meetings not yet over are
/// cancelled as they leave the event: queued with the deletion of their registration.
pub(crate) async fn leaving_mails(
    conn: &mut DbConn<'_>,
    person: i32,
    event_id: i32,
) -> Result<Vec<NewMail>, AppError> {
    let now = find_event_row(conn, event_id).await?.now();
    let rows: Vec<AppointmentRow> = appointments::table
        .filter(
            appointments::requester_id
                .eq(person)
                .or(appointments::target_id.eq(person)),
        )
        .filter(appointments::status.eq(RequestStatus::Accepted.as_str()))
        .filter(appointments::appointment_time.gt(now - Duration::minutes(i64::from(MAX_MINUTES))))
        .limit(PageParams::MAX_LIMIT * 10)
        .select(AppointmentRow::as_select())
        .load(conn)
        .await?;
    cancellation_mails(conn, person, rows, now, true).await
}

/// For each of these meetings that is accepted and not over by `now`, the mail telling
/// the other person that `by` cancelled it (or left), with what it was.
pub(super) async fn cancellation_mails(
    conn: &mut DbConn<'_>,
    by: i32,
    rows: Vec<AppointmentRow>,
    now: NaiveDateTime,
    left: bool,
) -> Result<Vec<NewMail>, AppError> {
    let rows: Vec<AppointmentRow> = rows
        .into_iter()
        .filter(|row| row.status == RequestStatus::Accepted.as_str() && row.end() > now)
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i32> = rows.iter().map(|row| row.other(by)).collect();
    ids.push(by);
    let people = attendees::rows_by_id(conn, &ids).await?;
    let place_ids: Vec<i32> = rows.iter().filter_map(|row| row.place_id).collect();
    let places = places_by_id(conn, &place_ids).await?;
    let Some(me) = people.get(&by) else {
        return Ok(Vec::new());
    };
    let with = format!("{} {}", me.first_name, me.last_name);
    Ok(rows
        .iter()
        .filter_map(|row| {
            let other = people.get(&row.other(by))?;
            let place = row.place_id.and_then(|id| places.get(&id));
            let facts = MeetingFacts {
                id: row.id,
                with: with.clone(),
                start: row.appointment_time,
                end: row.end(),
                location: crate::models::venue(
                    place.map(|p| p.name.as_str()),
                    row.location.as_deref(),
                ),
                left,
            };
            let facts = serde_json::to_string(&facts)
                .inspect_err(|error| tracing::error!(%error, "a cancelled meeting's facts"))
                .ok()?;
            Some(NewMail {
                facts: Some(facts),
                ..NewMail::to_attendee(MailKind::MeetingCancelled, other, Some(row.id))
            })
        })
        .collect())
}
