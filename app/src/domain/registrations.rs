//! The organiser's hand on an event's registrations, from the attendee table: cancel one
//! (the seat is free again and the person is told by mail), send a ticket again, and check
//! in or send tickets to a selection at once.

use super::attendees::{find_in_event, AttendeeRow};
use super::outbox::{self, MailKind, NewMail};
use super::{checkin, events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::BulkOutcome;
use crate::schema::{attendees, outbox as outbox_table};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// How many attendees one bulk action takes: a page of the organiser's table.
pub const BULK_LIMIT: usize = 100;

/// Cancels an attendee's registration: their record goes with their connections, meetings
/// and check-in, the seat is free again, and they are told by mail (the mail names the
/// event, not the person, as their record is gone). 404 for someone of another event.
pub async fn cancel(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    attendee_id: i32,
) -> Result<(), AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let row = find_in_event(conn, attendee_id, event_id).await?;
    let mut mails = super::appointments::leaving_mails(conn, row.id, event_id).await?;
    mails.push(cancelled(&row));
    crate::db::transaction!(conn, async |conn| {
        let gone = diesel::delete(attendees::table.find(row.id))
            .execute(conn)
            .await?;
        if gone == 0 {
            return Err(AppError::not_found("Attendee"));
        }
        outbox::enqueue(conn, mails.clone()).await
    })
    .await?;
    super::waitlist::promote(conn, event_id).await?;
    Ok(())
}

/// The mail telling someone their registration is cancelled: kept apart from their record,
/// which is gone when it is sent.
fn cancelled(row: &AttendeeRow) -> NewMail {
    NewMail {
        attendee_id: None,
        ..NewMail::to_attendee(MailKind::RegistrationCancelled, row, None)
    }
}

/// Sends the attendee's ticket again (the registration mail, with the QR code and the
/// calendar file). While one is still waiting to go out, nothing more is queued: pressing
/// twice sends one mail.
pub async fn resend_ticket(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    attendee_id: i32,
) -> Result<(), AppError> {
    // One person is a selection of one: the same rule, the same read of what waits.
    resend_tickets(conn, actor, event_id, &[attendee_id]).await?;
    Ok(())
}

/// The selection of a bulk action, checked for the event's organiser: at least one
/// attendee and at most `BULK_LIMIT`, each once, every one of this event (any other id is
/// 404, and nothing is done).
async fn selection(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    ids: &[i32],
) -> Result<Vec<AttendeeRow>, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let ids = distinct(ids)?;
    rows_of_event(conn, event_id, &ids).await
}

/// At least one id and at most `BULK_LIMIT`, each once.
fn distinct(ids: &[i32]) -> Result<Vec<i32>, AppError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::field(
            "attendee_ids",
            "Select at least one attendee.",
        ));
    }
    if ids.len() > BULK_LIMIT {
        return Err(AppError::field(
            "attendee_ids",
            format!("Select at most {BULK_LIMIT} attendees at once."),
        ));
    }
    Ok(ids)
}

async fn rows_of_event(
    conn: &mut DbConn<'_>,
    event_id: i32,
    ids: &[i32],
) -> Result<Vec<AttendeeRow>, AppError> {
    let rows: Vec<AttendeeRow> = attendees::table
        .filter(attendees::event_id.eq(event_id))
        .filter(crate::db::id_in(attendees::id, ids))
        .select(AttendeeRow::as_select())
        .load(conn)
        .await?;
    if rows.len() != ids.len() {
        return Err(AppError::not_found("Attendee"));
    }
    Ok(rows)
}

/// Checks in each selected attendee by hand (the default list, the organiser as the
/// one at the door); those already in are counted, not checked in twice.
pub async fn check_in_many(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    ids: &[i32],
) -> Result<BulkOutcome, AppError> {
    let rows = selection(conn, actor, event_id, ids).await?;
    let mut outcome = BulkOutcome::default();
    for row in rows {
        let result = checkin::check_in_by_id(conn, actor, event_id, row.id).await?;
        if result.already_checked_in {
            outcome.unchanged += 1;
        } else {
            outcome.done += 1;
        }
    }
    Ok(outcome)
}

/// Sends each selected attendee their ticket again, in one transaction; one still waiting
/// to go out counts as unchanged.
pub async fn resend_tickets(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    ids: &[i32],
) -> Result<BulkOutcome, AppError> {
    let rows = selection(conn, actor, event_id, ids).await?;
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    crate::db::transaction!(conn, async |conn| {
        let waiting: Vec<Option<i32>> = outbox_table::table
            .filter(outbox_table::attendee_id.eq_any(&ids))
            .filter(outbox_table::kind.eq(MailKind::Registered.as_str()))
            .filter(outbox_table::status.eq("pending"))
            .select(outbox_table::attendee_id)
            .load(conn)
            .await?;
        let mails: Vec<NewMail> = rows
            .iter()
            .filter(|row| !waiting.contains(&Some(row.id)))
            .map(|row| NewMail::to_attendee(MailKind::Registered, row, None))
            .collect();
        let outcome = BulkOutcome {
            done: mails.len() as i64,
            unchanged: (rows.len() - mails.len()) as i64,
        };
        outbox::enqueue(conn, mails).await?;
        Ok(outcome)
    })
    .await
}
