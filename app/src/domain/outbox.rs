//! The mail outbox: a mail is a row written in the same transaction as the change it reports
//! (so a rolled-back change sends nothing and no change goes untold), and every server
//! instance's worker claims due rows, sends them and marks them.
//!
//! Claiming is a short transaction: the due rows are locked with `FOR UPDATE SKIP LOCKED`
//! (other instances skip them instead of waiting) and their `due_at` pushed a lease ahead,
//! then committed; the mail goes out outside any transaction, and the row is marked sent.
//! An instance that dies mid-send leaves rows that come due again when the lease ends.
//!
//! A row names what it is about (a registration, connection or meeting), not the finished
//! text: the mail is composed when it is sent, from what is true then. A meeting cancelled
//! before its reminder is due, or a person who turned that kind of mail off, gets nothing.

use super::attendees::AttendeeRow;
use super::events;
use crate::db::DbConn;
use crate::error::AppError;
use crate::schema::outbox;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use std::sync::LazyLock;

pub(crate) use super::letters::attendee_with_switches;
pub use super::letters::{letters, Letter, MeetingInfo, Person, Switches};

/// What a mail is about. The names are kept in `outbox.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// Registration or RSVP: the ticket and the event's calendar file.
    Registered,
    ConnectionRequested,
    ConnectionAccepted,
    MeetingRequested,
    /// To both people, with the meeting's calendar file.
    MeetingAccepted,
    MeetingDeclined,
    /// 15 minutes before an accepted meeting, to both.
    MeetingReminder,
    PasswordReset,
    /// Its organiser deleted the event (sent `CANCELLATION_MAIL_DELAY_MINUTES` later, and only
    /// if it is still deleted then), with a calendar cancellation.
    EventCancelled,
    /// A deleted event was restored: to those who were told it was cancelled.
    EventRestored,
    /// The organiser cancelled this person's registration. Their record is gone by then: the
    /// row names the event and the address only.
    RegistrationCancelled,
    /// An accepted meeting went (the other cancelled it, or left the event): to the other
    /// person, told from the row's `facts`, as the meeting is gone by then.
    MeetingCancelled,
}

impl MailKind {
    pub const ALL: [MailKind; 12] = [
        Self::Registered,
        Self::ConnectionRequested,
        Self::ConnectionAccepted,
        Self::MeetingRequested,
        Self::MeetingAccepted,
        Self::MeetingDeclined,
        Self::MeetingReminder,
        Self::PasswordReset,
        Self::EventCancelled,
        Self::EventRestored,
        Self::RegistrationCancelled,
        Self::MeetingCancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::ConnectionRequested => "connection_requested",
            Self::ConnectionAccepted => "connection_accepted",
            Self::MeetingRequested => "meeting_requested",
            Self::MeetingAccepted => "meeting_accepted",
            Self::MeetingDeclined => "meeting_declined",
            Self::MeetingReminder => "meeting_reminder",
            Self::PasswordReset => "password_reset",
            Self::EventCancelled => "event_cancelled",
            Self::EventRestored => "event_restored",
            Self::RegistrationCancelled => "registration_cancelled",
            Self::MeetingCancelled => "meeting_cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    /// The switch that turns this kind off; `None` for mail everyone gets (the ticket, a
    /// reset link they asked for).
    pub fn preference(self) -> Option<Preference> {
        match self {
            Self::ConnectionRequested | Self::ConnectionAccepted => {
                Some(Preference::ConnectionRequests)
            }
            Self::MeetingRequested => Some(Preference::MeetingRequests),
            Self::MeetingAccepted | Self::MeetingDeclined | Self::MeetingCancelled => {
                Some(Preference::MeetingUpdates)
            }
            Self::MeetingReminder => Some(Preference::Reminders),
            Self::Registered
            | Self::PasswordReset
            | Self::EventCancelled
            | Self::EventRestored
            | Self::RegistrationCancelled => None,
        }
    }
}

/// The four switches of API.md's `/api/attendees/<id>/notifications`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    ConnectionRequests,
    MeetingRequests,
    MeetingUpdates,
    Reminders,
}

