//! What the API and the pages show: shared by server and browser, never carrying secrets.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Badge label stock, re-exported here.
mod badge_layout;
/// The door's shapes (staff, lists, scans), re-exported here.
mod door;
mod interests;
mod meetings;
mod preferences;
pub use badge_layout::*;
pub use door::*;
pub use interests::*;
pub use meetings::*;
pub use preferences::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Organizer {
    pub id: i32,
    pub email: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i32,
    pub organizer_id: i32,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub start_time: NaiveDateTime,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub end_time: NaiveDateTime,
    pub location: Option<String>,
    pub max_attendees: Option<i32>,
    /// The IANA zone the event's times are wall-clock times in.
    #[cfg_attr(feature = "ssr", schema(example = "Europe/Berlin"))]
    pub timezone: String,
    pub visibility: EventVisibility,
    /// The door takes entries from this many minutes before the start until the end; `None`:
    /// any time.
    #[cfg_attr(feature = "ssr", schema(example = 120))]
    pub checkin_opens_minutes_before: Option<i32>,
    /// The address of the event's cover picture (a 1200×630 JPEG), if the organiser set one.
    #[cfg_attr(
        feature = "ssr",
        schema(example = "/media/photos/0123456789abcdef0123456789abcdef.jpg")
    )]
    pub cover_image: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
    pub attendee_count: i64,
    /// `None` when the event is unlimited.
    pub spots_left: Option<i64>,
    /// Only for the event's organiser: how many have been checked in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checked_in: Option<i64>,
    /// Once full, people may join a waitlist (`POST /api/events/<id>/waitlist`).
    #[serde(default)]
    pub waitlist: bool,
}

/// Who finds an event: public ones are listed (`GET /api/events`, the home page); unlisted
/// ones are reached only by their link (id or code).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventVisibility {
    #[default]
    Public,
    Unlisted,
}

impl EventVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "public" => Some(Self::Public),
            "unlisted" => Some(Self::Unlisted),
            _ => None,
        }
    }
}

impl Event {
    /// When it is, for people: "Sat 4 May 2030, 09:00 – 17:00 (Europe/Berlin)".
    pub fn when(&self) -> String {
        format!(
            "{} ({})",
            crate::components::format_when(self.start_time, self.end_time),
            self.timezone
        )
    }

    pub fn is_full(&self) -> bool {
        self.spots_left == Some(0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
    /// Only on the attendee's own profile: what their QR ticket encodes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checkin_token: Option<String>,
    /// Only in the organiser's attendee list: when they were checked in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-05-04T09:30:00"))]
    pub checked_in_at: Option<NaiveDateTime>,
    /// Only in lists an attendee reads: where they stand with this person.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub connection: Option<ConnectionLink>,
}

impl Attendee {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Where a request (to connect, to meet) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Pending,
    Accepted,
    Rejected,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    /// The column is an ENUM of exactly these values.
    pub fn from_db(raw: &str) -> Self {
        Self::parse(raw).unwrap_or(Self::Pending)
    }
}

/// Whether the viewer sent a request or received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Outgoing,
    Incoming,
}

/// The viewer's connection with an attendee shown in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConnectionLink {
    pub id: i32,
    pub status: RequestStatus,
    pub direction: Direction,
}

/// A connection, as `GET /api/connections` lists it: the schema's columns plus which way it
/// points for the viewer and the other attendee's profile (with email once accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Connection {
    pub id: i32,
    pub attendee_id: i32,
    pub connected_attendee_id: i32,
    pub status: RequestStatus,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
    pub direction: Direction,
    pub other: Attendee,
}

/// A check-in staff member's access to one event. The organiser sees `token` (what the
/// staff link carries) while the access is active.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffAccess {
    pub id: i32,
    pub event_id: i32,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub token: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-05-04T09:30:00"))]
    pub revoked_at: Option<NaiveDateTime>,
    pub role: StaffRole,
    /// The check-in list this link scans into; `None`: the person picks (the default list
    /// when they do not).
    pub list_id: Option<i32>,
}

/// The attendee's Home tab: the event, the event's wall clock now, the next meeting, and the
/// requests waiting for an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeeHome {
    pub event: Event,
    pub now: NaiveDateTime,
    pub next_meeting: Option<Appointment>,
    pub inbox: Inbox,
}

