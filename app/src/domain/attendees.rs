use super::authorization::{Relation, Visibility};
use super::events::find_row as find_event_row;
use super::outbox::{self, MailKind, NewMail};
use super::{connections, events, random_hex, Actor};
use crate::auth::{hash_password, SessionUser, UserKey};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::inputs::{AttendeeRegistration, ProfilePatch};
use crate::models::{Attendee, Event, RequestStatus};
use crate::photos::{self, PhotoStore};
use crate::schema::{attendees, events as events_table};
use crate::validate::{
    optional_paragraphs, optional_text, required_text, Checker, Email, EventCode, Password,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, RunQueryDsl};
use std::collections::HashMap;

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

struct Profile {
    first_name: String,
    last_name: String,
    organisation: Option<String>,
    role: Option<String>,
    introduction: Option<String>,
}

fn check_profile(checker: &mut Checker, input: &AttendeeRegistration) -> Option<Profile> {
    let first_name = checker.check(
        "first_name",
        required_text(&input.first_name, 100, "First name"),
    );
    let last_name = checker.check(
        "last_name",
        required_text(&input.last_name, 100, "Last name"),
    );
    let organisation = checker.check(
        "organisation",
        optional_text(
            input.organisation.as_deref().unwrap_or(""),
            255,
            "Organisation",
        ),
    );
    let role = checker.check(
        "role",
        optional_text(input.role.as_deref().unwrap_or(""), 255, "Role"),
    );
    let introduction = checker.check(
        "introduction",
        optional_paragraphs(
            input.introduction.as_deref().unwrap_or(""),
            2_000,
            "Introduction",
        ),
    );
    Some(Profile {
        first_name: first_name?,
        last_name: last_name?,
        organisation: organisation?,
        role: role?,
        introduction: introduction?,
    })
}

async fn resolve_event(
    conn: &mut DbConn<'_>,
    event_id: Option<i32>,
    event_code: Option<&str>,
) -> Result<i32, AppError> {
    match (
        event_id,
        event_code.map(str::trim).filter(|c| !c.is_empty()),
    ) {
        (Some(id), _) => Ok(find_event_row(conn, id).await?.id),
        (None, Some(code)) => {
            let code = EventCode::parse(code).map_err(|_| AppError::not_found("Event"))?;
            events_table::table
                .filter(events_table::code.eq(code.as_str()))
                .select(events_table::id)
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("Event"))
        }
        (None, None) => Err(AppError::field(
            "event_code",
            "Say which event: event_id or event_code.",
        )),
    }
}

/// RSVP: creates the attendee record, counting against the event's capacity.
///
/// Takes the pool rather than a connection: no connection is held while the password is
/// hashed, so a burst of registrations queues on the hashing slots, not on the pool.
pub async fn register(
    pool: &DbPool,
    input: AttendeeRegistration,
) -> Result<(Attendee, SessionUser), AppError> {
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    let password = checker.check("password", Password::parse(&input.password));
    let profile = check_profile(&mut checker, &input);
    checker.finish()?;
    let (email, password, profile) = (email.unwrap(), password.unwrap(), profile.unwrap());
    let event_id = {
        let mut conn = pool.get().await?;
        let event_id =
            resolve_event(&mut conn, input.event_id, input.event_code.as_deref()).await?;
        // Refused before the costly hash when it is clear already (`insert_seated` decides).
        seat_open(&mut conn, event_id, &email).await?;
        event_id
    };
    let password_hash = hash_password(&password).await?;
    // Seats are taken one at a time per event (its row lock), each waiter holding a database
    // connection; a burst would hold the whole pool and time out everyone else's requests.
    // A few at a time queue there; the rest wait here, holding nothing.
    let _turn = SEATING.acquire().await.map_err(AppError::internal)?;
    let row = insert_seated(
        &mut pool.get().await?,
        NewAttendee {
            event_id,
            email: email.as_str().to_owned(),
            password_hash: password_hash.clone(),
            first_name: profile.first_name,
            last_name: profile.last_name,
            organisation: profile.organisation,
            role: profile.role,
            introduction: profile.introduction,
            profile_picture: None,
            checkin_token: random_hex(20),
        },
    )
    .await?;
    let user = SessionUser::new(UserKey::Attendee(row.id), Some(event_id), password_hash);
    Ok((row.view(Visibility::of(Relation::Themself)), user))
}

