//! An attendee who hides from the directory is absent from every path other attendees have:
//! lists, search (in memory and in the database), the event's page, their profile's address,
//! connection and meeting requests. Their connections still see them; the organiser always.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["first_name"].as_str().unwrap().to_owned())
        .collect()
}

/// The event's public page as anyone gets it.
async fn invite(app: &TestApp, code: &str) -> String {
    app.get(&app.client(), &format!("/e/{code}"))
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_hidden_attendee_is_absent_from_every_path_but_their_connections_and_the_organiser() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    let (bob, _) = app.person(event, "Bob").await;
    let (grace, grace_id) = app.person(event, "Grace").await;
    let code = app.get_json(&olga, &format!("/api/events/{event}")).await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Ada and Grace are connected before Grace hides.
    let request = app.ask_to_connect(&ada, grace_id).await;
    app.accept_connection(&grace, request).await;
    assert!(invite(&app, &code).await.contains("Grace T."));
    // Bob's directory is in memory from this search on: hiding must reach it too.
    let found = app.get_json(&bob, "/api/attendees?q=grace").await;
    assert_eq!(names(&found), ["Grace"]);

    let hidden = app
        .put(
            &grace,
            &format!("/api/attendees/{grace_id}/privacy"),
            json!({ "hidden": true }),
        )
        .await;
    assert_eq!(hidden.status(), StatusCode::OK);
    let hidden: Value = hidden.json().await.unwrap();
    assert_eq!(
        (hidden["hidden"].as_bool(), hidden["meetings_from"].as_str()),
        (Some(true), Some("everyone"))
    );

    // Bob: not in the list, not by search (word, substring), not on the page, not by id.
    let everyone = app.get_json(&bob, "/api/attendees").await;
    assert_eq!(names(&everyone), ["Ada", "Bob"]);
    assert_eq!(everyone["total"], 2);
    // By word beginnings, inside a word, and a word all three share ("Tester").
    for (q, expected) in [
        ("grace", &[][..]),
        ("race", &[]),
        ("tester", &["Ada", "Bob"]),
    ] {
        let found = app.get_json(&bob, &format!("/api/attendees?q={q}")).await;
        assert_eq!(names(&found), expected, "{q}: {found}");
        assert_eq!(found["total"], expected.len(), "{q}");
    }
    assert!(!invite(&app, &code).await.contains("Grace T."));
    assert_eq!(
        app.get(&bob, &format!("/api/attendees/{grace_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let connect = app
        .post(
            &bob,
            "/api/connections",
            json!({ "connected_attendee_id": grace_id }),
        )
        .await;
    assert_eq!(connect.status(), StatusCode::NOT_FOUND);
    let meeting = app
        .post(
            &bob,
            "/api/appointments",
            json!({ "target_id": grace_id, "appointment_time": "2030-05-04T10:00:00" }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::NOT_FOUND);

    // Ada, her connection, still sees her and may ask her for a meeting.
    let profile = app.get(&ada, &format!("/api/attendees/{grace_id}")).await;
    assert_eq!(profile.status(), StatusCode::OK);
    let meeting = app
        .post(
            &ada,
            "/api/appointments",
            json!({ "target_id": grace_id, "appointment_time": "2030-05-04T11:00:00" }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::CREATED);

    // The organiser's list and search have everyone.
    let all = app
        .get_json(&olga, &format!("/api/events/{event}/attendees"))
        .await;
    assert_eq!(all["total"], 3);
    let found = app
        .get_json(&olga, &format!("/api/events/{event}/attendees?q=grace"))
        .await;
    assert_eq!(names(&found), ["Grace"]);

    // Back in the directory: found again at once, by search too.
    app.put(
        &grace,
        &format!("/api/attendees/{grace_id}/privacy"),
        json!({ "hidden": false }),
    )
    .await;
    let found = app.get_json(&bob, "/api/attendees?q=grace").await;
    assert_eq!(names(&found), ["Grace"]);
    assert_eq!(
        app.get(&bob, &format!("/api/attendees/{grace_id}"))
            .await
            .status(),
        StatusCode::OK
    );
}
