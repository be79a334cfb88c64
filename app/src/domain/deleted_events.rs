//! Deleting an event, and taking it back. A deleted event is hidden at once from everyone
//! (its page, lists, logins and sessions of its attendees and staff), kept for
//! `DELETED_EVENTS_KEPT_DAYS` under its organiser's "Deleted events" with Restore, then removed for good
//! with its attendees and their photos by the server's housekeeping (`purge`).
//!
//! Attendees of an event that has not ended are told it is cancelled, `CANCELLATION_MAIL_DELAY_MINUTES` later:
//! an organiser who restores it at once (a slip) sends no mail at all, and one who restores
//! it later tells those who were told that it is back on.

use super::events::{self, utc_now, EventRow};
use super::outbox::{self, MailKind, NewMail};
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{DeletedEvent, Event, Page};
use crate::photos::PhotoStore;
use crate::schema::{attendees, events as events_table, outbox as outbox_table};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::models::{CANCELLATION_MAIL_DELAY_MINUTES, DELETED_EVENTS_KEPT_DAYS};

/// Events removed by one statement of the purge (each takes its attendees with it).
const PURGED_AT_ONCE: i64 = 5;

fn kept_since(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::days(DELETED_EVENTS_KEPT_DAYS)
}

/// Deletes the organiser's event (it can be restored for `DELETED_EVENTS_KEPT_DAYS`) and queues the
/// mail that tells its attendees, unless it is over.
pub async fn delete(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<(), AppError> {
    let event = events::owned_row(conn, actor, id).await?;
    let now = utc_now();
    let over = event.end_time < event.now();
    crate::db::transaction!(conn, async |conn| {
        let hidden = diesel::update(events_table::table.find(id).filter(events::is_live()))
            .set(events_table::deleted_at.eq(now))
            .execute(conn)
            .await?;
        if hidden == 0 {
            // Deleted by another request in between.
            return Err(AppError::not_found("Event"));
        }
        if over {
            return Ok(());
        }
        let people: Vec<(i32, String)> = attendees::table
            .filter(attendees::event_id.eq(id))
            .select((attendees::id, attendees::email))
            .load(conn)
            .await?;
        let due = now + Duration::minutes(CANCELLATION_MAIL_DELAY_MINUTES);
        for chunk in people.chunks(1000) {
            let mails = chunk
                .iter()
                .map(|(attendee, email)| mail(MailKind::EventCancelled, id, *attendee, email))
                .map(|mail| mail.due(due))
                .collect();
            outbox::enqueue(conn, mails).await?;
        }
        Ok(())
    })
    .await
}

fn mail(kind: MailKind, event_id: i32, attendee_id: i32, email: &str) -> NewMail {
    NewMail {
        kind,
        recipient: email.to_owned(),
        event_id: Some(event_id),
        attendee_id: Some(attendee_id),
        subject_id: None,
        secret: None,
        facts: None,
        due_at: None,
    }
}

/// The organiser's deleted events that can still be restored, the latest deleted first.
pub async fn list(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    page: PageParams,
) -> Result<Page<DeletedEvent>, AppError> {
    let organizer_id = actor.organizer_id()?;
    let since = kept_since(utc_now());
    let restorable = || {
        events_table::table
            .filter(events_table::organizer_id.eq(organizer_id))
            .filter(events_table::deleted_at.gt(since))
    };
    let total: i64 = restorable().count().get_result(conn).await?;
    let rows: Vec<EventRow> = restorable()
        .order((events_table::deleted_at.desc(), events_table::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(EventRow::as_select())
        .load(conn)
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let deleted_at = row.deleted_at?;
            Some(DeletedEvent {
                id: row.id,
                code: row.code,
                name: row.name,
                start_time: row.start_time,
                end_time: row.end_time,
                timezone: row.timezone,
                attendee_count: i64::from(row.attendee_count),
                deleted_at,
                purge_at: deleted_at + Duration::days(DELETED_EVENTS_KEPT_DAYS),
            })
        })
        .collect();
    Ok(Page { items, total })
}

/// Brings a deleted event back as it was, attendees and all. Cancellation mail not sent yet
/// is dropped; those already told get a mail that it is back on. Restoring a live event
/// changes nothing; one past its `DELETED_EVENTS_KEPT_DAYS` is gone (404).
pub async fn restore(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Event, AppError> {
    let organizer_id = actor.organizer_id()?;
    let row: EventRow = events_table::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Event"))?;
    if row.organizer_id != organizer_id {
        return Err(AppError::Forbidden);
    }
    let Some(deleted_at) = row.deleted_at else {
        return events::get(conn, id).await;
    };
    if deleted_at <= kept_since(utc_now()) {
        return Err(AppError::not_found("Event"));
    }
    crate::db::transaction!(conn, async |conn| {
        let restored = diesel::update(
            events_table::table
                .find(id)
                .filter(events_table::deleted_at.is_not_null()),
        )
        .set(events_table::deleted_at.eq(None::<NaiveDateTime>))
        .execute(conn)
        .await?;
        if restored == 0 {
            return Ok(());
        }
        let cancellations = || {
            outbox_table::table
                .filter(outbox_table::event_id.eq(id))
                .filter(outbox_table::kind.eq(MailKind::EventCancelled.as_str()))
        };
        diesel::update(cancellations().filter(outbox_table::status.eq("pending")))
            .set((
                outbox_table::status.eq("skipped"),
                outbox_table::last_error.eq("the event was restored before this was sent"),
            ))
            .execute(conn)
            .await?;
        let told: Vec<(Option<i32>, String)> = cancellations()
            .filter(outbox_table::status.eq("sent"))
            .select((outbox_table::attendee_id, outbox_table::recipient))
            .distinct()
            .load(conn)
            .await?;
        let mails = told
            .iter()
            .filter_map(|(attendee, email)| {
                Some(mail(MailKind::EventRestored, id, (*attendee)?, email))
            })
            .collect();
        outbox::enqueue(conn, mails).await
    })
    .await?;
    events::get(conn, id).await
}

/// Removes for good the events deleted more than `DELETED_EVENTS_KEPT_DAYS` before `now`, with their
/// attendees (ON DELETE CASCADE), their covers and the photos no other registration shows. Answers how
/// many events went.
pub async fn purge(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let since = kept_since(now);
    let mut purged = 0;
    loop {
        let ids: Vec<i32> = events_table::table
            .filter(events_table::deleted_at.le(since))
            .select(events_table::id)
            .limit(PURGED_AT_ONCE)
            .load(conn)
            .await?;
        if ids.is_empty() {
            return Ok(purged);
        }
        let photos: Vec<Option<String>> = attendees::table
            .filter(attendees::event_id.eq_any(&ids))
            .filter(attendees::profile_picture.is_not_null())
            .select(attendees::profile_picture)
            .distinct()
            .load(conn)
            .await?;
        let covers: Vec<Option<String>> = events_table::table
            .filter(events_table::id.eq_any(&ids))
            .select(events_table::cover_image)
            .load(conn)
            .await?;
        let removed = diesel::delete(
            events_table::table
                .filter(events_table::id.eq_any(&ids))
                .filter(events_table::deleted_at.le(since)),
        )
        .execute(conn)
        .await?;
        if removed == 0 {
            return Ok(purged);
        }
        purged += removed;
        // A cover is no one's profile photo: forgetting deletes it.
        let photos: Vec<String> = photos.into_iter().chain(covers).flatten().collect();
        if let Err(error) = super::attendees::forget_photos(conn, store, &photos).await {
            tracing::warn!(%error, "could not look up the photos of purged events");
        }
    }
}