impl Preference {
    pub const ALL: [Preference; 4] = [
        Self::ConnectionRequests,
        Self::MeetingRequests,
        Self::MeetingUpdates,
        Self::Reminders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConnectionRequests => "connection_requests",
            Self::MeetingRequests => "meeting_requests",
            Self::MeetingUpdates => "meeting_updates",
            Self::Reminders => "reminders",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

/// Wakes the workers of this instance when a mail was queued, so it goes out at once
/// instead of at the next poll.
pub static QUEUED: LazyLock<tokio::sync::Notify> = LazyLock::new(tokio::sync::Notify::new);

/// A mail to queue, inside the caller's transaction.
#[derive(Clone)]
pub(crate) struct NewMail {
    pub kind: MailKind,
    pub recipient: String,
    pub event_id: Option<i32>,
    pub attendee_id: Option<i32>,
    pub subject_id: Option<i32>,
    pub secret: Option<String>,
    /// What the mail tells that no row will hold by sending time (JSON).
    pub facts: Option<String>,
    /// UTC; `None`: now.
    pub due_at: Option<NaiveDateTime>,
}

impl NewMail {
    /// A mail to an attendee about their event, due now.
    pub fn to_attendee(kind: MailKind, to: &AttendeeRow, subject_id: Option<i32>) -> Self {
        Self {
            kind,
            recipient: to.email.clone(),
            event_id: Some(to.event_id),
            attendee_id: Some(to.id),
            subject_id,
            secret: None,
            facts: None,
            due_at: None,
        }
    }

    pub fn due(mut self, at: NaiveDateTime) -> Self {
        self.due_at = Some(at);
        self
    }
}

fn utc_now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Queues `mails` on `conn`, which must be inside the transaction of the change they report.
pub(crate) async fn enqueue(
    conn: &mut AsyncMysqlConnection,
    mails: Vec<NewMail>,
) -> Result<(), AppError> {
    if mails.is_empty() {
        return Ok(());
    }
    let now = utc_now();
    let rows: Vec<_> = mails
        .into_iter()
        .map(|mail| {
            (
                outbox::kind.eq(mail.kind.as_str()),
                outbox::recipient.eq(mail.recipient),
                outbox::event_id.eq(mail.event_id),
                outbox::attendee_id.eq(mail.attendee_id),
                outbox::subject_id.eq(mail.subject_id),
                outbox::secret.eq(mail.secret),
                outbox::facts.eq(mail.facts),
                outbox::status.eq("pending"),
                outbox::due_at.eq(mail.due_at.unwrap_or(now)),
                outbox::created_at.eq(now),
            )
        })
        .collect();
    diesel::insert_into(outbox::table)
        .values(rows)
        .execute(conn)
        .await?;
    QUEUED.notify_waiters();
    Ok(())
}

/// A row a worker has claimed.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::mysql::Mysql))]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub event_id: Option<i32>,
    pub attendee_id: Option<i32>,
    pub subject_id: Option<i32>,
    pub secret: Option<String>,
    pub facts: Option<String>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

/// Claims up to `batch` due mails for `lease`: no other worker takes them meanwhile.
pub async fn claim(
    conn: &mut DbConn<'_>,
    batch: i64,
    lease: std::time::Duration,
) -> Result<Vec<Claimed>, AppError> {
    let now = utc_now();
    let lease = Duration::from_std(lease).unwrap_or(Duration::minutes(5));
    // READ COMMITTED: the locking read takes the rows it returns, not the gaps between them.
    // Under REPEATABLE READ its gap locks made every registration that queued a mail wait
    // for the claim, and the claim's update then deadlocked with them (seen as 500s in the
    // 500-registration burst test).
    diesel::sql_query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        .execute(conn)
        .await?;
    crate::db::transaction!(conn, async |conn| {
        let rows: Vec<Claimed> = outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::due_at.le(now))
            .order(outbox::due_at.asc())
            .limit(batch)
            .select(Claimed::as_select())
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        if !rows.is_empty() {
            let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::due_at.eq(now + lease),
                    outbox::attempts.eq(outbox::attempts + 1),
                ))
                .execute(conn)
                .await?;
        }
        Ok(rows)
    })
    .await
}

/// These mails went out; a reset link's token is forgotten. One statement for a batch.
pub async fn mark_sent(conn: &mut DbConn<'_>, ids: &[i64]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(utc_now()),
            outbox::secret.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// These mails have nothing to tell any more (`why`): they are not sent.
pub async fn mark_skipped(conn: &mut DbConn<'_>, ids: &[i64], why: &str) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set((
            outbox::status.eq("skipped"),
            outbox::secret.eq(None::<String>),
            outbox::last_error.eq(Some(why)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// How long a mail is retried before it is given up on.
pub const GIVE_UP_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
/// The longest wait between two tries.
pub const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(60);

/// The wait before try `attempts + 1`: 1 s, 2 s, 4 s … at most a minute.
pub fn backoff(attempts: i32) -> std::time::Duration {
    let exponent = attempts.clamp(1, 16) as u32 - 1;
    std::time::Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF)
}

/// Sending failed: try again after the backoff, or give up once the mail is a day old (the
/// event's organiser sees it among the undelivered mail).
pub async fn mark_failed(
    conn: &mut DbConn<'_>,
    mail: &Claimed,
    error: &str,
) -> Result<(), AppError> {
    let now = utc_now();
    let error: String = error.chars().take(500).collect();
    let give_up =
        now - mail.created_at >= Duration::from_std(GIVE_UP_AFTER).unwrap_or(Duration::days(1));
    let retry_at = now + Duration::from_std(backoff(mail.attempts)).unwrap_or(Duration::minutes(1));
    let update = diesel::update(outbox::table.find(mail.id));
    if give_up {
        update
            .set((
                outbox::status.eq("failed"),
                outbox::secret.eq(None::<String>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)
            .await?;
    } else {
        update
            .set((outbox::due_at.eq(retry_at), outbox::last_error.eq(error)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Mail counts of an event by state, and the undelivered ones, for its organiser.
pub async fn delivery(
    conn: &mut DbConn<'_>,
    actor: &super::Actor,
    event_id: i32,
) -> Result<crate::models::MailDelivery, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let counts: Vec<(String, i64)> = outbox::table
        .filter(outbox::event_id.eq(event_id))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let count = |state: &str| {
        counts
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n)
    };
    let failed: Vec<(String, String, Option<String>, NaiveDateTime)> = outbox::table
        .filter(outbox::event_id.eq(event_id))
        .filter(outbox::status.eq("failed"))
        .order(outbox::id.desc())
        .limit(50)
        .select((
            outbox::kind,
            outbox::recipient,
            outbox::last_error,
            outbox::created_at,
        ))
        .load(conn)
        .await?;
    Ok(crate::models::MailDelivery {
        sent: count("sent"),
        waiting: count("pending"),
        failed: count("failed"),
        undelivered: failed
            .into_iter()
            .map(
                |(kind, recipient, error, created_at)| crate::models::UndeliveredMail {
                    kind,
                    recipient,
                    error: error.unwrap_or_default(),
                    created_at,
                },
            )
            .collect(),
    })
}
