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

const TOP: i64 = 8;
/// Bars a chart aims for at most: the check-in period is the smallest of `PERIODS` that
/// draws the span of check-ins in fewer bars.
const CHART_BARS: i64 = 48;
/// Periods of the check-in chart, in minutes; each divides a day.
const PERIODS: [i64; 6] = [15, 30, 60, 180, 360, 1440];
/// A chart wider than this would be unreadable on a phone; later periods are dropped.
const MAX_BUCKETS: usize = 96;
/// Registrations are counted per day, or per week once they span more days than this.
const DAILY_UP_TO_DAYS: i64 = 60;

#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

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
    let (minutes, checkins_over_time) = checkins_over_time(conn, event_id).await?;
    let (registration_days, registrations_over_time) =
        registrations_over_time(conn, &event).await?;
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
        bucket_minutes: minutes,
        checkins_over_time,
        registration_bucket_days: registration_days,
        registrations_over_time,
        top_organisations: top(conn, event_id, "organisation", TOP).await?,
        top_roles: top(conn, event_id, "role", TOP).await?,
        lists: super::checkin_lists::counts(conn, event_id).await?,
    })
}

/// Check-ins per period, the period fitting their span: a quarter hour for a morning's
/// doors, a day for a week-long fair. Both reads use the (event_id, checked_in_at) index.
async fn checkins_over_time(
    conn: &mut DbConn<'_>,
    event_id: i32,
) -> Result<(i64, Vec<TimeCount>), AppError> {
    use diesel::dsl::{max, min};
    let (first, last): (Option<NaiveDateTime>, Option<NaiveDateTime>) = checkins::table
        .filter(checkins::event_id.eq(event_id))
        .select((min(checkins::checked_in_at), max(checkins::checked_in_at)))
        .first(conn)
        .await?;
    let span = match (first, last) {
        (Some(first), Some(last)) => last - first,
        _ => return Ok((PERIODS[0], Vec::new())),
    };
    let minutes = period_for(span);
    // Floor each check-in to its period, in the database.
    let buckets: Vec<BucketRow> = diesel::sql_query(format!(
        "SELECT DATE_SUB(checked_in_at, INTERVAL MOD(HOUR(checked_in_at) * 60 + MINUTE(checked_in_at), {minutes}) * 60 + SECOND(checked_in_at) SECOND) AS start, \
         COUNT(*) AS count FROM checkins WHERE event_id = ? GROUP BY start ORDER BY start"
    ))
    .bind::<Integer, _>(event_id)
    .load(conn)
    .await?;
    let buckets = buckets
        .into_iter()
        .map(|b| TimeCount {
            start: b.start,
            count: b.count,
        })
        .collect();
    Ok((minutes, contiguous(buckets, Duration::minutes(minutes))))
}

/// The smallest period that draws `span` in fewer than `CHART_BARS` bars.
fn period_for(span: Duration) -> i64 {
    PERIODS
        .into_iter()
        .find(|minutes| span.num_minutes() / minutes < CHART_BARS)
        .unwrap_or(PERIODS[PERIODS.len() - 1])
}

/// Registrations per day at the event (its zone's midnight to midnight), or per week once
/// they span more than `DAILY_UP_TO_DAYS`: (days per bar, bars). The zone's offset of now
/// is used for every day: a day either side of a clock change counts an hour early or late.
async fn registrations_over_time(
    conn: &mut DbConn<'_>,
    event: &events::EventRow,
) -> Result<(i64, Vec<TimeCount>), AppError> {
    use chrono::{Offset, TimeZone};
    let offset = event
        .zone()
        .offset_from_utc_datetime(&chrono::Utc::now().naive_utc())
        .fix()
        .local_minus_utc();
    // UNIX_TIMESTAMP reads the stored instant, whatever the session's zone (index on
    // event_id, created_at).
    let days: Vec<DayRow> = diesel::sql_query(
        "SELECT CAST((UNIX_TIMESTAMP(created_at) + ?) DIV 86400 AS SIGNED) AS day, COUNT(*) AS count \
         FROM attendees WHERE event_id = ? GROUP BY day ORDER BY day",
    )
    .bind::<Integer, _>(offset)
    .bind::<Integer, _>(event.id)
    .load(conn)
    .await?;
    let (Some(first_day), Some(last_day)) = (
        <[DayRow]>::first(&days).map(|d| d.day),
        <[DayRow]>::last(&days).map(|d| d.day),
    ) else {
        return Ok((1, Vec::new()));
    };
    let per = if last_day - first_day > DAILY_UP_TO_DAYS {
        7
    } else {
        1
    };
    let mut bars: Vec<TimeCount> = Vec::new();
    for row in days {
        let start_day = first_day + (row.day - first_day) / per * per;
        let start = chrono::DateTime::from_timestamp(start_day * 86400, 0)
            .unwrap_or_default()
            .naive_utc();
        match bars.last_mut() {
            Some(bar) if bar.start == start => bar.count += row.count,
            _ => bars.push(TimeCount {
                start,
                count: row.count,
            }),
        }
    }
    Ok((per, contiguous(bars, Duration::days(per))))
}

/// Fills the periods without any, so the chart's time axis is even.
fn contiguous(buckets: Vec<TimeCount>, period: Duration) -> Vec<TimeCount> {
    let mut out: Vec<TimeCount> = Vec::new();
    for bucket in buckets {
        while let Some(last) = out.last() {
            let next = last.start + period;
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
