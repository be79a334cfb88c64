//! A mail as sent: a subject, a plain-text part and an HTML part (styles inline, one column
//! of at most 560 px, so Gmail, Outlook, Apple Mail and phones show it alike), plus the
//! ticket's QR code as an inline PNG and calendar files as attachments, with the one-click
//! unsubscribe headers. What each kind says is its draft (`draft`); times are the event's
//! wall-clock times, with its zone named.

use super::Mailer;
use app::badge_html::escape;
use app::domain::notifications::{Unsubscribe, UnsubscribeSigner};
use app::domain::outbox::{Letter, MailKind};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

mod draft;
use draft::{draft, Block, Draft};

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
