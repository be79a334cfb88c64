//! The waitlist: a full event with a waitlist takes people in line; each seat freed goes to
//! the first of them, also when many are freed at the same moment — 20 cancellations at
//! once promote exactly the first 20 in line, each with their ticket by mail, and the event
//! never goes over capacity.

mod common;

use app::schema::outbox;
use common::{error_code, TestApp};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn joining(n: usize) -> Value {
    json!({
        "email": format!("waiting{n}@example.com"),
        "password": format!("waiting-password-{n}"),
        "first_name": format!("Waiting{n}"),
        "last_name": "Inline",
    })
}

#[tokio::test]
async fn twenty_cancellations_at_once_promote_exactly_the_first_twenty_in_line() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", Some(20)).await;
    let join = format!("/api/events/{event}/waitlist");

    // Closed by default.
    let closed = app.post(&app.client(), &join, joining(0)).await;
    assert_eq!(
        error_code(closed, StatusCode::CONFLICT).await,
        "waitlist_closed"
    );
    let opened = app.put(&olga, &join, json!({ "enabled": true })).await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(
        opened.json::<Value>().await.unwrap(),
        json!({ "enabled": true, "waiting": 0 })
    );

    let mut seated = Vec::new();
    for n in 0..20 {
        if n == 19 {
            // While a seat is left, registering is the way in.
            let early = app.post(&app.client(), &join, joining(0)).await;
            assert_eq!(error_code(early, StatusCode::CONFLICT).await, "seats_open");
        }
        seated.push(app.person(event, &format!("Seated{n}")).await.0);
    }
    let full = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({ "event_id": event, "email": "late@example.com", "password": "password123",
                    "first_name": "Late", "last_name": "Comer" }),
        )
        .await;
    assert_eq!(error_code(full, StatusCode::CONFLICT).await, "event_full");

    for n in 1..=30 {
        let joined = app.post(&app.client(), &join, joining(n)).await;
        assert_eq!(joined.status(), StatusCode::CREATED);
        let place: Value = joined.json().await.unwrap();
        assert_eq!(place["position"], n, "{place}");
    }
    let again = app.post(&app.client(), &join, joining(3)).await;
    assert_eq!(
        error_code(again, StatusCode::CONFLICT).await,
        "already_waitlisted"
    );
    let bad = app
        .post(
            &app.client(),
            &join,
            json!({ "email": "nope", "password": "x" }),
        )
        .await;
    assert_eq!(
        error_code(bad, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );

    // All twenty give their seat back at the same moment.
    let mut cancels = tokio::task::JoinSet::new();
    for client in seated {
        let url = app.url(&format!("/api/events/{event}/rsvp"));
        cancels.spawn(async move { client.delete(url).send().await.unwrap().status() });
    }
    for status in cancels.join_all().await {
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    let attendees = app
        .get_json(&olga, &format!("/api/events/{event}/attendees?limit=100"))
        .await;
    assert_eq!(attendees["total"], 20, "{attendees}");
    let mut names: Vec<String> = attendees["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["first_name"].as_str().unwrap().to_owned())
        .collect();
    names.sort_by_key(|n| n.trim_start_matches("Waiting").parse::<u32>().unwrap_or(0));
    let expected: Vec<String> = (1..=20).map(|n| format!("Waiting{n}")).collect();
    assert_eq!(names, expected, "the first twenty in line, no one else");
    let event_now = app.get_json(&olga, &format!("/api/events/{event}")).await;
    assert_eq!(event_now["attendee_count"], 20);
    assert_eq!(
        app.get_json(&olga, &join).await,
        json!({ "enabled": true, "waiting": 10 })
    );
    // Each promoted person has their ticket mail queued, and their password works.
    let mut conn = app.state.pool.get().await.unwrap();
    let tickets: i64 = outbox::table
        .filter(outbox::event_id.eq(event as i32))
        .filter(outbox::kind.eq("registered"))
        .filter(outbox::recipient.like("waiting%"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(tickets, 20);
    let login = app
        .post(
            &app.client(),
            "/api/auth/attendee/login",
            json!({ "email": "waiting20@example.com", "password": "waiting-password-20", "event_id": event }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    // The 21st in line is now first: a seat freed by the organiser goes to them.
    let first: Value = attendees["items"][0].clone();
    let cancelled = app
        .delete(
            &olga,
            &format!("/api/organizer/events/{event}/attendees/{}", first["id"]),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);
    let found = app
        .get_json(&olga, &format!("/api/events/{event}/attendees?q=Waiting21"))
        .await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(app.get_json(&olga, &join).await["waiting"], 9);
}

#[tokio::test]
async fn only_the_organiser_opens_the_waitlist_and_a_higher_capacity_seats_those_waiting() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", Some(1)).await;
    let (otto, _) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    let join = format!("/api/events/{event}/waitlist");
    for who in [&ada, &otto] {
        let refused = app.put(who, &join, json!({ "enabled": true })).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    app.put(&olga, &join, json!({ "enabled": true })).await;
    for n in 1..=3 {
        let joined = app.post(&app.client(), &join, joining(n)).await;
        assert_eq!(joined.status(), StatusCode::CREATED);
    }
    // Two more seats: the first two in line are in.
    let raised = app
        .put(
            &olga,
            &format!("/api/events/{event}"),
            json!({ "max_attendees": 3 }),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    let event_now = app.get_json(&olga, &format!("/api/events/{event}")).await;
    assert_eq!(event_now["attendee_count"], 3);
    assert_eq!(app.get_json(&olga, &join).await["waiting"], 1);
    let found = app
        .get_json(&olga, &format!("/api/events/{event}/attendees?q=Waiting3"))
        .await;
    assert_eq!(found["total"], 0, "the third waits on");
}