impl AttendeeHome {
    /// Where the event stands, in words: "Starts in 3 days", "On now, until 17:30", over.
    pub fn moment(&self) -> String {
        let (start, end) = (self.event.start_time, self.event.end_time);
        if self.now >= end {
            return "It is over. Thank you for coming!".to_owned();
        }
        if self.now >= start {
            return format!("On now, until {}", end.format("%H:%M"));
        }
        let minutes = (start - self.now).num_minutes();
        let days = (start.date() - self.now.date()).num_days();
        match (minutes, days) {
            (0..=59, _) => format!("Starts in {} minutes", minutes.max(1)),
            (_, 0) => format!("Starts today at {}", start.format("%H:%M")),
            (_, 1) => format!("Starts tomorrow at {}", start.format("%H:%M")),
            _ => format!("Starts in {days} days"),
        }
    }
}

/// What waits for the attendee's answer, for the badge in the header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub connection_requests: i64,
    pub appointment_requests: i64,
}

impl Inbox {
    pub fn total(&self) -> i64 {
        self.connection_requests + self.appointment_requests
    }
}

/// An event's public page: the event, who hosts it, and some of who is going.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInvite {
    pub event: Event,
    pub host: String,
    /// A few of the newest registrations, those with a photo first.
    pub going: Vec<Face>,
}

/// Someone going, as the public page shows them: first name and initial, and photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Face {
    pub name: String,
    pub photo: Option<String>,
}

/// Who is logged in, as `GET /api/auth/me` answers: `{"role": "organizer"|"attendee", ...}`
/// with the profile's fields beside `role` and the whole profile under `organizer` or
/// `attendee`. An attendee's own `role` (their profession) would collide with the tag, so it
/// appears only inside `attendee`.
#[derive(Debug, Clone, PartialEq)]
pub enum Me {
    Organizer(Organizer),
    Attendee(Attendee),
    Staff(StaffAccess),
}

impl Serialize for Me {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let (role, profile) = match self {
            Me::Organizer(o) => ("organizer", serde_json::to_value(o)),
            Me::Attendee(a) => ("attendee", serde_json::to_value(a)),
            Me::Staff(s) => ("staff", serde_json::to_value(s)),
        };
        let profile = profile.map_err(S::Error::custom)?;
        let mut out = match profile.clone() {
            serde_json::Value::Object(fields) => fields,
            _ => serde_json::Map::new(),
        };
        out.insert("role".into(), role.into());
        out.insert(role.into(), profile);
        out.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Me {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(deserializer)?;
        let role = value
            .get("role")
            .and_then(|r| r.as_str())
            .unwrap_or_default()
            .to_owned();
        let profile = value
            .get_mut(role.as_str())
            .map(serde_json::Value::take)
            .ok_or_else(|| D::Error::custom("no profile"))?;
        match role.as_str() {
            "organizer" => serde_json::from_value(profile)
                .map(Me::Organizer)
                .map_err(D::Error::custom),
            "attendee" => serde_json::from_value(profile)
                .map(Me::Attendee)
                .map_err(D::Error::custom),
            "staff" => serde_json::from_value(profile)
                .map(Me::Staff)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!("unknown role {other:?}"))),
        }
    }
}

impl Me {
    pub fn display_name(&self) -> String {
        match self {
            Me::Organizer(o) => o.name.clone(),
            Me::Attendee(a) => a.full_name(),
            Me::Staff(s) => s.name.clone(),
        }
    }
}

/// How many, in one period of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimeCount {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub start: NaiveDateTime,
    pub count: i64,
}

/// What a bulk action on attendees did: `done` for so many, `unchanged` for those it
/// already held for (checked in already, a ticket mail still waiting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    pub done: i64,
    pub unchanged: i64,
}

/// How many share one value (an organisation, a role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NameCount {
    pub name: String,
    pub count: i64,
}

/// Attendance of one event, as `GET /api/organizer/events/<id>/stats` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventStats {
    pub event_id: i32,
    pub registered: i64,
    pub capacity: Option<i32>,
    pub spots_left: Option<i64>,
    pub checked_in: i64,
    /// `checked_in / registered`, 0 when nobody registered.
    pub checkin_rate: f64,
    /// Registered but not checked in; `None` until the event has ended.
    pub no_shows: Option<i64>,
    /// The check-in chart's period: 15, 30, 60, 180, 360 or 1440 minutes, the smallest that
    /// draws the span of check-ins in fewer than 48 bars.
    pub bucket_minutes: i64,
    /// Check-ins per `bucket_minutes`, from the first to the last, empty periods included.
    pub checkins_over_time: Vec<TimeCount>,
    /// Days per bar of `registrations_over_time`: 1, or 7 once registrations span more
    /// than 60 days.
    pub registration_bucket_days: i64,
    /// Registrations per day (or week) at the event, from midnight in its zone, empty
    /// periods included.
    pub registrations_over_time: Vec<TimeCount>,
    pub top_organisations: Vec<NameCount>,
    pub top_roles: Vec<NameCount>,
    /// Each check-in list, the default one first.
    pub lists: Vec<ListCount>,
}

