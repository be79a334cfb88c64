//! Check-in at the door: idempotent under concurrency, scoped to the event, earliest offline
//! scan wins, undo, and only the organiser may.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_same_ticket_scanned_50_times_at_once_checks_in_once() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
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
    let (_, token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (_, elsewhere) = app.ticket_holder(second, "bob@example.com", "Bob").await;
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
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let (ada, token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let path = format!("/api/organizer/events/{event}/checkins");
    let minutes_ago = |minutes: i64| {
        (chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    let (at_door_2, at_door_1) = (minutes_ago(5), minutes_ago(12));

    // Two phones scanned Ada while offline; the later one syncs first.
    let later = app
        .post(
            &organizer,
            &path,
            json!({ "token": token, "scanned_at": at_door_2, "device": "door-2" }),
        )
        .await;
    assert_eq!(
        later.json::<Value>().await.unwrap()["checked_in_at"],
        at_door_2
    );
    let earlier: Value = app
        .post(
            &organizer,
            &path,
            json!({ "token": token, "scanned_at": at_door_1, "device": "door-1" }),
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
        (Some(true), Some(at_door_1.as_str()))
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

#[tokio::test]
async fn staff_links_check_in_and_nothing_else_until_revoked() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let second = app.event(&organizer, None).await["id"].as_i64().unwrap();
    let (ada, token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (_, other_token) = app.ticket_holder(second, "bob@example.com", "Bob").await;

    // The organiser names a link for the door; others cannot.
    let staff_path = format!("/api/organizer/events/{event}/staff");
    let created = app
        .post(&organizer, &staff_path, json!({ "name": "Door 1 — Sam" }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let access: Value = created.json().await.unwrap();
    let link = access["token"].as_str().unwrap().to_owned();
    assert_eq!(link.len(), 64);
    assert_eq!(
        app.post(&organizer, &staff_path, json!({ "name": " " }))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    let (stranger, _) = app.organizer_with_event("otto@example.com", None).await;
    assert_eq!(
        app.post(&stranger, &staff_path, json!({ "name": "Mallory" }))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let door = app.client();
    let wrong = app
        .post(
            &door,
            "/api/auth/staff/login",
            json!({ "token": "f".repeat(64) }),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let me: Value = app
        .post(&door, "/api/auth/staff/login", json!({ "token": link }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["role"].as_str(), me["name"].as_str()),
        (Some("staff"), Some("Door 1 — Sam"))
    );
    assert!(
        me["staff"].get("token").is_none(),
        "the link is not shown back to staff"
    );

    // A steward (the default role) checks people in at their event and does nothing else.
    assert_eq!(access["role"], "steward", "{access}");
    let checkins = format!("/api/organizer/events/{event}/checkins");
    let scan: Value = app
        .post(&door, &checkins, json!({ "token": token }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            scan["attendee"]["id"].as_i64(),
            scan["already_checked_in"].as_bool()
        ),
        (Some(ada), Some(false))
    );
    assert!(
        scan["attendee"].get("email").is_none(),
        "staff see no contact details"
    );

    // Everything else is 403: another event, name search, stats, exports, badges, editing,
    // undo, staff.
    assert_eq!(
        app.post(
            &door,
            &format!("/api/organizer/events/{second}/checkins"),
            json!({ "token": other_token })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    for path in [
        format!("/api/organizer/events/{event}/stats"),
        format!("/api/organizer/events/{event}/attendees.csv"),
        format!("/api/organizer/events/{event}/badges?format=pdf"),
        format!("/api/organizer/events/{event}/badges"),
        format!("/api/organizer/events/{event}/staff"),
        format!("/api/events/{second}/attendees"),
        format!("/api/events/{event}/attendees?q=ada"),
        format!("/api/attendees?q=ada"),
        format!("/api/organizer/events/{event}/lists"),
    ] {
        assert_eq!(
            app.get(&door, &path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        app.put(
            &door,
            &format!("/api/events/{event}"),
            json!({ "name": "Hacked" })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.put(
            &door,
            &format!("/api/attendees/{ada}"),
            json!({ "first_name": "X" })
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&door, &format!("{checkins}/{ada}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&door, "/api/events", json!({ "name": "Mine" }))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Revoked: the very next request of that session is anonymous.
    app.post(&organizer, &staff_path, json!({ "name": "Door 2" }))
        .await;
    let listed: Value = app
        .get(&organizer, &format!("{staff_path}?limit=1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            listed["total"].as_i64(),
            listed["items"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1))
    );
    let revoke = format!("{staff_path}/{}", access["id"]);
    assert_eq!(
        app.delete(&organizer, &revoke).await.status(),
        StatusCode::NO_CONTENT
    );
    let after = app.post(&door, &checkins, json!({ "token": token })).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let again = app
        .post(
            &app.client(),
            "/api/auth/staff/login",
            json!({ "token": link }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let listed: Value = app.get(&organizer, &staff_path).await.json().await.unwrap();
    let revoked = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == access["id"])
        .unwrap();
    assert!(revoked["revoked_at"].is_string() && revoked.get("token").is_none());
}

#[tokio::test]
async fn the_door_list_holds_ticket_hashes_for_the_door_only() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let second = app.event(&organizer, None).await["id"].as_i64().unwrap();
    let mut tokens = Vec::new();
    for n in 0..5 {
        let first = format!("Person{n}");
        tokens.push(
            app.ticket_holder(event, &format!("p{n}@example.com"), &first)
                .await,
        );
    }
    app.ticket_holder(second, "bob@example.com", "Bob").await;
    let (checked_id, checked_token) = tokens[2].clone();
    app.post(
        &organizer,
        &format!("/api/organizer/events/{event}/checkins"),
        json!({ "token": checked_token }),
    )
    .await;

    // Two pages of three: every attendee of the event once, none of the other event.
    let roster = format!("/api/organizer/events/{event}/roster");
    let mut people = Vec::new();
    for offset in [0, 3] {
        let page: Value = app
            .get(&organizer, &format!("{roster}?limit=3&offset={offset}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 5);
        people.extend(page["items"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(people.len(), 5);
    for (id, token) in &tokens {
        let person = people.iter().find(|p| p["id"] == *id).unwrap();
        assert_eq!(person["token_hash"], app::models::ticket_hash(token));
        let text = person.to_string();
        assert!(!text.contains(token.as_str()), "no raw token on the list");
        assert!(person.get("email").is_none(), "no contact details");
        assert_eq!(person["checked_in_at"].is_string(), *id == checked_id);
    }

    // Staff of the event may load it; attendees, other organisers and other staff may not.
    let link = |event: i64| {
        let organizer = organizer.clone();
        let app = &app;
        async move {
            let access: Value = app
                .post(
                    &organizer,
                    &format!("/api/organizer/events/{event}/staff"),
                    json!({ "name": "Door" }),
                )
                .await
                .json()
                .await
                .unwrap();
            let door = app.client();
            app.post(
                &door,
                "/api/auth/staff/login",
                json!({ "token": access["token"] }),
            )
            .await;
            door
        }
    };
    let door = link(event).await;
    let other_door = link(second).await;
    assert_eq!(app.get(&door, &roster).await.status(), StatusCode::OK);
    let (stranger, _) = app.organizer_with_event("otto@example.com", None).await;
    let attendee = app.client();
    app.post(
        &attendee,
        "/api/auth/attendee/login",
        json!({ "email": "p0@example.com", "password": "password123", "event_id": event }),
    )
    .await;
    for client in [&other_door, &stranger, &attendee] {
        assert_eq!(
            app.get(client, &roster).await.status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.get(&app.client(), &roster).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_offline_scan_synced_with_the_phones_utc_offset_keeps_its_moment() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let (_, token) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    // A phone's clock in another zone than the server's: the same instant either way.
    let instant = chrono::Utc::now() - chrono::Duration::minutes(10);
    let sent = instant
        .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap())
        .to_rfc3339();
    let answer: Value = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/checkins"),
            json!({ "token": token, "scanned_at": sent, "device": "door phone" }),
        )
        .await
        .json()
        .await
        .unwrap();
    // The event is in UTC (the default zone): its wall clock is UTC.
    let expected = instant.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string();
    assert_eq!(answer["checked_in_at"], expected);
    assert_eq!(answer["already_checked_in"], false);
}
