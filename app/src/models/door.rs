//! The door's shapes: staff roles, check-in lists and their counts, the scanner's header and
//! window, a scan's answer, and the list a phone keeps for scanning offline.

use super::Attendee;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What a door link may do. A steward only scans tickets; a supervisor also finds people by
/// name, checks them in by hand, undoes a check-in and reads the counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    #[default]
    Steward,
    Supervisor,
    /// A self check-in tablet, started by a supervisor or the organiser: it checks in the
    /// tickets shown to it and prints their badges, nothing else (not even the door's list).
    Kiosk,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Steward => "steward",
            Self::Supervisor => "supervisor",
            Self::Kiosk => "kiosk",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "steward" => Some(Self::Steward),
            "supervisor" => Some(Self::Supervisor),
            "kiosk" => Some(Self::Kiosk),
            _ => None,
        }
    }

    /// Name search, check-in by hand, undo and counts: supervisors only.
    pub fn supervises(self) -> bool {
        self == Self::Supervisor
    }
}

/// A check-in list (a gate): the main entrance, a workshop room. Every event has one default
/// list, which scans without a list go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckinList {
    pub id: i32,
    pub event_id: i32,
    pub name: String,
    /// Whether people are also scanned out here, so that the list knows who is inside.
    pub counts_exits: bool,
    pub is_default: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
}

/// A list's figures in the stats: people who came in, and who is inside now where the list
/// counts exits (`None` where it does not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListCount {
    pub id: i32,
    pub name: String,
    pub checked_in: i64,
    pub inside: Option<i64>,
}

/// Which way a scan goes through a list's door.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DoorDirection {
    #[default]
    In,
    Out,
}

impl DoorDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

/// The scanner's header: the event, and for its organiser and supervisors how many are in
/// (stewards see no counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorHeader {
    pub event_name: String,
    pub counts: Option<DoorCounts>,
    /// When the door takes entries; `None`: any time.
    pub window: Option<DoorWindow>,
}

/// Check-in opens two hours before the start unless the organiser says otherwise.
pub const DOORS_OPEN_MINUTES_BEFORE: i32 = 120;

/// When the door takes entries, wall-clock times at the event: from `opens` (the organiser's
/// setting before the start) until the event `ends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorWindow {
    pub opens: NaiveDateTime,
    pub ends: NaiveDateTime,
}

impl DoorWindow {
    /// The window of an event starting at `start` and ending at `end`, opening `minutes`
    /// before the start (`None`: no window).
    pub fn of(start: NaiveDateTime, end: NaiveDateTime, minutes: Option<i32>) -> Option<Self> {
        minutes.map(|m| Self {
            opens: start - chrono::Duration::minutes(i64::from(m)),
            ends: end,
        })
    }

    /// Why a scan made `at` is outside the window, in words for the door; `None` inside it.
    pub fn refusal(&self, at: NaiveDateTime) -> Option<String> {
        let when = |t: NaiveDateTime| t.format("%H:%M on %a %-d %b").to_string();
        if at < self.opens {
            Some(format!(
                "Too early: check-in opens at {}.",
                when(self.opens)
            ))
        } else if at > self.ends {
            Some(format!("Too late: the event ended at {}.", when(self.ends)))
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorCounts {
    pub checked_in: i64,
    pub registered: i64,
    /// Each list's figures (the default first), for "inside now" where exits count.
    #[serde(default)]
    pub lists: Vec<ListCount>,
}

/// What a door link opens, shown before anyone logs in with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffLinkPreview {
    pub event_id: i32,
    pub event_name: String,
    /// When and where, as the event page says it.
    pub event_when: String,
    pub staff_name: String,
}

/// The answer to a scan at the door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckinResult {
    pub attendee: Attendee,
    /// The first check-in's time, also when this scan repeated it.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub checked_in_at: NaiveDateTime,
    pub already_checked_in: bool,
    /// The list the scan went to, and which way.
    pub list_id: i32,
    pub direction: DoorDirection,
    /// Set when the scan was outside the event's check-in window and was recorded anyway
    /// (by a supervisor or the organiser, or by a client that did not ask for the window):
    /// why, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_window: Option<String>,
}

/// One person on the door's list, as a scanner phone keeps it for checking tickets while the
/// network is gone. It holds a hash of the ticket token, never the token: a lost phone gives
/// nobody a way to forge tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoorPerson {
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub profile_picture: Option<String>,
    /// `ticket_hash` of the person's check-in token.
    pub token_hash: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-05-04T09:30:00"))]
    pub checked_in_at: Option<NaiveDateTime>,
}

impl DoorPerson {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A ticket token as printed: QR codes carry it upper-case, the database keeps it lower-case.
pub fn normalise_ticket(token: &str) -> String {
    token.trim().to_ascii_lowercase()
}

/// SHA-256 of a ticket token (either case), as lower-case hex: what the door's list holds.
pub fn ticket_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(normalise_ticket(token).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
