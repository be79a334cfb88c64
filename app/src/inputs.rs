//! Request bodies, shared by the REST API and the pages' server functions. Every field has a
//! default so that a missing field is reported as a field error, not as a parse failure.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrganizerRegistration {
    pub email: String,
    pub password: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub event_id: Option<i32>,
    pub event_code: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendeeRegistration {
    pub event_id: Option<i32>,
    pub event_code: Option<String>,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EventInput {
    pub name: String,
    pub description: Option<String>,
    pub start_time: String,
    pub end_time: String,
    pub location: Option<String>,
    pub max_attendees: Option<i64>,
    /// IANA zone name; the server's default zone when absent.
    pub timezone: Option<String>,
    /// `"public"` (listed; the default) or `"unlisted"` (reached only by its link).
    #[cfg_attr(feature = "ssr", schema(example = "public"))]
    pub visibility: Option<String>,
    /// Minutes before the start the door opens (0 to 10080); `null`: any time; absent: 120.
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, example = 120))]
    pub checkin_opens_minutes_before: Option<Option<i64>>,
}

/// A partial update: absent fields stay as they are; `max_attendees: null` means unlimited.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EventPatch {
    pub name: Option<String>,
    #[serde(deserialize_with = "present")]
    pub description: Option<Option<String>>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    #[serde(deserialize_with = "present")]
    pub location: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    pub max_attendees: Option<Option<i64>>,
    pub timezone: Option<String>,
    #[cfg_attr(feature = "ssr", schema(example = "unlisted"))]
    pub visibility: Option<String>,
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, example = 120))]
    pub checkin_opens_minutes_before: Option<Option<i64>>,
}

/// A partial profile update: absent fields stay; `null` clears an optional one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProfilePatch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[serde(deserialize_with = "present")]
    pub organisation: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    pub role: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    pub introduction: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ConnectionInput {
    pub connected_attendee_id: Option<i64>,
}

/// An answer to a request: `accepted` or `rejected`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StatusInput {
    pub status: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AppointmentInput {
    pub target_id: Option<i64>,
    pub appointment_time: String,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

/// A scan at the door: the token of the QR code, and for a scan queued offline the time it
/// was made and the device that made it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CheckinInput {
    pub token: String,
    pub scanned_at: Option<String>,
    pub device: Option<String>,
    /// Instead of `token`: checks this attendee in by hand (organiser and supervisors).
    pub attendee_id: Option<i32>,
    /// The check-in list; the event's default list when absent.
    pub list_id: Option<i32>,
    /// `"in"` (the default) or `"out"`, the latter only on lists that count exits.
    #[cfg_attr(feature = "ssr", schema(example = "in"))]
    pub direction: Option<String>,
    /// Outside the event's check-in window: `false` refuses the scan (409
    /// `outside_checkin_window`, with the reason), `true` checks in anyway (supervisors and
    /// the organiser; 403 for stewards). Absent: checked in, with `outside_window` saying why.
    pub anyway: Option<bool>,
}

/// A new check-in list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ListInput {
    pub name: String,
    pub counts_exits: bool,
}

/// A new door link.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StaffInput {
    pub name: String,
    /// `"steward"` (the default: scans only) or `"supervisor"`.
    #[cfg_attr(feature = "ssr", schema(example = "steward"))]
    pub role: Option<String>,
    /// Binds the link to one of the event's check-in lists.
    pub list_id: Option<i32>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `limit` (default 50, at most 200) and `offset`, as every list takes them.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct PageParams {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl PageParams {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    pub fn limit(&self) -> i64 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    /// The limit for a list that allows larger pages than `MAX_LIMIT` (the door's list).
    pub fn limit_up_to(&self, max: i64) -> i64 {
        self.limit.unwrap_or(max).clamp(1, max)
    }

    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_null_from_absent() {
        let patch: EventPatch = serde_json::from_str(r#"{"max_attendees": null}"#).unwrap();
        assert_eq!(patch.max_attendees, Some(None));
        assert_eq!(patch.location, None);
        let patch: EventPatch = serde_json::from_str(r#"{"max_attendees": 5}"#).unwrap();
        assert_eq!(patch.max_attendees, Some(Some(5)));
    }

    #[test]
    fn page_params_are_bounded() {
        let p = PageParams {
            limit: Some(10_000),
            offset: Some(-3),
        };
        assert_eq!((p.limit(), p.offset()), (200, 0));
        assert_eq!(PageParams::default().limit(), 50);
    }
}

/// Switches to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NotificationPatch {
    pub connection_requests: Option<bool>,
    pub meeting_requests: Option<bool>,
    pub meeting_updates: Option<bool>,
    pub reminders: Option<bool>,
}

/// `POST /api/auth/password-reset`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PasswordResetRequest {
    pub email: String,
    /// `"organizer"` or `"attendee"`.
    pub role: String,
}

/// `POST /api/auth/password-reset/confirm`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}
