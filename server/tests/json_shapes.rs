//! The JSON the API answers, pinned field by field: a renamed or vanished field fails here
//! before it breaks a client. Ids, times and tokens are redacted; everything else is literal.

mod common;

use common::TestApp;
use insta::assert_json_snapshot;
use serde_json::{json, Value};

#[tokio::test]
async fn networking_responses_keep_their_shape() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", Some(50)).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    app.put(
        &bob,
        &format!("/api/attendees/{bob_id}"),
        json!({ "organisation": "Babbage & Co", "role": "Engineer", "introduction": "Gears." }),
    )
    .await;

    let own: Value = app
        .get(&ada, &format!("/api/attendees/{ada_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_json_snapshot!("own_profile", own, {
        ".id" => "[id]", ".event_id" => "[id]", ".created_at" => "[time]", ".checkin_token" => "[token]"
    });

    let request: Value = app
        .post(
            &ada,
            "/api/connections",
            json!({ "connected_attendee_id": bob_id }),
        )
        .await
        .json()
        .await
        .unwrap();
    let accepted: Value = app
        .put(
            &bob,
            &format!("/api/connections/{}", request["id"]),
            json!({ "status": "accepted" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let ids = {
        let mut ids = insta::Settings::clone_current();
        for path in [
            ".id",
            ".attendee_id",
            ".connected_attendee_id",
            ".requester_id",
            ".target_id",
            ".event_id",
            ".other.id",
            ".other.event_id",
        ] {
            ids.add_redaction(path, "[id]");
        }
        for path in [".created_at", ".other.created_at"] {
            ids.add_redaction(path, "[time]");
        }
        ids
    };
    ids.bind(|| {
        assert_json_snapshot!("connection_request", request);
        assert_json_snapshot!("connection_accepted", accepted);
    });

    let meeting: Value = app
        .post(
            &ada,
            "/api/appointments",
            json!({ "target_id": bob_id, "appointment_time": "2030-05-04T10:00:00",
                    "location": "Table 4", "notes": "Gears", "duration_minutes": 45 }),
        )
        .await
        .json()
        .await
        .unwrap();
    ids.bind(|| assert_json_snapshot!("appointment_request", meeting));

    let listed: Value = app
        .get(
            &organizer,
            &format!("/api/events/{event}/attendees?limit=1"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_json_snapshot!("organiser_attendee_page", listed, {
        ".items[].id" => "[id]", ".items[].event_id" => "[id]", ".items[].created_at" => "[time]"
    });

    let error: Value = app
        .post(
            &ada,
            "/api/appointments",
            json!({ "target_id": bob_id, "appointment_time": "soon" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_json_snapshot!("validation_error", error);
}
