//! Calendar files (RFC 5545) of an event and of meetings, for downloads and mail
//! attachments. Times are written as UTC instants (`...Z`, which API.md allows beside TZID):
//! every calendar shows them in its owner's zone, and no VTIMEZONE can go stale.

use app::models::{Appointment, Event};
use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::{Calendar, Component, EventLike};

fn instant(local: NaiveDateTime, zone: &str) -> DateTime<Utc> {
    app::zone::to_utc(local, app::zone::of_event(zone))
}

/// Which version of an event's calendar entry a file carries: a calendar that imported the
/// first one replaces it with a later one of the same UID (RFC 5546's SEQUENCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    Published,
    /// `METHOD:CANCEL`: calendars that kept the event remove it.
    Cancelled,
    /// Back on after a cancellation.
    Restored,
}

impl Revision {
    /// The iTIP method the file carries (RFC 5546): in the file and in its MIME type.
    pub fn method(self) -> &'static str {
        match self {
            Revision::Cancelled => "CANCEL",
            Revision::Published | Revision::Restored => "PUBLISH",
        }
    }
}

/// The event as one VEVENT.
pub fn calendar(event: &Event, url: &str) -> String {
    calendar_at(event, url, Revision::Published)
}

/// The event as one VEVENT, in the given revision.
pub fn calendar_at(event: &Event, url: &str, revision: Revision) -> String {
    let mut entry = icalendar::Event::new();
    match revision {
        Revision::Published => {}
        Revision::Cancelled => {
            entry.sequence(1).status(icalendar::EventStatus::Cancelled);
        }
        Revision::Restored => {
            entry.sequence(2).status(icalendar::EventStatus::Confirmed);
        }
    }
    entry
        .uid(&format!("event-{}@netevent", event.code))
        .summary(&event.name)
        .starts(instant(event.start_time, &event.timezone))
        .ends(instant(event.end_time, &event.timezone))
        .url(url)
        .description(format!("{}\n\n{url}", event.description.as_deref().unwrap_or("")).trim());
    if let Some(location) = &event.location {
        entry.location(location);
    }
    let mut calendar = Calendar::new();
    calendar.name(&event.name);
    if revision == Revision::Cancelled {
        calendar.append_property(icalendar::Property::new("METHOD", revision.method()));
    }
    calendar.push(entry.done()).done().to_string()
}

/// One VEVENT per meeting; `zone` is the zone of their event.
pub fn meetings_calendar(name: &str, zone: &str, meetings: &[Appointment]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for meeting in meetings {
        let with = meeting.other.full_name();
        let mut entry = icalendar::Event::new();
        entry
            .uid(&format!("appointment-{}@netevent", meeting.id))
            .summary(&format!("Meeting with {with}"))
            .starts(instant(meeting.appointment_time, zone))
            .ends(instant(meeting.end_time, zone));
        let mut about = vec![format!("1:1 meeting with {with}")];
        about.extend(meeting.other.organisation.clone());
        about.extend(meeting.notes.clone());
        entry.description(&about.join("\n"));
        if let Some(location) = meeting.venue() {
            entry.location(&location);
        }
        calendar.push(entry.done());
    }
    calendar.done().to_string()
}
