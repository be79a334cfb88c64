//! The self check-in kiosk (issue 17): a supervisor or the organiser turns a tablet into one;
//! it checks in the tickets shown to it, keeps to the door's hours, and may do nothing else;
//! only the event's organiser, with their password, leaves it.

mod common;

use common::TestApp;
use leptos::server_fn::ServerFn;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use app::pages::scan::kiosk::{ExitKiosk, KioskCheckIn, StartKiosk};

/// Turns the device of `client` into the event's kiosk, for the printer stock `label`.
async fn start_kiosk(app: &TestApp, client: &Client, event: i64, label: &str) -> StatusCode {
    let form = format!("event_id={event}&label={label}");
    let answer = app.server_fn(client, StartKiosk::PATH, &form).await;
    // The form's answer is the redirect to the kiosk.
    match answer.status() {
        status if status.is_redirection() => StatusCode::OK,
        status => status,
    }
}

/// The event's kiosk access that `pick` finds in the organiser's staff list.
async fn kiosk_access(
    app: &TestApp,
    organizer: &Client,
    event: i64,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    let staff = app
        .get_json(organizer, &format!("/api/organizer/events/{event}/staff"))
        .await;
    staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| pick(s))
        .cloned()
        .unwrap_or_else(|| panic!("no such kiosk in {staff}"))
}

async fn status_of(app: &TestApp, client: &Client, path: &str) -> StatusCode {
    app.get(client, path).await.status()
}

#[tokio::test]
async fn a_kiosk_checks_tickets_in_and_nothing_else_until_the_organiser_leaves_it() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event_on_now("olga@example.com").await;
    let (_, ada) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let (tablet, _) = app
        .door_link(
            &organizer,
            event,
            json!({ "name": "Lead", "role": "supervisor" }),
        )
        .await;
    let (steward, _) = app
        .door_link(&organizer, event, json!({ "name": "Door 2" }))
        .await;

    // A steward may not start one; a supervisor turns their tablet into the kiosk.
    assert_eq!(
        start_kiosk(&app, &steward, event, "label-62x100").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        start_kiosk(&app, &tablet, event, "label-62x100").await,
        StatusCode::OK
    );
    let me = app.get_json(&tablet, "/api/auth/me").await;
    assert_eq!(me["staff"]["role"], "kiosk", "{me}");

    // It checks a ticket in, with the name and organisation a badge needs.
    let checkins = format!("/api/organizer/events/{event}/checkins");
    let answer = app.post(&tablet, &checkins, json!({ "token": ada })).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["attendee"]["first_name"], "Ada");
    assert_eq!(answer["already_checked_in"], false);

    // Only the ticket shown, now and going in: a time, a direction or a device sent along is
    // not for a kiosk.
    let (_, alan) = app.ticket_holder(event, "alan@example.com", "Alan").await;
    let sent = app
        .post(
            &tablet,
            &checkins,
            json!({ "token": alan, "direction": "out", "device": "mine",
                    "scanned_at": "2020-01-01T00:00:00" }),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::OK);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent["direction"], "in", "{sent}");
    assert_eq!(sent["already_checked_in"], false);

    // The kiosk page's own check-in marks the badge printed (the kiosk prints it): the
    // organiser's "not printed yet" sheet leaves it out. Nobody but a kiosk may use it.
    let (_, linus) = app.ticket_holder(event, "linus@example.com", "Linus").await;
    let form = format!("event_id={event}&token={linus}");
    let by_organiser = app.server_fn(&organizer, KioskCheckIn::PATH, &form).await;
    assert_eq!(by_organiser.status(), StatusCode::FORBIDDEN);
    let shown = app.server_fn(&tablet, KioskCheckIn::PATH, &form).await;
    assert_eq!(shown.status(), StatusCode::OK);
    let sheet = app
        .get(
            &organizer,
            &format!("/api/organizer/events/{event}/badges?format=html&only=not_printed"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sheet.contains("Alan") && !sheet.contains("Linus"),
        "{sheet}"
    );

    // Nothing else: no list of people, no search, no counts, no check-in by hand.
    for path in [
        format!("/api/organizer/events/{event}/roster"),
        format!("/api/events/{event}/attendees"),
        format!("/api/organizer/events/{event}/stats"),
        format!("/api/organizer/events/{event}/staff"),
    ] {
        assert_eq!(
            status_of(&app, &tablet, &path).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (grace_id, _) = app.ticket_holder(event, "grace@example.com", "Grace").await;
    let by_hand = app
        .post(&tablet, &checkins, json!({ "attendee_id": grace_id }))
        .await;
    assert_eq!(by_hand.status(), StatusCode::FORBIDDEN);

    // The kiosk's access is listed for the organiser, without a link to open it elsewhere.
    let kiosk = kiosk_access(&app, &organizer, event, |s| s["role"] == "kiosk").await;
    assert_eq!(kiosk["token"], Value::Null);

    // Leaving it: a wrong password, or another organiser's, leaves the kiosk running.
    let other = app.client();
    app.organizer(&other, "otto@example.com").await;
    for (email, password) in [
        ("olga%40example.com", "wrong-password"),
        ("otto%40example.com", "password123"),
    ] {
        let form = format!("event_id={event}&email={email}&password={password}");
        let left = app.server_fn(&tablet, ExitKiosk::PATH, &form).await;
        assert!(left.status().is_client_error(), "{}", left.status());
        let me = app.get_json(&tablet, "/api/auth/me").await;
        assert_eq!(me["staff"]["role"], "kiosk", "{me}");
    }
    let form = format!("event_id={event}&email=olga%40example.com&password=password123");
    let left = app.server_fn(&tablet, ExitKiosk::PATH, &form).await;
    assert!(
        left.status().is_success() || left.status().is_redirection(),
        "{}",
        left.status()
    );
    let me = app.get_json(&tablet, "/api/auth/me").await;
    assert_eq!(me["organizer"]["email"], "olga@example.com", "{me}");
    let kiosk = kiosk_access(&app, &organizer, event, |s| s["id"] == kiosk["id"]).await;
    assert!(kiosk["revoked_at"].is_string(), "the kiosk ended: {kiosk}");
}

#[tokio::test]
async fn a_kiosk_keeps_to_the_doors_hours_and_staff_links_cannot_be_kiosks() {
    let app = TestApp::spawn().await;
    // The default event starts in 2030: its doors are not open yet.
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, ada) = app.ticket_holder(event, "ada@example.com", "Ada").await;
    let made = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/staff"),
            json!({ "name": "Kiosk", "role": "kiosk" }),
        )
        .await;
    assert_eq!(
        made.status(),
        StatusCode::BAD_REQUEST,
        "a kiosk is not a link"
    );

    assert_eq!(
        start_kiosk(&app, &organizer, event, "card-4x3").await,
        StatusCode::OK
    );
    // The organiser's own device is now the kiosk: even `anyway` is not for it.
    let checkins = format!("/api/organizer/events/{event}/checkins");
    for body in [
        json!({ "token": ada }),
        json!({ "token": ada, "anyway": true }),
    ] {
        let early = app.post(&organizer, &checkins, body).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        let error: Value = early.json().await.unwrap();
        assert_eq!(error["error"]["code"], "outside_checkin_window");
    }
}
