//! Attendance figures of one event, for its organiser.

use super::{events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{EventStats, NameCount, TimeCount};
use crate::schema::checkins;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Integer};
use diesel_async::RunQueryDsl;

const BUCKET_MINUTES: i64 = 15;
const TOP: i64 = 8;
/// A chart wider than this would be unreadable on a phone; later periods are dropped.
const MAX_BUCKETS: usize = 96;

#[derive(QueryableByName)]
struct BucketRow {
    #[diesel(sql_type = Datetime)]
    start: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// (registered, checked in) of an event, for whoever may already see it.
pub(crate) async fn attendance(
    conn: &mut DbConn<'_>,
    event: &events::EventRow,
) -> Result<(i64, i64), AppError> {
    let checked_in: i64 = checkins::table
        .filter(checkins::event_id.eq(event.id))
        .count()
        .get_result(conn)
        .await?;
    Ok((i64::from(event.attendee_count), checked_in))
}

pub async fn for_event(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<EventStats, AppError> {
    // The organiser, and the event's door supervisors for the counts.
    let event = match actor {
        Actor::Staff { .. } => {
            super::door_keeper::supervisor_or_organiser(conn, actor, event_id).await?;
            events::find_row(conn, event_id).await?
        }
        _ => events::owned_row(conn, actor, event_id).await?,
    };
    let (registered, checked_in) = attendance(conn, &event).await?;
    // Floor each check-in to its quarter hour, in the database (index on event_id, time).
    let buckets: Vec<BucketRow> = diesel::sql_query(format!(
        "SELECT DATE_SUB(checked_in_at, INTERVAL (MINUTE(checked_in_at) % {BUCKET_MINUTES}) * 60 + SECOND(checked_in_at) SECOND) AS start, \
         COUNT(*) AS count FROM checkins WHERE event_id = ? GROUP BY start ORDER BY start"
    ))
    .bind::<Integer, _>(event_id)
    .load(conn)
    .await?;
    let ended = event.end_time < event.now();
    Ok(EventStats {
        event_id,
        registered,
        capacity: event.max_attendees,
        spots_left: event
            .max_attendees
            .map(|max| (i64::from(max) - registered).max(0)),
        checked_in,
        checkin_rate: if registered == 0 {
            0.0
        } else {
            checked_in as f64 / registered as f64
        },
        no_shows: ended.then(|| (registered - checked_in).max(0)),
        bucket_minutes: BUCKET_MINUTES,
        checkins_over_time: contiguous(buckets),
        top_organisations: top(conn, event_id, "organisation", TOP).await?,
        top_roles: top(conn, event_id, "role", TOP).await?,
        lists: super::checkin_lists::counts(conn, event_id).await?,
    })
}

/// Fills the periods without check-ins, so the chart's time axis is even.
fn contiguous(buckets: Vec<BucketRow>) -> Vec<TimeCount> {
    let mut out: Vec<TimeCount> = Vec::new();
    for bucket in buckets {
        while let Some(last) = out.last() {
            let next = last.start + Duration::minutes(BUCKET_MINUTES);
            if next >= bucket.start || out.len() >= MAX_BUCKETS {
                break;
            }
            out.push(TimeCount {
                start: next,
                count: 0,
            });
        }
        if out.len() >= MAX_BUCKETS {
            break;
        }
        out.push(TimeCount {
            start: bucket.start,
            count: bucket.count,
        });
    }
    out
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = diesel::sql_types::Varchar)]
    name: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// The most common values of a profile column among the event's attendees.
/// `column` is one of our own column names, never user input.
pub(crate) async fn top(
    conn: &mut DbConn<'_>,
    event_id: i32,
    column: &'static str,
    limit: i64,
) -> Result<Vec<NameCount>, AppError> {
    debug_assert!(matches!(column, "organisation" | "role"));
    let rows: Vec<NameRow> = diesel::sql_query(format!(
        "SELECT MIN({column}) AS name, COUNT(*) AS count FROM attendees \
         WHERE event_id = ? AND {column} IS NOT NULL AND {column} <> '' \
         GROUP BY {column} ORDER BY count DESC, name LIMIT {limit}"
    ))
    .bind::<Integer, _>(event_id)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NameCount {
            name: r.name,
            count: r.count,
        })
        .collect())
}
