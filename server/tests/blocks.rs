//! Blocking a person: from then on neither finds the other in lists or search (in memory and
//! in the database), a profile by id answers 404, neither may ask the other to connect or
//! meet, and their connection and meetings are gone. Only the one who blocked may unblock,
//! and other people are untouched.

mod common;

use common::{error_code, TestApp};
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

#[tokio::test]
async fn a_block_keeps_two_people_apart_both_ways_and_takes_away_what_was_between_them() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (carl, _) = app.person(event, "Carl").await;
    // Ada and Bob are connected and have a meeting; Bob's directory is in memory already.
    let request = app.ask_to_connect(&bob, ada_id).await;
    app.accept_connection(&ada, request).await;
    let meeting = app
        .post(
            &bob,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-05-04T10:00:00" }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::CREATED);
    assert_eq!(
        names(&app.get_json(&bob, "/api/attendees?q=ada").await),
        ["Ada"]
    );

    let blocked = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/blocks/{bob_id}"),
            json!({}),
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::NO_CONTENT);
    // Again: no error, one block.
    let again = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/blocks/{bob_id}"),
            json!({}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);

    // Neither finds the other: list, search by word and inside a word, profile by id.
    for (me, other, other_id, other_name) in
        [(&bob, "Ada", ada_id, "ada"), (&ada, "Bob", bob_id, "bob")]
    {
        let everyone = app.get_json(me, "/api/attendees").await;
        assert!(!names(&everyone).contains(&other.to_owned()), "{everyone}");
        assert_eq!(everyone["total"], 2, "{everyone}");
        for q in [other_name, &other_name[1..], "tester"] {
            let found = app.get_json(me, &format!("/api/attendees?q={q}")).await;
            assert!(!names(&found).contains(&other.to_owned()), "{q}: {found}");
        }
        let sorted = app
            .get_json(
                me,
                &format!("/api/events/{event}/attendees?sort=organisation"),
            )
            .await;
        assert!(!names(&sorted).contains(&other.to_owned()), "{sorted}");
        let profile = app.get(me, &format!("/api/attendees/{other_id}")).await;
        assert_eq!(profile.status(), StatusCode::NOT_FOUND);
        // Nothing between them any more, and nothing new may start.
        assert_eq!(app.get_json(me, "/api/connections").await["total"], 0);
        assert_eq!(app.get_json(me, "/api/appointments").await["total"], 0);
        let connect = app
            .post(
                me,
                "/api/connections",
                json!({ "connected_attendee_id": other_id }),
            )
            .await;
        assert_eq!(connect.status(), StatusCode::NOT_FOUND);
        let meeting = app
            .post(
                me,
                "/api/appointments",
                json!({ "target_id": other_id, "appointment_time": "2030-05-04T11:00:00" }),
            )
            .await;
        assert_eq!(meeting.status(), StatusCode::NOT_FOUND);
    }

    // Carl sees both; the organiser too.
    assert_eq!(
        names(&app.get_json(&carl, "/api/attendees?q=tester").await),
        ["Ada", "Bob", "Carl"]
    );
    assert_eq!(
        app.get_json(&olga, &format!("/api/events/{event}/attendees"))
            .await["total"],
        3
    );

    // Ada's list of blocked people; Bob cannot read or undo it.
    let list = app
        .get_json(&ada, &format!("/api/attendees/{ada_id}/blocks"))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], bob_id);
    assert_eq!(list["items"][0]["first_name"], "Bob");
    let theirs = app
        .get(&bob, &format!("/api/attendees/{ada_id}/blocks"))
        .await;
    assert_eq!(theirs.status(), StatusCode::FORBIDDEN);
    let undo = app
        .delete(&bob, &format!("/api/attendees/{ada_id}/blocks/{bob_id}"))
        .await;
    assert_eq!(undo.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&bob, &format!("/api/attendees/{ada_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Unblocked: they find each other again (what the block took stays gone).
    let unblocked = app
        .delete(&ada, &format!("/api/attendees/{ada_id}/blocks/{bob_id}"))
        .await;
    assert_eq!(unblocked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        names(&app.get_json(&bob, "/api/attendees?q=ada").await),
        ["Ada"]
    );
    assert_eq!(
        app.get(&bob, &format!("/api/attendees/{ada_id}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.get_json(&bob, "/api/connections").await["total"], 0);
    assert_eq!(
        app.get_json(&ada, &format!("/api/attendees/{ada_id}/blocks"))
            .await["total"],
        0
    );
}

#[tokio::test]
async fn blocks_are_refused_for_oneself_other_events_and_strangers() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (_, bob_id) = app.person(event, "Bob").await;
    let (_, zed_id) = app.person(other_event, "Zed").await;

    let myself = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/blocks/{ada_id}"),
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(myself, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );
    let elsewhere = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/blocks/{zed_id}"),
            json!({}),
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    let nonsense = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/blocks/bob"),
            json!({}),
        )
        .await;
    assert_eq!(nonsense.status(), StatusCode::NOT_FOUND);
    let anonymous = app
        .put(
            &app.client(),
            &format!("/api/attendees/{ada_id}/blocks/{bob_id}"),
            json!({}),
        )
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let organiser = app
        .put(
            &olga,
            &format!("/api/attendees/{ada_id}/blocks/{bob_id}"),
            json!({}),
        )
        .await;
    assert_eq!(organiser.status(), StatusCode::FORBIDDEN);
    // Nothing was written by any of them.
    assert_eq!(
        app.get_json(&ada, &format!("/api/attendees/{ada_id}/blocks"))
            .await["total"],
        0
    );
}
