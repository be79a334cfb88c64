//! An attendee's data rights: the export holds everything of theirs (with the photo's bytes)
//! and nothing of anyone else's; deleting the registration takes it all away, photo file
//! included, while a photo another registration of theirs still shows stays.

mod common;

use common::{one_bit_png, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_export_holds_all_of_mine_and_nothing_of_anyone_elses() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (carl, carl_id) = app.person(event, "Carl").await;
    let (dora, dora_id) = app.person(event, "Dora").await;
    app.put(
        &ada,
        &format!("/api/attendees/{ada_id}"),
        json!({ "organisation": "Analytical Engines", "introduction": "Ask me about looms." }),
    )
    .await;
    app.put(
        &bob,
        &format!("/api/attendees/{bob_id}"),
        json!({ "organisation": "Bob's Secret Startup", "introduction": "Bob's private words" }),
    )
    .await;
    let uploaded = app
        .upload_photo(&ada, ada_id, one_bit_png(400, 400), "me.png")
        .await;
    assert_eq!(uploaded.status(), StatusCode::OK);
    let address = uploaded.json::<Value>().await.unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    let photo = app
        .get(&app.client(), &address)
        .await
        .bytes()
        .await
        .unwrap();
    // A connection, a meeting with a note, a block; Carl and Dora connect without Ada.
    let request = app.ask_to_connect(&bob, ada_id).await;
    app.accept_connection(&ada, request).await;
    let meeting = app
        .post(
            &ada,
            "/api/appointments",
            json!({
                "target_id": bob_id,
                "appointment_time": "2030-05-04T10:00:00",
                "notes": "Looms and ledgers",
            }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::CREATED);
    app.put(
        &ada,
        &format!("/api/attendees/{ada_id}/blocks/{dora_id}"),
        json!({}),
    )
    .await;
    let theirs = app.ask_to_connect(&carl, dora_id).await;
    app.accept_connection(&dora, theirs).await;

    let response = app
        .get(&ada, &format!("/api/attendees/{ada_id}/export"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"netevent-")
            && disposition.ends_with("-my-data.json\""),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    let profile = &data["profile"];
    assert_eq!(profile["id"], ada_id);
    assert_eq!(profile["email"], "ada@example.com");
    assert_eq!(profile["organisation"], "Analytical Engines");
    assert_eq!(profile["introduction"], "Ask me about looms.");
    assert_eq!(profile["profile_picture"], address.as_str());
    // The photo's very bytes, as stored.
    let encoded = profile["photo"]
        .as_str()
        .unwrap()
        .strip_prefix("data:image/jpeg;base64,")
        .unwrap();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(decoded, photo.to_vec());
    assert!(profile["checkin_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 20));
    assert_eq!(profile["privacy"]["meetings_from"], "everyone");
    assert_eq!(profile["badge"]["show_organisation"], true);
    assert_eq!(data["notifications"]["reminders"], true);
    assert_eq!(data["event"]["id"], event);

    let connections = data["connections"].as_array().unwrap();
    assert_eq!(connections.len(), 1);
    assert_eq!(connections[0]["status"], "accepted");
    assert_eq!(connections[0]["direction"], "incoming");
    assert_eq!(
        connections[0]["with"],
        json!({ "id": bob_id, "first_name": "Bob", "last_name": "Tester" })
    );
    let meetings = data["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0]["notes"], "Looms and ledgers");
    assert_eq!(meetings[0]["direction"], "outgoing");
    assert_eq!(meetings[0]["with"]["id"], bob_id);
    assert_eq!(data["blocked"][0]["person"]["id"], dora_id);
    // The registration mail went to Ada's outbox.
    assert!(data["mails"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "registered" && m["to"] == "ada@example.com"));

    // Nothing of anyone else's: no other address, profile, or connection between others.
    for theirs in [
        "bob@example.com",
        "carl@example.com",
        "dora@example.com",
        "Bob's Secret Startup",
        "Bob's private words",
        "password",
        "$argon2",
    ] {
        assert!(!text.contains(theirs), "the export holds {theirs}");
    }
    assert!(!data["connections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["with"]["id"] == carl_id));

    // Only Ada may export Ada.
    for (who, status) in [
        (&bob, StatusCode::FORBIDDEN),
        (&app.client(), StatusCode::UNAUTHORIZED),
    ] {
        let refused = app
            .get(who, &format!("/api/attendees/{ada_id}/export"))
            .await;
        assert_eq!(refused.status(), status);
    }
}

#[tokio::test]
async fn deleting_my_registration_takes_my_data_and_my_photo_with_it() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, second_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let uploaded = app
        .upload_photo(&ada, ada_id, one_bit_png(300, 300), "me.png")
        .await;
    let address = uploaded.json::<Value>().await.unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    let request = app.ask_to_connect(&ada, bob_id).await;
    app.accept_connection(&bob, request).await;
    let meeting = app
        .post(
            &bob,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-05-04T10:00:00" }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::CREATED);

    // Ada also goes to a second event: the RSVP copies her photo's address.
    let rsvp = app
        .post(&ada, &format!("/api/events/{second_event}/rsvp"), json!({}))
        .await;
    assert!(rsvp.status().is_success(), "{}", rsvp.status());
    let copy: Value = rsvp.json().await.unwrap();
    let copy_id = copy["id"].as_i64().unwrap();
    assert_eq!(copy["profile_picture"], address.as_str());

    // Leaving the second event: the photo stays, the first registration still shows it.
    let left = app
        .delete(&ada, &format!("/api/events/{second_event}/rsvp"))
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&app.client(), &address).await.status(),
        StatusCode::OK
    );
    let copy_profile = app.get(&olga, &format!("/api/attendees/{copy_id}")).await;
    assert_eq!(copy_profile.status(), StatusCode::NOT_FOUND);

    // Leaving the first: everything goes, the photo's file too.
    let login = app
        .post(
            &ada,
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123", "event_id": event }),
        )
        .await;
    assert_eq!(
        login.status(),
        StatusCode::OK,
        "{}",
        login.text().await.unwrap()
    );
    let gone = app.delete(&ada, &format!("/api/events/{event}/rsvp")).await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&app.client(), &address).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&olga, &format!("/api/attendees/{ada_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get_json(&bob, "/api/connections").await["total"], 0);
    assert_eq!(app.get_json(&bob, "/api/appointments").await["total"], 0);
    let event_now = app.get_json(&olga, &format!("/api/events/{event}")).await;
    assert_eq!(event_now["attendee_count"], 1, "{event_now}");
    // The session of the record that is gone is over.
    assert_eq!(
        app.get(&ada, &format!("/api/attendees/{ada_id}/export"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}
