//! Logging in and out, for both roles, on top of the session.

use super::{appointments, attendees, connections, organizers, staff, Actor};
use crate::auth::{AuthSession, Credentials, EventRef, SessionUser, UserKey};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::{AttendeeRegistration, LoginInput, OrganizerRegistration};
use crate::models::{Attendee, AttendeeHome, Inbox, Me, Organizer, StaffRole};
use crate::photos::PhotoStore;
use crate::validate::{Checker, Email, EventCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Organizer,
    Attendee,
}

fn session_error(error: axum_login::Error<crate::auth::Backend>) -> AppError {
    match error {
        axum_login::Error::Backend(error) => error,
        axum_login::Error::Session(error) => {
            tracing::warn!(%error, "session store failed");
            AppError::Unavailable
        }
    }
}

async fn start_session(auth: &mut AuthSession, user: &SessionUser) -> Result<(), AppError> {
    // axum-login cycles the id of an anonymous session at login; a session that is already
    // logged in (switching accounts) gets a new id here too, so no id outlives a login.
    if auth.user.is_some() {
        auth.session.cycle_id().await.map_err(|error| {
            tracing::warn!(%error, "session store failed");
            AppError::Unavailable
        })?;
    }
    auth.login(user).await.map_err(session_error)
}

pub async fn register_organizer(
    auth: &mut AuthSession,
    input: OrganizerRegistration,
) -> Result<Organizer, AppError> {
    let (organizer, user) = organizers::register(auth.backend.pool(), input).await?;
    start_session(auth, &user).await?;
    Ok(organizer)
}

pub async fn register_attendee(
    auth: &mut AuthSession,
    input: AttendeeRegistration,
) -> Result<Attendee, AppError> {
    let (attendee, user) = attendees::register(auth.backend.pool(), input).await?;
    start_session(auth, &user).await?;
    Ok(attendee)
}

/// One-click RSVP to another event with my profile; the session moves to the new record.
pub async fn rsvp(auth: &mut AuthSession, event_id: i32) -> Result<Attendee, AppError> {
    let mut conn = auth.backend.pool().get().await?;
    let (attendee, user) = attendees::rsvp(&mut conn, &actor(auth), event_id).await?;
    drop(conn);
    start_session(auth, &user).await?;
    Ok(attendee)
}

/// Cancels my RSVP to this event and ends the session of the record that is gone.
pub async fn cancel_rsvp(
    auth: &mut AuthSession,
    store: &dyn PhotoStore,
    event_id: i32,
) -> Result<(), AppError> {
    let mut conn = auth.backend.pool().get().await?;
    attendees::cancel_rsvp(&mut conn, store, &actor(auth), event_id).await?;
    drop(conn);
    logout(auth).await
}

/// What waits for my answer: connection and meeting requests addressed to me.
pub async fn inbox(conn: &mut DbConn<'_>, actor: &Actor) -> Result<Inbox, AppError> {
    let (me, _) = actor.attendee()?;
    Ok(Inbox {
        connection_requests: connections::pending_for(conn, me).await?,
        appointment_requests: appointments::pending_for(conn, me).await?,
    })
}

/// The attendee's Home: their event as it stands now, their next meeting, what waits for
/// their answer.
pub async fn home(conn: &mut DbConn<'_>, actor: &Actor) -> Result<AttendeeHome, AppError> {
    let (me, event_id) = actor.attendee()?;
    let row = super::events::find_row(conn, event_id).await?;
    let now = row.now();
    let next_meeting = appointments::next_mine(conn, me, now).await?;
    let inbox = inbox(conn, actor).await?;
    Ok(AttendeeHome {
        event: super::events::get(conn, event_id).await?,
        now,
        next_meeting,
        inbox,
    })
}

