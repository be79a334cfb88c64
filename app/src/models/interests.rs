//! Interests and "People to meet": the event's tags, what each attendee offers and looks
//! for among them, and the people suggested to them with the reason in words.

use super::Attendee;
use serde::{Deserialize, Serialize};

/// One of the event's interests, as its organiser named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Tag {
    pub id: i32,
    pub name: String,
}

/// The event's interests, in the order given (`PUT /api/organizer/events/<id>/tags`). A name
/// kept keeps its tag and everyone's picks of it; a name left out is deleted with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagsInput {
    pub tags: Vec<String>,
}

/// What I offer and what I look for, and the event's tags to choose from
/// (`GET`/`PUT /api/attendees/<id>/interests`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MyInterests {
    pub offers: Vec<Tag>,
    pub seeks: Vec<Tag>,
    /// All of the event's tags, in the organiser's order.
    pub tags: Vec<Tag>,
}

/// My picks by tag id; each list replaces what was there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InterestsInput {
    pub offers: Vec<i64>,
    pub seeks: Vec<i64>,
}

/// Someone I might meet (`GET /api/attendees/recommendations`), and why: what they offer
/// that I look for, what they look for that I offer, and interests we share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub attendee: Attendee,
    /// They offer these; I look for them.
    pub they_offer: Vec<String>,
    /// They look for these; I offer them.
    pub they_seek: Vec<String>,
    /// Both of us picked these, the same way.
    pub shared: Vec<String>,
    /// The above in one sentence, e.g. "Offers Hiring, which you look for."
    pub reason: String,
}
