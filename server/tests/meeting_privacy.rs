//! Who may ask me for a meeting: everyone, my connections only, or nobody — decided on every
//! request, with the reason in words for the one refused.

mod common;

use common::{error_code, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn ask(app: &TestApp, asker: &Client, target: i64, hour: u32) -> reqwest::Response {
    app.post(
        asker,
        "/api/appointments",
        json!({ "target_id": target, "appointment_time": format!("2030-05-04T{hour:02}:00:00"),
                "duration_minutes": 30 }),
    )
    .await
}

#[tokio::test]
async fn an_attendee_takes_meeting_requests_from_everyone_connections_or_nobody() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (grace, grace_id) = app.person(event, "Grace").await;
    let path = format!("/api/attendees/{grace_id}/privacy");

    // By default everyone may ask.
    assert_eq!(
        app.get_json(&grace, &path).await["meetings_from"],
        "everyone"
    );
    assert_eq!(
        ask(&app, &ada, grace_id, 10).await.status(),
        StatusCode::CREATED
    );

    // Connections only: Bob, not connected, is refused with the reason; once connected, asks.
    let saved = app
        .put(&grace, &path, json!({ "meetings_from": "connections" }))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let refused = ask(&app, &bob, grace_id, 11).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "meetings_closed");
    assert_eq!(
        body["error"]["message"],
        "Grace takes meeting requests from their connections only. Connect first."
    );
    let request = app.ask_to_connect(&bob, grace_id).await;
    assert_eq!(
        ask(&app, &bob, grace_id, 11).await.status(),
        StatusCode::FORBIDDEN,
        "asked is not connected"
    );
    app.accept_connection(&grace, request).await;
    assert_eq!(
        ask(&app, &bob, grace_id, 11).await.status(),
        StatusCode::CREATED
    );

    // Nobody: not even a connection. She may still ask others.
    app.put(&grace, &path, json!({ "meetings_from": "nobody" }))
        .await;
    let refused = ask(&app, &bob, grace_id, 12).await;
    assert_eq!(
        error_code(refused, StatusCode::FORBIDDEN).await,
        "meetings_closed"
    );
    assert_eq!(
        ask(&app, &grace, bob_id, 13).await.status(),
        StatusCode::CREATED
    );

    // Only she reads or changes it; the choice is one of the three.
    assert_eq!(app.get(&ada, &path).await.status(), StatusCode::FORBIDDEN);
    let changed = app
        .put(&ada, &path, json!({ "meetings_from": "everyone" }))
        .await;
    assert_eq!(changed.status(), StatusCode::FORBIDDEN);
    let bad = app
        .put(&grace, &path, json!({ "meetings_from": "friends" }))
        .await;
    assert_eq!(
        error_code(bad, StatusCode::BAD_REQUEST).await,
        "malformed_body"
    );
    assert_eq!(app.get_json(&grace, &path).await["meetings_from"], "nobody");

    // Her choice comes along when she RSVPs to another event with one click.
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let copy = app
        .post(
            &grace,
            &format!("/api/events/{other_event}/rsvp"),
            json!({}),
        )
        .await;
    assert_eq!(
        copy.status(),
        StatusCode::CREATED,
        "{:?}",
        copy.text().await
    );
    let me = app.get_json(&grace, "/api/auth/me").await;
    let copy_id = me["attendee"]["id"].as_i64().unwrap();
    assert_ne!(copy_id, grace_id);
    let copied = app
        .get_json(&grace, &format!("/api/attendees/{copy_id}/privacy"))
        .await;
    assert_eq!(copied["meetings_from"], "nobody");
}
