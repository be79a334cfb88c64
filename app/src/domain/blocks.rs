//! Blocking: an attendee keeps another of the same event away. From then on the two are
//! apart both ways: neither finds the other in lists or search, a profile asked for by its
//! id answers 404, neither may ask the other to connect or meet (404, as for someone who
//! does not exist), and what was between them (their connection or its request, meeting
//! requests and meetings) is gone. Only the one who blocked may unblock; the other is never
//! told.

use super::attendees::{self, AttendeeRow};
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{BlockedPerson, Page};
use crate::schema::{appointments, attendees as attendees_table, blocks, connections};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// The most people one attendee may block (a bound on what every list of theirs filters).
pub const MAX_BLOCKS: i64 = 500;

/// Everyone `me` is kept apart from, whichever of the two blocked: sorted, no repeats.
pub(crate) async fn apart_from(conn: &mut DbConn<'_>, me: i32) -> Result<Vec<i32>, AppError> {
    let mut ids: Vec<i32> = blocks::table
        .filter(blocks::blocker_id.eq(me))
        .select(blocks::blocked_id)
        .union(
            blocks::table
                .filter(blocks::blocked_id.eq(me))
                .select(blocks::blocker_id),
        )
        .load(conn)
        .await?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Whether a block stands between `a` and `b`, either way.
pub(crate) async fn apart(conn: &mut DbConn<'_>, a: i32, b: i32) -> Result<bool, AppError> {
    let found: i64 = blocks::table
        .filter(
            (blocks::blocker_id.eq(a).and(blocks::blocked_id.eq(b)))
                .or(blocks::blocker_id.eq(b).and(blocks::blocked_id.eq(a))),
        )
        .count()
        .get_result(conn)
        .await?;
    Ok(found > 0)
}

/// The one rule for every path that reaches a person by id: someone I am kept apart from is,
/// to me, someone who does not exist.
pub(crate) async fn not_apart(
    conn: &mut DbConn<'_>,
    me: i32,
    target: &AttendeeRow,
) -> Result<(), AppError> {
    if apart(conn, me, target.id).await? {
        return Err(AppError::not_found("Attendee"));
    }
    Ok(())
}

/// I (`id`) block `other`, of my event. Blocking again is no error. Their connection with
/// me, its request, and our meetings and meeting requests go with it, in one transaction.
pub async fn block(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    other: i32,
) -> Result<(), AppError> {
    let event_id = actor.attendee_itself(id)?;
    if other == id {
        return Err(AppError::field("attendee_id", "You cannot block yourself."));
    }
    let target = attendees::find_in_event(conn, other, event_id).await?;
    // Someone hidden from me stays unknown, unless a block already stands between us (the
    // one who blocked me may be blocked back).
    if target.hidden && !apart(conn, id, other).await? {
        let connected = super::connections::are_connected(conn, id, other).await?;
        super::privacy::seen_by(&target, connected)?;
    }
    let already: i64 = blocks::table
        .filter(blocks::blocker_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    if already >= MAX_BLOCKS {
        return Err(AppError::conflict(
            "too_many_blocks",
            format!(
                "You have blocked {MAX_BLOCKS} people, the most we keep. Unblock someone first."
            ),
        ));
    }
    let between = |a, b| {
        connections::attendee_id
            .eq(a)
            .and(connections::connected_attendee_id.eq(b))
    };
    let meetings_between = |a, b| {
        appointments::requester_id
            .eq(a)
            .and(appointments::target_id.eq(b))
    };
    crate::db::transaction!(conn, async |conn| {
        diesel::insert_or_ignore_into(blocks::table)
            .values((blocks::blocker_id.eq(id), blocks::blocked_id.eq(other)))
            .execute(conn)
            .await?;
        diesel::delete(connections::table.filter(between(id, other).or(between(other, id))))
            .execute(conn)
            .await?;
        diesel::delete(
            appointments::table.filter(meetings_between(id, other).or(meetings_between(other, id))),
        )
        .execute(conn)
        .await?;
        super::interests::bump(conn, event_id).await
    })
    .await
}

/// I (`id`) unblock `other`; unblocking someone not blocked is no error. What the block
/// took away does not come back.
pub async fn unblock(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    other: i32,
) -> Result<(), AppError> {
    let event_id = actor.attendee_itself(id)?;
    crate::db::transaction!(conn, async |conn| {
        diesel::delete(blocks::table.find((id, other)))
            .execute(conn)
            .await?;
        super::interests::bump(conn, event_id).await
    })
    .await
}

/// Whom I blocked, newest first.
pub async fn list(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    page: PageParams,
) -> Result<Page<BlockedPerson>, AppError> {
    actor.attendee_itself(id)?;
    let mine = || blocks::table.filter(blocks::blocker_id.eq(id));
    let total: i64 = mine().count().get_result(conn).await?;
    let rows: Vec<(i32, String, String, NaiveDateTime)> = mine()
        .inner_join(attendees_table::table.on(attendees_table::id.eq(blocks::blocked_id)))
        .select((
            attendees_table::id,
            attendees_table::first_name,
            attendees_table::last_name,
            blocks::created_at,
        ))
        .order((blocks::created_at.desc(), blocks::blocked_id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)
        .await?;
    let items = rows
        .into_iter()
        .map(|(id, first_name, last_name, blocked_at)| BlockedPerson {
            id,
            first_name,
            last_name,
            blocked_at,
        })
        .collect();
    Ok(Page { items, total })
}
