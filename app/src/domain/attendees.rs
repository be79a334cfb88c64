//! Attendees' profiles: who sees what of a profile, changing my own, my photo, my ticket.
//! Registration and seating are in `seating`, lists and search in `attendee_lists`.

use super::authorization::{Relation, Visibility};
use super::events::find_row as find_event_row;
use super::{connections, events, Actor};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::inputs::ProfilePatch;
use crate::models::{Attendee, Event, RequestStatus};
use crate::photos::{self, PhotoStore};
use crate::schema::attendees;
use crate::validate::{optional_paragraphs, optional_text, required_text, Checker};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::collections::HashMap;

pub use super::seating::{cancel_rsvp, register, rsvp};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = attendees, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct AttendeeRow {
    pub id: i32,
    pub event_id: i32,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
    pub profile_picture: Option<String>,
    pub checkin_token: String,
    pub created_at: NaiveDateTime,
    /// Hidden from other attendees' directory: only their connections find them.
    pub hidden: bool,
    /// Who may ask them for a meeting (`MeetingsFrom`'s names).
    pub meetings_from: String,
}

impl AttendeeRow {
    pub(crate) fn view(self, visibility: Visibility) -> Attendee {
        Attendee {
            id: self.id,
            event_id: self.event_id,
            email: (visibility != Visibility::Public).then_some(self.email),
            first_name: self.first_name,
            last_name: self.last_name,
            organisation: self.organisation,
            role: self.role,
            introduction: self.introduction,
            profile_picture: self.profile_picture,
            created_at: self.created_at,
            checkin_token: (visibility == Visibility::Own).then_some(self.checkin_token),
            checked_in_at: None,
            connection: None,
        }
    }
}

