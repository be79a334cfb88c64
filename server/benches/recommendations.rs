//! `cargo bench -p server --bench recommendations`: one event of 20,000 attendees with 30
//! interests, each attendee offering three and looking for three; 32 attendees logged in
//! ask for their People to meet at the same time, over and over, through the real HTTP
//! stack. Prints p50 and p99 (the goal: p99 < 50 ms at 32 clients), and the first
//! ranking after a change of picks (the event's picks read again).

#[path = "../tests/common/mod.rs"]
mod common;
mod measure;

use measure::*;

use app::schema::{attendee_tags, events};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use std::time::Instant;

const ATTENDEES: usize = 20_000;
const TAGS: usize = 30;
const CLIENTS: usize = 32;
const REQUESTS_EACH: usize = 60;

/// A fixed pseudo-random sequence, so every run seeds the same picks.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

#[tokio::main]
async fn main() {
    println!(
        "machine: {} cores; server and clients in one process, MariaDB local",
        cores()
    );
    let app = common::TestApp::spawn_with(|config| config.db_pool_size = 16).await;
    let organizer = app.client();
    app.organizer(&organizer, "bench@example.com").await;
    let event = app.event(&organizer, None).await;
    let event_id = event["id"].as_i64().unwrap() as i32;
    let names: Vec<String> = (0..TAGS).map(|n| format!("Interest {n}")).collect();
    let tags: Value = app
        .put(
            &organizer,
            &format!("/api/events/{event_id}/tags"),
            json!({ "tags": names }),
        )
        .await
        .json()
        .await
        .unwrap();
    let tag_ids: Vec<i32> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap() as i32)
        .collect();

    let seeding = Instant::now();
    // One in twenty hid from the directory.
    let ids = seed_people(&app, event_id, ATTENDEES, |i| i % 20 == 7).await;
    let mut conn = app.state.pool.get().await.unwrap();
    for chunk in ids.chunks(1_000) {
        let mut rows = Vec::new();
        for &id in chunk {
            let mut seen = Vec::new();
            for (k, kind) in ["offers", "offers", "offers", "seeks", "seeks", "seeks"]
                .into_iter()
                .enumerate()
            {
                let tag = tag_ids[(mix(id as u64 * 8 + k as u64) % TAGS as u64) as usize];
                if !seen.contains(&(kind, tag)) {
                    seen.push((kind, tag));
                    rows.push((
                        attendee_tags::attendee_id.eq(id),
                        attendee_tags::kind.eq(kind),
                        attendee_tags::tag_id.eq(tag),
                    ));
                }
            }
        }
        diesel::insert_into(attendee_tags::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    // As the domain does with every change of picks.
    diesel::update(events::table.find(event_id))
        .set(events::interests_version.eq(events::interests_version + 1))
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    println!(
        "seeded {ATTENDEES} attendees with {TAGS} interests (3 offered, 3 sought each) in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    // 32 attendees, each logged in on a client of their own.
    let mut clients = Vec::new();
    for n in 0..CLIENTS {
        let client = app.client();
        let response = app
            .post(
                &client,
                "/api/auth/attendee/login",
                json!({ "email": format!("person{}@example.com", n * 601), "password": "password123", "event_id": event_id }),
            )
            .await;
        assert!(response.status().is_success(), "{}", response.status());
        clients.push(client);
    }
    let url = app.url("/api/attendees/recommendations");

    // The first ranking of this version reads the event's picks.
    let start = Instant::now();
    let first: Value = clients[0]
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    println!(
        "first ranking after a change (reads 20,000 people's picks): {:.1} ms, {} suggested",
        start.elapsed().as_secs_f64() * 1000.0,
        first["total"]
    );
    assert!(first["total"].as_i64().unwrap() > 100, "{first}");

    println!();
    println!("| scenario (HTTP, {CLIENTS} clients, back to back unless paced) | p50 (ms) | p99 (ms) | requests | per s |");
    println!("|---------------------------------------------------------|----------|----------|----------|-------|");
    for (name, query, pace) in [
        (
            "People to meet, as the People page asks (5)",
            "?limit=5",
            None,
        ),
        ("People to meet, the API's default page (50)", "", None),
        (
            "page of 5, each client once per 100 ms",
            "?limit=5",
            Some(100),
        ),
    ] {
        let (p50, p99, requests, rate) = round(&clients, &format!("{url}{query}"), pace).await;
        println!("| {name:<55} | {p50:>8.2} | {p99:>8.2} | {requests:>8} | {rate:>5.0} |");
    }
}

/// Every client asks `REQUESTS_EACH` times, all at once, back to back or one request per
/// `pace_ms` each: p50, p99, requests, requests/s.
async fn round(
    clients: &[reqwest::Client],
    url: &str,
    pace_ms: Option<u64>,
) -> (f64, f64, usize, f64) {
    let started = Instant::now();
    let mut runs = tokio::task::JoinSet::new();
    for (n, client) in clients.iter().cloned().enumerate() {
        let url = url.to_owned();
        runs.spawn(async move {
            // Paced clients start spread over one period, as people do, not all at once.
            if let Some(ms) = pace_ms {
                let offset = ms * n as u64 / CLIENTS as u64;
                tokio::time::sleep(std::time::Duration::from_millis(offset)).await;
            }
            let mut millis = Vec::with_capacity(REQUESTS_EACH);
            let mut every =
                pace_ms.map(|ms| tokio::time::interval(std::time::Duration::from_millis(ms)));
            for _ in 0..REQUESTS_EACH {
                if let Some(every) = every.as_mut() {
                    every.tick().await;
                }
                let start = Instant::now();
                let response = client.get(&url).send().await.unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.unwrap();
                millis.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            millis
        });
    }
    let mut millis: Vec<f64> = runs.join_all().await.into_iter().flatten().collect();
    let elapsed = started.elapsed().as_secs_f64();
    millis.sort_by(f64::total_cmp);
    (
        percentile(&millis, 0.5),
        percentile(&millis, 0.99),
        millis.len(),
        millis.len() as f64 / elapsed,
    )
}
