//! The attendee's Home tab: where the event stands by its own clock, the next meeting that
//! has not ended (not one already over, not one still only asked for), and the requests
//! waiting for an answer; only for attendees.

mod common;

use common::{hours_from_now, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// `from` asks `to` for a meeting `minutes_from_now` from now, 30 minutes long; `to`
/// accepts it unless `accept` is false.
async fn meeting(
    app: &TestApp,
    from: &Client,
    to: (&Client, i64),
    minutes_from_now: i64,
    accept: bool,
) {
    let at = (chrono::Utc::now().naive_utc() + chrono::Duration::minutes(minutes_from_now))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let asked = app
        .post(
            from,
            "/api/appointments",
            json!({ "target_id": to.1, "appointment_time": at, "location": format!("Table {minutes_from_now}") }),
        )
        .await;
    assert_eq!(
        asked.status(),
        StatusCode::CREATED,
        "{:?}",
        asked.text().await
    );
    if accept {
        let id = asked.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let answer = app
            .put(
                to.0,
                &format!("/api/appointments/{id}"),
                json!({ "status": "accepted" }),
            )
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
}

async fn home(app: &TestApp, client: &Client) -> reqwest::Response {
    app.server_fn(client, app::pages::attendee_home::MyHome::PATH, "")
        .await
}

#[tokio::test]
async fn home_shows_the_meeting_going_on_or_next_and_what_waits() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;

    // Nothing booked yet.
    let empty: Value = home(&app, &ada).await.json().await.unwrap();
    assert_eq!(empty["next_meeting"], Value::Null);

    // Over already (began 45 minutes ago), going on now, later, and one only asked for.
    meeting(&app, &ada, (&bob, bob_id), -45, true).await;
    meeting(&app, &ada, (&cy, cy_id), 120, true).await;
    meeting(&app, &cy, (&ada, ada_id), 60, false).await;
    let now: Value = home(&app, &ada).await.json().await.unwrap();
    assert_eq!(now["next_meeting"]["other"]["first_name"], "Cy", "{now}");
    assert_eq!(now["next_meeting"]["location"], "Table 120");
    assert_eq!(now["inbox"]["appointment_requests"], 1);
    meeting(&app, &bob, (&ada, ada_id), -10, true).await;
    let going_on: Value = home(&app, &ada).await.json().await.unwrap();
    assert_eq!(
        going_on["next_meeting"]["other"]["first_name"], "Bob",
        "the one going on comes first: {going_on}"
    );
    assert_eq!(going_on["next_meeting"]["location"], "Table -10");
    assert_eq!(going_on["event"]["id"], event);
    assert!(going_on["now"].as_str().unwrap() > hours_from_now(-1).as_str());

    // For attendees: the organiser is refused, a stranger is asked to log in.
    assert_eq!(home(&app, &organizer).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        home(&app, &app.client()).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
