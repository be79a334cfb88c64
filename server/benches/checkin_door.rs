//! `cargo bench -p server --bench checkin_door`: 200 door phones (staff links, one HTTP
//! client each) check in 5,000 attendees at once through the real stack, each scanning its
//! share of tickets and re-scanning every fifth (as happens at a door). Two runs, each on its
//! own event: phones scanning every 500 ms (twice what a person at a door manages), and
//! phones firing back to back (saturation). Prints throughput and p50/p99 latency of
//! `POST /api/organizer/events/<id>/checkins`. A third run spreads the 200 phones over three
//! check-in lists (a main entrance and two workshop rooms that count exits), each phone bound
//! to one, with entries, exits and re-entries at the 500 ms pace, and checks every list's
//! counts against what was scanned.

#[path = "../tests/common/mod.rs"]
mod common;
mod measure;

use measure::*;

use app::schema::attendees;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use std::time::Instant;

const ATTENDEES: usize = 5_000;
const SCANNERS: usize = 200;

/// Tokens unique across the two runs' events.
fn token(event_id: i32, i: usize) -> String {
    format!("{event_id:08x}{i:032x}")
}

#[tokio::main]
async fn main() {
    let app = common::TestApp::spawn_with(|config| config.db_pool_size = 16).await;
    let organizer = app.client();
    app.organizer(&organizer, "bench@example.com").await;
    println!(
        "machine: {} cores, server and 200 clients in one process, MariaDB local",
        cores()
    );
    println!("| scanners | pace | scans | wall (s) | scans/s | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---|---|---|---|---|---|---|");
    run(
        &app,
        &organizer,
        Some(std::time::Duration::from_millis(500)),
    )
    .await;
    run(&app, &organizer, None).await;
    println!();
    println!("| lists | pace | scans | wall (s) | scans/s | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---|---|---|---|---|---|---|");
    run_lists(&app, &organizer, std::time::Duration::from_millis(500)).await;
}

/// A new event with `ATTENDEES` people whose tickets are `token(event, i)`: its id.
async fn event_with_attendees(app: &common::TestApp, organizer: &reqwest::Client) -> i32 {
    let event = app.event(organizer, None).await;
    let event_id = event["id"].as_i64().unwrap() as i32;
    let hash = app::auth::hash_password(&app::validate::Password::parse("password123").unwrap())
        .await
        .unwrap();
    let mut conn = app.state.pool.get().await.unwrap();
    for batch in (0..ATTENDEES).collect::<Vec<_>>().chunks(1_000) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&i| {
                (
                    attendees::event_id.eq(event_id),
                    attendees::email.eq(format!("person{i}@example.com")),
                    attendees::password_hash.eq(hash.clone()),
                    attendees::first_name.eq("Guest"),
                    attendees::last_name.eq(format!("{i}")),
                    attendees::checkin_token.eq(token(event_id, i)),
                )
            })
            .collect();
        diesel::insert_into(attendees::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    event_id
}

/// A logged-in door phone with a new staff link of `body`.
async fn door_phone(
    app: &common::TestApp,
    organizer: &reqwest::Client,
    event_id: i32,
    body: Value,
) -> reqwest::Client {
    let access: Value = app
        .post(
            organizer,
            &format!("/api/organizer/events/{event_id}/staff"),
            body,
        )
        .await
        .json()
        .await
        .unwrap();
    let phone = app.client();
    let login = app
        .post_patiently(
            &phone,
            "/api/auth/staff/login",
            json!({ "token": access["token"] }),
        )
        .await;
    assert!(login.status().is_success());
    phone
}