/// Attendee rows by id, for lists that show the other person.
pub(crate) async fn rows_by_id(
    conn: &mut DbConn<'_>,
    ids: &[i32],
) -> Result<HashMap<i32, AttendeeRow>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<AttendeeRow> = attendees::table
        .filter(attendees::id.eq_any(ids))
        .select(AttendeeRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// An attendee of `event_id`; one of another event is as unknown as one that does not exist.
pub(crate) async fn find_in_event(
    conn: &mut DbConn<'_>,
    id: i32,
    event_id: i32,
) -> Result<AttendeeRow, AppError> {
    let row = find_row(conn, id).await?;
    if row.event_id != event_id {
        return Err(AppError::not_found("Attendee"));
    }
    Ok(row)
}

/// Changes my own profile; absent fields stay as they are.
pub async fn update_profile(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    patch: ProfilePatch,
) -> Result<Attendee, AppError> {
    let current = own_row(conn, actor, id).await?;
    let mut checker = Checker::default();
    let text = |checker: &mut Checker, field: &str, value: Option<String>, max, label| {
        checker.check(
            field,
            required_text(value.as_deref().unwrap_or(""), max, label),
        )
    };
    let first_name = match patch.first_name {
        Some(v) => text(&mut checker, "first_name", Some(v), 100, "First name"),
        None => Some(current.first_name),
    };
    let last_name = match patch.last_name {
        Some(v) => text(&mut checker, "last_name", Some(v), 100, "Last name"),
        None => Some(current.last_name),
    };
    type Parse = fn(&str, usize, &str) -> Result<Option<String>, String>;
    let mut optional =
        |field: &str, value: Option<Option<String>>, old, max, label, parse: Parse| match value {
            Some(v) => checker.check(field, parse(v.as_deref().unwrap_or(""), max, label)),
            None => Some(old),
        };
    let organisation = optional(
        "organisation",
        patch.organisation,
        current.organisation,
        255,
        "Organisation",
        optional_text,
    );
    let role = optional("role", patch.role, current.role, 255, "Role", optional_text);
    let introduction = optional(
        "introduction",
        patch.introduction,
        current.introduction,
        2_000,
        "Introduction",
        optional_paragraphs,
    );
    checker.finish()?;
    diesel::update(attendees::table.find(id))
        .set((
            attendees::first_name.eq(first_name.unwrap()),
            attendees::last_name.eq(last_name.unwrap()),
            attendees::organisation.eq(organisation.unwrap()),
            attendees::role.eq(role.unwrap()),
            attendees::introduction.eq(introduction.unwrap()),
        ))
        .execute(conn)
        .await?;
    Ok(find_row(conn, id)
        .await?
        .view(Visibility::of(Relation::Themself)))
}

/// My own record: another attendee of my event gets 403, anyone else 404.
async fn own_row(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<AttendeeRow, AppError> {
    let row = find_row(conn, id).await?;
    match *actor {
        Actor::Anonymous => Err(AppError::Unauthenticated),
        Actor::Attendee { id: me, .. } if me == id => Ok(row),
        Actor::Attendee { event_id, .. } if event_id == row.event_id => Err(AppError::Forbidden),
        Actor::Organizer { id: organizer }
            if find_event_row(conn, row.event_id).await?.organizer_id == organizer =>
        {
            Err(AppError::Forbidden)
        }
        _ => Err(AppError::not_found("Attendee")),
    }
}

/// Whether `actor` may upload this attendee's photo now: only their own, within the
/// per-account limit. Asked before the upload's body is read, so a refused upload costs
/// nothing but its headers.
pub async fn may_upload_photo(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
) -> Result<(), AppError> {
    let row = own_row(conn, actor, id).await?;
    photos::may_upload(row.checkin_token)
}

/// Replaces my photo with a re-encoded square thumbnail of `upload`; answers its address.
/// The replaced photo is deleted and no longer served. Takes the pool: no connection is
/// held while the image is decoded and stored.
pub async fn set_photo(
    pool: &DbPool,
    store: &dyn PhotoStore,
    actor: &Actor,
    id: i32,
    upload: Vec<u8>,
) -> Result<String, AppError> {
    let before = own_row(&mut pool.get().await?, actor, id)
        .await?
        .profile_picture;
    let thumbnail = photos::thumbnail_in_turn(upload).await?;
    let address = photos::keep(store, thumbnail).await?;
    diesel::update(attendees::table.find(id))
        .set(attendees::profile_picture.eq(&address))
        .execute(&mut pool.get().await?)
        .await?;
    // The new photo is in place: an old file that cannot be removed now is logged, not
    // turned into a failed upload.
    if let Some(before) = before {
        let forgotten = async { forget_photos(&mut pool.get().await?, store, &[before]).await };
        if let Err(error) = forgotten.await {
            tracing::warn!(%error, "could not look up a replaced photo");
        }
    }
    Ok(address)
}

/// Deletes replaced or removed photos once no profile shows them, with one query for all. An
/// RSVP copies the photo's address to the new registration, so a file stays while another
/// registration still shows it. A file that cannot be deleted is logged and the rest go on.
pub(crate) async fn forget_photos(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    addresses: &[String],
) -> Result<(), AppError> {
    if addresses.is_empty() {
        return Ok(());
    }
    let shown: Vec<Option<String>> = attendees::table
        .filter(attendees::profile_picture.eq_any(addresses))
        .select(attendees::profile_picture)
        .distinct()
        .load(conn)
        .await?;
    for address in addresses {
        if !shown.iter().flatten().any(|still| still == address) {
            photos::discard(store, address).await;
        }
    }
    Ok(())
}

async fn find_row(conn: &mut DbConn<'_>, id: i32) -> Result<AttendeeRow, AppError> {
    attendees::table
        .find(id)
        .select(AttendeeRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Attendee"))
}

/// A profile, for the attendee themself, attendees of the same event, or the owning organiser.
/// Anyone else gets 404 so that profiles cannot be probed.
pub async fn get(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Attendee, AppError> {
    let row = find_row(conn, id).await?;
    match *actor {
        Actor::Anonymous => Err(AppError::Unauthenticated),
        Actor::Attendee { id: me, .. } if me == id => {
            Ok(row.view(Visibility::of(Relation::Themself)))
        }
        Actor::Attendee { id: me, event_id } if event_id == row.event_id => {
            let link = connections::links(conn, me, &[id]).await?.remove(&id);
            let connected = link
                .as_ref()
                .is_some_and(|l| l.status == RequestStatus::Accepted);
            super::privacy::seen_by(&row, connected)?;
            super::blocks::not_apart(conn, me, &row).await?;
            let visibility = Visibility::of(Relation::attendee(connected));
            Ok(Attendee {
                connection: link,
                ..row.view(visibility)
            })
        }
        Actor::Organizer { id: organizer }
            if find_event_row(conn, row.event_id).await?.organizer_id == organizer =>
        {
            Ok(row.view(Visibility::of(Relation::EventOrganizer)))
        }
        _ => Err(AppError::not_found("Attendee")),
    }
}

/// The logged-in attendee's ticket for the event of `code` (their own profile, with the
/// check-in token) and that event. Logged in for another event: 403.
pub async fn ticket(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    code: Option<&str>,
) -> Result<(Attendee, Event), AppError> {
    let (me, event_id) = actor.attendee()?;
    // Without a code: the ticket of the event the attendee is logged in to (the tab bar's).
    let event = match code {
        Some(code) => events::get_by_code(conn, code).await?,
        None => events::get(conn, event_id).await?,
    };
    if event.id != event_id {
        return Err(AppError::Forbidden);
    }
    Ok((get(conn, actor, me).await?, event))
}
