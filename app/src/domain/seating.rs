//! Registration and seating: the RSVP that creates an attendee record and takes a seat
//! (capacity held under any burst by the event's row lock), the one-click RSVP to another
//! event with the same profile, and giving the seat back.

use super::attendees::AttendeeRow;
use super::authorization::{Relation, Visibility};
use super::events::find_row as find_event_row;
use super::outbox::{self, MailKind, NewMail};
use super::{random_hex, Actor};
use crate::auth::{hash_password, SessionUser, UserKey};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::inputs::AttendeeRegistration;
use crate::models::Attendee;
use crate::photos::PhotoStore;
use crate::schema::{attendees, events as events_table};
use crate::validate::{
    optional_paragraphs, optional_text, required_text, Checker, Email, EventCode, Password,
};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;

pub(super) struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
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

pub(super) async fn resolve_event(
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

/// What registering (and joining the waitlist) takes, checked: every field's problem at once.
pub(super) fn check_registration(
    input: &AttendeeRegistration,
) -> Result<(Email, Password, Profile), AppError> {
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    let password = checker.check("password", Password::parse(&input.password));
    let profile = check_profile(&mut checker, input);
    checker.finish()?;
    Ok((email.unwrap(), password.unwrap(), profile.unwrap()))
}

/// RSVP: creates the attendee record, counting against the event's capacity.
///
/// Takes the pool rather than a connection: no connection is held while the password is
/// hashed, so a burst of registrations queues on the hashing slots, not on the pool.
pub async fn register(
    pool: &DbPool,
    input: AttendeeRegistration,
) -> Result<(Attendee, SessionUser), AppError> {
    let (email, password, profile) = check_registration(&input)?;
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
            badge_organisation: None,
            badge_role: None,
            meetings_from: None,
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

pub(super) fn already_registered() -> AppError {
    AppError::conflict(
        "already_registered",
        "This email is already registered for this event. Log in instead.",
    )
}

static SEATING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(4));

#[derive(Insertable)]
#[diesel(table_name = attendees)]
pub(super) struct NewAttendee {
    pub event_id: i32,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
    pub profile_picture: Option<String>,
    pub checkin_token: String,
    /// `None`: the column's default (a new person shows both, takes requests from everyone).
    pub badge_organisation: Option<bool>,
    pub badge_role: Option<bool>,
    pub meetings_from: Option<String>,
}

/// Inserts an attendee if the event has a seat left. Registrations for one event queue on
/// the event's row lock, so capacity holds however many arrive at once.
async fn insert_seated(conn: &mut DbConn<'_>, new: NewAttendee) -> Result<AttendeeRow, AppError> {
    crate::db::transaction!(conn, async |conn| {
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
        seat(conn, &new).await
    })
    .await
}

/// The insert of `insert_seated` (and of the waitlist's promotion), once the event's row is
/// locked and a seat known to be free: the record and its ticket mail, both or neither.
pub(super) async fn seat(
    conn: &mut diesel_async::AsyncMysqlConnection,
    new: &NewAttendee,
) -> Result<AttendeeRow, AppError> {
    diesel::insert_into(attendees::table)
        .values(new)
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
    outbox::enqueue(
        conn,
        vec![NewMail::to_attendee(MailKind::Registered, &row, None)],
    )
    .await?;
    Ok(row)
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
    // The profile comes along with the choices made about it: what the badge shows, who
    // may ask for meetings.
    let (row, password_hash, badge_organisation, badge_role): (AttendeeRow, String, bool, bool) =
        attendees::table
            .find(me)
            .select((
                AttendeeRow::as_select(),
                attendees::password_hash,
                attendees::badge_organisation,
                attendees::badge_role,
            ))
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
            badge_organisation: Some(badge_organisation),
            badge_role: Some(badge_role),
            meetings_from: Some(row.meetings_from),
        },
    )
    .await?;
    let user = SessionUser::new(UserKey::Attendee(copy.id), Some(event_id), password_hash);
    Ok((copy.view(Visibility::of(Relation::Themself)), user))
}

/// Cancels my RSVP, which is how an attendee deletes their registration: my record for this
/// event goes, with my connections, meetings, blocks, check-in and settings there (the
/// database's cascades), the seat is free again, and my photo's file is deleted unless
/// another registration of mine still shows it.
pub async fn cancel_rsvp(
    conn: &mut DbConn<'_>,
    store: &dyn PhotoStore,
    actor: &Actor,
    event_id: i32,
) -> Result<(), AppError> {
    let (me, my_event) = actor.attendee()?;
    if my_event != event_id {
        find_event_row(conn, event_id).await?;
        return Err(AppError::not_found("Registration"));
    }
    let picture: Option<String> = attendees::table
        .find(me)
        .select(attendees::profile_picture)
        .first(conn)
        .await
        .optional()?
        .flatten();
    let mails = super::appointments::leaving_mails(conn, me, event_id).await?;
    crate::db::transaction!(conn, async |conn| {
        diesel::delete(attendees::table.find(me))
            .execute(conn)
            .await?;
        super::outbox::enqueue(conn, mails.clone()).await
    })
    .await?;
    super::waitlist::promote(conn, event_id).await?;
    super::attendees::forget_photos(conn, store, picture.as_slice()).await
}
