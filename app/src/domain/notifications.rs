//! Which mails an attendee gets: four switches per registration, set on the settings page or
//! through the API, and turned off one at a time by the one-click unsubscribe link every
//! notification carries (RFC 8058). The link is signed with a key the database made once
//! (`server_keys`), so every instance accepts it and nobody can forge another person's.

use super::outbox::{attendee_with_switches, Preference};
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::NotificationSettings;
use crate::schema::{notification_settings, server_keys};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What an unsubscribe link turns off: one switch, or all four (the link in a ticket mail,
/// which is not itself one of the switchable kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    One(Preference),
    All,
}

impl Unsubscribe {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::One(preference) => preference.as_str(),
            Self::All => "all",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "all" => Some(Self::All),
            other => Preference::parse(other).map(Self::One),
        }
    }
}

pub async fn get(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    attendee_id: i32,
) -> Result<NotificationSettings, AppError> {
    actor.attendee_itself(attendee_id)?;
    let (_, switches) = attendee_with_switches(conn, attendee_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(NotificationSettings {
        connection_requests: switches.connection_requests,
        meeting_requests: switches.meeting_requests,
        meeting_updates: switches.meeting_updates,
        reminders: switches.reminders,
    })
}

/// Sets the switches given; absent ones stay as they are.
pub async fn put(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    attendee_id: i32,
    input: crate::inputs::NotificationPatch,
) -> Result<NotificationSettings, AppError> {
    actor.attendee_itself(attendee_id)?;
    let current = get(conn, actor, attendee_id).await?;
    let next = NotificationSettings {
        connection_requests: input
            .connection_requests
            .unwrap_or(current.connection_requests),
        meeting_requests: input.meeting_requests.unwrap_or(current.meeting_requests),
        meeting_updates: input.meeting_updates.unwrap_or(current.meeting_updates),
        reminders: input.reminders.unwrap_or(current.reminders),
    };
    write(conn, attendee_id, next).await?;
    Ok(next)
}

async fn write(
    conn: &mut DbConn<'_>,
    attendee_id: i32,
    to: NotificationSettings,
) -> Result<(), AppError> {
    diesel::replace_into(notification_settings::table)
        .values((
            notification_settings::attendee_id.eq(attendee_id),
            notification_settings::connection_requests.eq(to.connection_requests),
            notification_settings::meeting_requests.eq(to.meeting_requests),
            notification_settings::meeting_updates.eq(to.meeting_updates),
            notification_settings::reminders.eq(to.reminders),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

async fn signer(conn: &mut DbConn<'_>) -> Result<Hmac<Sha256>, AppError> {
    let key: Vec<u8> = server_keys::table
        .find("unsubscribe")
        .select(server_keys::secret)
        .first(conn)
        .await?;
    Hmac::<Sha256>::new_from_slice(&key).map_err(AppError::internal)
}

fn message(attendee_id: i32, what: Unsubscribe) -> String {
    format!("unsubscribe:{attendee_id}:{}", what.as_str())
}

/// Signs unsubscribe links with the database's key, read once for a whole batch of mail.
pub struct UnsubscribeSigner(Hmac<Sha256>);

impl UnsubscribeSigner {
    pub async fn load(conn: &mut DbConn<'_>) -> Result<Self, AppError> {
        Ok(Self(signer(conn).await?))
    }

    /// The path of the link that turns `what` off for this registration, without logging in.
    pub fn path(&self, attendee_id: i32, what: Unsubscribe) -> String {
        let mut mac = self.0.clone();
        mac.update(message(attendee_id, what).as_bytes());
        let signature: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "/api/unsubscribe/{attendee_id}/{}/{signature}",
            what.as_str()
        )
    }
}

/// Follows an unsubscribe link: checks its signature and turns that mail off. A link whose
/// registration is gone answers as done (there is nothing left to send).
pub async fn unsubscribe(
    conn: &mut DbConn<'_>,
    attendee_id: i32,
    what: &str,
    signature: &str,
) -> Result<Unsubscribe, AppError> {
    let refused = || AppError::not_found("Unsubscribe link");
    let what = Unsubscribe::parse(what).ok_or_else(refused)?;
    let signature: Vec<u8> = (0..signature.len())
        .step_by(2)
        .map(|i| {
            signature
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()
        .ok_or_else(refused)?;
    let mut mac = signer(conn).await?;
    mac.update(message(attendee_id, what).as_bytes());
    mac.verify_slice(&signature).map_err(|_| refused())?;
    let Some((_, switches)) = attendee_with_switches(conn, attendee_id).await? else {
        return Ok(what);
    };
    let mut next = NotificationSettings {
        connection_requests: switches.connection_requests,
        meeting_requests: switches.meeting_requests,
        meeting_updates: switches.meeting_updates,
        reminders: switches.reminders,
    };
    match what {
        Unsubscribe::All => {
            next = NotificationSettings {
                connection_requests: false,
                meeting_requests: false,
                meeting_updates: false,
                reminders: false,
            }
        }
        Unsubscribe::One(Preference::ConnectionRequests) => next.connection_requests = false,
        Unsubscribe::One(Preference::MeetingRequests) => next.meeting_requests = false,
        Unsubscribe::One(Preference::MeetingUpdates) => next.meeting_updates = false,
        Unsubscribe::One(Preference::Reminders) => next.reminders = false,
    }
    write(conn, attendee_id, next).await?;
    Ok(what)
}