/// Whether a seat could be had: the event not full and the email not yet registered for it.
/// A first look without locks, before the password is hashed; the insert checks again.
async fn seat_open(conn: &mut DbConn<'_>, event_id: i32, email: &Email) -> Result<(), AppError> {
    let (max, count): (Option<i32>, i32) = events_table::table
        .find(event_id)
        .select((events_table::max_attendees, events_table::attendee_count))
        .first(conn)
        .await?;
    if max.is_some_and(|max| count >= max) {
        return Err(full());
    }
    let taken: i64 = attendees::table
        .filter(attendees::event_id.eq(event_id))
        .filter(attendees::email.eq(email.as_str()))
        .count()
        .get_result(conn)
        .await?;
    if taken > 0 {
        return Err(already_registered());
    }
    Ok(())
}

fn full() -> AppError {
    AppError::conflict("event_full", "Sorry, this event is full.")
}

fn already_registered() -> AppError {
    AppError::conflict(
        "already_registered",
        "This email is already registered for this event. Log in instead.",
    )
}

static SEATING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(4));

#[derive(Insertable)]
#[diesel(table_name = attendees)]
struct NewAttendee {
    event_id: i32,
    email: String,
    password_hash: String,
    first_name: String,
    last_name: String,
    organisation: Option<String>,
    role: Option<String>,
    introduction: Option<String>,
    profile_picture: Option<String>,
    checkin_token: String,
}

/// Inserts an attendee if the event has a seat left. Registrations for one event queue on
/// the event's row lock, so capacity holds however many arrive at once.
async fn insert_seated(conn: &mut DbConn<'_>, new: NewAttendee) -> Result<AttendeeRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        // `attendee_count` is kept by the insert trigger, inside this transaction.
        let (max, count): (Option<i32>, i32) = events_table::table
            .find(new.event_id)
            .select((events_table::max_attendees, events_table::attendee_count))
            .for_update()
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| AppError::not_found("Event"))?;
        if max.is_some_and(|max| count >= max) {
            return Err(full());
        }
        diesel::insert_into(attendees::table)
            .values(&new)
            .execute(conn)
            .await
            .map_err(|error| match error {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    already_registered()
                }
                other => other.into(),
            })?;
        let row = attendees::table
            .filter(attendees::checkin_token.eq(&new.checkin_token))
            .select(AttendeeRow::as_select())
            .first(conn)
            .await?;
        // The ticket by mail, written with the seat: both or neither.
        outbox::enqueue(
            conn,
            vec![NewMail::to_attendee(MailKind::Registered, &row, None)],
        )
        .await?;
        Ok(row)
    })
    .await
}

/// One-click RSVP: the logged-in attendee registers for another event with the same email,
/// password and profile. The session then belongs to the new record.
pub async fn rsvp(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<(Attendee, SessionUser), AppError> {
    let (me, my_event) = actor.attendee()?;
    find_event_row(conn, event_id).await?;
    if my_event == event_id {
        return Err(AppError::conflict(
            "already_registered",
            "You are already registered for this event.",
        ));
    }
    let (row, password_hash): (AttendeeRow, String) = attendees::table
        .find(me)
        .select((AttendeeRow::as_select(), attendees::password_hash))
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::Unauthenticated)?;
    let copy = insert_seated(
        conn,
        NewAttendee {
            event_id,
            email: row.email,
            password_hash: password_hash.clone(),
            first_name: row.first_name,
            last_name: row.last_name,
            organisation: row.organisation,
            role: row.role,
            introduction: row.introduction,
            profile_picture: row.profile_picture,
            checkin_token: random_hex(20),
        },
    )
    .await?;
    let user = SessionUser::new(UserKey::Attendee(copy.id), Some(event_id), password_hash);
    Ok((copy.view(Visibility::of(Relation::Themself)), user))
}

/// Cancels my RSVP: my record for this event goes, with my connections and meetings there,
/// and the seat is free again.
pub async fn cancel_rsvp(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<(), AppError> {
    let (me, my_event) = actor.attendee()?;
    if my_event != event_id {
        find_event_row(conn, event_id).await?;
        return Err(AppError::not_found("Registration"));
    }
    diesel::delete(attendees::table.find(me))
        .execute(conn)
        .await?;
    Ok(())
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
    let name = format!("{}.jpg", random_hex(16));
    store.put(&name, thumbnail).await?;
    let address = format!("{PHOTO_PATH}/{name}");
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
        if shown.iter().flatten().any(|still| still == address) {
            continue;
        }
        let Some(name) = address
            .strip_prefix(PHOTO_PATH)
            .and_then(|n| n.strip_prefix('/'))
        else {
            continue;
        };
        if let Err(error) = store.delete(name).await {
            tracing::warn!(%error, photo = %address, "could not delete a photo no one shows");
        }
    }
    Ok(())
}

/// Where photos are served from.
pub const PHOTO_PATH: &str = "/media/photos";

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
