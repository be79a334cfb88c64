//! What the API and the pages show: shared by server and browser, never carrying secrets.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organizer {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i32,
    pub organizer_id: i32,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub start_time: NaiveDateTime,
    pub end_time: NaiveDateTime,
    pub location: Option<String>,
    pub max_attendees: Option<i32>,
    pub created_at: NaiveDateTime,
    pub attendee_count: i64,
    /// `None` when the event is unlimited.
    pub spots_left: Option<i64>,
}

impl Event {
    pub fn is_full(&self) -> bool {
        self.spots_left == Some(0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: i32,
    pub event_id: i32,
    /// Only for the attendee, the owning organiser and accepted connections.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
    pub profile_picture: Option<String>,
    pub created_at: NaiveDateTime,
    /// Only on the attendee's own profile: what their QR ticket encodes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checkin_token: Option<String>,
}

impl Attendee {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Who is logged in, as `GET /api/auth/me` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Me {
    Organizer(Organizer),
    Attendee(Attendee),
}

impl Me {
    pub fn display_name(&self) -> String {
        match self {
            Me::Organizer(o) => o.name.clone(),
            Me::Attendee(a) => a.full_name(),
        }
    }
}

/// One page of a list, as API.md's `{"items": [...], "total": N}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}
