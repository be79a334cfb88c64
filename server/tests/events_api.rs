//! The events endpoints of API.md with their authorisation matrix.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The names of a page of events, in order.
fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

fn event_body(name: &str) -> Value {
    json!({ "name": name, "start_time": "2030-05-04T09:00", "end_time": "2030-05-04T17:00:00", "max_attendees": 3 })
}

#[tokio::test]
async fn create_validates_and_needs_an_organiser() {
    let app = TestApp::spawn().await;
    let anonymous = app.client();
    assert_eq!(
        error_code(
            app.post(&anonymous, "/api/events", event_body("X")).await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthenticated"
    );

    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = app.event(&organizer, Some(3)).await;
    let attendee = app.client();
    app.attendee(
        &attendee,
        event["id"].as_i64().unwrap(),
        "ada@example.com",
        "Ada",
    )
    .await;
    assert_eq!(
        app.post(&attendee, "/api/events", event_body("X"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let created: Value = app
        .post(&organizer, "/api/events", event_body("Launch party"))
        .await
        .json()
        .await
        .unwrap();
    let code = created["code"].as_str().unwrap();
    assert_eq!(code.len(), 10);
    assert!(
        code.bytes()
            .all(|b| b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b)),
        "readable code {code}"
    );
    assert_ne!(code, event["code"].as_str().unwrap());
    assert_eq!(created["start_time"], "2030-05-04T09:00:00");
    assert_eq!(created["spots_left"], 3);
    assert_eq!(created["attendee_count"], 0);

    let backwards = app
        .post(&organizer, "/api/events", json!({ "name": "Back", "start_time": "2030-05-04T17:00", "end_time": "2030-05-04T09:00" }))
        .await;
    let body: Value = backwards.json().await.unwrap();
    assert!(body["error"]["fields"]["end_time"].is_string(), "{body}");
    let nameless = app.post(&organizer, "/api/events", json!({ "name": "  ", "start_time": "2030-05-04T09:00", "end_time": "2030-05-04T10:00" })).await;
    assert_eq!(
        error_code(nameless, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );
    let zero = app.post(&organizer, "/api/events", json!({ "name": "Z", "start_time": "2030-05-04T09:00", "end_time": "2030-05-04T10:00", "max_attendees": 0 })).await;
    let body: Value = zero.json().await.unwrap();
    assert!(
        body["error"]["fields"]["max_attendees"].is_string(),
        "{body}"
    );
    let bad_date = app
        .post(
            &organizer,
            "/api/events",
            json!({ "name": "D", "start_time": "tomorrow", "end_time": "2030-05-04T10:00" }),
        )
        .await;
    assert_eq!(bad_date.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn public_reads_list_and_paginate() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let first = app.event(&organizer, Some(2)).await;
    app.attendee(
        &app.client(),
        first["id"].as_i64().unwrap(),
        "ada@example.com",
        "Ada",
    )
    .await;
    for i in 0..3 {
        app.post(&organizer, "/api/events", event_body(&format!("Event {i}")))
            .await;
    }
    let past = app
        .post(&organizer, "/api/events", json!({ "name": "Past", "start_time": "2001-01-01T09:00", "end_time": "2001-01-01T10:00" }))
        .await;
    assert_eq!(past.status(), StatusCode::CREATED);

    let anonymous = app.client();
    let list: Value = app
        .get(&anonymous, "/api/events")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 4, "past events are not upcoming: {list}");
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == first["id"])
        .unwrap();
    assert_eq!(listed["attendee_count"], 1);
    assert_eq!(listed["spots_left"], 1);
    let page: Value = app
        .get(&anonymous, "/api/events?limit=2&offset=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["total"], 4);
    assert_eq!(
        app.get(&anonymous, "/api/events?limit=abc").await.status(),
        StatusCode::BAD_REQUEST
    );

    let one: Value = app
        .get(&anonymous, &format!("/api/events/{}", first["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["code"], first["code"]);
    assert_eq!(
        error_code(
            app.get(&anonymous, "/api/events/999999").await,
            StatusCode::NOT_FOUND
        )
        .await,
        "not_found"
    );
    assert_eq!(
        app.get(&anonymous, "/api/events/not-a-number")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_the_owner_edits_and_deletes() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let event = app.event(&owner, Some(5)).await;
    let path = format!("/api/events/{}", event["id"]);
    let other = app.client();
    app.organizer(&other, "otto@example.com").await;
    let attendee = app.client();
    app.attendee(
        &attendee,
        event["id"].as_i64().unwrap(),
        "ada@example.com",
        "Ada",
    )
    .await;
    app.attendee(
        &app.client(),
        event["id"].as_i64().unwrap(),
        "bob@example.com",
        "Bob",
    )
    .await;

    for (who, client, status) in [
        ("anonymous", app.client(), StatusCode::UNAUTHORIZED),
        ("other organiser", other.clone(), StatusCode::FORBIDDEN),
        ("attendee", attendee.clone(), StatusCode::FORBIDDEN),
    ] {
        let put = client
            .put(app.url(&path))
            .json(&json!({ "name": "Hijacked" }))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), status, "{who} PUT");
        let delete = client.delete(app.url(&path)).send().await.unwrap();
        assert_eq!(delete.status(), status, "{who} DELETE");
    }

    let renamed: Value = owner
        .put(app.url(&path))
        .json(&json!({ "name": "Renamed", "location": null }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["name"], "Renamed");
    assert_eq!(renamed["location"], Value::Null);
    assert_eq!(renamed["max_attendees"], 5, "absent fields stay");

    let below = owner
        .put(app.url(&path))
        .json(&json!({ "max_attendees": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(below, StatusCode::CONFLICT).await,
        "capacity_below_registrations"
    );
    let exact: Value = owner
        .put(app.url(&path))
        .json(&json!({ "max_attendees": 2 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(exact["spots_left"], 0);
    let unlimited: Value = owner
        .put(app.url(&path))
        .json(&json!({ "max_attendees": null }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unlimited["spots_left"], Value::Null);
    let backwards = owner
        .put(app.url(&path))
        .json(&json!({ "end_time": "2030-05-04T08:00" }))
        .send()
        .await
        .unwrap();
    assert_eq!(backwards.status(), StatusCode::BAD_REQUEST);

    let deleted = owner.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&app.client(), &path).await.status(),
        StatusCode::NOT_FOUND
    );
    // Its attendees went with it.
    assert_eq!(
        app.get(&attendee, "/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn attendee_list_follows_the_authorisation_matrix() {
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    let event = app.event(&owner, None).await;
    let event_id = event["id"].as_i64().unwrap();
    let other_event = app
        .post(&owner, "/api/events", event_body("Other"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let ada = app.client();
    app.attendee(&ada, event_id, "ada@example.com", "Ada").await;
    app.attendee(&app.client(), event_id, "bob@example.com", "Bob")
        .await;
    let outsider = app.client();
    app.attendee(
        &outsider,
        other_event["id"].as_i64().unwrap(),
        "eve@example.com",
        "Eve",
    )
    .await;
    let other_organizer = app.client();
    app.organizer(&other_organizer, "otto@example.com").await;
    let path = format!("/api/events/{event_id}/attendees");

    let as_owner: Value = app.get(&owner, &path).await.json().await.unwrap();
    assert_eq!(as_owner["total"], 2);
    assert!(
        as_owner["items"][0]["email"].is_string(),
        "the organiser sees emails"
    );
    assert!(as_owner["items"][0].get("checkin_token").is_none());

    let as_attendee: Value = app.get(&ada, &path).await.json().await.unwrap();
    assert_eq!(as_attendee["total"], 2);
    let bob = as_attendee["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["first_name"] == "Bob")
        .unwrap();
    assert!(
        bob.get("email").is_none(),
        "no email before connecting: {bob}"
    );

    let filtered: Value = app
        .get(&owner, &format!("{path}?q=bo"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 1);
    let wildcard: Value = app
        .get(&owner, &format!("{path}?q=%25"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wildcard["total"], 0, "% is matched literally");

    assert_eq!(
        app.get(&app.client(), &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&outsider, &path).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&other_organizer, &path).await.status(),
        StatusCode::FORBIDDEN
    );

    let ada_id = as_owner["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["first_name"] == "Ada")
        .unwrap()["id"]
        .clone();
    let profile_path = format!("/api/attendees/{ada_id}");
    assert_eq!(
        app.get(&outsider, &profile_path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&other_organizer, &profile_path).await.status(),
        StatusCode::NOT_FOUND
    );
    let own: Value = app.get(&ada, &profile_path).await.json().await.unwrap();
    assert!(own["checkin_token"].is_string() && own["email"].is_string());
}

#[tokio::test]
async fn dashboard_lists_upcoming_soonest_first_then_past_latest_first() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let owner = app.client();
    app.organizer(&owner, "olga@example.com").await;
    for (name, day) in [
        ("Past 2001", "2001-01-01"),
        ("Upcoming 2031", "2031-01-01"),
        ("Past 2005", "2005-01-01"),
        ("Upcoming 2030", "2030-01-01"),
    ] {
        let body = json!({ "name": name, "start_time": format!("{day}T09:00"), "end_time": format!("{day}T10:00") });
        assert_eq!(
            app.post(&owner, "/api/events", body).await.status(),
            StatusCode::CREATED
        );
    }
    let page: Value = app
        .server_fn(&owner, app::pages::organizer::MyEvents::PATH, "")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Upcoming 2030", "Upcoming 2031", "Past 2005", "Past 2001"]
    );
    // Another organiser's dashboard does not show them.
    let other = app.client();
    app.organizer(&other, "otto@example.com").await;
    let theirs: Value = app
        .server_fn(&other, app::pages::organizer::MyEvents::PATH, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["total"], 0);
}

/// The invite link's page arrives whole: a chat app unfurling it finds the event's name and
/// when and where it is in the head, not only after scripts run.
#[tokio::test]
async fn the_invite_page_names_the_event_for_link_previews() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = app.event(&organizer, Some(10)).await;
    let code = event["code"].as_str().unwrap();
    let page = app.get(&app.client(), &format!("/e/{code}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let head = &html[..html.find("</head>").expect("a head")];
    assert!(
        head.contains("<title>RustConf Meetup · NetEvent</title>"),
        "{head}"
    );
    assert!(
        head.contains(r#"<meta property="og:title" content="RustConf Meetup">"#),
        "{head}"
    );
    let description = head
        .split(r#"<meta property="og:description" content=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an og:description");
    assert!(description.contains("Hall A"), "{description}");
    assert!(description.contains("4 May 2030"), "{description}");
    // Nothing is left to stream in after the page: it is complete as sent.
    assert!(html.contains("0 going · 10 spots left"), "{html}");
    assert!(!html.contains("Loading event…"), "{html}");
}

/// The listing an outside client and the home page read: public events that have not ended,
/// never unlisted ones; those are reached by their id and link only.
#[tokio::test]
async fn unlisted_events_are_reached_by_their_link_and_never_listed() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let created = |name: &str, location: &str, visibility: Option<&str>| {
        let mut body = json!({ "name": name, "location": location, "start_time": "2030-05-04T09:00", "end_time": "2030-05-04T17:00" });
        if let Some(visibility) = visibility {
            body["visibility"] = json!(visibility);
        }
        body
    };
    let public: Value = app
        .post(
            &organizer,
            "/api/events",
            created("Rust Meetup", "Berlin", None),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["visibility"], "public", "the default: {public}");
    let unlisted: Value = app
        .post(
            &organizer,
            "/api/events",
            created("Board Retreat", "Berlin", Some("unlisted")),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unlisted["visibility"], "unlisted", "{unlisted}");

    // A visibility that is neither: 400 on the field, and nothing created.
    let wrong = app
        .post(
            &organizer,
            "/api/events",
            created("Secret", "Paris", Some("secret")),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let wrong: Value = wrong.json().await.unwrap();
    assert_eq!(wrong["error"]["code"], "invalid_input", "{wrong}");
    assert!(
        wrong["error"]["fields"]["visibility"].is_string(),
        "{wrong}"
    );

    let anonymous = app.client();
    // Neither the unlisted event nor the refused one ("Secret") is listed.
    let list = app.get_json(&anonymous, "/api/events").await;
    assert_eq!(names(&list), ["Rust Meetup"], "{list}");
    assert_eq!(list["total"], 1);

    // Unlisted: by id, and its invite page by code, like any other event.
    let by_id = app
        .get_json(&anonymous, &format!("/api/events/{}", unlisted["id"]))
        .await;
    assert_eq!(by_id["name"], "Board Retreat");
    let invite = app
        .get(
            &anonymous,
            &format!("/e/{}", unlisted["code"].as_str().unwrap()),
        )
        .await;
    assert_eq!(invite.status(), StatusCode::OK);
    assert!(invite.text().await.unwrap().contains("Board Retreat"));

    // The home page lists what the API lists.
    let home = app.get(&anonymous, "/").await.text().await.unwrap();
    assert!(home.contains("Rust Meetup"), "{home}");
    assert!(!home.contains("Board Retreat"), "{home}");

    // Switching it either way takes effect at once; other fields stay.
    let listed = app
        .put(
            &organizer,
            &format!("/api/events/{}", unlisted["id"]),
            json!({ "visibility": "public" }),
        )
        .await;
    assert_eq!(listed.status(), StatusCode::OK);
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed["visibility"], "public");
    assert_eq!(listed["location"], "Berlin");
    assert_eq!(app.get_json(&anonymous, "/api/events").await["total"], 2);
    let hidden: Value = app
        .put(
            &organizer,
            &format!("/api/events/{}", public["id"]),
            json!({ "visibility": "unlisted" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hidden["visibility"], "unlisted");
    assert_eq!(
        names(&app.get_json(&anonymous, "/api/events").await),
        ["Board Retreat"]
    );
    // An edit that leaves visibility out keeps it.
    let renamed: Value = app
        .put(
            &organizer,
            &format!("/api/events/{}", public["id"]),
            json!({ "name": "Rust Meetup II" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["visibility"], "unlisted", "{renamed}");
}

#[tokio::test]
async fn the_listing_searches_names_and_places_and_hides_past_events() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    for (name, location, start, end) in [
        (
            "Rust Meetup",
            "Berlin",
            "2030-05-04T09:00",
            "2030-05-04T17:00",
        ),
        ("Design Day", "Lyon", "2030-06-01T09:00", "2030-06-01T17:00"),
        (
            "Rust Retro",
            "Berlin",
            "2001-01-01T09:00",
            "2001-01-01T10:00",
        ),
        (
            "100% Growth",
            "Paris_Nord",
            "2030-07-01T09:00",
            "2030-07-01T10:00",
        ),
    ] {
        let answer = app
            .post(
                &organizer,
                "/api/events",
                json!({ "name": name, "location": location, "start_time": start, "end_time": end }),
            )
            .await;
        assert_eq!(answer.status(), StatusCode::CREATED);
    }
    let anonymous = app.client();
    assert_eq!(
        names(&app.get_json(&anonymous, "/api/events?q=rust").await),
        ["Rust Meetup"],
        "the past Rust Retro is never listed"
    );
    assert_eq!(
        names(&app.get_json(&anonymous, "/api/events?q=LYON").await),
        ["Design Day"]
    );
    assert_eq!(
        names(
            &app.get_json(&anonymous, "/api/events?q=berlin%20meetup")
                .await
        ),
        ["Rust Meetup"]
    );
    assert!(names(&app.get_json(&anonymous, "/api/events?q=rust%20lyon").await).is_empty());
    // `%` and `_` are letters here, not patterns.
    assert_eq!(
        names(&app.get_json(&anonymous, "/api/events?q=100%25").await),
        ["100% Growth"]
    );
    assert!(names(&app.get_json(&anonymous, "/api/events?q=%25%25").await).is_empty());
    assert!(names(&app.get_json(&anonymous, "/api/events?q=s_N").await)
        .contains(&"100% Growth".to_owned()));
    assert!(names(&app.get_json(&anonymous, "/api/events?q=x_y").await).is_empty());
    let too_long = app
        .get(&anonymous, &format!("/api/events?q={}", "a".repeat(101)))
        .await;
    assert_eq!(
        error_code(too_long, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );

    // The home page's search box asks the same: without script, as a plain GET.
    let home = app.get(&anonymous, "/?q=lyon").await.text().await.unwrap();
    assert!(home.contains("Design Day"), "{home}");
    assert!(!home.contains("Rust Meetup"), "{home}");
    let nothing = app.get(&anonymous, "/?q=zzz").await.text().await.unwrap();
    assert!(nothing.contains("No upcoming event matches"), "{nothing}");
}

/// The new-event form asks who can find the event; "Unlisted" keeps it off the listing.
#[tokio::test]
async fn the_event_forms_choice_of_unlisted_keeps_it_off_the_listing() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let form = |name: &str, visibility: &str| {
        format!(
            "name={name}&description=&start_time=2030-05-04T09%3A00&end_time=2030-05-04T17%3A00\
             &location=&max_attendees=&timezone=UTC&visibility={visibility}"
        )
    };
    let path = app::pages::manage::CreateEvent::PATH;
    for (name, visibility) in [("Open+day", "public"), ("Board+retreat", "unlisted")] {
        let made = app
            .server_fn(&organizer, path, &form(name, visibility))
            .await;
        assert!(
            made.status().is_success() || made.status().is_redirection(),
            "{}",
            made.status()
        );
    }
    let wrong = app
        .server_fn(&organizer, path, &form("Secret", "hidden"))
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let error: app::error::AppError = wrong.json().await.unwrap();
    assert!(error.field_error("visibility").is_some(), "{error:?}");
    assert_eq!(
        names(&app.get_json(&app.client(), "/api/events").await),
        ["Open day"]
    );
}
