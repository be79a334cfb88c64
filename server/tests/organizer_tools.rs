//! Organiser tools: stats, CSV export, calendar entry and invite QR.

mod common;

use common::{error_code, TestApp};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Checks an attendee in directly in the database (the check-in endpoint is another issue's).
async fn check_in(app: &TestApp, event_id: i64, attendee_id: i64, at: &str) {
    use app::schema::checkins;
    let mut conn = app.state.pool.get().await.unwrap();
    let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").unwrap();
    diesel::insert_into(checkins::table)
        .values((
            checkins::event_id.eq(event_id as i32),
            checkins::attendee_id.eq(attendee_id as i32),
            checkins::checked_in_at.eq(at),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
}

async fn register(
    app: &TestApp,
    event_id: i64,
    email: &str,
    first: &str,
    organisation: &str,
    role: &str,
) -> i64 {
    let response = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({ "event_id": event_id, "email": email, "password": "password123", "first_name": first, "last_name": "Tester", "organisation": organisation, "role": role }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn stats_count_registrations_checkins_and_breakdowns() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let event = app.event(&owner, Some(10)).await;
    let event_id = event["id"].as_i64().unwrap();
    let ada = register(&app, event_id, "ada@example.com", "Ada", "Acme", "Engineer").await;
    let bob = register(&app, event_id, "bob@example.com", "Bob", "ACME", "Designer").await;
    register(&app, event_id, "cy@example.com", "Cy", "Globex", "Engineer").await;
    register(&app, event_id, "di@example.com", "Di", "", "").await;
    check_in(&app, event_id, ada, "2030-05-04T09:01:10").await;
    check_in(&app, event_id, bob, "2030-05-04T09:47:00").await;

    let path = format!("/api/organizer/events/{event_id}/stats");
    let stats: Value = app.get(&owner, &path).await.json().await.unwrap();
    assert_eq!(stats["registered"], 4);
    assert_eq!(stats["checked_in"], 2);
    assert_eq!(stats["capacity"], 10);
    assert_eq!(stats["spots_left"], 6);
    assert_eq!(stats["checkin_rate"], 0.5);
    assert_eq!(stats["no_shows"], Value::Null, "the event has not ended");
    let over_time = stats["checkins_over_time"].as_array().unwrap();
    let counts: Vec<(String, i64)> = over_time
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_owned(),
                b["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("2030-05-04T09:00:00".to_owned(), 1),
            ("2030-05-04T09:15:00".to_owned(), 0),
            ("2030-05-04T09:30:00".to_owned(), 0),
            ("2030-05-04T09:45:00".to_owned(), 1),
        ]
    );
    assert_eq!(
        stats["top_organisations"][0],
        json!({ "name": "Acme", "count": 2 }),
        "case-insensitive grouping"
    );
    assert_eq!(
        stats["top_organisations"].as_array().unwrap().len(),
        2,
        "blank organisations are left out"
    );
    assert_eq!(
        stats["top_roles"][0],
        json!({ "name": "Engineer", "count": 2 })
    );

    // The dashboard shows the check-in count; the public event does not.
    use leptos::server_fn::ServerFn;
    let dashboard: Value = app
        .server_fn(&owner, app::pages::organizer::MyEvents::PATH, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dashboard["items"][0]["checked_in"], 2);
    let public: Value = app
        .get(&app.client(), &format!("/api/events/{event_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(public.get("checked_in").is_none(), "{public}");

    let other = app.client();
    app.organizer(&other, "otto@example.com").await;
    assert_eq!(app.get(&other, &path).await.status(), StatusCode::FORBIDDEN);
    let attendee = app.client();
    app.attendee(&attendee, event_id, "eve@example.com", "Eve")
        .await;
    assert_eq!(
        app.get(&attendee, &path).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        error_code(
            app.get(&app.client(), &path).await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthenticated"
    );
    assert_eq!(
        app.get(&owner, "/api/organizer/events/999999/stats")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // The organiser's attendee list shows who is checked in; attendees do not see it.
    let list: Value = app
        .get(
            &owner,
            &format!("/api/events/{event_id}/attendees?sort=organisation"),
        )
        .await
        .json()
        .await
        .unwrap();
    let checked: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["checked_in_at"].is_string())
        .map(|a| a["first_name"].as_str().unwrap())
        .collect();
    assert_eq!(checked.len(), 2, "{list}");
    let seen_by_attendee: Value = app
        .get(&attendee, &format!("/api/events/{event_id}/attendees"))
        .await
        .json()
        .await
        .unwrap();
    assert!(seen_by_attendee["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a.get("checked_in_at").is_none()));
    let newest: Value = app
        .get(
            &owner,
            &format!("/api/events/{event_id}/attendees?sort=registered&limit=1"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(newest["items"][0]["first_name"], "Eve");
}

/// (start, count) of a chart's bars.
fn bars(chart: &Value) -> Vec<(String, i64)> {
    chart
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_owned(),
                b["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn charts_fit_their_span_and_count_registrations_by_day_at_the_event() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    // In Auckland (UTC+12 or +13): its day begins half a day before London's.
    let event: Value = app
        .post(
            &owner,
            "/api/events",
            json!({ "name": "Two-day fair", "start_time": "2030-05-04T09:00:00", "end_time": "2030-05-05T17:00:00", "timezone": "Pacific/Auckland" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let event_id = event["id"].as_i64().unwrap();
    let day_before = chrono::Utc::now()
        .with_timezone(&chrono_tz::Pacific::Auckland)
        .date_naive();
    let ada = register(&app, event_id, "ada@example.com", "Ada", "Acme", "").await;
    let bob = register(&app, event_id, "bob@example.com", "Bob", "", "").await;
    register(&app, event_id, "cy@example.com", "Cy", "", "").await;
    let day_after = chrono::Utc::now()
        .with_timezone(&chrono_tz::Pacific::Auckland)
        .date_naive();
    // Check-ins over 25 hours: hourly bars (a quarter hour would draw 100).
    check_in(&app, event_id, ada, "2030-05-04T10:05:00").await;
    check_in(&app, event_id, bob, "2030-05-05T11:20:00").await;

    let path = format!("/api/organizer/events/{event_id}/stats");
    let stats = app.get_json(&owner, &path).await;
    assert_eq!(stats["bucket_minutes"], 60);
    let checkins = bars(&stats["checkins_over_time"]);
    assert_eq!(checkins.len(), 26, "10:00 on the 4th to 11:00 on the 5th");
    assert_eq!(checkins[0], ("2030-05-04T10:00:00".to_owned(), 1));
    assert_eq!(checkins[25], ("2030-05-05T11:00:00".to_owned(), 1));
    assert_eq!(checkins.iter().map(|(_, n)| n).sum::<i64>(), 2);

    // All three registered today, as the day is counted in Auckland.
    assert_eq!(stats["registration_bucket_days"], 1);
    let registrations = bars(&stats["registrations_over_time"]);
    assert_eq!(registrations.len(), 1, "{registrations:?}");
    assert_eq!(registrations[0].1, 3);
    let day = &registrations[0].0;
    assert!(
        [day_before, day_after]
            .iter()
            .any(|d| *day == format!("{d}T00:00:00")),
        "{day} is today in Auckland ({day_before})"
    );
}

#[tokio::test]
async fn past_events_report_no_shows() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let past: Value = app
        .post(&owner, "/api/events", json!({ "name": "Yesterday", "start_time": "2020-01-01T09:00", "end_time": "2020-01-01T17:00" }))
        .await
        .json()
        .await
        .unwrap();
    let event_id = past["id"].as_i64().unwrap();
    let ada = register(&app, event_id, "ada@example.com", "Ada", "Acme", "").await;
    register(&app, event_id, "bob@example.com", "Bob", "", "").await;
    check_in(&app, event_id, ada, "2020-01-01T09:10:00").await;
    let stats: Value = app
        .get(&owner, &format!("/api/organizer/events/{event_id}/stats"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["no_shows"], 1);
}

#[tokio::test]
async fn csv_export_quotes_unicode_and_defuses_formulas() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let event = app.event(&owner, None).await;
    let event_id = event["id"].as_i64().unwrap();
    register(
        &app,
        event_id,
        "zoe@example.com",
        "Zoë \"Z\"",
        "Łukasz, 山田 & Co",
        "=HYPERLINK(\"x\")",
    )
    .await;
    let path = format!("/api/organizer/events/{event_id}/attendees.csv");
    let response = app.get(&owner, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 BOM for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[1], "first_name");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "Zoë \"Z\"");
    assert_eq!(&rows[0][3], "zoe@example.com");
    assert_eq!(&rows[0][4], "Łukasz, 山田 & Co");
    assert_eq!(&rows[0][5], "'=HYPERLINK(\"x\")");

    let other = app.client();
    app.organizer(&other, "otto@example.com").await;
    assert_eq!(app.get(&other, &path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&app.client(), &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn calendar_entry_and_invite_qr_are_public() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let event = app.event(&owner, None).await;
    let code = event["code"].as_str().unwrap();
    let anonymous = app.client();

    let ics = app.get(&anonymous, &format!("/e/{code}/event.ics")).await;
    assert_eq!(ics.status(), StatusCode::OK);
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = ics.text().await.unwrap();
    assert!(
        text.contains("BEGIN:VEVENT") && text.contains("SUMMARY:RustConf Meetup"),
        "{text}"
    );
    assert!(
        text.contains("DTSTART:20300504T090000") && text.contains("DTEND:20300504T170000"),
        "{text}"
    );
    assert!(text.contains("LOCATION:Hall A"), "{text}");

    let qr = app.get(&anonymous, &format!("/e/{code}/qr.svg")).await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));
    assert_eq!(
        app.get(&anonymous, "/e/ZZZZZZZZZZ/event.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
