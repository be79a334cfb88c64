//! Per-event time zones with the server in a third zone (Pacific/Auckland, UTC+12/13): what
//! is upcoming, check-in times, offline scans, stats and calendar files all follow the
//! event's zone, never the server's clock.

mod common;

use chrono::{Duration, Utc};
use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

fn in_auckland() {
    // Every test of this file sets the same value, so their order does not matter.
    std::env::set_var("TZ", "Pacific/Auckland");
}

async fn event(
    app: &TestApp,
    organizer: &reqwest::Client,
    name: &str,
    zone: &str,
    start: String,
    end: String,
) -> Value {
    let response = app
        .post(
            organizer,
            "/api/events",
            json!({ "name": name, "start_time": start, "end_time": end, "timezone": zone }),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{:?}",
        response.text().await
    );
    response.json().await.unwrap()
}

fn wall_clock(zone: chrono_tz::Tz, shift: Duration) -> String {
    (Utc::now() + shift)
        .with_timezone(&zone)
        .format(FORMAT)
        .to_string()
}

#[tokio::test]
async fn upcoming_and_past_follow_each_events_zone() {
    in_auckland();
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let la = chrono_tz::America::Los_Angeles;
    let berlin = chrono_tz::Europe::Berlin;
    // Still on in Los Angeles (ends in an hour there), though its end reads hours ago in UTC.
    let on = event(
        &app,
        &organizer,
        "LA evening",
        "America/Los_Angeles",
        wall_clock(la, Duration::hours(-2)),
        wall_clock(la, Duration::hours(1)),
    )
    .await;
    // Over in Berlin an hour ago, though its end reads as the future in Auckland.
    let over = event(
        &app,
        &organizer,
        "Berlin morning",
        "Europe/Berlin",
        wall_clock(berlin, Duration::hours(-3)),
        wall_clock(berlin, Duration::hours(-1)),
    )
    .await;
    assert_eq!(on["timezone"], "America/Los_Angeles");

    let listed: Value = app
        .get(&app.client(), "/api/events")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["LA evening"]);

    // The organiser's stats count no-shows of the Berlin event only: it has ended.
    let stats = |id: &Value| format!("/api/organizer/events/{id}/stats");
    let over_stats: Value = app
        .get(&organizer, &stats(&over["id"]))
        .await
        .json()
        .await
        .unwrap();
    let on_stats: Value = app
        .get(&organizer, &stats(&on["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(over_stats["no_shows"], 0);
    assert_eq!(on_stats["no_shows"], Value::Null);

    // An unknown zone is refused, naming the field.
    let response = app
        .post(
            &organizer,
            "/api/events",
            json!({ "name": "Nowhere", "start_time": "2030-01-01T10:00:00", "end_time": "2030-01-01T11:00:00", "timezone": "Mars/Olympus_Mons" }),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_input");
    assert!(body["error"]["fields"]["timezone"].is_string(), "{body}");
    // The zone can be changed; without one the default applies (UTC here).
    let moved = app
        .put(
            &organizer,
            &format!("/api/events/{}", on["id"]),
            json!({ "timezone": "Asia/Tokyo" }),
        )
        .await;
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["timezone"], "Asia/Tokyo");
    let plain = event(
        &app,
        &organizer,
        "Plain",
        "UTC",
        "2030-01-01T10:00:00".into(),
        "2030-01-01T11:00:00".into(),
    )
    .await;
    assert_eq!(plain["timezone"], "UTC");
}

#[tokio::test]
async fn check_ins_are_stamped_in_the_events_zone() {
    in_auckland();
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let berlin = chrono_tz::Europe::Berlin;
    let event = event(
        &app,
        &organizer,
        "Berlin day",
        "Europe/Berlin",
        wall_clock(berlin, Duration::hours(-1)),
        wall_clock(berlin, Duration::hours(6)),
    )
    .await;
    let id = event["id"].as_i64().unwrap();
    let ada = app
        .attendee(&app.client(), id, "ada@example.com", "Ada")
        .await;
    let grace = app
        .attendee(&app.client(), id, "grace@example.com", "Grace")
        .await;
    let checkins = format!("/api/organizer/events/{id}/checkins");

    let before = Utc::now().with_timezone(&berlin).naive_local();
    let scanned: Value = app
        .post(
            &organizer,
            &checkins,
            json!({ "token": ada["checkin_token"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let at =
        chrono::NaiveDateTime::parse_from_str(scanned["checked_in_at"].as_str().unwrap(), FORMAT)
            .unwrap();
    assert!(
        (at - before).num_seconds().abs() < 60,
        "checked in at {at}, Berlin's now was {before}"
    );

    // A phone in Tokyo queued a scan 20 minutes ago: stored as Berlin's wall-clock time.
    let instant = Utc::now() - Duration::minutes(20);
    let sent = instant.with_timezone(&chrono_tz::Asia::Tokyo).to_rfc3339();
    let synced: Value = app
        .post(
            &organizer,
            &checkins,
            json!({ "token": grace["checkin_token"], "scanned_at": sent }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        synced["checked_in_at"],
        instant.with_timezone(&berlin).format(FORMAT).to_string()
    );
}

#[tokio::test]
async fn calendar_files_carry_the_right_instants_across_a_dst_change() {
    in_auckland();
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    // Berlin moves to summer time at 02:00 on 31 March 2030: 20:00 CET to 10:00 CEST.
    let night = event(
        &app,
        &organizer,
        "Hackathon",
        "Europe/Berlin",
        "2030-03-30T20:00:00".into(),
        "2030-03-31T10:00:00".into(),
    )
    .await;
    let ics = app
        .get(
            &app.client(),
            &format!("/e/{}/event.ics", night["code"].as_str().unwrap()),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("DTSTART:20300330T190000Z"), "{ics}");
    assert!(ics.contains("DTEND:20300331T080000Z"), "{ics}");
    // The same wall-clock times in Los Angeles are other instants (PDT since 10 March).
    let la = event(
        &app,
        &organizer,
        "LA hackathon",
        "America/Los_Angeles",
        "2030-03-30T20:00:00".into(),
        "2030-03-31T10:00:00".into(),
    )
    .await;
    let ics = app
        .get(
            &app.client(),
            &format!("/e/{}/event.ics", la["code"].as_str().unwrap()),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("DTSTART:20300331T030000Z"), "{ics}");
    // A meeting inside the Berlin night, after the change, lands on its CEST instant.
    let id = night["id"].as_i64().unwrap();
    let (ada, ada_id) = app.person(id, "Ada").await;
    let (grace, _) = app.person(id, "Grace").await;
    let asked: Value = app
        .post(
            &grace,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-03-31T03:30:00" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let accepted = app
        .put(
            &ada,
            &format!("/api/appointments/{}", asked["id"]),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let ics = app
        .get(
            &ada,
            &format!("/api/appointments/{}/event.ics", asked["id"]),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("DTSTART:20300331T013000Z"), "{ics}");
    let _ = error_code;
}
