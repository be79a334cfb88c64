//! `cargo bench -p server --bench organizer_reads`: seeds one event with 20,000 attendees
//! (5,000 checked in) in a fresh database, then times the organiser's attendee-list search
//! and the stats endpoint through the real HTTP stack. Prints median and p99 per scenario.

#[path = "../tests/common/mod.rs"]
mod common;
mod measure;

use measure::*;

use app::schema::checkins;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::time::Instant;

const ATTENDEES: usize = 20_000;
const CHECKED_IN: usize = 5_000;
const SAMPLES: usize = 300;

const QUERIES: [&str; 8] = [
    "love",
    "acme",
    "engineer",
    "zoë",
    "tur",
    "wayne",
    "student",
    "nobody-matches",
];

/// Times `SAMPLES` GETs of `url(i)` (after a warm-up), asserting each succeeds.
async fn measure(client: &reqwest::Client, name: &str, url: impl Fn(usize) -> String) {
    let get = async |i| {
        let response = client.get(url(i)).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{name}: {}",
            response.status()
        );
        response.bytes().await.unwrap();
    };
    for i in 0..20 {
        get(i).await; // warm-up: pool connections, caches
    }
    let mut millis = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let start = Instant::now();
        get(i).await;
        millis.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "| {name:<46} | {:>8.2} | {:>8.2} | {SAMPLES} |",
        percentile(&millis, 0.5),
        percentile(&millis, 0.99)
    );
}

#[tokio::main]
async fn main() {
    let app = common::TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "bench@example.com").await;
    let event = app.event(&organizer, None).await;
    let event_id = event["id"].as_i64().unwrap() as i32;
    let start: NaiveDateTime = "2030-05-04T08:00:00".parse().unwrap();

    let seeding = Instant::now();
    let ids = seed_people(&app, event_id, ATTENDEES, |_| false).await;
    let ids = &ids[..CHECKED_IN];
    let mut conn = app.state.pool.get().await.unwrap();
    for (batch_no, batch) in ids.chunks(1_000).enumerate() {
        let rows: Vec<_> = batch
            .iter()
            .enumerate()
            .map(|(j, &id)| {
                let at =
                    start + Duration::seconds(((batch_no * 1_000 + j) * 7_200 / CHECKED_IN) as i64);
                (
                    checkins::event_id.eq(event_id),
                    checkins::attendee_id.eq(id),
                    checkins::checked_in_at.eq(at),
                )
            })
            .collect();
        diesel::insert_into(checkins::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    drop(conn);
    println!(
        "seeded {ATTENDEES} attendees, {CHECKED_IN} check-ins in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    println!();
    println!("| scenario (HTTP, 1 client, sequential)          | p50 (ms) | p99 (ms) | samples |");
    println!("|------------------------------------------------|----------|----------|---------|");

    let base = app.base.clone();
    let list = format!("{base}/api/events/{event_id}/attendees");
    let query = |i: usize| QUERIES[i % QUERIES.len()];
    let client = &organizer;
    measure(client, "attendee list, first page, by name", |_| {
        list.clone()
    })
    .await;
    measure(client, "attendee list, page at offset 10,000", |_| {
        format!("{list}?offset=10000")
    })
    .await;
    measure(client, "attendee search ?q= (8 terms, round robin)", |i| {
        format!("{list}?q={}", query(i))
    })
    .await;
    measure(client, "attendee search sorted by organisation", |i| {
        format!("{list}?q={}&sort=organisation", query(i))
    })
    .await;
    measure(client, "stats endpoint", |_| {
        format!("{base}/api/organizer/events/{event_id}/stats")
    })
    .await;
    measure(client, "CSV export of all 20,000", |_| {
        format!("{base}/api/organizer/events/{event_id}/attendees.csv")
    })
    .await;
}
