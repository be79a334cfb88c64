//! The door's check-in window (issue 17): scans before the doors open (the organiser's
//! setting, by default two hours before the start) or after the end answer why; the scanner
//! asks for the window (`anyway: false`) and only a supervisor or the organiser checks in
//! anyway. API.md's check-in without `anyway` is unchanged: it records, and says why.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn scan(app: &TestApp, client: &Client, event: i64, body: Value) -> reqwest::Response {
    app.post(
        client,
        &format!("/api/organizer/events/{event}/checkins"),
        body,
    )
    .await
}

async fn scanned(app: &TestApp, client: &Client, event: i64, body: Value) -> Value {
    let answer = scan(app, client, event, body.clone()).await;
    let status = answer.status();
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body} → {answer}");
    answer
}

/// Scans the ticket as the scanner does (`anyway: false`) and expects the window's refusal
/// (409 `outside_checkin_window`): its reason.
async fn refused(app: &TestApp, client: &Client, event: i64, token: &str) -> String {
    let answer = scan(
        app,
        client,
        event,
        json!({ "token": token, "anyway": false }),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "outside_checkin_window", "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn scans_before_the_doors_open_answer_why_and_only_supervisors_check_in_anyway() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    // The event starts at 09:00 on Sat 4 May 2030: its doors open at 07:00 by default.
    let read = app
        .get_json(&organizer, &format!("/api/events/{event}"))
        .await;
    assert_eq!(read["checkin_opens_minutes_before"], 120, "{read}");
    let (_, ada) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (_, grace) = app.ticket_holder(event, "grace@example.com", "Grace").await;
    let (_, alan) = app.ticket_holder(event, "alan@example.com", "Alan").await;

    // The scanner asks for the window: refused with the reason, and nothing written.
    let message = refused(&app, &organizer, event, &ada).await;
    assert!(
        message.contains("07:00 on Sat 4 May"),
        "the reason names when the doors open: {message}"
    );
    // The organiser checks in anyway, told why it is early.
    let anyway = scanned(
        &app,
        &organizer,
        event,
        json!({ "token": ada, "anyway": true }),
    )
    .await;
    assert_eq!(
        anyway["already_checked_in"], false,
        "the refusal wrote nothing"
    );
    assert!(anyway["outside_window"]
        .as_str()
        .unwrap()
        .contains("Too early"));

    // A steward is refused too, and may not override; a supervisor may.
    let (steward, _) = app
        .door_link(&organizer, event, json!({ "name": "Door 2" }))
        .await;
    let (supervisor, _) = app
        .door_link(
            &organizer,
            event,
            json!({ "name": "Lead", "role": "supervisor" }),
        )
        .await;
    refused(&app, &steward, event, &grace).await;
    let forced = scan(
        &app,
        &steward,
        event,
        json!({ "token": grace, "anyway": true }),
    )
    .await;
    assert_eq!(forced.status(), StatusCode::FORBIDDEN);
    let by_supervisor = scanned(
        &app,
        &supervisor,
        event,
        json!({ "token": grace, "anyway": true }),
    )
    .await;
    assert_eq!(by_supervisor["already_checked_in"], false);
    assert_eq!(by_supervisor["attendee"]["first_name"], "Grace");

    // API.md's check-in (no `anyway`) records as before and says why it was early.
    let plain = scanned(&app, &steward, event, json!({ "token": alan })).await;
    assert_eq!(plain["already_checked_in"], false);
    assert!(plain["outside_window"].as_str().unwrap().contains("07:00"));
    // A repeat enters nobody: nothing about the window to say.
    let repeat = scanned(
        &app,
        &steward,
        event,
        json!({ "token": alan, "anyway": false }),
    )
    .await;
    assert_eq!(repeat["already_checked_in"], true);
    assert!(repeat.get("outside_window").is_none(), "{repeat}");

    // The organiser opens the door any time: the steward's scans go through.
    let (_, linus) = app.ticket_holder(event, "linus@example.com", "Linus").await;
    let opened = app
        .put(
            &organizer,
            &format!("/api/events/{event}"),
            json!({ "checkin_opens_minutes_before": null }),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let opened: Value = opened.json().await.unwrap();
    assert_eq!(opened["checkin_opens_minutes_before"], Value::Null);
    let open = scanned(
        &app,
        &steward,
        event,
        json!({ "token": linus, "anyway": false }),
    )
    .await;
    assert_eq!(open["already_checked_in"], false);
    assert!(open.get("outside_window").is_none(), "{open}");

    // A week at most, never negative.
    for bad in [json!(10_081), json!(-5)] {
        let refused = app
            .put(
                &organizer,
                &format!("/api/events/{event}"),
                json!({ "checkin_opens_minutes_before": bad }),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body: Value = refused.json().await.unwrap();
        assert!(
            body["error"]["fields"]["checkin_opens_minutes_before"].is_string(),
            "{body}"
        );
    }
}

#[tokio::test]
async fn after_the_end_the_door_is_closed_but_people_may_still_leave() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let at = common::hours_from_now;
    let made = app
        .post(
            &organizer,
            "/api/events",
            json!({ "name": "Yesterday's meetup", "start_time": at(-10), "end_time": at(-1),
                    "timezone": "UTC", "checkin_opens_minutes_before": 30 }),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let event: Value = made.json().await.unwrap();
    assert_eq!(event["checkin_opens_minutes_before"], 30);
    // `null` on create: any time (not the default two hours).
    let any_time = app
        .post(
            &organizer,
            "/api/events",
            json!({ "name": "Open house", "start_time": at(24), "end_time": at(30),
                    "checkin_opens_minutes_before": null }),
        )
        .await;
    assert_eq!(any_time.status(), StatusCode::CREATED);
    let any_time: Value = any_time.json().await.unwrap();
    assert_eq!(
        any_time["checkin_opens_minutes_before"],
        Value::Null,
        "{any_time}"
    );
    let event = event["id"].as_i64().unwrap();
    let (_, ada) = app.ticket_holder(event, "ada@example.com", "Ada").await;

    let message = refused(&app, &organizer, event, &ada).await;
    assert!(message.contains("Too late: the event ended"), "{message}");

    // A room that counts who is inside lets people out after the end without a word.
    let room = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/lists"),
            json!({ "name": "Workshop", "counts_exits": true }),
        )
        .await;
    let room: Value = room.json().await.unwrap();
    let entered = scanned(
        &app,
        &organizer,
        event,
        json!({ "token": ada, "list_id": room["id"], "anyway": true }),
    )
    .await;
    assert!(entered["outside_window"].is_string());
    let left = scanned(
        &app,
        &organizer,
        event,
        json!({ "token": ada, "list_id": room["id"], "direction": "out", "anyway": false }),
    )
    .await;
    assert_eq!(left["direction"], "out");
    assert!(left.get("outside_window").is_none(), "{left}");
}

#[tokio::test]
async fn inside_the_window_the_scanner_checks_in_without_a_word() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let (_, ada) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (steward, _) = app
        .door_link(&organizer, event, json!({ "name": "Door 1" }))
        .await;
    let answer = scanned(
        &app,
        &steward,
        event,
        json!({ "token": ada, "anyway": false }),
    )
    .await;
    assert_eq!(answer["already_checked_in"], false);
    assert!(answer.get("outside_window").is_none(), "{answer}");
}