/// One page of a list, as API.md's `{"items": [...], "total": N}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_says_where_the_event_stands_by_its_own_clock() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let home = |now: &str| AttendeeHome {
            event: Event {
                id: 1,
                organizer_id: 1,
                code: "ABCDEFGHJK".into(),
                name: "Summit".into(),
                description: None,
                start_time: at("2030-05-04 09:00"),
                end_time: at("2030-05-04 17:30"),
                location: None,
                max_attendees: None,
                timezone: "Europe/Berlin".into(),
                visibility: EventVisibility::Public,
                checkin_opens_minutes_before: None,
                cover_image: None,
                created_at: at("2030-01-01 00:00"),
                attendee_count: 0,
                spots_left: None,
                checked_in: None,
                waitlist: false,
            },
            now: at(now),
            next_meeting: None,
            inbox: Inbox::default(),
        };
        for (now, said) in [
            ("2030-04-20 12:00", "Starts in 14 days"),
            ("2030-05-03 20:00", "Starts tomorrow at 09:00"),
            ("2030-05-04 07:00", "Starts today at 09:00"),
            ("2030-05-04 08:45", "Starts in 15 minutes"),
            ("2030-05-04 12:00", "On now, until 17:30"),
            ("2030-05-04 17:30", "It is over. Thank you for coming!"),
        ] {
            assert_eq!(home(now).moment(), said, "at {now}");
        }
    }

    #[test]
    fn a_ticket_hashes_the_same_in_either_case_and_hides_the_token() {
        let token = "3f9a00c1d2e3f4a5b6c7d8e9f00112233445566";
        let hash = ticket_hash(token);
        assert_eq!(hash, ticket_hash(&format!(" {} ", token.to_uppercase())));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(token));
        assert_ne!(hash, ticket_hash("3f9a00c1d2e3f4a5b6c7d8e9f00112233445567"));
        // The SHA-256 test vector of "abc", so a browser's hash matches the server's.
        assert_eq!(
            ticket_hash("ABC"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn me_carries_the_role_tag_and_round_trips() {
        let attendee = Attendee {
            id: 7,
            event_id: 3,
            email: Some("ada@example.com".into()),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            organisation: None,
            role: Some("Mathematician".into()),
            introduction: None,
            profile_picture: None,
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 5, 4)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap(),
            checkin_token: None,
            checked_in_at: None,
            connection: None,
        };
        let me = Me::Attendee(attendee);
        let json = serde_json::to_value(&me).unwrap();
        assert_eq!(json["role"], "attendee");
        assert_eq!(json["first_name"], "Ada");
        assert_eq!(json["attendee"]["role"], "Mathematician");
        assert_eq!(serde_json::from_value::<Me>(json).unwrap(), me);
    }
}

/// Which mails an attendee gets (API.md `/api/attendees/<id>/notifications`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    pub connection_requests: bool,
    pub meeting_requests: bool,
    pub meeting_updates: bool,
    pub reminders: bool,
}

/// The event's mail as its organiser sees it: how much went out, waits, or failed for good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailDelivery {
    pub sent: i64,
    pub waiting: i64,
    pub failed: i64,
    /// The latest mails given up on (at most 50).
    pub undelivered: Vec<UndeliveredMail>,
}

/// How long a deleted event can be restored (`domain::deleted_events`).
pub const DELETED_EVENTS_KEPT_DAYS: i64 = 30;
/// How long after a deletion its attendees are told: a restore before sends nothing.
pub const CANCELLATION_MAIL_DELAY_MINUTES: i64 = 10;

/// An event its organiser deleted: hidden everywhere, restorable until `purge_at`, then
/// removed for good with its attendees. Times of deletion are UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeletedEvent {
    pub id: i32,
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub start_time: NaiveDateTime,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T17:00:00"))]
    pub end_time: NaiveDateTime,
    pub timezone: String,
    pub attendee_count: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-01T12:00:00"))]
    pub deleted_at: NaiveDateTime,
    /// When it is removed for good (UTC).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-31T12:00:00"))]
    pub purge_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UndeliveredMail {
    pub kind: String,
    pub recipient: String,
    pub error: String,
    /// When it was queued (UTC).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-05-04T09:30:00"))]
    pub created_at: NaiveDateTime,
}
