//! Check-in at the door: idempotent under concurrency, scoped to the event, earliest offline
//! scan wins, undo, and only the organiser may.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn registered(app: &TestApp, event: i64, email: &str, first: &str) -> (i64, String) {
    let attendee = app.attendee(&app.client(), event, email, first).await;
    (
        attendee["id"].as_i64().unwrap(),
        attendee["checkin_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn the_same_ticket_scanned_50_times_at_once_checks_in_once() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, token) = registered(&app, event, "ada@example.com", "Ada").await;
    let path = format!("/api/organizer/events/{event}/checkins");

    let scans = (0..50).map(|n| {
        let (client, url) = (organizer.clone(), app.url(&path));
        // Scanners read the QR code's upper-case form; some type the code in lower case.
        let token = if n % 2 == 0 {
            token.to_ascii_uppercase()
        } else {
            token.clone()
        };
        tokio::spawn(async move {
            let response = client
                .post(url)
                .json(&json!({ "token": token, "device": format!("door-{n}") }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.unwrap()
        })
    });
    let mut answers = Vec::new();
    for scan in scans.collect::<Vec<_>>() {
        answers.push(scan.await.unwrap());
    }
    let first: Vec<&Value> = answers
        .iter()
        .filter(|a| a["already_checked_in"] == false)
        .collect();
    assert_eq!(first.len(), 1, "exactly one scan checked Ada in");
    let time = &first[0]["checked_in_at"];
    assert!(answers
        .iter()
        .all(|a| &a["checked_in_at"] == time && a["attendee"]["id"] == ada));
    assert_eq!(answers[0]["attendee"]["first_name"], "Ada");
    let stats: Value = app
        .get(&organizer, &format!("/api/organizer/events/{event}/stats"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["checked_in"], 1);
}

#[tokio::test]
async fn tokens_are_scoped_to_the_event_and_only_the_organiser_scans() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let second = app.event(&organizer, None).await["id"].as_i64().unwrap();
    let (other_organizer, _) = app.organizer_with_event("otto@example.com", None).await;
    let (_, token) = registered(&app, event, "ada@example.com", "Ada").await;
    let (_, elsewhere) = registered(&app, second, "bob@example.com", "Bob").await;
    let path = format!("/api/organizer/events/{event}/checkins");

    let wrong_event = app
        .post(&organizer, &path, json!({ "token": elsewhere }))
        .await;
    assert_eq!(
        error_code(wrong_event, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    let unknown = app
        .post(&organizer, &path, json!({ "token": "0".repeat(40) }))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let empty = app.post(&organizer, &path, json!({ "token": "  " })).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);

    let attendee = app.client();
    app.post(
        &attendee,
        "/api/auth/attendee/login",
        json!({ "email": "ada@example.com", "password": "password123", "event_id": event }),
    )
    .await;
    for client in [&other_organizer, &attendee] {
        let response = app.post(client, &path, json!({ "token": token })).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let anonymous = app
        .post(&app.client(), &path, json!({ "token": token }))
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn offline_scans_keep_the_earliest_time_and_mistakes_can_be_undone() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, token) = registered(&app, event, "ada@example.com", "Ada").await;
    let path = format!("/api/organizer/events/{event}/checkins");

    // Two phones scanned Ada while offline; the later one syncs first.
    let later = app
        .post(
            &organizer,
            &path,
            json!({ "token": token, "scanned_at": "2026-05-04T09:05:00", "device": "door-2" }),
        )
        .await;
    assert_eq!(
        later.json::<Value>().await.unwrap()["checked_in_at"],
        "2026-05-04T09:05:00"
    );
    let earlier: Value = app
        .post(
            &organizer,
            &path,
            json!({ "token": token, "scanned_at": "2026-05-04T08:58:30", "device": "door-1" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            earlier["already_checked_in"].as_bool(),
            earlier["checked_in_at"].as_str()
        ),
        (Some(true), Some("2026-05-04T08:58:30"))
    );
    let future = app
        .post(
            &organizer,
            &path,
            json!({ "token": token, "scanned_at": "2099-01-01T00:00:00" }),
        )
        .await;
    assert_eq!(future.status(), StatusCode::BAD_REQUEST);

    // Undo, then the next scan checks in afresh.
    let undo = format!("{path}/{ada}");
    assert_eq!(
        app.delete(&organizer, &undo).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&organizer, &undo).await.status(),
        StatusCode::NOT_FOUND
    );
    let again: Value = app
        .post(&organizer, &path, json!({ "token": token }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["already_checked_in"], false);
}
