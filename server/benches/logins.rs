//! `cargo bench -p server --bench logins`: password guessing while people use the site.
//! Two rounds of 10,000 wrong logins from 100 client addresses (behind a trusted proxy, so each has its
//! own allowance) at 1,000 spellings of 10 accounts' emails (case and accents varied, as
//! the database folds them), 64 at a time, while 32 real users log in and browse (event,
//! directory search, who am I) from addresses of their own. Prints what the guesses were
//! answered, the real users' p50/p99, and the process's memory; then checks that every
//! guessed account is still closed to its right password from a fresh address.

#[path = "../tests/common/mod.rs"]
mod common;
mod measure;

use measure::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

// As the server binary: glibc would keep each hashing thread's argon2 memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const GUESSES: usize = 10_000;
const ADDRESSES: usize = 100;
const ACCOUNTS: usize = 10;
const SPELLINGS_EACH: usize = 100;
const REAL_USERS: usize = 32;
const GUESSING_AT_ONCE: usize = 64;

/// `SPELLINGS_EACH` spellings of `victim{n}@example.com` that MariaDB compares as equal.
fn spellings(n: usize) -> Vec<String> {
    let local = format!("victim{n}");
    let mut found = BTreeSet::new();
    let mut k = 0u64;
    while found.len() < SPELLINGS_EACH {
        let mut spelled = String::new();
        for (position, c) in local.chars().enumerate() {
            let bit = (k >> position) & 1 == 1;
            let variant = match c {
                'i' => ["i", "I", "í", "Í", "ì"][((k >> 8) % 5) as usize].to_owned(),
                'c' if (k >> 11) & 1 == 1 => "ç".to_owned(),
                c if bit => c.to_ascii_uppercase().to_string(),
                c => c.to_string(),
            };
            spelled.push_str(&variant);
        }
        found.insert(format!("{spelled}@example.com"));
        k += 1;
    }
    found.into_iter().collect()
}