/// Three lists: the main entrance (every attendee once), workshop A (the even attendees in,
/// every fourth out again) and workshop B (the odd ones in, every fourth out and back in).
/// Phone `n` is bound to list `n % 3` and scans each of its attendees' steps in order.
async fn run_lists(app: &common::TestApp, organizer: &reqwest::Client, pace: std::time::Duration) {
    let event_id = event_with_attendees(app, organizer).await;
    let lists_path = format!("/api/organizer/events/{event_id}/lists");
    let main = app.get_json(organizer, &lists_path).await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let mut lists = vec![main];
    for name in ["Workshop A", "Workshop B"] {
        let made: Value = app
            .post(
                organizer,
                &lists_path,
                json!({ "name": name, "counts_exits": true }),
            )
            .await
            .json()
            .await
            .unwrap();
        lists.push(made["id"].as_i64().unwrap());
    }
    // Each attendee's steps on each list, in order.
    let steps = |list: usize, i: usize| -> &'static [&'static str] {
        match (list, i % 2, i % 4) {
            (0, _, _) => &["in"],
            (1, 0, 0) => &["in", "out"],
            (1, 0, _) => &["in"],
            (2, 1, 1) => &["in", "out", "in"],
            (2, 1, _) => &["in"],
            _ => &[],
        }
    };
    let mut phones = Vec::with_capacity(SCANNERS);
    for n in 0..SCANNERS {
        let list = lists[n % 3];
        let body = json!({ "name": format!("Door {n}"), "list_id": list });
        phones.push(door_phone(app, organizer, event_id, body).await);
    }
    let url = app.url(&format!("/api/organizer/events/{event_id}/checkins"));
    let started = Instant::now();
    let tasks: Vec<_> = phones
        .into_iter()
        .enumerate()
        .map(|(n, phone)| {
            let url = url.clone();
            let list = n % 3;
            // This phone's attendees: those with steps on its list, dealt among its list's
            // phones; their steps go first-step-of-each, then second, then third.
            let peers = (0..SCANNERS).filter(|m| m % 3 == list).count();
            let rank = n / 3;
            let mine: Vec<usize> = (0..ATTENDEES)
                .filter(|&i| !steps(list, i).is_empty())
                .enumerate()
                .filter(|(k, _)| k % peers == rank)
                .map(|(_, i)| i)
                .collect();
            let mut scans = Vec::new();
            for round in 0..3 {
                for &i in &mine {
                    if let Some(direction) = steps(list, i).get(round) {
                        scans.push((i, *direction));
                    }
                }
            }
            tokio::spawn(async move {
                tokio::time::sleep(pace * n as u32 / SCANNERS as u32).await;
                let mut millis = Vec::with_capacity(scans.len());
                for (i, direction) in scans {
                    tokio::time::sleep(pace).await;
                    let start = Instant::now();
                    let response = phone
                        .post(&url)
                        .json(&json!({ "token": token(event_id, i), "direction": direction }))
                        .send()
                        .await
                        .unwrap();
                    assert!(response.status().is_success(), "{}", response.status());
                    let body: Value = response.json().await.unwrap();
                    millis.push(start.elapsed().as_secs_f64() * 1000.0);
                    assert_eq!(
                        body["already_checked_in"], false,
                        "every step changes something"
                    );
                }
                millis
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();

    let stats = app
        .get_json(
            organizer,
            &format!("/api/organizer/events/{event_id}/stats"),
        )
        .await;
    let counts: Vec<(i64, Option<i64>)> = stats["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["checked_in"].as_i64().unwrap(), l["inside"].as_i64()))
        .collect();
    let half = ATTENDEES as i64 / 2;
    assert_eq!(
        counts,
        [
            (ATTENDEES as i64, None),
            (half, Some(half - half / 2)),
            (half, Some(half)),
        ],
        "every list counts exactly what was scanned"
    );
    assert_eq!(stats["checked_in"], ATTENDEES);
    let pace = format!("1 per {} ms", pace.as_millis());
    print_row("3 (200 phones, bound)", &pace, all, wall);
}

async fn run(
    app: &common::TestApp,
    organizer: &reqwest::Client,
    pace: Option<std::time::Duration>,
) {
    let event_id = event_with_attendees(app, organizer).await;
    // One staff link and one logged-in client per door phone.
    let mut phones = Vec::with_capacity(SCANNERS);
    for n in 0..SCANNERS {
        let body = json!({ "name": format!("Door {n}") });
        phones.push(door_phone(app, organizer, event_id, body).await);
    }

    let url = app.url(&format!("/api/organizer/events/{event_id}/checkins"));
    let started = Instant::now();
    let tasks: Vec<_> = phones
        .into_iter()
        .enumerate()
        .map(|(n, phone)| {
            let url = url.clone();
            tokio::spawn(async move {
                let mine: Vec<usize> = (n..ATTENDEES).step_by(SCANNERS).collect();
                let mut scans: Vec<usize> = mine.clone();
                scans.extend(mine.iter().step_by(5));
                let mut millis = Vec::with_capacity(scans.len());
                // Door phones are not synchronised: spread their first scans over one pace.
                if let Some(pace) = pace {
                    tokio::time::sleep(pace * n as u32 / SCANNERS as u32).await;
                }
                let mut first_scans = 0;
                for i in scans {
                    if let Some(pace) = pace {
                        tokio::time::sleep(pace).await;
                    }
                    let start = Instant::now();
                    let response = phone
                        .post(&url)
                        .json(
                            &json!({ "token": token(event_id, i).to_ascii_uppercase(), "device": format!("door-{n}") }),
                        )
                        .send()
                        .await
                        .unwrap();
                    assert!(response.status().is_success(), "{}", response.status());
                    let body: Value = response.json().await.unwrap();
                    millis.push(start.elapsed().as_secs_f64() * 1000.0);
                    if body["already_checked_in"] == false {
                        first_scans += 1;
                    }
                }
                (millis, first_scans)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut checked_in = 0;
    for task in tasks {
        let (millis, first) = task.await.unwrap();
        all.extend(millis);
        checked_in += first;
    }
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(
        checked_in, ATTENDEES,
        "every attendee checked in exactly once"
    );
    let pace = pace.map_or("back to back".to_owned(), |p| {
        format!("1 per {} ms", p.as_millis())
    });
    print_row(&SCANNERS.to_string(), &pace, all, wall);
}

/// One line of the table: scans, wall time, throughput and latency percentiles.
fn print_row(who: &str, pace: &str, mut millis: Vec<f64>, wall: f64) {
    millis.sort_by(f64::total_cmp);
    println!(
        "| {who} | {pace} | {} | {wall:.2} | {:.0} | {:.1} | {:.1} | {:.1} |",
        millis.len(),
        millis.len() as f64 / wall,
        percentile(&millis, 0.5),
        percentile(&millis, 0.99),
        millis.last().unwrap()
    );
}
