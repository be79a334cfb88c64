//! A meeting that goes is told to the other person by mail (through a real SMTP server):
//! when one of the two cancels it, and when one of them deletes their registration or the
//! organiser cancels it — the meeting's row is gone by sending time, so the mail carries
//! what it was: with whom, when, where, with a calendar cancellation.

mod common;

use common::mail::{settled_outbox, MailCatcher};
use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn meeting(app: &TestApp, asker: &Client, asked: &Client, asked_id: i64, at: &str) -> i64 {
    let request = app
        .post(
            asker,
            "/api/appointments",
            json!({ "target_id": asked_id, "appointment_time": at }),
        )
        .await;
    assert_eq!(request.status(), StatusCode::CREATED);
    let id = request.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let accepted = app
        .put(
            asked,
            &format!("/api/appointments/{id}"),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    id
}

#[tokio::test]
async fn the_other_person_is_told_when_a_meeting_is_cancelled_or_its_partner_leaves() {
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let plan = json!({
        "slot_minutes": 20,
        "periods": [{ "starts_at": "2030-05-04T10:00", "ends_at": "2030-05-04T12:00" }],
        "places": ["Table 1"],
    });
    let saved = app
        .put(&olga, &format!("/api/events/{event}/meeting-plan"), plan)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;
    let (di, di_id) = app.person(event, "Di").await;

    // Ada cancels her meeting with Bob: Bob hears it, with what it was.
    let with_bob = meeting(&app, &ada, &bob, bob_id, "2030-05-04T10:00").await;
    let gone = app
        .delete(&ada, &format!("/api/appointments/{with_bob}"))
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let told = catcher
        .wait_for("bob@example.com", "Meeting with Ada Tester cancelled")
        .await;
    let text = told["text"].as_str().unwrap();
    assert!(
        text.contains("Ada Tester cancelled your meeting."),
        "{text}"
    );
    assert!(text.contains("Sat 4 May 2030, 10:00 – 10:20"), "{text}");
    assert!(text.contains("Table 1"), "{text}");
    let ics = String::from_utf8(catcher.attachment(&told, "text/calendar").await).unwrap();
    assert!(ics.contains("METHOD:CANCEL"), "{ics}");
    assert!(
        ics.contains(&format!("UID:appointment-{with_bob}@netevent")),
        "{ics}"
    );

    // Cy deletes her registration: Ada and Di, who had meetings with her, are told she left;
    // a request she had not been answered yet tells no one.
    meeting(&app, &cy, &ada, ada_id, "2030-05-04T10:20").await;
    meeting(&app, &di, &cy, cy_id, "2030-05-04T10:40").await;
    let pending = app
        .post(
            &cy,
            "/api/appointments",
            json!({ "target_id": bob_id, "appointment_time": "2030-05-04T11:00" }),
        )
        .await;
    assert_eq!(pending.status(), StatusCode::CREATED);
    let left = app.delete(&cy, &format!("/api/events/{event}/rsvp")).await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    for (who, when) in [
        ("ada@example.com", "10:20 – 10:40"),
        ("di@example.com", "10:40 – 11:00"),
    ] {
        let told = catcher
            .wait_for(who, "Meeting with Cy Tester cancelled")
            .await;
        let text = told["text"].as_str().unwrap();
        assert!(text.contains("Cy Tester is no longer coming"), "{text}");
        assert!(text.contains(when), "{text}");
    }

    // The organiser cancels Di's registration; Ada turned meeting updates off, so the mail
    // about her meeting with Di is not sent.
    meeting(&app, &ada, &di, di_id, "2030-05-04T11:20").await;
    let off = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/notifications"),
            json!({ "connection_requests": true, "meeting_requests": true, "meeting_updates": false, "reminders": true }),
        )
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    let cancelled = app
        .delete(
            &olga,
            &format!("/api/organizer/events/{event}/attendees/{di_id}"),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);
    catcher
        .wait_for("di@example.com", "Registration cancelled")
        .await;
    // Written with the cancellation, then skipped at sending time by Ada's switch.
    let ada_cancellations: Vec<String> = settled_outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "meeting_cancelled" && to == "ada@example.com")
        .map(|(_, _, status)| status)
        .collect();
    assert_eq!(
        ada_cancellations,
        ["sent", "skipped"],
        "Cy's leaving told, Di's not"
    );
    let subjects: Vec<String> = catcher
        .to("ada@example.com")
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !subjects.iter().any(|s| s.contains("Di Tester")),
        "{subjects:?}"
    );
    assert_eq!(
        catcher
            .to("bob@example.com")
            .await
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().contains("cancelled"))
            .count(),
        1,
        "Bob's unanswered request from Cy tells him nothing"
    );
}
