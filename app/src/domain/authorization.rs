//! Who is asking. Every domain function that reads or writes takes an `Actor` and checks it.
//! Beside it, the one rule for how much of a person's profile the asker sees (`Visibility`).

use crate::auth::{AuthSession, SessionUser, UserKey};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::models::StaffRole;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Organizer {
        id: i32,
    },
    Attendee {
        id: i32,
        event_id: i32,
    },
    /// Check-in staff of one event: may check people in there (a supervisor also finds
    /// them by name, undoes and reads counts), nothing else.
    Staff {
        id: i32,
        event_id: i32,
        role: StaffRole,
        /// The check-in list their link is bound to.
        list_id: Option<i32>,
    },
}

impl Actor {
    pub fn from_user(user: Option<&SessionUser>) -> Self {
        match user {
            None => Actor::Anonymous,
            Some(user) => match user.key {
                UserKey::Organizer(id) => Actor::Organizer { id },
                UserKey::Attendee(id) => Actor::Attendee {
                    id,
                    event_id: user.event_id.unwrap_or_default(),
                },
                UserKey::Staff(id) => Actor::Staff {
                    id,
                    event_id: user.event_id.unwrap_or_default(),
                    role: user.staff_role,
                    list_id: user.staff_list,
                },
            },
        }
    }

    pub fn organizer_id(&self) -> Result<i32, AppError> {
        match self {
            Actor::Organizer { id } => Ok(*id),
            Actor::Anonymous => Err(AppError::Unauthenticated),
            Actor::Attendee { .. } | Actor::Staff { .. } => Err(AppError::Forbidden),
        }
    }

    /// (attendee id, event id)
    pub fn attendee(&self) -> Result<(i32, i32), AppError> {
        match self {
            Actor::Attendee { id, event_id } => Ok((*id, *event_id)),
            Actor::Anonymous => Err(AppError::Unauthenticated),
            Actor::Organizer { .. } | Actor::Staff { .. } => Err(AppError::Forbidden),
        }
    }

    /// For what only attendee `id` themself reads or changes (their settings, their badge):
    /// their event; anyone else 403, nobody logged in 401.
    pub fn attendee_itself(&self, id: i32) -> Result<i32, AppError> {
        match self.attendee()? {
            (me, event_id) if me == id => Ok(event_id),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// Who is asking, and the way to the database: taken once per request, by REST handlers as
/// an extractor (`caller: Caller`) and by server functions with `Caller::current()`.
pub struct Caller {
    pub actor: Actor,
    pool: DbPool,
}

impl Caller {
    pub fn of(auth: &AuthSession) -> Self {
        Self {
            actor: crate::domain::accounts::actor(auth),
            pool: auth.backend.pool().clone(),
        }
    }

    /// The caller of the server function being run.
    pub async fn current() -> Result<Self, AppError> {
        let auth = leptos_axum::extract::<AuthSession>()
            .await
            .map_err(AppError::internal)?;
        Ok(Self::of(&auth))
    }

    /// The actor and a pooled connection. Taken when the work starts, so a request whose
    /// body is still arriving holds no connection.
    pub async fn open(&self) -> Result<(Actor, DbConn<'static>), AppError> {
        Ok((self.actor, self.pool.get_owned().await?))
    }

    /// For domain functions that take the pool (they hold no connection while they hash,
    /// decode or render).
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        let auth = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|(_, why)| AppError::internal(why))?;
        Ok(Self::of(&auth))
    }
}

/// How the viewer stands to the attendee whose profile they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The attendee themself.
    Themself,
    /// The organiser of the attendee's event.
    EventOrganizer,
    /// Another attendee with an accepted connection.
    Connected,
    /// Another attendee of the event, not (or not yet) connected.
    Unconnected,
    /// Check-in staff of the event: a name and a face, nothing more.
    DoorStaff,
}

impl Relation {
    /// Another attendee, connected (accepted) or not.
    pub(crate) fn attendee(connected: bool) -> Self {
        if connected {
            Relation::Connected
        } else {
            Relation::Unconnected
        }
    }
}

/// How much of a profile the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    /// Everything, including the check-in token.
    Own,
    /// Contact details (email) too.
    Contact,
    /// The public profile: name, organisation, role, introduction, photo.
    Public,
}

impl Visibility {
    /// The one rule for who sees whose contact details: the attendee sees all of their own
    /// profile; their event's organiser and their accepted connections see contact details;
    /// other attendees and the door's staff see the public profile.
    pub(crate) fn of(relation: Relation) -> Self {
        match relation {
            Relation::Themself => Visibility::Own,
            Relation::EventOrganizer | Relation::Connected => Visibility::Contact,
            Relation::Unconnected | Relation::DoorStaff => Visibility::Public,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attendees::AttendeeRow;

    fn grace() -> AttendeeRow {
        AttendeeRow {
            id: 7,
            event_id: 1,
            email: "grace@example.com".into(),
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            organisation: Some("Navy".into()),
            role: None,
            introduction: None,
            profile_picture: None,
            checkin_token: "ab".repeat(20),
            created_at: chrono::NaiveDateTime::default(),
            hidden: false,
            meetings_from: "everyone".into(),
        }
    }

    /// Issue 14, item 13: one rule (written out six times before) decides what each reader
    /// gets of a profile.
    #[test]
    fn contact_details_reach_the_person_their_organiser_and_connections_and_the_ticket_only_them() {
        let seen = |relation| {
            let shown = grace().view(Visibility::of(relation));
            (
                shown.first_name,
                shown.email.is_some(),
                shown.checkin_token.is_some(),
            )
        };
        let name = || "Grace".to_owned();
        assert_eq!(seen(Relation::Themself), (name(), true, true));
        assert_eq!(seen(Relation::EventOrganizer), (name(), true, false));
        assert_eq!(seen(Relation::attendee(true)), (name(), true, false));
        assert_eq!(seen(Relation::attendee(false)), (name(), false, false));
        assert_eq!(seen(Relation::DoorStaff), (name(), false, false));
    }
}
