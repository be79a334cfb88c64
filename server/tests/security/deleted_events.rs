//! Issue 14, item 12: a deleted event can be taken back for 30 days, then it is gone for good.

use super::common::{one_bit_png, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Issue 14, item 12 (fails before: `DELETE` removed the event with its attendees at once,
/// with no way back, and left their photos on disk).
#[tokio::test]
async fn a_deleted_event_is_hidden_everywhere_restorable_for_30_days_then_purged_with_its_pictures()
{
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let uploaded = app
        .upload_photo(&ada, ada_id, one_bit_png(64, 64), "me.png")
        .await;
    assert_eq!(uploaded.status(), StatusCode::OK);
    let photo = uploaded.json::<Value>().await.unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = reqwest::multipart::Form::new().part(
        "cover",
        reqwest::multipart::Part::bytes(one_bit_png(240, 126)).file_name("cover.png"),
    );
    let covered = organizer
        .post(app.url(&format!("/api/events/{event}/cover")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(covered.status(), StatusCode::OK);
    let cover = covered.json::<Value>().await.unwrap()["cover_image"]
        .as_str()
        .unwrap()
        .to_owned();
    let staff: Value = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/staff"),
            json!({ "name": "Door 1" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let door = app.client();
    let staff_login = json!({ "token": staff["token"] });
    assert_eq!(
        app.post(&door, "/api/auth/staff/login", staff_login.clone())
            .await
            .status(),
        StatusCode::OK
    );
    let path = format!("/api/events/{event}");
    let code = app.get_json(&organizer, &path).await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Logins go through `post_patiently`: other tests of this binary fill the hashing queue.
    let ada_login =
        json!({ "email": "ada@example.com", "password": "password123", "event_id": event });
    let (mallory, _) = app.organizer_with_event("mallory@example.com", None).await;
    let restore = format!("/api/organizer/events/{event}/restore");
    let deleted_list = "/api/organizer/events/deleted";

    assert_eq!(
        app.delete(&mallory, &path).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&organizer, &path).await.status(),
        StatusCode::NO_CONTENT
    );

    // Gone for everyone: its page, the public list, its attendees' and door staff's sessions
    // and logins, registration, the organiser's tools.
    assert_eq!(
        app.get(&organizer, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&app.client(), &format!("/e/{code}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let listed: Value = app.get_json(&app.client(), "/api/events").await;
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"].as_i64() != Some(event)));
    assert_eq!(
        app.get(&ada, "/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post_patiently(&app.client(), "/api/auth/attendee/login", ada_login.clone())
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let roster = format!("/api/organizer/events/{event}/roster");
    assert_eq!(
        app.get(&door, &roster).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_ne!(
        app.post(&app.client(), "/api/auth/staff/login", staff_login.clone())
            .await
            .status(),
        StatusCode::OK
    );
    let late = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({ "event_id": event, "email": "late@example.com", "password": "password123",
                    "first_name": "Late", "last_name": "Comer" }),
        )
        .await;
    assert_eq!(late.status(), StatusCode::NOT_FOUND);
    for tool in ["stats", "roster", "attendees.csv"] {
        let answer = app
            .get(&organizer, &format!("/api/organizer/events/{event}/{tool}"))
            .await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{tool}");
    }
    let dashboard = app
        .server_fn(&organizer, app::pages::organizer::MyEvents::PATH, "")
        .await;
    let mine: Value = dashboard.json().await.unwrap();
    assert_eq!(mine["total"], 0, "not on the dashboard: {mine}");
    assert_eq!(
        app.delete(&organizer, &path).await.status(),
        StatusCode::NOT_FOUND
    );

    // Listed for its organiser only, with the day it goes for good; only they restore it.
    let deleted: Value = app.get_json(&organizer, deleted_list).await;
    assert_eq!(deleted["total"], 1);
    let entry = &deleted["items"][0];
    assert_eq!(
        (entry["id"].as_i64(), entry["attendee_count"].as_i64()),
        (Some(event), Some(1))
    );
    let day = |field: &str| {
        chrono::NaiveDateTime::parse_from_str(
            entry[field].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S%.f",
        )
        .unwrap()
    };
    assert_eq!(
        day("purge_at") - day("deleted_at"),
        chrono::Duration::days(30)
    );
    let others: Value = app.get_json(&mallory, deleted_list).await;
    assert_eq!(others["total"], 0);
    assert_eq!(
        app.post(&mallory, &restore, json!({})).await.status(),
        StatusCode::FORBIDDEN
    );

    // Restored as it was: attendees, their logins and the door link work again.
    let back = app.post(&organizer, &restore, json!({})).await;
    assert_eq!(back.status(), StatusCode::OK);
    assert_eq!(back.json::<Value>().await.unwrap()["attendee_count"], 1);
    assert_eq!(app.get(&app.client(), &path).await.status(), StatusCode::OK);
    assert_eq!(
        app.post_patiently(&app.client(), "/api/auth/attendee/login", ada_login.clone())
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post(&app.client(), "/api/auth/staff/login", staff_login)
            .await
            .status(),
        StatusCode::OK
    );
    let deleted: Value = app.get_json(&organizer, deleted_list).await;
    assert_eq!(deleted["total"], 0);

    // Deleted again and left: kept through day 29, removed with its photo after day 30.
    assert_eq!(
        app.delete(&organizer, &path).await.status(),
        StatusCode::NO_CONTENT
    );
    let store = app.state.photos.clone();
    let mut conn = app.state.pool.get().await.unwrap();
    let now = app::domain::events::utc_now();
    let kept = app::domain::deleted_events::purge(
        &mut conn,
        store.as_ref(),
        now + chrono::Duration::days(29),
    )
    .await
    .unwrap();
    assert_eq!(kept, 0);
    for picture in [&photo, &cover] {
        assert_eq!(
            app.get(&app.client(), picture).await.status(),
            StatusCode::OK,
            "a restorable event keeps its photos and cover"
        );
    }
    let purged = app::domain::deleted_events::purge(
        &mut conn,
        store.as_ref(),
        now + chrono::Duration::days(31),
    )
    .await
    .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        app.post(&organizer, &restore, json!({})).await.status(),
        StatusCode::NOT_FOUND
    );
    for picture in [&photo, &cover] {
        assert_eq!(
            app.get(&app.client(), picture).await.status(),
            StatusCode::NOT_FOUND,
            "the photo and the cover went with it"
        );
    }
}