#[tokio::main]
async fn main() {
    println!(
        "machine: {} cores; server, attackers and users in one process, MariaDB local",
        cores()
    );
    let app = common::TestApp::spawn_with(|config| {
        config.db_pool_size = 16;
        config.trusted_proxies = server::client::parse_proxies("127.0.0.1").unwrap();
    })
    .await;
    println!("RSS with the server up: {:.0} MB", rss_mb());
    let organizer = app.client();
    app.organizer(&organizer, "bench@example.com").await;
    let event = app.event(&organizer, None).await["id"].as_i64().unwrap();
    // One client for the setup: every client loads its own TLS roots.
    let registrar = reqwest::Client::new();
    for n in 0..ACCOUNTS {
        let response = app
            .post_patiently(
                &registrar,
                "/api/auth/attendee/register",
                json!({ "event_id": event, "email": format!("victim{n}@example.com"),
                        "password": format!("victim-secret-{n}"), "first_name": "Victim",
                        "last_name": format!("{n}") }),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201);
    }
    for n in 0..REAL_USERS {
        app.attendee(
            &app.client(),
            event,
            &format!("user{n}@example.com"),
            "Guest",
        )
        .await;
    }
    let spelled: Vec<String> = (0..ACCOUNTS).flat_map(spellings).collect();
    let rss_before = rss_mb();
    println!(
        "RSS after {} registrations (each an argon2 hash): {rss_before:.0} MB",
        ACCOUNTS + REAL_USERS + 1
    );
    let attack_over = Arc::new(AtomicBool::new(false));
    let started = Instant::now();

    // The real users: log in, then browse until the guessing ends.
    let users: Vec<_> = (0..REAL_USERS)
        .map(|n| {
            let (base, attack_over) = (app.base.clone(), attack_over.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .cookie_store(true)
                    .build()
                    .unwrap();
                let address = format!("10.0.{n}.1");
                let mut timings = Vec::new();
                let mut timed = async |request: reqwest::RequestBuilder| {
                    let began = Instant::now();
                    let status = request
                        .header("x-forwarded-for", &address)
                        .send()
                        .await
                        .unwrap()
                        .status();
                    timings.push(began.elapsed().as_secs_f64() * 1000.0);
                    status
                };
                let login = timed(client.post(format!("{base}/api/auth/attendee/login")).json(
                    &json!({ "email": format!("user{n}@example.com"), "password": "password123",
                             "event_id": event }),
                ))
                .await;
                assert_eq!(login.as_u16(), 200, "user {n} logs in");
                while !attack_over.load(Ordering::Relaxed) {
                    for path in [
                        format!("/api/events/{event}"),
                        "/api/attendees?q=Guest".to_owned(),
                        "/api/auth/me".to_owned(),
                    ] {
                        let status = timed(client.get(format!("{base}{path}"))).await;
                        assert_eq!(status.as_u16(), 200, "{path}");
                    }
                }
                timings
            })
        })
        .collect();

    // The guessers: two rounds of GUESSES, sharing one HTTP client (it pools connections),
    // so that the second round shows whether memory grows with guesses.
    let spelled = Arc::new(spelled);
    let peak = Arc::new(std::sync::Mutex::new(rss_before));
    let guesser_client = reqwest::Client::new();
    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
    let mut rss_after_round = Vec::new();
    for round in 0..2 {
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let guessers: Vec<_> = (0..GUESSING_AT_ONCE)
            .map(|_| {
                let (base, next, spelled, peak, client) = (
                    app.base.clone(),
                    next.clone(),
                    spelled.clone(),
                    peak.clone(),
                    guesser_client.clone(),
                );
                tokio::spawn(async move {
                    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
                    loop {
                        let j = next.fetch_add(1, Ordering::Relaxed);
                        if j >= GUESSES {
                            return answers;
                        }
                        let status = client
                            .post(format!("{base}/api/auth/attendee/login"))
                            .header("x-forwarded-for", format!("203.0.113.{}", j % ADDRESSES))
                            .json(&json!({ "email": spelled[j % spelled.len()],
                                           "password": format!("guess-{round}-{j}") }))
                            .send()
                            .await
                            .unwrap()
                            .status()
                            .as_u16();
                        *answers.entry(status).or_default() += 1;
                        if j % 500 == 0 {
                            let mut peak = peak.lock().unwrap();
                            *peak = peak.max(rss_mb());
                        }
                    }
                })
            })
            .collect();
        for guesser in guessers {
            for (status, n) in guesser.await.unwrap() {
                *answers.entry(status).or_default() += n;
            }
        }
        rss_after_round.push(rss_mb());
    }
    let attack_seconds = started.elapsed().as_secs_f64();
    attack_over.store(true, Ordering::Relaxed);
    let mut timings = Vec::new();
    for user in users {
        timings.extend(user.await.unwrap());
    }
    timings.sort_by(|a, b| a.total_cmp(b));
    let rss_after = rss_mb();
    let peak = *peak.lock().unwrap();

    // Past the limit, the right password from a fresh address still does not get in.
    let mut opened = 0;
    for n in 0..ACCOUNTS {
        let status = reqwest::Client::new()
            .post(app.url("/api/auth/attendee/login"))
            .header("x-forwarded-for", format!("192.0.2.{n}"))
            .json(&json!({ "email": format!("victim{n}@example.com"),
                           "password": format!("victim-secret-{n}") }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if status == 200 {
            opened += 1;
        }
    }

    println!("\n| guesses | seconds | guesses/s | answers | accounts opened after |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {attack_seconds:.1} | {:.0} | {answers:?} | {opened} of {ACCOUNTS} |",
        2 * GUESSES,
        2.0 * GUESSES as f64 / attack_seconds
    );
    println!("\n| real users | requests | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---|---|---|---|");
    println!(
        "| {REAL_USERS} | {} | {:.1} | {:.1} | {:.1} |",
        timings.len(),
        percentile(&timings, 0.5),
        percentile(&timings, 0.99),
        timings.last().copied().unwrap_or_default()
    );
    println!(
        "\nRSS: before {rss_before:.0} MB, after round 1 {:.0} MB, after round 2 {:.0} MB, peak {peak:.0} MB, at the end {rss_after:.0} MB",
        rss_after_round[0], rss_after_round[1]
    );
    assert_eq!(answers.get(&200), None, "a wrong password logged in");
    assert_eq!(opened, 0, "an account opened past its limit");
    assert!(
        percentile(&timings, 0.99) < 1000.0,
        "the real users' p99 went over a second"
    );
}
