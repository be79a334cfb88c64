//! What each kind of mail says: its subject, heading, paragraphs, facts and buttons, and
//! the files it carries (calendar files, the ticket's QR code). `compose` turns a draft into
//! the message's text and HTML parts.

use super::super::Mailer;
use crate::calendar::Revision;
use app::domain::outbox::{Letter, MailKind, MeetingInfo};
use app::models::Event;

/// One paragraph or a call to action in a mail.
pub(super) enum Block {
    Text(String),
    /// A button: label, address.
    Button(String, String),
    /// Label and value lines, e.g. When / Where.
    Facts(Vec<(String, String)>),
    /// The inline ticket QR code.
    Ticket,
}

/// An attached calendar file.
pub(super) struct CalendarFile {
    pub name: String,
    pub body: String,
    pub revision: Revision,
}

impl CalendarFile {
    fn of_event(event: &Event, link: &str, revision: Revision) -> Self {
        Self {
            name: format!("{}.ics", event.code),
            body: crate::calendar::calendar_at(event, link, revision),
            revision,
        }
    }
}

pub(super) struct Draft {
    pub subject: String,
    pub heading: String,
    pub blocks: Vec<Block>,
    /// Why the reader gets this (the footer).
    pub reason: String,
    pub attachments: Vec<CalendarFile>,
    pub ticket_png: Option<Vec<u8>>,
}

fn meeting_when(meeting: &MeetingInfo, event: &Event) -> String {
    let same_day = meeting.start.date() == meeting.end.date();
    let end = if same_day {
        meeting.end.format("%H:%M").to_string()
    } else {
        meeting.end.format("%a %-d %b %H:%M").to_string()
    };
    format!(
        "{} – {end} ({})",
        meeting.start.format("%a %-d %b %Y, %H:%M"),
        event.timezone
    )
}

fn event_facts(event: &Event) -> Vec<(String, String)> {
    let mut facts = vec![("When".to_owned(), event.when())];
    if let Some(location) = &event.location {
        facts.push(("Where".to_owned(), location.clone()));
    }
    facts
}

fn meeting_facts(meeting: &MeetingInfo, event: &Event) -> Vec<(String, String)> {
    let mut facts = vec![("When".to_owned(), meeting_when(meeting, event))];
    if let Some(location) = &meeting.location {
        facts.push(("Where".to_owned(), location.clone()));
    }
    if let Some(notes) = &meeting.notes {
        facts.push(("Notes".to_owned(), notes.clone()));
    }
    facts
}

