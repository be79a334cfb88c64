//! What an attendee chooses about themself: privacy (hidden from the directory, who may ask
//! for meetings) and what their printed badge shows.

use serde::{Deserialize, Serialize};

/// Who may ask an attendee for a 1:1 meeting (`GET`/`PUT /api/attendees/<id>/privacy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MeetingsFrom {
    #[default]
    Everyone,
    Connections,
    Nobody,
}

impl MeetingsFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::Connections => "connections",
            Self::Nobody => "nobody",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Everyone, Self::Connections, Self::Nobody]
            .into_iter()
            .find(|choice| choice.as_str() == value)
    }
}

/// What an attendee lets others see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Privacy {
    pub meetings_from: MeetingsFrom,
    /// Hidden from other attendees' directory, search and the event's page; only
    /// connections still find them.
    pub hidden: bool,
}

/// A change of `Privacy`; absent fields stay as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrivacyPatch {
    pub meetings_from: Option<MeetingsFrom>,
    pub hidden: Option<bool>,
}

/// What an attendee lets their badge show beside their name (`PUT /api/attendees/<id>/badge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BadgeChoice {
    pub show_organisation: bool,
    pub show_role: bool,
}

/// An attendee's badge as it will print (a document for an `<iframe srcdoc>` of the badge's
/// size), what it may show beside the name, and what they let it show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MyBadge {
    pub preview: String,
    pub width_mm: f32,
    pub height_mm: f32,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub shows_organisation: bool,
    pub shows_role: bool,
}

/// Someone I blocked (`GET /api/attendees/<id>/blocks`): enough to know whom to unblock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BlockedPerson {
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub blocked_at: chrono::NaiveDateTime,
}

/// How long attendees' personal data is kept after the event ends
/// (`GET`/`PUT /api/events/<id>/retention`, the organiser's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Retention {
    /// Days after the event's end; `null`: kept until the event is deleted.
    pub retention_days: Option<i32>,
    /// When the erasure is due (UTC), if a period is set.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-06-03T17:30:00"))]
    pub erase_after: Option<chrono::NaiveDateTime>,
    /// When it happened (UTC).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-06-03T18:00:00"))]
    pub erased_at: Option<chrono::NaiveDateTime>,
}

/// A change of the retention period; `null` keeps the data until the event is deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    pub retention_days: Option<i64>,
}

/// Whether a full event takes people in line, and how many wait
/// (`GET`/`PUT /api/events/<id>/waitlist`, the organiser's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WaitlistSetting {
    pub enabled: bool,
    pub waiting: i64,
}

/// Opens or closes the waitlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WaitlistInput {
    pub enabled: bool,
}

/// My place in line after joining (1 is next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WaitlistPlace {
    pub event_id: i32,
    pub position: i64,
}
