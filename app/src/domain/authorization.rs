//! Who is asking. Every domain function that reads or writes takes an `Actor` and checks it.

use crate::auth::{SessionUser, UserKey};
use crate::error::AppError;

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
    /// Check-in staff of one event: may check people in there, nothing else.
    Staff {
        id: i32,
        event_id: i32,
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
}