fn who(letter: &Letter) -> (String, String) {
    let other = letter.other.as_ref();
    let name = other.map(|o| o.name.clone()).unwrap_or_default();
    let about = other
        .map(|o| {
            [o.role.clone(), o.organisation.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    (name, about)
}

pub(super) fn draft(mailer: &Mailer, letter: &Letter) -> Result<Draft, String> {
    let site = &mailer.public_url;
    if letter.kind == MailKind::PasswordReset {
        let token = letter.reset_token.as_deref().ok_or("no reset token")?;
        let link = format!("{site}/reset-password/{token}");
        return Ok(Draft {
            subject: "Reset your NetEvent password".into(),
            heading: "Reset your password".into(),
            blocks: vec![
                Block::Text("Someone (we hope you) asked to reset the password of your NetEvent account. The link works once, for one hour.".into()),
                Block::Button("Choose a new password".into(), link),
                Block::Text("If you did not ask, ignore this mail: your password stays as it is.".into()),
            ],
            reason: "You get this mail because a password reset was asked for this address.".into(),
            attachments: Vec::new(),
            ticket_png: None,
        });
    }
    let event = letter.event.as_ref().ok_or("no event")?;
    let event_link = format!("{site}/e/{}", event.code);
    let reason = format!(
        "You get this mail because you registered for {}.",
        event.name
    );
    let (name, about) = who(letter);
    let named = if about.is_empty() {
        name.clone()
    } else {
        format!("{name} ({about})")
    };
    let hello = if letter.to_name.is_empty() {
        "Hi,".to_owned()
    } else {
        format!("Hi {},", letter.to_name)
    };
    let mut attachments = Vec::new();
    let mut ticket_png = None;
    let (subject, heading, blocks) = match letter.kind {
        MailKind::Registered => {
            let token = letter.ticket.as_deref().ok_or("no ticket")?;
            ticket_png = Some(ticket_qr_png(token)?);
            attachments.push(CalendarFile::of_event(
                event,
                &event_link,
                Revision::Published,
            ));
            (
                format!("You're in: {}", event.name),
                format!("You're registered for {}", event.name),
                vec![
                    Block::Text(hello),
                    Block::Facts(event_facts(event)),
                    Block::Text("Show this code at the door to check in:".into()),
                    Block::Ticket,
                    Block::Button("Open the event".into(), event_link.clone()),
                    Block::Text("The event is attached as a calendar file.".into()),
                ],
            )
        }
        MailKind::ConnectionRequested => (
            format!("{name} wants to connect at {}", event.name),
            format!("{name} wants to connect"),
            vec![
                Block::Text(hello),
                Block::Text(format!(
                    "{named} asked to connect with you at {}.",
                    event.name
                )),
                Block::Button(
                    "Answer the request".into(),
                    format!("{site}/me/connections"),
                ),
            ],
        ),
        MailKind::ConnectionAccepted => {
            let email = letter
                .other
                .as_ref()
                .and_then(|o| o.email.clone())
                .unwrap_or_default();
            (
                format!("{name} accepted your connection request"),
                format!("You're connected with {name}"),
                vec![
                    Block::Text(hello),
                    Block::Text(format!("{named} accepted your request to connect.")),
                    Block::Facts(vec![("Email".into(), email)]),
                    Block::Button(
                        "See your connections".into(),
                        format!("{site}/me/connections"),
                    ),
                ],
            )
        }
        MailKind::MeetingRequested => {
            let meeting = letter.meeting.as_ref().ok_or("no meeting")?;
            (
                format!("{name} asks to meet at {}", event.name),
                format!("{name} asks to meet"),
                vec![
                    Block::Text(hello),
                    Block::Text(format!("{named} would like a 1:1 meeting with you.")),
                    Block::Facts(meeting_facts(meeting, event)),
                    Block::Button("Accept or decline".into(), format!("{site}/me/agenda")),
                ],
            )
        }
        MailKind::MeetingAccepted => {
            let meeting = letter.meeting.as_ref().ok_or("no meeting")?;
            attachments.push(meeting_calendar(
                letter,
                meeting,
                event,
                Revision::Published,
            ));
            let (subject, line) = if meeting.recipient_asked {
                (
                    format!("{name} accepted your meeting"),
                    format!("{named} accepted your meeting request."),
                )
            } else {
                (
                    format!("Meeting with {name} confirmed"),
                    format!("You accepted a meeting with {named}."),
                )
            };
            (
                subject,
                format!("Meeting with {name}"),
                vec![
                    Block::Text(hello),
                    Block::Text(line),
                    Block::Facts(meeting_facts(meeting, event)),
                    Block::Text("The meeting is attached as a calendar file.".into()),
                    Block::Button("Your agenda".into(), format!("{site}/me/agenda")),
                ],
            )
        }
        MailKind::MeetingDeclined => {
            let meeting = letter.meeting.as_ref().ok_or("no meeting")?;
            (
                format!("{name} declined your meeting request"),
                format!("{name} can't meet then"),
                vec![
                    Block::Text(hello),
                    Block::Text(format!("{named} declined the meeting you asked for.")),
                    Block::Facts(meeting_facts(meeting, event)),
                    Block::Button(
                        "Find a time with someone else".into(),
                        format!("{site}/me/people"),
                    ),
                ],
            )
        }
        MailKind::MeetingReminder => {
            let meeting = letter.meeting.as_ref().ok_or("no meeting")?;
            (
                format!("In 15 minutes: meeting with {name}"),
                format!("Your meeting with {name} starts soon"),
                vec![
                    Block::Text(hello),
                    Block::Facts(meeting_facts(meeting, event)),
                    Block::Button("Your agenda".into(), format!("{site}/me/agenda")),
                ],
            )
        }
        MailKind::EventCancelled => {
            attachments.push(CalendarFile::of_event(
                event,
                &event_link,
                Revision::Cancelled,
            ));
            (
                format!("Cancelled: {}", event.name),
                format!("{} is cancelled", event.name),
                vec![
                    Block::Text(hello),
                    Block::Text(format!(
                        "The organiser has cancelled {}. Your registration and ticket no \
                         longer apply; there is nothing you need to do.",
                        event.name
                    )),
                    Block::Facts(event_facts(event)),
                    Block::Text(
                        "Open the attached calendar file to remove the event from your calendar."
                            .into(),
                    ),
                ],
            )
        }
        MailKind::EventRestored => {
            attachments.push(CalendarFile::of_event(
                event,
                &event_link,
                Revision::Restored,
            ));
            (
                format!("Back on: {}", event.name),
                format!("{} is back on", event.name),
                vec![
                    Block::Text(hello),
                    Block::Text(format!(
                        "The organiser has restored {}, which we told you was cancelled. \
                         Your registration stands and your ticket works at the door.",
                        event.name
                    )),
                    Block::Facts(event_facts(event)),
                    Block::Button("Open the event".into(), event_link.clone()),
                    Block::Text("The event is attached as a calendar file.".into()),
                ],
            )
        }
        MailKind::RegistrationCancelled => {
            attachments.push(CalendarFile::of_event(
                event,
                &event_link,
                Revision::Cancelled,
            ));
            (
                format!("Registration cancelled: {}", event.name),
                format!("Your registration for {} is cancelled", event.name),
                vec![
                    Block::Text(hello),
                    Block::Text(format!(
                        "The organiser of {} has cancelled your registration. Your ticket no \
                         longer works at the door, and your profile, connections and meetings \
                         at this event are deleted.",
                        event.name
                    )),
                    Block::Facts(event_facts(event)),
                    Block::Text(
                        "If you think this is a mistake, ask the organiser, or register again \
                         through the event's page while seats are left."
                            .into(),
                    ),
                    Block::Button("Open the event".into(), event_link.clone()),
                ],
            )
        }
        MailKind::MeetingCancelled => {
            let meeting = letter.meeting.as_ref().ok_or("no meeting")?;
            attachments.push(meeting_calendar(
                letter,
                meeting,
                event,
                Revision::Cancelled,
            ));
            let line = if meeting.partner_left {
                format!(
                    "{named} is no longer coming to {}, so your meeting with them is cancelled.",
                    event.name
                )
            } else {
                format!("{named} cancelled your meeting.")
            };
            (
                format!("Meeting with {name} cancelled"),
                format!("Meeting with {name} cancelled"),
                vec![
                    Block::Text(hello),
                    Block::Text(line),
                    Block::Facts(meeting_facts(meeting, event)),
                    Block::Text(
                        "Open the attached calendar file to remove it from your calendar.".into(),
                    ),
                    Block::Button("Find another time".into(), format!("{site}/me/people")),
                ],
            )
        }
        MailKind::PasswordReset => unreachable!("handled above"),
    };
    Ok(Draft {
        subject,
        heading,
        blocks,
        reason,
        attachments,
        ticket_png,
    })
}

/// The meeting as a calendar file, published or cancelled.
fn meeting_calendar(
    letter: &Letter,
    meeting: &MeetingInfo,
    event: &Event,
    revision: Revision,
) -> CalendarFile {
    use icalendar::{Calendar, Component, EventLike};
    let zone = app::zone::of_event(&event.timezone);
    let (name, _) = who(letter);
    let mut entry = icalendar::Event::new();
    let mut calendar = Calendar::new();
    if revision == Revision::Cancelled {
        entry.sequence(1).status(icalendar::EventStatus::Cancelled);
        calendar.append_property(icalendar::Property::new("METHOD", revision.method()));
    }
    entry
        .uid(&format!("appointment-{}@netevent", meeting.id))
        .summary(&format!("Meeting with {name}"))
        .starts(app::zone::to_utc(meeting.start, zone))
        .ends(app::zone::to_utc(meeting.end, zone))
        .description(&format!("1:1 meeting with {name} at {}", event.name));
    if let Some(location) = &meeting.location {
        entry.location(location);
    }
    CalendarFile {
        name: format!("meeting-{}.ics", meeting.id),
        body: calendar.push(entry.done()).done().to_string(),
        revision,
    }
}

/// The check-in QR code as a PNG (upper-case hex, as on the ticket page and badges).
fn ticket_qr_png(token: &str) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::with_error_correction_level(
        token.to_ascii_uppercase().as_bytes(),
        qrcode::EcLevel::M,
    )
    .map_err(|e| e.to_string())?;
    let width = code.width();
    let (scale, quiet) = (8usize, 4usize);
    let side = (width + 2 * quiet) * scale;
    let colors = code.to_colors();
    // One bit a pixel, 1 for white: a row is side / 8 bytes.
    let row_bytes = side.div_ceil(8);
    let mut pixels = vec![0xffu8; row_bytes * side];
    for (y, row) in pixels.chunks_mut(row_bytes).enumerate() {
        let my = y / scale;
        if my < quiet || my >= width + quiet {
            continue;
        }
        for x in quiet * scale..(width + quiet) * scale {
            if colors[(my - quiet) * width + (x / scale - quiet)] == qrcode::Color::Dark {
                row[x / 8] &= !(0x80 >> (x % 8));
            }
        }
    }
    let mut png = Vec::with_capacity(2048);
    let mut encoder = png::Encoder::new(&mut png, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(png)
}
