//! Attendees meeting each other: RSVP with one click, profiles, the directory, connections
//! and 1:1 appointments, each with its authorisation matrix.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{body}");
    body
}

#[tokio::test]
async fn one_click_rsvp_copies_the_profile_and_cancel_frees_the_seat() {
    let app = TestApp::spawn().await;
    let (organizer, first) = app.organizer_with_event("olga@example.com", Some(10)).await;
    let second = app.event(&organizer, Some(1)).await["id"].as_i64().unwrap();

    let ada = app.client();
    let registered = app
        .post(
            &ada,
            "/api/auth/attendee/register",
            json!({ "event_id": first, "email": "ada@example.com", "password": "password123",
                    "first_name": "Ada", "last_name": "Lovelace", "organisation": "Engines Ltd",
                    "role": "Mathematician", "introduction": "Poetry and machines" }),
        )
        .await;
    let registered = json_of(registered, StatusCode::CREATED).await;

    let copy = json_of(
        app.post(&ada, &format!("/api/events/{second}/rsvp"), json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(copy["event_id"], second);
    assert_ne!(copy["id"], registered["id"]);
    for field in [
        "first_name",
        "last_name",
        "organisation",
        "role",
        "introduction",
        "email",
    ] {
        assert_eq!(copy[field], registered[field], "{field} is copied");
    }
    assert_ne!(copy["checkin_token"], registered["checkin_token"]);
    // The session now belongs to the new registration.
    let me = json_of(app.get(&ada, "/api/auth/me").await, StatusCode::OK).await;
    assert_eq!(me["id"], copy["id"]);

    // Twice for one event, a full event, and callers who are not attendees.
    let again = app
        .post(&ada, &format!("/api/events/{second}/rsvp"), json!({}))
        .await;
    assert_eq!(
        error_code(again, StatusCode::CONFLICT).await,
        "already_registered"
    );
    let (bob, _) = app.person(first, "Bob").await;
    let full = app
        .post(&bob, &format!("/api/events/{second}/rsvp"), json!({}))
        .await;
    assert_eq!(error_code(full, StatusCode::CONFLICT).await, "event_full");
    let anonymous = app
        .post(
            &app.client(),
            &format!("/api/events/{second}/rsvp"),
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(anonymous, StatusCode::UNAUTHORIZED).await,
        "unauthenticated"
    );
    let as_organizer = app
        .post(&organizer, &format!("/api/events/{second}/rsvp"), json!({}))
        .await;
    assert_eq!(as_organizer.status(), StatusCode::FORBIDDEN);
    let nowhere = app.post(&bob, "/api/events/999999/rsvp", json!({})).await;
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);

    // Cancelling someone else's event is not possible; cancelling mine frees the seat.
    let not_mine = app
        .delete(&bob, &format!("/api/events/{second}/rsvp"))
        .await;
    assert_eq!(not_mine.status(), StatusCode::NOT_FOUND);
    let cancel = app
        .delete(&ada, &format!("/api/events/{second}/rsvp"))
        .await;
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&ada, "/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let event = json_of(
        app.get(&ada, &format!("/api/events/{second}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(event["attendee_count"], 0);
    let seat = app
        .post(&bob, &format!("/api/events/{second}/rsvp"), json!({}))
        .await;
    assert_eq!(seat.status(), StatusCode::CREATED);
    // Ada's first registration is untouched.
    let login = app
        .post(
            &ada,
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123", "event_id": first }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
}

#[tokio::test]
async fn capacity_holds_when_500_register_at_once() {
    let app = TestApp::spawn_with(|config| config.db_pool_size = 16).await;
    let (_, event) = app
        .organizer_with_event("olga@example.com", Some(100))
        .await;
    let client = reqwest::Client::new();
    // Each one a client that, told 503 (the hashing queue full), comes back after its
    // Retry-After, as a browser's retry would: nobody is left without an answer.
    let attempts = (0..500).map(|n| {
        let client = client.clone();
        let url = app.url("/api/auth/attendee/register");
        async move {
            let body = json!({ "event_id": event, "email": format!("guest{n}@example.com"),
                               "password": "password123", "first_name": "Guest",
                               "last_name": format!("{n}") });
            let mut busy = 0;
            loop {
                let response = client.post(&url).json(&body).send().await.unwrap();
                let status = response.status();
                if status == StatusCode::SERVICE_UNAVAILABLE && busy < 20 {
                    busy += 1;
                    tokio::time::sleep(common::retry_after(&response)).await;
                    continue;
                }
                let body: Value = response.json().await.unwrap();
                return (status, body["error"]["code"].as_str().map(str::to_owned));
            }
        }
    });
    let results = futures_join_all(attempts).await;
    let seated = results
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    let refused = results
        .iter()
        .filter(|(status, code)| {
            *status == StatusCode::CONFLICT && code.as_deref() == Some("event_full")
        })
        .count();
    assert_eq!((seated, refused), (100, 400), "{results:?}");
    let event = json_of(
        app.get(&client, &format!("/api/events/{event}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            event["attendee_count"].as_i64(),
            event["spots_left"].as_i64()
        ),
        (Some(100), Some(0))
    );
}

/// Runs the futures concurrently on this task (no extra dependency for `join_all`).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn profiles_are_edited_only_by_their_owner() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, _) = app.person(event, "Bob").await;
    let (dan, _) = app.person(other_event, "Dan").await;
    let path = format!("/api/attendees/{ada_id}");

    let updated = json_of(
        app.put(
            &ada,
            &path,
            json!({ "organisation": "Engines Ltd", "role": "Mathematician",
                                     "introduction": "Ask me about Bernoulli numbers" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["organisation"], "Engines Ltd");
    assert_eq!(updated["first_name"], "Ada", "absent fields stay");
    let cleared = json_of(
        app.put(&ada, &path, json!({ "role": null })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cleared["role"], Value::Null);
    assert_eq!(cleared["organisation"], "Engines Ltd");

    let invalid = app
        .put(
            &ada,
            &path,
            json!({ "first_name": "  ", "last_name": "x".repeat(101) }),
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    let body: Value = invalid.json().await.unwrap();
    assert!(body["error"]["fields"]["first_name"].is_string());
    assert!(body["error"]["fields"]["last_name"].is_string());

    let matrix = [
        (&bob, StatusCode::FORBIDDEN),
        (&organizer, StatusCode::FORBIDDEN),
        (&dan, StatusCode::NOT_FOUND),
    ];
    for (client, status) in matrix {
        let response = app
            .put(client, &path, json!({ "first_name": "Mallory" }))
            .await;
        assert_eq!(response.status(), status);
    }
    let anonymous = app
        .put(&app.client(), &path, json!({ "first_name": "Mallory" }))
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let profile = json_of(app.get(&organizer, &path).await, StatusCode::OK).await;
    assert_eq!(profile["first_name"], "Ada");
}

#[tokio::test]
async fn directory_search_stays_within_the_callers_events() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let second = app.event(&organizer, None).await["id"].as_i64().unwrap();
    let (other_organizer, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    app.put(
        &bob,
        &format!("/api/attendees/{bob_id}"),
        json!({ "organisation": "Babbage & Co" }),
    )
    .await;
    let (_, _) = app.person(second, "Cy").await;
    let (dan, _) = app.person(other_event, "Dan").await;

    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["first_name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mine = json_of(app.get(&ada, "/api/attendees").await, StatusCode::OK).await;
    assert_eq!(names(&mine), ["Ada", "Bob"]);
    assert!(
        mine["items"][1].get("email").is_none(),
        "no email before connecting"
    );
    let by_organisation = json_of(
        app.get(&ada, "/api/attendees?q=babbage").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (names(&by_organisation), by_organisation["total"].as_i64()),
        (vec!["Bob".to_owned()], Some(1))
    );
    let paged = json_of(
        app.get(&ada, "/api/attendees?limit=1&offset=1").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (names(&paged), paged["total"].as_i64()),
        (vec!["Bob".to_owned()], Some(2))
    );

    // Another event's attendees are not searchable by an attendee or a stranger organiser.
    let elsewhere = app
        .get(&ada, &format!("/api/attendees?event_id={second}"))
        .await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    let stranger = app
        .get(
            &other_organizer,
            &format!("/api/attendees?event_id={event}"),
        )
        .await;
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&app.client(), "/api/attendees").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let dans = json_of(app.get(&dan, "/api/attendees").await, StatusCode::OK).await;
    assert_eq!(names(&dans), ["Dan"]);

    // The organiser searches all their events at once, or one.
    let all = json_of(app.get(&organizer, "/api/attendees").await, StatusCode::OK).await;
    assert_eq!(names(&all), ["Ada", "Bob", "Cy"]);
    let one = json_of(
        app.get(&organizer, &format!("/api/attendees?event_id={second}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(names(&one), ["Cy"]);

    // The directory tells an attendee where they stand with each person.
    app.post(
        &ada,
        "/api/connections",
        json!({ "connected_attendee_id": bob_id }),
    )
    .await;
    let listed = json_of(
        app.get(&bob, &format!("/api/events/{event}/attendees"))
            .await,
        StatusCode::OK,
    )
    .await;
    let ada_card = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ada_id)
        .unwrap()
        .clone();
    assert_eq!(ada_card["connection"]["status"], "pending");
    assert_eq!(ada_card["connection"]["direction"], "incoming");
}

/// The directory search answers from memory; whatever changes its people, through this
/// server or straight in the database as another instance would, shows in the next search.
#[tokio::test]
async fn the_directory_search_sees_every_change_at_once() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    let found = |q: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            let page = json_of(
                app.get(ada, &format!("/api/attendees?q={q}")).await,
                StatusCode::OK,
            )
            .await;
            let names: Vec<String> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    format!(
                        "{} {}",
                        a["first_name"].as_str().unwrap(),
                        a["last_name"].as_str().unwrap()
                    )
                })
                .collect();
            assert_eq!(page["total"].as_u64(), Some(names.len() as u64), "{q}");
            names
        }
    };
    assert!(found("zed").await.is_empty());

    // Someone registers: found at once, by a word's beginning, without accents or case.
    let (zed, zed_id) = app.person(event, "Zëd").await;
    assert_eq!(found("ZED").await, ["Zëd Tester"]);
    assert_eq!(found("test").await, ["Ada Tester", "Zëd Tester"]);

    // Their profile changes: the old organisation is gone, the new one found.
    app.put(
        &zed,
        &format!("/api/attendees/{zed_id}"),
        json!({ "organisation": "Acme" }),
    )
    .await;
    assert_eq!(found("acme").await, ["Zëd Tester"]);
    app.put(
        &zed,
        &format!("/api/attendees/{zed_id}"),
        json!({ "organisation": "Zephyr Labs" }),
    )
    .await;
    assert!(found("acme").await.is_empty());
    assert_eq!(found("zephyr lab").await, ["Zëd Tester"]);

    // Renamed in the database behind this server's back: the next search knows.
    let mut db = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    diesel::sql_query(format!(
        "UPDATE attendees SET last_name = 'Quux' WHERE id = {zed_id}"
    ))
    .execute(&mut db)
    .await
    .unwrap();
    assert_eq!(found("quux").await, ["Zëd Quux"]);
    assert_eq!(found("test").await, ["Ada Tester"]);
    // Inside a word when no word begins so.
    assert_eq!(found("uux").await, ["Zëd Quux"]);

    // They cancel: gone from the directory.
    let cancel = app.delete(&zed, &format!("/api/events/{event}/rsvp")).await;
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    assert!(found("zed").await.is_empty());
}

#[tokio::test]
async fn connections_follow_the_rules() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;
    let (_, dan_id) = app.person(other_event, "Dan").await;
    let anonymous = app.client();
    let ask = |client, target: i64| {
        let app = &app;
        async move {
            app.post(
                client,
                "/api/connections",
                json!({ "connected_attendee_id": target }),
            )
            .await
        }
    };

    let request = json_of(ask(&ada, bob_id).await, StatusCode::CREATED).await;
    assert_eq!(
        (request["status"].as_str(), request["direction"].as_str()),
        (Some("pending"), Some("outgoing"))
    );
    assert_eq!(request["other"]["first_name"], "Bob");
    assert!(request["other"].get("email").is_none());
    let id = request["id"].as_i64().unwrap();

    // No duplicates in either direction, no self, nobody outside my event.
    assert_eq!(
        error_code(ask(&ada, bob_id).await, StatusCode::CONFLICT).await,
        "connection_exists"
    );
    assert_eq!(
        error_code(ask(&bob, ada_id).await, StatusCode::CONFLICT).await,
        "connection_exists"
    );
    assert_eq!(ask(&ada, ada_id).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(ask(&ada, dan_id).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ask(&ada, 999_999).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.post(&ada, "/api/connections", json!({})).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        ask(&anonymous, bob_id).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        ask(&organizer, bob_id).await.status(),
        StatusCode::FORBIDDEN
    );

    // Only the person asked answers.
    let path = format!("/api/connections/{id}");
    let accept = json!({ "status": "accepted" });
    assert_eq!(
        app.put(&ada, &path, accept.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.put(&cy, &path, accept.clone()).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.put(&bob, &path, json!({ "status": "maybe" }))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&bob, &format!("/api/attendees/{ada_id}"))
            .await
            .json::<Value>()
            .await
            .unwrap()
            .get("email"),
        None
    );
    let accepted = json_of(app.put(&bob, &path, accept.clone()).await, StatusCode::OK).await;
    assert_eq!(
        (accepted["status"].as_str(), accepted["direction"].as_str()),
        (Some("accepted"), Some("incoming"))
    );

    // Contact exchange: emails are visible to each other now, and only to them.
    assert_eq!(accepted["other"]["email"], "ada@example.com");
    let bob_seen_by_ada = json_of(
        app.get(&ada, &format!("/api/attendees/{bob_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob_seen_by_ada["email"], "bob@example.com");
    assert!(bob_seen_by_ada.get("checkin_token").is_none());
    let bob_seen_by_cy = json_of(
        app.get(&cy, &format!("/api/attendees/{bob_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(bob_seen_by_cy.get("email").is_none());
    let mine = json_of(app.get(&ada, "/api/connections").await, StatusCode::OK).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["other"]["email"], "bob@example.com");
    assert_eq!(
        app.get(&organizer, "/api/connections").await.status(),
        StatusCode::FORBIDDEN
    );

    // A declined request can be asked again; filters narrow the list.
    let to_cy = json_of(ask(&bob, cy_id).await, StatusCode::CREATED).await;
    let rejected = app
        .put(
            &cy,
            &format!("/api/connections/{}", to_cy["id"]),
            json!({ "status": "rejected" }),
        )
        .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    let pending = json_of(
        app.get(&cy, "/api/connections?status=pending").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["total"], 0);
    assert_eq!(
        app.get(&cy, "/api/connections?status=nope").await.status(),
        StatusCode::BAD_REQUEST
    );
    let again = json_of(ask(&cy, bob_id).await, StatusCode::CREATED).await;
    assert_eq!(
        (again["id"].clone(), again["status"].as_str()),
        (to_cy["id"].clone(), Some("pending"))
    );

    // Either side may withdraw or remove; a stranger may not.
    let withdraw = format!("/api/connections/{}", again["id"]);
    assert_eq!(
        app.delete(&ada, &withdraw).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&cy, &withdraw).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.put(&bob, &withdraw, accept).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn two_people_asking_each_other_at_once_make_one_connection() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    for round in 0..5 {
        let (ada, ada_id) = app.person(event, &format!("Ada{round}")).await;
        let (bob, bob_id) = app.person(event, &format!("Bob{round}")).await;
        let (a, b) = tokio::join!(
            app.post(
                &ada,
                "/api/connections",
                json!({ "connected_attendee_id": bob_id })
            ),
            app.post(
                &bob,
                "/api/connections",
                json!({ "connected_attendee_id": ada_id })
            ),
        );
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    }
}

#[tokio::test]
async fn appointments_follow_the_rules_and_never_double_book() {
    let app = TestApp::spawn().await;
    // The test event runs 2030-05-04 09:00–17:00.
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;
    let (_, dan_id) = app.person(other_event, "Dan").await;
    let anonymous = app.client();
    let book = |client, target: i64, time: &str, extra: Value| {
        let app = &app;
        let mut body = json!({ "target_id": target, "appointment_time": time });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        async move { app.post(client, "/api/appointments", body).await }
    };
    let answer = |client, id: &Value, status: &str| {
        let app = &app;
        let path = format!("/api/appointments/{id}");
        let body = json!({ "status": status });
        async move { app.put(client, &path, body).await }
    };

    let meeting = json_of(
        book(
            &ada,
            bob_id,
            "2030-05-04T10:00:00",
            json!({ "location": "Table 4", "notes": "Engines" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (
            meeting["status"].as_str(),
            meeting["duration_minutes"].as_i64()
        ),
        (Some("pending"), Some(30))
    );
    assert_eq!(meeting["end_time"], "2030-05-04T10:30:00");
    assert_eq!(meeting["other"]["first_name"], "Bob");

    // Bad requests.
    for (time, extra, field) in [
        ("2030-05-04T08:30:00", json!({}), "appointment_time"),
        ("2030-05-04T16:45:00", json!({}), "appointment_time"),
        ("tomorrow at ten", json!({}), "appointment_time"),
        (
            "2030-05-04T11:00:00",
            json!({ "duration_minutes": 0 }),
            "duration_minutes",
        ),
        (
            "2030-05-04T11:00:00",
            json!({ "duration_minutes": 600 }),
            "duration_minutes",
        ),
    ] {
        let response = book(&ada, bob_id, time, extra).await;
        let body = json_of(response, StatusCode::BAD_REQUEST).await;
        assert!(body["error"]["fields"][field].is_string(), "{time}: {body}");
    }
    assert_eq!(
        book(&ada, ada_id, "2030-05-04T11:00:00", json!({}))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        book(&ada, dan_id, "2030-05-04T11:00:00", json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        book(&organizer, bob_id, "2030-05-04T11:00:00", json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        book(&anonymous, bob_id, "2030-05-04T11:00:00", json!({}))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // Only the person asked answers.
    let id = &meeting["id"];
    assert_eq!(
        answer(&ada, id, "accepted").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        answer(&cy, id, "accepted").await.status(),
        StatusCode::NOT_FOUND
    );
    let accepted = json_of(answer(&bob, id, "accepted").await, StatusCode::OK).await;
    assert_eq!(accepted["status"], "accepted");

    // Overlapping an accepted meeting of either person is refused; back to back is fine.
    let clash = book(&cy, ada_id, "2030-05-04T10:15:00", json!({})).await;
    assert_eq!(
        error_code(clash, StatusCode::CONFLICT).await,
        "appointment_overlap"
    );
    let clash = book(&cy, bob_id, "2030-05-04T09:45:00", json!({})).await;
    assert_eq!(
        error_code(clash, StatusCode::CONFLICT).await,
        "appointment_overlap"
    );
    let next = json_of(
        book(&cy, bob_id, "2030-05-04T10:30:00", json!({})).await,
        StatusCode::CREATED,
    )
    .await;

    // Two pending requests for one slot: accepting the second is refused at accept time.
    let from_ada = json_of(
        book(&ada, cy_id, "2030-05-04T11:00:00", json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    let from_bob = json_of(
        book(&bob, cy_id, "2030-05-04T11:15:00", json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        answer(&cy, &from_ada["id"], "accepted").await.status(),
        StatusCode::OK
    );
    let late = answer(&cy, &from_bob["id"], "accepted").await;
    assert_eq!(
        error_code(late, StatusCode::CONFLICT).await,
        "appointment_overlap"
    );
    assert_eq!(
        answer(&cy, &from_bob["id"], "rejected").await.status(),
        StatusCode::OK
    );

    // My agenda, in time order, both directions.
    let agenda = json_of(app.get(&ada, "/api/appointments").await, StatusCode::OK).await;
    let times: Vec<&str> = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["appointment_time"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["2030-05-04T10:00:00", "2030-05-04T11:00:00"]);
    let accepted_only = json_of(
        app.get(&bob, "/api/appointments?status=accepted").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted_only["total"], 1);

    // Calendar files: one meeting once accepted, and the whole agenda.
    let ics = app
        .get(&ada, &format!("/api/appointments/{id}/event.ics"))
        .await;
    assert_eq!(ics.status(), StatusCode::OK);
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = ics.text().await.unwrap();
    assert!(
        ics.contains("Meeting with Bob")
            && ics.contains("Table 4")
            && ics.contains("DTSTART:20300504T100000"),
        "{ics}"
    );
    let pending_ics = app
        .get(&bob, &format!("/api/appointments/{}/event.ics", next["id"]))
        .await;
    assert_eq!(pending_ics.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.get(&cy, &format!("/api/appointments/{id}/event.ics"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let agenda_ics = app
        .get(&ada, "/api/appointments/agenda.ics")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(agenda_ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(agenda_ics.contains("Meeting with Cy"));

    // Either person cancels; a stranger cannot.
    let cancel = format!("/api/appointments/{}", next["id"]);
    assert_eq!(
        app.delete(&ada, &cancel).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&cy, &cancel).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn two_overlapping_accepts_racing_book_one_meeting() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    for round in 0..5 {
        let (ada, ada_id) = app.person(event, &format!("Ada{round}")).await;
        let (bob, bob_id) = app.person(event, &format!("Bob{round}")).await;
        let (cy, _) = app.person(event, &format!("Cy{round}")).await;
        let time = format!("2030-05-04T1{round}:00:00");
        // Ada asked Bob, and Cy asked Ada, for the same half hour: Bob and Ada accept at once.
        let first: Value = app
            .post(
                &ada,
                "/api/appointments",
                json!({ "target_id": bob_id, "appointment_time": time }),
            )
            .await
            .json()
            .await
            .unwrap();
        let second: Value = app
            .post(
                &cy,
                "/api/appointments",
                json!({ "target_id": ada_id, "appointment_time": time }),
            )
            .await
            .json()
            .await
            .unwrap();
        let accept = json!({ "status": "accepted" });
        let (first_path, second_path) = (
            format!("/api/appointments/{}", first["id"]),
            format!("/api/appointments/{}", second["id"]),
        );
        let (a, b) = tokio::join!(
            app.put(&bob, &first_path, accept.clone()),
            app.put(&ada, &second_path, accept.clone()),
        );
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}"
        );
        let accepted = json_of(
            app.get(&ada, "/api/appointments?status=accepted").await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(accepted["total"], 1);
    }
}
