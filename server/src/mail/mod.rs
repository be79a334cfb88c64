//! Sending the outbox (`app::domain::outbox`): every server instance runs one worker that
//! claims due mails, composes each from what is true now (`compose`), sends it over SMTP
//! (lettre, pooled connections) and marks it. A failed send is retried with exponential
//! backoff capped at a minute, for a day; then the event's organiser sees it as undelivered.

mod compose;

use app::db::DbPool;
use app::domain::outbox::{self, Claimed};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// Database connections of one instance's worker (8 measured no faster than 4 on 2 cores).
pub const POOL_SIZE: u32 = 4;
/// Mails claimed at once by one worker.
const BATCH: i64 = 50;
/// Mails composed and sent at once by one worker: each holds a database connection only
/// while it reads and marks, never while the SMTP server answers.
const SENDING_AT_ONCE: usize = 8;
/// How long a claimed mail is kept from other workers; far longer than a send takes.
const LEASE: Duration = Duration::from_secs(120);
/// How often an idle worker looks for due mail (reminders, retries, other instances' rows);
/// a mail queued by this instance wakes it at once.
const POLL: Duration = Duration::from_secs(1);

/// Where mail goes and how it is signed.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    pub from: Mailbox,
    /// `NETEVENT_PUBLIC_URL` without a trailing slash.
    pub public_url: String,
}

impl Mailer {
    /// `smtp_url` as API.md describes it (`smtp://host:port`, `smtps://user:pass@host`,
    /// `smtp://…:587?tls=required`); `None`: mail is not configured and is dropped.
    pub fn new(smtp_url: Option<&str>, from: &str, public_url: &str) -> Result<Self, String> {
        let transport = smtp_url
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|builder| builder.timeout(Some(Duration::from_secs(15))).build())
                    .map_err(|e| format!("SMTP_URL: {e}"))
            })
            .transpose()?;
        Ok(Self {
            transport,
            from: from
                .parse()
                .map_err(|e| format!("NETEVENT_MAIL_FROM {from:?}: {e}"))?,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }
}

/// Starts this instance's outbox worker.
pub fn spawn_worker(pool: DbPool, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    if mailer.transport.is_none() {
        tracing::warn!("SMTP_URL is not set: mail is not sent (it is marked skipped)");
    }
    let mailer = Arc::new(mailer);
    tokio::spawn(async move {
        let sending = Arc::new(tokio::sync::Semaphore::new(SENDING_AT_ONCE));
        loop {
            let claimed = match claim(&pool).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, "could not read the outbox");
                    tokio::time::sleep(POLL * 2).await;
                    continue;
                }
            };
            if claimed.is_empty() {
                let queued = outbox::QUEUED.notified();
                let _ = tokio::time::timeout(POLL, queued).await;
                continue;
            }
            let mut batch = tokio::task::JoinSet::new();
            for mail in claimed {
                let (pool, mailer) = (pool.clone(), mailer.clone());
                let permit = sending.clone().acquire_owned().await;
                batch.spawn(async move {
                    let _permit = permit;
                    deliver(&pool, &mailer, mail).await;
                });
            }
            while batch.join_next().await.is_some() {}
        }
    })
}

async fn claim(pool: &DbPool) -> Result<Vec<Claimed>, app::error::AppError> {
    let mut conn = pool.get().await?;
    outbox::claim(&mut conn, BATCH, LEASE).await
}

/// Composes, sends and marks one mail. Marking failures are logged: the row's lease ends
/// and it is tried again, so a mail may (rarely) go twice but is never lost.
async fn deliver(pool: &DbPool, mailer: &Mailer, mail: Claimed) {
    let outcome = attempt(pool, mailer, &mail).await;
    let marked = async {
        let mut conn = pool.get().await?;
        match &outcome {
            Ok(true) => outbox::mark_sent(&mut conn, mail.id).await,
            Ok(false) => outbox::mark_skipped(&mut conn, mail.id, "nothing to tell any more").await,
            Err(error) => {
                tracing::warn!(id = mail.id, kind = %mail.kind, %error, "mail not sent; will retry");
                outbox::mark_failed(&mut conn, &mail, error).await
            }
        }
    };
    if let Err(error) = marked.await {
        tracing::warn!(id = mail.id, %error, "could not mark an outbox row");
    }
}

/// `Ok(true)`: sent; `Ok(false)`: nothing to send any more.
async fn attempt(pool: &DbPool, mailer: &Mailer, mail: &Claimed) -> Result<bool, String> {
    let (letter, unsubscribe) = {
        let mut conn = pool.get().await.map_err(|e| e.to_string())?;
        let Some(letter) = outbox::letter(&mut conn, mail)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(false);
        };
        let unsubscribe = compose::unsubscribe_link(&mut conn, mailer, &letter)
            .await
            .map_err(|e| e.to_string())?;
        (letter, unsubscribe)
    };
    let Some(transport) = &mailer.transport else {
        return Ok(false);
    };
    let message = compose::message(mailer, &letter, unsubscribe.as_deref())?;
    transport
        .send(message)
        .await
        .map(|_| true)
        .map_err(|e| e.to_string())
}
