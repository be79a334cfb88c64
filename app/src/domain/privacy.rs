//! What an attendee lets others do: who may ask them for a 1:1 meeting (everyone at the
//! event, only their connections, or nobody). Decided here, on every meeting request.

use super::{connections, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{MeetingsFrom, Privacy, RequestStatus};
use crate::schema::attendees;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// My settings; only mine.
pub async fn get(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Privacy, AppError> {
    mine(actor, id)?;
    Ok(Privacy {
        meetings_from: meetings_from(conn, id).await?,
    })
}

pub async fn put(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    privacy: Privacy,
) -> Result<Privacy, AppError> {
    mine(actor, id)?;
    diesel::update(attendees::table.find(id))
        .set(attendees::meetings_from.eq(privacy.meetings_from.as_str()))
        .execute(conn)
        .await?;
    get(conn, actor, id).await
}

fn mine(actor: &Actor, id: i32) -> Result<(), AppError> {
    let (me, _) = actor.attendee()?;
    if me != id {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

async fn meetings_from(conn: &mut DbConn<'_>, id: i32) -> Result<MeetingsFrom, AppError> {
    let value: String = attendees::table
        .find(id)
        .select(attendees::meetings_from)
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Attendee"))?;
    // The column's CHECK admits only the three names.
    Ok(MeetingsFrom::parse(&value).unwrap_or_default())
}

/// Whether `me` may ask `target` (of the same event, already found) for a meeting: 403
/// `meetings_closed` with the reason when their setting says no.
pub(crate) async fn may_ask_for_meeting(
    conn: &mut DbConn<'_>,
    me: i32,
    target: i32,
    target_name: &str,
) -> Result<(), AppError> {
    let closed = |message: String| AppError::Refused {
        code: "meetings_closed".into(),
        message,
    };
    match meetings_from(conn, target).await? {
        MeetingsFrom::Everyone => Ok(()),
        MeetingsFrom::Nobody => Err(closed(format!(
            "{target_name} is not taking meeting requests."
        ))),
        MeetingsFrom::Connections => {
            let connected = connections::links(conn, me, &[target])
                .await?
                .get(&target)
                .is_some_and(|link| link.status == RequestStatus::Accepted);
            if connected {
                Ok(())
            } else {
                Err(closed(format!(
                    "{target_name} takes meeting requests from their connections only. Connect first."
                )))
            }
        }
    }
}