pub async fn login(auth: &mut AuthSession, role: Role, input: LoginInput) -> Result<Me, AppError> {
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    if input.password.is_empty() {
        checker.fail("password", "Password is required.");
    }
    let event = match (
        input.event_id,
        input.event_code.as_deref().filter(|c| !c.trim().is_empty()),
    ) {
        (Some(id), _) => Some(EventRef::Id(id)),
        (None, Some(code)) => checker
            .check("event_code", EventCode::parse(code))
            .map(|c| EventRef::Code(c.to_string())),
        (None, None) => None,
    };
    checker.finish()?;
    let email = email.unwrap();
    let credentials = match role {
        Role::Organizer => Credentials::Organizer {
            email,
            password: input.password,
        },
        Role::Attendee => Credentials::Attendee {
            email,
            password: input.password,
            event,
        },
    };
    let user = auth
        .authenticate(credentials)
        .await
        .map_err(session_error)?
        .ok_or(AppError::InvalidCredentials)?;
    start_session(auth, &user).await?;
    me(auth).await
}

/// Opens a staff link: the session may then check people in at that link's event.
pub async fn staff_login(auth: &mut AuthSession, token: &str) -> Result<Me, AppError> {
    let user = auth
        .authenticate(Credentials::Staff {
            token: token.to_owned(),
        })
        .await
        .map_err(session_error)?
        .ok_or_else(|| AppError::not_found("Staff link"))?;
    start_session(auth, &user).await?;
    me(auth).await
}

/// Turns this device into the event's self check-in kiosk (the organiser or a supervisor):
/// its session becomes the kiosk's, which checks in tickets and prints badges, nothing else.
pub async fn start_kiosk(auth: &mut AuthSession, event_id: i32) -> Result<Me, AppError> {
    let mut conn = auth.backend.pool().get().await?;
    let token = staff::start_kiosk(&mut conn, &actor(auth), event_id).await?;
    drop(conn);
    staff_login(auth, &token).await
}

/// Leaves the kiosk: only the event's organiser, with their email and password. The kiosk
/// ends and this device is logged in as the organiser. Someone else's password, or a wrong
/// one, leaves the kiosk running.
pub async fn exit_kiosk(
    auth: &mut AuthSession,
    event_id: i32,
    input: LoginInput,
) -> Result<Me, AppError> {
    let kiosk = match actor(auth) {
        Actor::Staff {
            id,
            event_id: theirs,
            role: StaffRole::Kiosk,
            ..
        } if theirs == event_id => id,
        Actor::Anonymous => return Err(AppError::Unauthenticated),
        _ => return Err(AppError::Forbidden),
    };
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    if input.password.is_empty() {
        checker.fail("password", "Password is required.");
    }
    checker.finish()?;
    let user = auth
        .authenticate(Credentials::Organizer {
            email: email.unwrap(),
            password: input.password,
        })
        .await
        .map_err(session_error)?
        .ok_or(AppError::InvalidCredentials)?;
    let organiser = Actor::from_user(Some(&user));
    let mut conn = auth.backend.pool().get().await?;
    // Another organiser's password does not open this event's kiosk.
    staff::end_kiosk(&mut conn, &organiser, event_id, kiosk).await?;
    drop(conn);
    start_session(auth, &user).await?;
    me(auth).await
}

pub async fn logout(auth: &mut AuthSession) -> Result<(), AppError> {
    auth.logout().await.map_err(session_error)?;
    Ok(())
}

pub async fn me(auth: &AuthSession) -> Result<Me, AppError> {
    let user = auth.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let mut conn = auth.backend.pool().get().await?;
    match user.key {
        UserKey::Organizer(id) => Ok(Me::Organizer(organizers::find(&mut conn, id).await?)),
        UserKey::Staff(id) => Ok(Me::Staff(staff::find(&mut conn, id).await?)),
        UserKey::Attendee(id) => Ok(Me::Attendee(
            attendees::get(&mut conn, &actor(auth), id).await?,
        )),
    }
}

pub(crate) fn actor(auth: &AuthSession) -> Actor {
    Actor::from_user(auth.user.as_ref())
}
