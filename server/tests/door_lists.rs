//! API.md's door additions: check-in lists (gates) with directions and inside-now counts,
//! and door links as stewards (scan only) or supervisors, optionally bound to one list.

mod common;

use common::{error_code, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn scan(app: &TestApp, client: &Client, event: i64, body: Value) -> Value {
    let answer = app
        .post(
            client,
            &format!("/api/organizer/events/{event}/checkins"),
            body,
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

/// `lists` of the stats as (name, checked_in, inside).
fn list_counts(stats: &Value) -> Vec<(String, i64, Option<i64>)> {
    stats["lists"]
        .as_array()
        .unwrap_or_else(|| panic!("no lists in {stats}"))
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_owned(),
                l["checked_in"].as_i64().unwrap(),
                l["inside"].as_i64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_event_has_a_default_list_and_its_organiser_adds_gates() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let lists_path = format!("/api/organizer/events/{event}/lists");
    let lists = app.get_json(&organizer, &lists_path).await;
    assert_eq!(lists["total"], 1, "{lists}");
    assert_eq!(lists["items"][0]["is_default"], true);
    assert_eq!(lists["items"][0]["counts_exits"], false);
    assert_eq!(lists["items"][0]["event_id"], event);

    let made = app
        .post(
            &organizer,
            &lists_path,
            json!({ "name": "Workshop room A", "counts_exits": true }),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: Value = made.json().await.unwrap();
    assert_eq!(
        (&made["name"], &made["counts_exits"], &made["is_default"]),
        (&json!("Workshop room A"), &json!(true), &json!(false))
    );
    // Names are unique in the event and required; control characters are refused.
    let twice = app
        .post(
            &organizer,
            &lists_path,
            json!({ "name": "Workshop room A" }),
        )
        .await;
    assert_eq!(
        error_code(twice, StatusCode::CONFLICT).await,
        "duplicate_list_name"
    );
    for bad in [
        json!({}),
        json!({ "name": "  " }),
        json!({ "name": "Hall\nB" }),
    ] {
        let refused = app.post(&organizer, &lists_path, bad.clone()).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = refused.json().await.unwrap();
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    }
    let lists = app.get_json(&organizer, &lists_path).await;
    let names: Vec<&str> = lists["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(names[1], "Workshop room A", "the default first: {lists}");

    // Owner only.
    let (stranger, _) = app.organizer_with_event("otto@example.com", None).await;
    let attendee = app.client();
    app.attendee(&attendee, event, "ada@example.com", "Ada")
        .await;
    for client in [&stranger, &attendee] {
        assert_eq!(
            app.get(client, &lists_path).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.post(client, &lists_path, json!({ "name": "Mine" }))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        error_code(
            app.get(&app.client(), &lists_path).await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthenticated"
    );
}

#[tokio::test]
async fn scans_go_through_lists_and_inside_counts_entries_minus_exits() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let lists_path = format!("/api/organizer/events/{event}/lists");
    let default_id = app.get_json(&organizer, &lists_path).await["items"][0]["id"].clone();
    let workshop: Value = app
        .post(
            &organizer,
            &lists_path,
            json!({ "name": "Workshop", "counts_exits": true }),
        )
        .await
        .json()
        .await
        .unwrap();
    let room = workshop["id"].clone();
    let (ada, ada_token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (_, bob_token) = app.ticket_holder(event, "bob@example.com", "Bob").await;
    let (_, cy_token) = app.ticket_holder(event, "cy@example.com", "Cy").await;

    // Without a list: the default one, as before lists.
    let first = scan(&app, &organizer, event, json!({ "token": ada_token })).await;
    assert_eq!(
        (
            &first["already_checked_in"],
            &first["list_id"],
            &first["direction"]
        ),
        (&json!(false), &default_id, &json!("in"))
    );
    let again = scan(&app, &organizer, event, json!({ "token": ada_token })).await;
    assert_eq!(again["already_checked_in"], true);
    assert_eq!(again["checked_in_at"], first["checked_in_at"]);
    // The default list does not count exits.
    let out = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/checkins"),
            json!({ "token": ada_token, "direction": "out" }),
        )
        .await;
    assert_eq!(out.status(), StatusCode::BAD_REQUEST);
    let out: Value = out.json().await.unwrap();
    assert!(out["error"]["fields"]["direction"].is_string(), "{out}");

    // In, in again (already), out, out again (nothing to do), in: a re-entry.
    let through = |token: &str, direction: &str| json!({ "token": token, "list_id": room, "direction": direction });
    let steps = [
        ("in", false),
        ("in", true),
        ("out", false),
        ("out", true),
        ("in", false),
    ];
    for (direction, already) in steps {
        let answer = scan(&app, &organizer, event, through(&ada_token, direction)).await;
        assert_eq!(
            (
                &answer["already_checked_in"],
                &answer["direction"],
                &answer["list_id"]
            ),
            (&json!(already), &json!(direction), &room),
            "{direction}: {answer}"
        );
    }
    // Out now; then a scan queued offline ten minutes ago arrives: older than the last one
    // through this door, it changes nothing (Ada stays out).
    let out_now = scan(&app, &organizer, event, through(&ada_token, "out")).await;
    assert_eq!(out_now["already_checked_in"], false);
    let earlier = (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339();
    let late = scan(
        &app,
        &organizer,
        event,
        json!({ "token": ada_token, "list_id": room, "direction": "in", "scanned_at": earlier }),
    )
    .await;
    assert_eq!(late["already_checked_in"], true, "{late}");
    scan(&app, &organizer, event, through(&bob_token, "in")).await;
    scan(&app, &organizer, event, through(&bob_token, "out")).await;
    // Cy came only to the workshop: checked in at the event all the same.
    scan(&app, &organizer, event, through(&cy_token, "in")).await;

    // Bad lists and directions.
    let (other_organizer, other_event) = app.organizer_with_event_on_now("otto@example.com").await;
    let foreign = app
        .get_json(
            &other_organizer,
            &format!("/api/organizer/events/{other_event}/lists"),
        )
        .await["items"][0]["id"]
        .clone();
    let checkins = format!("/api/organizer/events/{event}/checkins");
    assert_eq!(
        app.post(
            &organizer,
            &checkins,
            json!({ "token": ada_token, "list_id": foreign })
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let sideways = app
        .post(
            &organizer,
            &checkins,
            json!({ "token": ada_token, "direction": "sideways" }),
        )
        .await;
    assert_eq!(
        error_code(sideways, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );

    let stats_path = format!("/api/organizer/events/{event}/stats");
    let stats = app.get_json(&organizer, &stats_path).await;
    assert_eq!(stats["checked_in"], 3, "{stats}");
    let main_name = stats["lists"][0]["name"].as_str().unwrap().to_owned();
    assert_eq!(
        list_counts(&stats),
        [
            (main_name.clone(), 1, None),
            ("Workshop".to_owned(), 3, Some(1)),
        ]
    );

    // Undoing Ada's check-in takes her off every list.
    assert_eq!(
        app.delete(&organizer, &format!("{checkins}/{ada}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let stats = app.get_json(&organizer, &stats_path).await;
    assert_eq!(stats["checked_in"], 2);
    assert_eq!(
        list_counts(&stats),
        [(main_name, 0, None), ("Workshop".to_owned(), 2, Some(1))]
    );
}

#[tokio::test]
async fn stewards_scan_only_and_supervisors_also_search_check_in_by_hand_undo_and_count() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let lists_path = format!("/api/organizer/events/{event}/lists");
    let default_id = app.get_json(&organizer, &lists_path).await["items"][0]["id"].clone();
    let room: Value = app
        .post(&organizer, &lists_path, json!({ "name": "Workshop" }))
        .await
        .json()
        .await
        .unwrap();
    let (ada, ada_token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (bob, _) = app.ticket_holder(event, "bob@example.com", "Bob").await;
    let staff_path = format!("/api/organizer/events/{event}/staff");

    // Roles and lists are checked when the link is made.
    let (otto, other_event) = app.organizer_with_event_on_now("otto@example.com").await;
    let foreign_list = app
        .get_json(&otto, &format!("/api/organizer/events/{other_event}/lists"))
        .await["items"][0]["id"]
        .clone();
    for (bad, field) in [
        (json!({ "name": "Sam", "role": "boss" }), "role"),
        (json!({ "name": "Sam", "list_id": foreign_list }), "list_id"),
        (json!({ "name": "Sam", "list_id": 999_999 }), "list_id"),
    ] {
        let refused = app.post(&organizer, &staff_path, bad).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body: Value = refused.json().await.unwrap();
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }

    let (steward, access) = app
        .door_link(
            &organizer,
            event,
            json!({ "name": "Workshop door", "list_id": room["id"] }),
        )
        .await;
    assert_eq!(
        (&access["role"], &access["list_id"]),
        (&json!("steward"), &room["id"])
    );
    let (supervisor, access) = app
        .door_link(
            &organizer,
            event,
            json!({ "name": "Lead", "role": "supervisor" }),
        )
        .await;
    assert_eq!(
        (&access["role"], &access["list_id"]),
        (&json!("supervisor"), &Value::Null)
    );

    // The steward scans into their list, only theirs.
    let scanned = scan(&app, &steward, event, json!({ "token": ada_token })).await;
    assert_eq!(scanned["list_id"], room["id"]);
    assert_eq!(scanned["already_checked_in"], false);
    let checkins = format!("/api/organizer/events/{event}/checkins");
    assert_eq!(
        app.post(
            &steward,
            &checkins,
            json!({ "token": ada_token, "list_id": default_id })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // ... and nothing a supervisor does.
    let refused = [
        app.get(&steward, &format!("/api/events/{event}/attendees?q=bob"))
            .await,
        app.get(&steward, &format!("/api/attendees?q=bob")).await,
        app.post(&steward, &checkins, json!({ "attendee_id": bob }))
            .await,
        app.delete(&steward, &format!("{checkins}/{ada}")).await,
        app.get(&steward, &format!("/api/organizer/events/{event}/stats"))
            .await,
    ];
    for answer in refused {
        let url = answer.url().to_string();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{url}");
    }
    // The list it needs offline still loads.
    assert_eq!(
        app.get(&steward, &format!("/api/organizer/events/{event}/roster"))
            .await
            .status(),
        StatusCode::OK
    );

    // The supervisor finds Bob by name and checks him in by hand, undoes Ada, reads counts.
    let found = app
        .get_json(&supervisor, &format!("/api/events/{event}/attendees?q=bob"))
        .await;
    assert_eq!(found["total"], 1, "{found}");
    let by_hand = scan(&app, &supervisor, event, json!({ "attendee_id": bob })).await;
    assert_eq!(by_hand["attendee"]["id"], bob);
    assert_eq!(by_hand["already_checked_in"], false);
    assert_eq!(by_hand["list_id"], default_id);
    let both = app
        .post(
            &supervisor,
            &checkins,
            json!({ "attendee_id": bob, "token": ada_token }),
        )
        .await;
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.delete(&supervisor, &format!("{checkins}/{ada}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let stats = app
        .get_json(&supervisor, &format!("/api/organizer/events/{event}/stats"))
        .await;
    assert_eq!(stats["checked_in"], 1, "{stats}");
    let counts = list_counts(&stats);
    assert_eq!((counts[0].1, counts[1].1), (1, 0), "{stats}");
    // Supervisors still cannot run the event.
    assert_eq!(
        app.get(&supervisor, &staff_path).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&supervisor, &lists_path).await.status(),
        StatusCode::FORBIDDEN
    );
}
