//! What each mail says: a subject, a plain-text part and an HTML part (styles inline, one
//! column of at most 560 px, so Gmail, Outlook, Apple Mail and phones show it alike), plus
//! the ticket's QR code as an inline PNG and calendar files as attachments. Times are the
//! event's wall-clock times, with its zone named.

use super::Mailer;
use crate::calendar::Revision;
use app::badge_html::escape;
use app::domain::notifications::{Unsubscribe, UnsubscribeSigner};
use app::domain::outbox::{Letter, MailKind, MeetingInfo};
use app::models::Event;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// RFC 2369 `List-Unsubscribe`.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(raw: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(raw.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// RFC 8058: the link works with one POST, no confirmation page.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The unsubscribe link of a notification; none for a password reset.
pub fn unsubscribe_link(
    signer: &UnsubscribeSigner,
    mailer: &Mailer,
    letter: &Letter,
) -> Option<String> {
    let attendee_id = letter.attendee_id?;
    let what = match letter.kind.preference() {
        Some(preference) => Unsubscribe::One(preference),
        None if letter.kind == MailKind::PasswordReset => return None,
        None => Unsubscribe::All,
    };
    Some(format!(
        "{}{}",
        mailer.public_url,
        signer.path(attendee_id, what)
    ))
}

/// One paragraph or a call to action in a mail.
enum Block {
    Text(String),
    /// A button: label, address.
    Button(String, String),
    /// Label and value lines, e.g. When / Where.
    Facts(Vec<(String, String)>),
    /// The inline ticket QR code.
    Ticket,
}

/// An attached calendar file.
struct CalendarFile {
    name: String,
    body: String,
    revision: Revision,
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

struct Draft {
    subject: String,
    heading: String,
    blocks: Vec<Block>,
    /// Why the reader gets this (the footer).
    reason: String,
    attachments: Vec<CalendarFile>,
    ticket_png: Option<Vec<u8>>,
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

fn draft(mailer: &Mailer, letter: &Letter) -> Result<Draft, String> {
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

fn text_part(draft: &Draft, unsubscribe: Option<&str>) -> String {
    let mut out = format!("{}\n\n", draft.heading);
    for block in &draft.blocks {
        match block {
            Block::Text(text) => out.push_str(&format!("{text}\n\n")),
            Block::Button(label, link) => out.push_str(&format!("{label}: {link}\n\n")),
            Block::Facts(facts) => {
                for (label, value) in facts {
                    out.push_str(&format!("{label}: {value}\n"));
                }
                out.push('\n');
            }
            Block::Ticket => out.push_str("(Your ticket's QR code is in the HTML version of this mail and on the event page.)\n\n"),
        }
    }
    out.push_str(&format!("--\n{}\n", draft.reason));
    if let Some(link) = unsubscribe {
        out.push_str(&format!("Unsubscribe from these mails: {link}\n"));
    }
    out
}

fn html_part(draft: &Draft, unsubscribe: Option<&str>) -> String {
    const FONT: &str = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
    let mut body = String::new();
    for block in &draft.blocks {
        match block {
            Block::Text(text) => body.push_str(&format!(
                "<p style=\"margin:0 0 16px;font-size:16px;line-height:24px;color:#1f2937;{FONT}\">{}</p>",
                escape(text)
            )),
            Block::Button(label, link) => body.push_str(&format!(
                "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"margin:8px 0 24px\"><tr><td style=\"background:#4338ca;border-radius:8px\">\
                 <a href=\"{}\" style=\"display:inline-block;padding:12px 20px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;{FONT}\">{}</a></td></tr></table>",
                escape(link),
                escape(label)
            )),
            Block::Facts(facts) => {
                body.push_str("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"margin:0 0 16px;width:100%\">");
                for (label, value) in facts {
                    body.push_str(&format!(
                        "<tr><td style=\"padding:4px 12px 4px 0;vertical-align:top;font-size:14px;color:#4b5563;white-space:nowrap;{FONT}\">{}</td>\
                         <td style=\"padding:4px 0;font-size:16px;color:#111827;{FONT}\">{}</td></tr>",
                        escape(label),
                        escape(value)
                    ));
                }
                body.push_str("</table>");
            }
            Block::Ticket => body.push_str(
                "<p style=\"margin:0 0 16px;text-align:center\"><img src=\"cid:ticket-qr\" width=\"240\" height=\"240\" alt=\"Your ticket's QR code\" style=\"display:inline-block;width:240px;height:240px;border:0\"></p>",
            ),
        }
    }
    let footer = match unsubscribe {
        Some(link) => format!(
            "{} <a href=\"{}\" style=\"color:#4b5563\">Unsubscribe</a>",
            escape(&draft.reason),
            escape(link)
        ),
        None => escape(&draft.reason),
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title}</title></head>\
         <body style=\"margin:0;padding:0;background:#f3f4f6\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f3f4f6\"><tr><td align=\"center\" style=\"padding:24px 12px\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:560px;background:#ffffff;border-radius:12px\"><tr><td style=\"padding:28px 24px\">\
         <p style=\"margin:0 0 8px;font-size:14px;font-weight:700;color:#4338ca;{FONT}\">NetEvent</p>\
         <h1 style=\"margin:0 0 20px;font-size:22px;line-height:30px;color:#111827;{FONT}\">{heading}</h1>{body}\
         </td></tr></table>\
         <p style=\"max-width:560px;margin:16px auto 0;font-size:12px;line-height:18px;color:#4b5563;{FONT}\">{footer}</p>\
         </td></tr></table></body></html>",
        title = escape(&draft.subject),
        heading = escape(&draft.heading),
    )
}

/// The whole message of a letter.
pub fn message(
    mailer: &Mailer,
    letter: &Letter,
    unsubscribe: Option<&str>,
) -> Result<Message, String> {
    let draft = draft(mailer, letter)?;
    let to: Mailbox = Mailbox::new(
        (!letter.to_name.is_empty()).then(|| letter.to_name.clone()),
        letter.to.parse().map_err(|e| format!("recipient: {e}"))?,
    );
    let mut builder = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(draft.subject.clone());
    if let Some(link) = unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{link}>")))
            .header(ListUnsubscribePost);
    }
    let alternative = MultiPart::alternative_plain_html(
        text_part(&draft, unsubscribe),
        html_part(&draft, unsubscribe),
    );
    let content = match &draft.ticket_png {
        Some(png) => MultiPart::related().multipart(alternative).singlepart(
            Attachment::new_inline("ticket-qr".to_owned()).body(
                png.clone(),
                ContentType::parse("image/png").map_err(|e| e.to_string())?,
            ),
        ),
        None => alternative,
    };
    let body = if draft.attachments.is_empty() {
        content
    } else {
        let mut mixed = MultiPart::mixed().multipart(content);
        for file in &draft.attachments {
            let part: SinglePart = Attachment::new(file.name.clone()).body(
                file.body.clone(),
                ContentType::parse(&format!(
                    "text/calendar; charset=utf-8; method={}",
                    file.revision.method()
                ))
                .map_err(|e| e.to_string())?,
            );
            mixed = mixed.singlepart(part);
        }
        mixed
    };
    builder.multipart(body).map_err(|e| e.to_string())
}
