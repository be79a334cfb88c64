//! The attendee's right to their data: everything NetEvent holds about their registration,
//! as one JSON file with their photo inside it. Of other people it names only whom a
//! connection, meeting or block of theirs is with (id and name, as they see them), never
//! another person's contact details, profile or settings; the secrets of mails (reset
//! links) and the password's hash stay out.

use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::photos::{PhotoStore, PHOTO_PATH};
use crate::schema::{
    appointments, attendees, blocks, checkins, connections, events, notification_settings, outbox,
};
use base64::Engine;
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The export of attendee `id`, for them only. Its name for the download comes with it.
pub async fn export(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    actor: &Actor,
    id: i32,
) -> Result<(String, Value), AppError> {
    let event_id = actor.attendee_itself(id)?;
    let (event_code, event) = event_of(conn, event_id).await?;
    let profile = profile(conn, store, id).await?;
    let settings: Option<(bool, bool, bool, bool)> = notification_settings::table
        .find(id)
        .select((
            notification_settings::connection_requests,
            notification_settings::meeting_requests,
            notification_settings::meeting_updates,
            notification_settings::reminders,
        ))
        .first(conn)
        .await
        .optional()?;
    // No row: every switch is on, as the settings page shows.
    let (connection_requests, meeting_requests, meeting_updates, reminders) =
        settings.unwrap_or((true, true, true, true));

    let connections: Vec<(i32, i32, i32, String, NaiveDateTime)> = connections::table
        .filter(
            connections::attendee_id
                .eq(id)
                .or(connections::connected_attendee_id.eq(id)),
        )
        .select((
            connections::id,
            connections::attendee_id,
            connections::connected_attendee_id,
            connections::status,
            connections::created_at,
        ))
        .order(connections::id)
        .load(conn)
        .await?;
    type MeetingRow = (
        i32,
        i32,
        i32,
        NaiveDateTime,
        i32,
        Option<String>,
        Option<String>,
        String,
        NaiveDateTime,
    );
    let meetings: Vec<MeetingRow> = appointments::table
        .filter(
            appointments::requester_id
                .eq(id)
                .or(appointments::target_id.eq(id)),
        )
        .select((
            appointments::id,
            appointments::requester_id,
            appointments::target_id,
            appointments::appointment_time,
            appointments::duration_minutes,
            appointments::location,
            appointments::notes,
            appointments::status,
            appointments::created_at,
        ))
        .order(appointments::id)
        .load(conn)
        .await?;
    let blocked: Vec<(i32, NaiveDateTime)> = blocks::table
        .filter(blocks::blocker_id.eq(id))
        .select((blocks::blocked_id, blocks::created_at))
        .order(blocks::created_at)
        .load(conn)
        .await?;
    let checkins: Vec<(NaiveDateTime, Option<String>)> = checkins::table
        .filter(checkins::attendee_id.eq(id))
        .select((checkins::checked_in_at, checkins::device))
        .load(conn)
        .await?;
    let mails: Vec<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> = outbox::table
        .filter(outbox::attendee_id.eq(id))
        .select((
            outbox::kind,
            outbox::recipient,
            outbox::status,
            outbox::created_at,
            outbox::sent_at,
        ))
        .order(outbox::id)
        .load(conn)
        .await?;

    let others: Vec<i32> = connections
        .iter()
        .map(|c| if c.1 == id { c.2 } else { c.1 })
        .chain(meetings.iter().map(|m| if m.1 == id { m.2 } else { m.1 }))
        .chain(blocked.iter().map(|b| b.0))
        .collect();
    let names = names_of(conn, &others).await?;
    let person = |other: i32| names.get(&other).cloned().unwrap_or(Value::Null);
    let direction = |from: i32| if from == id { "outgoing" } else { "incoming" };

    let data = json!({
        "exported_at": Utc::now().naive_utc(),
        "about": "Everything NetEvent holds about your registration for this event. Times are UTC unless marked local.",
        "event": event,
        "profile": profile,
        "notifications": {
            "connection_requests": connection_requests,
            "meeting_requests": meeting_requests,
            "meeting_updates": meeting_updates,
            "reminders": reminders,
        },
        "connections": connections.iter().map(|(cid, from, to, status, at)| json!({
            "id": cid,
            "status": status,
            "direction": direction(*from),
            "with": person(if *from == id { *to } else { *from }),
            "created_at": at,
        })).collect::<Vec<_>>(),
        "meetings": meetings.iter().map(|(mid, from, to, time, minutes, location, notes, status, at)| json!({
            "id": mid,
            "status": status,
            "direction": direction(*from),
            "with": person(if *from == id { *to } else { *from }),
            "local_time": time,
            "duration_minutes": minutes,
            "location": location,
            "notes": notes,
            "created_at": at,
        })).collect::<Vec<_>>(),
        "blocked": blocked.iter().map(|(other, at)| json!({
            "person": person(*other),
            "blocked_at": at,
        })).collect::<Vec<_>>(),
        "checkins": checkins.iter().map(|(at, device)| json!({
            "checked_in_at": at,
            "device": device,
        })).collect::<Vec<_>>(),
        "mails": mails.iter().map(|(kind, to, status, at, sent)| json!({
            "kind": kind,
            "to": to,
            "status": status,
            "created_at": at,
            "sent_at": sent,
        })).collect::<Vec<_>>(),
    });
    Ok((format!("netevent-{event_code}-my-data.json"), data))
}

