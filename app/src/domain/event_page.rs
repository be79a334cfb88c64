//! The public page of an event beyond its fields: the cover picture its organiser uploads,
//! and the faces of who is going.

use super::{events, Actor};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::models::{Event, EventInvite, Face};
use crate::photos::{self, PhotoStore};
use crate::schema::{attendees, events as events_table};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// Faces shown under "who's going".
const FACES: usize = 8;
/// The newest registrations looked at to find them, those with a photo first.
const FACES_LOOKED_AT: i64 = 24;

/// The event of `code`, who hosts it, and who is going.
pub async fn page(conn: &mut DbConn<'_>, code: &str) -> Result<EventInvite, AppError> {
    let (event, host) = events::with_host(conn, code).await?;
    let going = going(conn, event.id).await?;
    Ok(EventInvite { event, host, going })
}

/// The newest people registered, those with a photo first, each as a first name and an
/// initial: the page is public, so no one's full name is on it. Who hid from the directory
/// is left out.
async fn going(conn: &mut DbConn<'_>, event_id: i32) -> Result<Vec<Face>, AppError> {
    let rows: Vec<(String, String, Option<String>)> = attendees::table
        .filter(attendees::event_id.eq(event_id))
        .filter(attendees::hidden.eq(false))
        .order((attendees::created_at.desc(), attendees::id.desc()))
        .limit(FACES_LOOKED_AT)
        .select((
            attendees::first_name,
            attendees::last_name,
            attendees::profile_picture,
        ))
        .load(conn)
        .await?;
    let (mut faces, without): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|(first, last, photo)| Face {
            name: short_name(&first, &last),
            photo,
        })
        .partition(|face| face.photo.is_some());
    faces.extend(without);
    faces.truncate(FACES);
    Ok(faces)
}

/// "Ada L.": the first name and the last name's initial.
fn short_name(first: &str, last: &str) -> String {
    match last.trim().chars().next() {
        Some(initial) => format!("{} {initial}.", first.trim()),
        None => first.trim().to_owned(),
    }
}

/// Whether `actor` may upload a cover for event `id` now: its organiser only, within the
/// uploads allowed per hour. Asked before the upload's body is read.
pub async fn may_upload_cover(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
) -> Result<(), AppError> {
    let row = events::owned_row(conn, actor, id).await?;
    photos::may_upload(format!("organizer:{}", row.organizer_id))
}

/// Replaces the event's cover with `upload` cut to 1200×630 and re-encoded (no metadata
/// survives); the replaced picture is deleted. Holds no connection while decoding.
pub async fn set_cover(
    pool: &DbPool,
    store: &dyn PhotoStore,
    actor: &Actor,
    id: i32,
    upload: Vec<u8>,
) -> Result<Event, AppError> {
    let before = events::owned_row(&mut pool.get().await?, actor, id)
        .await?
        .cover_image;
    let picture = photos::cover_in_turn(upload).await?;
    let address = photos::keep(store, picture).await?;
    let conn = &mut pool.get().await?;
    let set = diesel::update(
        events_table::table
            .find(id)
            .filter(events_table::deleted_at.is_null()),
    )
    .set(events_table::cover_image.eq(&address))
    .execute(conn)
    .await?;
    if set == 0 {
        // Deleted while the picture was being made: nothing shows it.
        photos::discard(store, &address).await;
        return Err(AppError::not_found("Event"));
    }
    // Each upload has its own name: the replaced cover is no one's.
    if let Some(before) = before {
        photos::discard(store, &before).await;
    }
    events::get_owned(conn, actor, id).await
}

/// Takes the cover off the event's page and deletes it.
pub async fn remove_cover(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    actor: &Actor,
    id: i32,
) -> Result<Event, AppError> {
    let before = events::owned_row(conn, actor, id).await?.cover_image;
    diesel::update(events_table::table.find(id))
        .set(events_table::cover_image.eq(None::<String>))
        .execute(conn)
        .await?;
    if let Some(before) = before {
        photos::discard(store, &before).await;
    }
    events::get_owned(conn, actor, id).await
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn the_public_page_shows_a_first_name_and_an_initial() {
        assert_eq!(short_name("Ada", "Lovelace"), "Ada L.");
        assert_eq!(short_name(" Zoë ", "Łukasz"), "Zoë Ł.");
        assert_eq!(short_name("Prince", ""), "Prince");
    }
}
