//! The waitlist. An event may let people queue once it is full: joining takes the same
//! details as registering (the password hashed at once), and each seat freed — an RSVP
//! cancelled, a registration cancelled by the organiser, a higher capacity — goes to the
//! first in line, who becomes an attendee and gets their ticket by mail. Promotion holds the
//! event's row lock, as every seat taken does, so however many seats free at once each goes
//! to exactly one person, in the order they joined, and the event is never over capacity.

use super::seating::{already_registered, check_registration, resolve_event, seat, NewAttendee};
use super::{events, random_hex, Actor};
use crate::auth::hash_password;
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::inputs::AttendeeRegistration;
use crate::models::{WaitlistPlace, WaitlistSetting};
use crate::schema::{attendees, events as events_table, waitlist};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;

/// Whether the event has a waitlist and how many are on it; its organiser's.
pub async fn setting(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<WaitlistSetting, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let enabled: bool = events_table::table
        .find(event_id)
        .select(events_table::waitlist)
        .first(conn)
        .await?;
    let waiting: i64 = waitlist::table
        .filter(waitlist::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(WaitlistSetting { enabled, waiting })
}

/// Opens or closes the waitlist. Closing keeps those already on it in line: seats freed
/// still go to them.
pub async fn set(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    enabled: bool,
) -> Result<WaitlistSetting, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    diesel::update(events_table::table.find(event_id))
        .set(events_table::waitlist.eq(enabled))
        .execute(conn)
        .await?;
    setting(conn, actor, event_id).await
}

/// Joins the waitlist of a full event; answers the place in line (1 is next).
pub async fn join(pool: &DbPool, input: AttendeeRegistration) -> Result<WaitlistPlace, AppError> {
    let (email, password, profile) = check_registration(&input)?;
    let event_id = {
        let mut conn = pool.get().await?;
        let event_id =
            resolve_event(&mut conn, input.event_id, input.event_code.as_deref()).await?;
        let (enabled, max, count): (bool, Option<i32>, i32) = events_table::table
            .find(event_id)
            .select((
                events_table::waitlist,
                events_table::max_attendees,
                events_table::attendee_count,
            ))
            .first(&mut conn)
            .await?;
        if !enabled {
            return Err(AppError::conflict(
                "waitlist_closed",
                "This event has no waitlist.",
            ));
        }
        if max.is_none_or(|max| count < max) {
            return Err(AppError::conflict(
                "seats_open",
                "There are seats left: register instead.",
            ));
        }
        let registered: i64 = attendees::table
            .filter(attendees::event_id.eq(event_id))
            .filter(attendees::email.eq(email.as_str()))
            .count()
            .get_result(&mut conn)
            .await?;
        if registered > 0 {
            return Err(already_registered());
        }
        event_id
    };
    let password_hash = hash_password(&password).await?;
    let mut conn = pool.get().await?;
    let id: i64 = crate::db::transaction!(conn, async |conn| {
            diesel::insert_into(waitlist::table)
                .values((
                    waitlist::event_id.eq(event_id),
                    waitlist::email.eq(email.as_str()),
                    waitlist::password_hash.eq(&password_hash),
                    waitlist::first_name.eq(&profile.first_name),
                    waitlist::last_name.eq(&profile.last_name),
                    waitlist::organisation.eq(&profile.organisation),
                    waitlist::role.eq(&profile.role),
                    waitlist::introduction.eq(&profile.introduction),
                ))
                .execute(conn)
                .await
                .map_err(|error| match error {
                    DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                        AppError::conflict(
                            "already_waitlisted",
                            "This email is on the waitlist already. We will mail the ticket when a seat is yours.",
                        )
                    }
                    other => other.into(),
                })?;
            Ok(waitlist::table
                .filter(waitlist::event_id.eq(event_id))
                .filter(waitlist::email.eq(email.as_str()))
                .select(waitlist::id)
                .first(conn)
                .await?)
        })
        .await?;
    let position: i64 = waitlist::table
        .filter(waitlist::event_id.eq(event_id))
        .filter(waitlist::id.le(id))
        .count()
        .get_result(&mut conn)
        .await?;
    Ok(WaitlistPlace { event_id, position })
}

type Entry = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Gives every free seat of the event to the first in line, in one transaction under the
/// event's row lock; answers how many were seated. Called after anything that frees seats.
pub(crate) async fn promote(conn: &mut DbConn<'_>, event_id: i32) -> Result<usize, AppError> {
    crate::db::transaction!(conn, async |conn| {
        let (max, count): (Option<i32>, i32) = match events_table::table
            .find(event_id)
            .select((events_table::max_attendees, events_table::attendee_count))
            .for_update()
            .first(conn)
            .await
            .optional()?
        {
            Some(seats) => seats,
            None => return Ok(0),
        };
        let free = match max {
            Some(max) if max > count => i64::from(max - count),
            // No limit: nobody waits for long; a limit reached: nothing to give.
            None => i64::MAX,
            Some(_) => return Ok(0),
        };
        let entries: Vec<Entry> = waitlist::table
            .filter(waitlist::event_id.eq(event_id))
            .order(waitlist::id)
            .limit(free.min(1_000))
            .select((
                waitlist::id,
                waitlist::email,
                waitlist::password_hash,
                waitlist::first_name,
                waitlist::last_name,
                waitlist::organisation,
                waitlist::role,
                waitlist::introduction,
            ))
            .for_update()
            .load(conn)
            .await?;
        let mut seated = 0;
        for (id, email, password_hash, first_name, last_name, organisation, role, introduction) in
            entries
        {
            diesel::delete(waitlist::table.find(id))
                .execute(conn)
                .await?;
            let new = NewAttendee {
                event_id,
                email,
                password_hash,
                first_name,
                last_name,
                organisation,
                role,
                introduction,
                profile_picture: None,
                checkin_token: random_hex(20),
                badge_organisation: None,
                badge_role: None,
                meetings_from: None,
            };
            match seat(conn, &new).await {
                Ok(_) => seated += 1,
                // Registered meanwhile by other means: their place in line is done with.
                Err(AppError::Conflict { code, .. }) if code == "already_registered" => {}
                Err(other) => return Err(other),
            }
        }
        Ok(seated)
    })
    .await
}
