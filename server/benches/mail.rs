//! `cargo bench -p server --bench mail`: 20,000 registration confirmations (ticket QR as
//! PNG, calendar file) go through the outbox to a local SMTP sink; prints mails/s and the
//! process's resident memory while they drain. Then 400 registrations through the HTTP API
//! with the mail worker off and on, printing each run's p50/p99.
//!
//! The sink is a minimal SMTP receiver written here for the benchmark (it accepts and counts
//! every message, keeping none), so that what is measured is NetEvent, not a mail catcher.

#[path = "../tests/common/mod.rs"]
mod common;
mod measure;

use measure::*;

use app::schema::{attendees, outbox};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const MAILS: usize = 20_000;
const REGISTRATIONS: usize = 400;

/// Accepts SMTP on a loopback port and counts the messages delivered.
async fn smtp_sink() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut line = String::new();
                let mut in_data = false;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            counter.fetch_add(1, Ordering::Relaxed);
                            let _ = write.write_all(b"250 OK queued\r\n").await;
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (port, received)
}

/// Mails the sink took (a function: diesel's `RunQueryDsl::load` would shadow the atomic's).
fn count(received: &AtomicUsize) -> usize {
    received.load(Ordering::Relaxed)
}

#[tokio::main]
async fn main() {
    println!(
        "machine: {} cores; server, SMTP sink and clients in one process, MariaDB local",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    drain().await;
    registrations().await;
}

/// 20,000 confirmations queued at once, drained by one instance's worker.
async fn drain() {
    let (port, received) = smtp_sink().await;
    let app = common::TestApp::spawn_with(|config| {
        config.db_pool_size = 16;
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let organizer = app.client();
    app.organizer(&organizer, "bench@example.com").await;
    let event = app.event(&organizer, None).await["id"].as_i64().unwrap() as i32;
    let mut conn = app.state.pool.get().await.unwrap();
    for batch in (0..MAILS).collect::<Vec<_>>().chunks(1_000) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&i| {
                (
                    attendees::event_id.eq(event),
                    attendees::email.eq(format!("person{i}@example.com")),
                    attendees::password_hash.eq("not-a-hash"),
                    attendees::first_name.eq("Guest"),
                    attendees::last_name.eq(format!("{i}")),
                    attendees::checkin_token.eq(format!("{i:040x}")),
                )
            })
            .collect();
        diesel::insert_into(attendees::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let people: Vec<(i32, String)> = attendees::table
        .filter(attendees::event_id.eq(event))
        .select((attendees::id, attendees::email))
        .load(&mut conn)
        .await
        .unwrap();
    // Queued for tomorrow, then all made due at once when the clock starts.
    let now = chrono::Utc::now().naive_utc();
    let tomorrow = now + chrono::Duration::days(1);
    for batch in people.chunks(1_000) {
        let rows: Vec<_> = batch
            .iter()
            .map(|(id, email)| {
                (
                    outbox::kind.eq("registered"),
                    outbox::recipient.eq(email.clone()),
                    outbox::event_id.eq(Some(event)),
                    outbox::attendee_id.eq(Some(*id)),
                    outbox::status.eq("pending"),
                    outbox::due_at.eq(tomorrow),
                    outbox::created_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(outbox::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let rss_before = rss_mb();
    let started = Instant::now();
    diesel::update(outbox::table)
        .set(outbox::due_at.eq(chrono::Utc::now().naive_utc()))
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let mut peak = rss_before;
    let mut samples = Vec::new();
    while count(&received) < MAILS && started.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        peak = peak.max(rss_mb());
        if samples.len() < 10 || started.elapsed().as_secs() as usize > samples.len() {
            samples.push((started.elapsed().as_secs_f64(), count(&received), rss_mb()));
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sent = count(&received);
    println!("\n| mails | sent | wall (s) | mails/s | RSS before (MB) | peak RSS (MB) |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {MAILS} | {sent} | {elapsed:.1} | {:.0} | {rss_before:.0} | {peak:.0} |",
        sent as f64 / elapsed
    );
    println!(
        "\nRSS while draining (s, mails, MB): {:?}",
        samples
            .iter()
            .step_by(samples.len().div_ceil(8).max(1))
            .map(|(t, n, m)| (format!("{t:.0}"), *n, format!("{m:.0}")))
            .collect::<Vec<_>>()
    );
}

/// Registration latency with the worker off and on (sending every confirmation).
async fn registrations() {
    println!("\n| mail worker | registrations | p50 (ms) | p99 (ms) | mails received |");
    println!("|---|---|---|---|---|");
    for on in [false, true] {
        let (port, received) = smtp_sink().await;
        let app = common::TestApp::spawn_with(|config| {
            config.db_pool_size = 16;
            if on {
                config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
            }
        })
        .await;
        if !on {
            app.mail_worker.abort();
        }
        let organizer = app.client();
        app.organizer(&organizer, "bench@example.com").await;
        let event = app.event(&organizer, None).await["id"].as_i64().unwrap();
        let url = app.url("/api/auth/attendee/register");
        let mut timings = Vec::new();
        // Eight people at a time, as a busy door or a newsletter link brings them.
        for wave in (0..REGISTRATIONS).collect::<Vec<_>>().chunks(8) {
            let calls: Vec<_> = wave
                .iter()
                .map(|&i| {
                    let url = url.clone();
                    tokio::spawn(async move {
                        let started = Instant::now();
                        let status = reqwest::Client::new()
                            .post(url)
                            .json(&json!({ "event_id": event, "email": format!("r{i}@example.com"), "password": "password123", "first_name": "R", "last_name": format!("{i}") }))
                            .send()
                            .await
                            .unwrap()
                            .status();
                        assert_eq!(status.as_u16(), 201);
                        started.elapsed().as_secs_f64() * 1000.0
                    })
                })
                .collect();
            for call in calls {
                timings.push(call.await.unwrap());
            }
        }
        timings.sort_by(|a, b| a.total_cmp(b));
        tokio::time::sleep(Duration::from_secs(2)).await;
        println!(
            "| {} | {REGISTRATIONS} | {:.1} | {:.1} | {} |",
            if on { "on" } else { "off" },
            percentile(&timings, 0.5),
            percentile(&timings, 0.99),
            count(&received)
        );
    }
}
