//! Retention: the organiser sets how long attendees' personal data is kept after the event;
//! the housekeeping job erases it once that has passed — names, contacts, photos, passwords,
//! networking — and keeps the registrations and check-ins as anonymous counts.

mod common;

use app::schema::events;
use chrono::{Duration, NaiveDateTime};
use common::{error_code, one_bit_png, TestApp};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn erase_due(app: &TestApp, now: NaiveDateTime) -> usize {
    let mut conn = app.state.pool.get().await.unwrap();
    app::domain::retention::erase_due(&mut conn, app.state.photos.as_ref(), now)
        .await
        .unwrap()
}

#[tokio::test]
async fn past_its_retention_an_event_keeps_counts_and_nothing_personal() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (_, zed_id) = app.person(other_event, "Zed").await;
    app.put(
        &ada,
        &format!("/api/attendees/{ada_id}"),
        json!({ "organisation": "Analytical Engines", "introduction": "Looms." }),
    )
    .await;
    let photo = app
        .upload_photo(&ada, ada_id, one_bit_png(300, 300), "me.png")
        .await
        .json::<Value>()
        .await
        .unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    let request = app.ask_to_connect(&ada, bob_id).await;
    app.accept_connection(&bob, request).await;

    let set = app
        .put(
            &olga,
            &format!("/api/events/{event}/retention"),
            json!({ "retention_days": 30 }),
        )
        .await;
    assert_eq!(set.status(), StatusCode::OK);
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["retention_days"], 30);
    assert!(set["erased_at"].is_null());
    let end_utc: NaiveDateTime = {
        let mut conn = app.state.pool.get().await.unwrap();
        events::table
            .find(event as i32)
            .select(events::end_utc)
            .first(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(
        set["erase_after"],
        json!((end_utc + Duration::days(30))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string())
    );

    // A minute before the period ends: nothing happens.
    assert_eq!(
        erase_due(&app, end_utc + Duration::days(30) - Duration::minutes(1)).await,
        0
    );
    assert_eq!(
        app.get(&ada, &format!("/api/attendees/{ada_id}"))
            .await
            .status(),
        StatusCode::OK
    );
    // Past it: erased, once.
    let after = end_utc + Duration::days(30) + Duration::minutes(1);
    assert_eq!(erase_due(&app, after).await, 1);
    assert_eq!(erase_due(&app, after).await, 0);

    let list = app
        .get_json(&olga, &format!("/api/events/{event}/attendees"))
        .await;
    assert_eq!(list["total"], 2, "the registrations stay, as counts");
    let text = list.to_string();
    for personal in [
        "Ada",
        "Bob",
        "example.com",
        "Analytical Engines",
        "Looms",
        "Tester",
    ] {
        assert!(!text.contains(personal), "{personal} is still in {text}");
    }
    let event_now = app.get_json(&olga, &format!("/api/events/{event}")).await;
    assert_eq!(event_now["attendee_count"], 2);
    assert_eq!(
        app.get(&app.client(), &photo).await.status(),
        StatusCode::NOT_FOUND,
        "the photo's file is gone"
    );
    // Nobody logs in as them any more; their sessions are over.
    let login = app
        .post(
            &app.client(),
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123", "event_id": event }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&bob, "/api/connections").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let shown = app
        .get_json(&olga, &format!("/api/events/{event}/retention"))
        .await;
    assert_eq!(
        shown["erased_at"],
        json!(after.format("%Y-%m-%dT%H:%M:%S").to_string())
    );
    // The other event is untouched.
    let zed = app.client();
    let login = app
        .post(
            &zed,
            "/api/auth/attendee/login",
            json!({ "email": "zed@example.com", "password": "password123", "event_id": other_event }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(
        app.get_json(&zed, &format!("/api/attendees/{zed_id}"))
            .await["first_name"],
        "Zed"
    );
}

#[tokio::test]
async fn only_the_organiser_sets_a_period_within_ten_years() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (otto, _) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    for days in [json!(-1), json!(3651)] {
        let refused = app
            .put(
                &olga,
                &format!("/api/events/{event}/retention"),
                json!({ "retention_days": days }),
            )
            .await;
        assert_eq!(
            error_code(refused, StatusCode::BAD_REQUEST).await,
            "invalid_input"
        );
    }
    let malformed = app
        .put(
            &olga,
            &format!("/api/events/{event}/retention"),
            json!({ "retention_days": "soon" }),
        )
        .await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    for who in [&ada, &otto] {
        let refused = app
            .put(
                who,
                &format!("/api/events/{event}/retention"),
                json!({ "retention_days": 1 }),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    // Nothing was set by the refusals; null keeps the data.
    let now = app
        .get_json(&olga, &format!("/api/events/{event}/retention"))
        .await;
    assert_eq!(
        now,
        json!({ "retention_days": null, "erase_after": null, "erased_at": null })
    );
    // Never erased without a period, however late it is.
    let mut conn = app.state.pool.get().await.unwrap();
    let far = "2200-01-01T00:00:00".parse().unwrap();
    assert_eq!(
        app::domain::retention::erase_due(&mut conn, app.state.photos.as_ref(), far)
            .await
            .unwrap(),
        0
    );
}
