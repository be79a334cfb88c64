//! Retention: the organiser sets how many days after the event's end its attendees' personal
//! data is kept; the hourly housekeeping then erases it. Erased: names, email, organisation,
//! role, introduction, photo (its file too, unless another registration of the person still
//! shows it), the password, and everything between people (connections, meetings, blocks,
//! interests, mail settings, mails). Kept, as anonymous records: each registration and its
//! check-in, so the event's counts and check-in curve stay in the stats.

use super::{attendees, events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{Retention, RetentionInput};
use crate::photos::PhotoStore;
use crate::schema::{
    appointments, attendee_tags, attendees as attendees_table, blocks, connections,
    events as events_table, notification_settings, outbox,
};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// The longest period one may set: ten years.
pub const MAX_DAYS: i64 = 3650;

/// Events erased per housekeeping round at most; the next round takes the rest.
const ERASED_PER_ROUND: i64 = 10;

fn view(
    retention_days: Option<i32>,
    end_utc: NaiveDateTime,
    erased_at: Option<NaiveDateTime>,
) -> Retention {
    Retention {
        retention_days,
        erase_after: retention_days.map(|days| end_utc + Duration::days(i64::from(days))),
        erased_at,
    }
}

/// The event's retention; its organiser's only.
pub async fn get(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<Retention, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let (days, end_utc, erased_at): (Option<i32>, NaiveDateTime, Option<NaiveDateTime>) =
        events_table::table
            .find(event_id)
            .select((
                events_table::retention_days,
                events_table::end_utc,
                events_table::erased_at,
            ))
            .first(conn)
            .await?;
    Ok(view(days, end_utc, erased_at))
}

/// Sets the period: 0 to `MAX_DAYS` days after the end, or none (kept until the event is
/// deleted). Once erased, an event's data does not come back whatever is set.
pub async fn put(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: RetentionInput,
) -> Result<Retention, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let days = match input.retention_days {
        None => None,
        Some(days @ 0..=MAX_DAYS) => Some(days as i32),
        Some(_) => {
            return Err(AppError::field(
                "retention_days",
                format!(
                "Keep the data between 0 and {MAX_DAYS} days after the event, or leave it empty."
            ),
            ))
        }
    };
    diesel::update(events_table::table.find(event_id))
        .set(events_table::retention_days.eq(days))
        .execute(conn)
        .await?;
    get(conn, actor, event_id).await
}

/// Erases the events whose period has passed by `now` (UTC), at most `ERASED_PER_ROUND`;
/// answers how many. Safe to run on several instances at once: an event is claimed by
/// setting its `erased_at` in the transaction that erases it.
pub async fn erase_due(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let candidates: Vec<(i32, i32, NaiveDateTime)> = events_table::table
        .filter(events_table::erased_at.is_null())
        .filter(events_table::retention_days.is_not_null())
        .filter(events_table::end_utc.le(now))
        .select((
            events_table::id,
            events_table::retention_days.assume_not_null(),
            events_table::end_utc,
        ))
        .order(events_table::end_utc)
        .limit(ERASED_PER_ROUND * 10)
        .load(conn)
        .await?;
    let due: Vec<i32> = candidates
        .into_iter()
        .filter(|(_, days, end)| *end + Duration::days(i64::from(*days)) <= now)
        .map(|(id, _, _)| id)
        .take(ERASED_PER_ROUND as usize)
        .collect();
    let mut erased = 0;
    for event_id in due {
        if erase(conn, store, event_id, now).await? {
            erased += 1;
        }
    }
    Ok(erased)
}

/// Erases one event's personal data; false when another instance got there first.
async fn erase(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    event_id: i32,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let people = || {
        attendees_table::table
            .filter(attendees_table::event_id.eq(event_id))
            .select(attendees_table::id)
    };
    let pictures: Vec<String> = attendees_table::table
        .filter(attendees_table::event_id.eq(event_id))
        .filter(attendees_table::profile_picture.is_not_null())
        .select(attendees_table::profile_picture.assume_not_null())
        .distinct()
        .load(conn)
        .await?;
    let claimed = crate::db::transaction!(conn, async |conn| {
        let claimed = diesel::update(
            events_table::table
                .find(event_id)
                .filter(events_table::erased_at.is_null()),
        )
        .set(events_table::erased_at.eq(now))
        .execute(conn)
        .await?;
        if claimed == 0 {
            return Ok(false);
        }
        diesel::delete(appointments::table.filter(appointments::event_id.eq(event_id)))
            .execute(conn)
            .await?;
        diesel::delete(connections::table.filter(connections::attendee_id.eq_any(people())))
            .execute(conn)
            .await?;
        diesel::delete(blocks::table.filter(blocks::blocker_id.eq_any(people())))
            .execute(conn)
            .await?;
        diesel::delete(attendee_tags::table.filter(attendee_tags::attendee_id.eq_any(people())))
            .execute(conn)
            .await?;
        diesel::delete(
            notification_settings::table
                .filter(notification_settings::attendee_id.eq_any(people())),
        )
        .execute(conn)
        .await?;
        diesel::delete(outbox::table.filter(outbox::event_id.eq(event_id)))
            .execute(conn)
            .await?;
        // Each record keeps its id and seat, and nothing that names the person. The
        // password is no hash at all: no password matches it.
        diesel::sql_query(
            "UPDATE attendees SET email = CONCAT('erased-', id, '@erased.invalid'), \
                 first_name = 'Erased', last_name = CONCAT('attendee ', id), \
                 organisation = NULL, role = NULL, introduction = NULL, \
                 profile_picture = NULL, password_hash = '!erased', hidden = TRUE \
                 WHERE event_id = ?",
        )
        .bind::<diesel::sql_types::Integer, _>(event_id)
        .execute(conn)
        .await?;
        Ok(true)
    })
    .await?;
    if claimed {
        attendees::forget_photos(conn, store, &pictures).await?;
        tracing::info!(
            event_id,
            "erased the attendees' personal data after its retention period"
        );
    }
    Ok(claimed)
}