async fn event_of(conn: &mut DbConn<'_>, event_id: i32) -> Result<(String, Value), AppError> {
    let (code, name, start, end, timezone, location): (
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        String,
        Option<String>,
    ) = events::table
        .find(event_id)
        .select((
            events::code,
            events::name,
            events::start_time,
            events::end_time,
            events::timezone,
            events::location,
        ))
        .first(conn)
        .await?;
    let event = json!({
        "id": event_id,
        "code": code,
        "name": name,
        "local_start_time": start,
        "local_end_time": end,
        "timezone": timezone,
        "location": location,
    });
    Ok((code, event))
}

/// My record, every column but the password's hash, with the photo's bytes as a data URL.
async fn profile(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    id: i32,
) -> Result<Value, AppError> {
    type Row = (
        (String, String, String, Option<String>, Option<String>),
        (Option<String>, Option<String>, String, NaiveDateTime),
        (Option<NaiveDateTime>, bool, bool, String, bool),
    );
    let (
        (email, first_name, last_name, organisation, role),
        (introduction, picture, checkin_token, registered_at),
        (badge_printed_at, badge_organisation, badge_role, meetings_from, hidden),
    ): Row = attendees::table
        .find(id)
        .select((
            (
                attendees::email,
                attendees::first_name,
                attendees::last_name,
                attendees::organisation,
                attendees::role,
            ),
            (
                attendees::introduction,
                attendees::profile_picture,
                attendees::checkin_token,
                attendees::created_at,
            ),
            (
                attendees::badge_printed_at,
                attendees::badge_organisation,
                attendees::badge_role,
                attendees::meetings_from,
                attendees::hidden,
            ),
        ))
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::Unauthenticated)?;
    let photo = match picture
        .as_deref()
        .and_then(|address| address.strip_prefix(PHOTO_PATH)?.strip_prefix('/'))
    {
        Some(name) => store.get(name).await?.map(|bytes| {
            format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        }),
        None => None,
    };
    Ok(json!({
        "id": id,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "organisation": organisation,
        "role": role,
        "introduction": introduction,
        "profile_picture": picture,
        "photo": photo,
        "checkin_token": checkin_token,
        "registered_at": registered_at,
        "badge": {
            "show_organisation": badge_organisation,
            "show_role": badge_role,
            "printed_at": badge_printed_at,
        },
        "privacy": {
            "hidden": hidden,
            "meetings_from": meetings_from,
        },
    }))
}

/// Id and name of each of these people, as `{id, first_name, last_name}`.
async fn names_of(conn: &mut DbConn<'_>, ids: &[i32]) -> Result<HashMap<i32, Value>, AppError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(i32, String, String)> = attendees::table
        .filter(crate::db::id_in(attendees::id, &ids))
        .select((attendees::id, attendees::first_name, attendees::last_name))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, first_name, last_name)| {
            (
                id,
                json!({"id": id, "first_name": first_name, "last_name": last_name}),
            )
        })
        .collect())
}
