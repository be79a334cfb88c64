//! Sending the outbox (`app::domain::outbox`): every server instance runs one worker that
//! claims due mails, composes each from what is true now (`compose`), sends it over SMTP
//! (lettre, pooled connections) and marks it. A failed send is retried with exponential
//! backoff capped at a minute, for a day; then the event's organiser sees it as undelivered.

mod compose;

use app::db::DbPool;
use app::domain::notifications::UnsubscribeSigner;
use app::domain::outbox::{self, Claimed, Letter};
use app::error::AppError;
use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// Database connections of one instance's worker: it holds one at a time (claim, read a
/// batch, mark); the second covers a connection being replaced.
pub const POOL_SIZE: u32 = 2;
/// Mails claimed at once by one worker.
const BATCH: i64 = 200;
/// Mails composed and sent at once by one worker, each on its own pooled SMTP connection.
/// Sending is bound by waiting, not by work: lettre writes a message's final `.` apart from
/// its body without TCP_NODELAY, so Nagle's algorithm and the server's delayed ACK hold each
/// mail for about 40 ms. Measured on 2 cores (batches of 50): 8 at once, 151 mails/s; 16,
/// 242 mails/s; with batches of 200 and 24 at once, see the README. Mail relays take this
/// many connections from one client (Postfix's default limit is 50).
const SENDING_AT_ONCE: usize = 24;
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
                    .map(|builder| {
                        builder
                            .timeout(Some(Duration::from_secs(15)))
                            .pool_config(PoolConfig::new().max_size(SENDING_AT_ONCE as u32))
                            .build()
                    })
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
            let outcomes = send_batch(&pool, &mailer, &claimed).await;
            if let Err(error) = mark(&pool, &claimed, &outcomes).await {
                // The rows' lease ends and they are tried again: a mail may (rarely) go
                // twice, but none is lost.
                tracing::warn!(%error, "could not mark the outbox rows");
            }
        }
    })
}

async fn claim(pool: &DbPool) -> Result<Vec<Claimed>, AppError> {
    let mut conn = pool.get().await?;
    outbox::claim(&mut conn, BATCH, LEASE).await
}

/// What became of one claimed mail.
enum Outcome {
    Sent,
    /// Nothing to tell any more (the meeting was cancelled, the kind turned off…).
    Skipped,
    Failed(String),
}

/// Reads what the batch's mails say (a few queries for all of them), then composes and sends
/// them, `SENDING_AT_ONCE` at a time, holding no database connection while SMTP answers.
async fn send_batch(pool: &DbPool, mailer: &Arc<Mailer>, claimed: &[Claimed]) -> Vec<Outcome> {
    let read = async {
        let mut conn = pool.get().await?;
        let letters = outbox::letters(&mut conn, claimed).await?;
        let signer = UnsubscribeSigner::load(&mut conn).await?;
        Ok::<_, AppError>((letters, Arc::new(signer)))
    };
    let (letters, signer) = match read.await {
        Ok(read) => read,
        Err(error) => {
            let error = error.to_string();
            return claimed
                .iter()
                .map(|_| Outcome::Failed(error.clone()))
                .collect();
        }
    };
    let sending = Arc::new(tokio::sync::Semaphore::new(SENDING_AT_ONCE));
    let mut batch = tokio::task::JoinSet::new();
    for (index, letter) in letters.into_iter().enumerate() {
        let (mailer, signer, sending) = (mailer.clone(), signer.clone(), sending.clone());
        batch.spawn(async move {
            let _permit = sending.acquire_owned().await;
            let outcome = match letter {
                None => Outcome::Skipped,
                Some(letter) => send(&mailer, &signer, &letter).await,
            };
            (index, outcome)
        });
    }
    let mut outcomes: Vec<Outcome> = claimed
        .iter()
        .map(|_| Outcome::Failed("the send did not finish".to_owned()))
        .collect();
    while let Some(done) = batch.join_next().await {
        if let Ok((index, outcome)) = done {
            outcomes[index] = outcome;
        }
    }
    outcomes
}

async fn send(mailer: &Mailer, signer: &UnsubscribeSigner, letter: &Letter) -> Outcome {
    let Some(transport) = &mailer.transport else {
        return Outcome::Skipped;
    };
    let unsubscribe = compose::unsubscribe_link(signer, mailer, letter);
    let message = match compose::message(mailer, letter, unsubscribe.as_deref()) {
        Ok(message) => message,
        Err(error) => return Outcome::Failed(error),
    };
    match transport.send(message).await {
        Ok(_) => Outcome::Sent,
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// Marks the batch: the sent and the skipped with one statement each, each failure with its
/// own retry time.
async fn mark(pool: &DbPool, claimed: &[Claimed], outcomes: &[Outcome]) -> Result<(), AppError> {
    let ids = |wanted: fn(&Outcome) -> bool| -> Vec<i64> {
        claimed
            .iter()
            .zip(outcomes)
            .filter(|(_, outcome)| wanted(outcome))
            .map(|(mail, _)| mail.id)
            .collect()
    };
    let (sent, skipped) = (
        ids(|o| matches!(o, Outcome::Sent)),
        ids(|o| matches!(o, Outcome::Skipped)),
    );
    for (mail, outcome) in claimed.iter().zip(outcomes) {
        if let Outcome::Failed(error) = outcome {
            tracing::warn!(id = mail.id, kind = %mail.kind, %error, "mail not sent; will retry");
        }
    }
    // In one transaction, run again after a conflict (on Galera another node's worker may
    // write the same rows): a mark that is lost would send its mail a second time.
    let conn = &mut pool.get().await?;
    app::db::transaction!(conn, async |conn| {
        outbox::mark_sent(conn, &sent).await?;
        outbox::mark_skipped(conn, &skipped, "nothing to tell any more").await?;
        for (mail, outcome) in claimed.iter().zip(outcomes) {
            if let Outcome::Failed(error) = outcome {
                outbox::mark_failed(conn, mail, error).await?;
            }
        }
        Ok(())
    })
    .await
}
