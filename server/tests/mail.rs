//! Mail through a real SMTP server (maildev, started per test): each kind of API.md reaches
//! the right person with the right parts, nothing goes out for a change that did not happen,
//! unsubscribing stops only that kind, and a forgotten password is reset through the link.

mod common;

use common::mail::{settled_outbox, MailCatcher};
use common::{error_code, TestApp};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn berlin_event(app: &TestApp, organizer: &reqwest::Client, seats: Option<i64>) -> i64 {
    let response = app
        .post(
            organizer,
            "/api/events",
            json!({
                "name": "Rust Nation Berlin",
                "start_time": "2030-05-04T09:00:00",
                "end_time": "2030-05-04T17:00:00",
                "location": "Kulturbrauerei",
                "max_attendees": seats,
                "timezone": "Europe/Berlin",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let event: Value = response.json().await.unwrap();
    assert_eq!(event["timezone"], "Europe/Berlin");
    event["id"].as_i64().unwrap()
}

#[tokio::test]
async fn registration_mails_the_ticket_and_the_event_in_its_zone() {
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = berlin_event(&app, &organizer, Some(1)).await;
    let ada = app.client();
    let registered = app.attendee(&ada, event, "ada@example.com", "Ada").await;
    let token = registered["checkin_token"].as_str().unwrap().to_owned();

    let mail = catcher.wait_for("ada@example.com", "You're in").await;
    assert!(mail["subject"]
        .as_str()
        .unwrap()
        .contains("Rust Nation Berlin"));
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains("Sat 4 May 2030, 09:00 – 17:00 (Europe/Berlin)"),
        "{text}"
    );
    assert!(text.contains("Kulturbrauerei"));
    let html = mail["html"].as_str().unwrap();
    // The ticket is an inline image of the HTML part (maildev shows cid: images inline).
    assert!(
        html.contains("alt=\"Your ticket's QR code\"") && html.contains("Europe/Berlin"),
        "{html}"
    );
    assert!(catcher
        .source(&mail)
        .await
        .contains("Content-ID: <ticket-qr>"));

    // The QR code in the mail scans to this attendee's ticket.
    let png = catcher.attachment(&mail, "image/png").await;
    let mut decoded = png::Decoder::new(std::io::Cursor::new(png));
    // A 1-bit picture, as mail clients see it: eight bits a pixel.
    decoded.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoded.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let (width, height) = (frame.width as usize, frame.height as usize);
    let mut grid = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        pixels[(y * width + x) * channels]
    });
    let grids = grid.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, token.to_uppercase());

    // The calendar file holds the Berlin start as its UTC instant (09:00 CEST = 07:00 UTC).
    let ics = String::from_utf8(catcher.attachment(&mail, "text/calendar").await).unwrap();
    assert!(ics.contains("DTSTART:20300504T070000Z"), "{ics}");
    assert!(ics.contains("DTEND:20300504T150000Z"), "{ics}");
    assert!(ics.contains("SUMMARY:Rust Nation Berlin"));

    // A ticket mail carries a one-click unsubscribe (from this event's notifications).
    let unsubscribe = catcher.header(&mail, "List-Unsubscribe").await.unwrap();
    assert!(
        unsubscribe.starts_with(&format!("<{}/api/unsubscribe/", app.base)),
        "{unsubscribe}"
    );
    assert_eq!(
        catcher
            .header(&mail, "List-Unsubscribe-Post")
            .await
            .as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    // No mail for registrations that did not happen: the event is full, and Ada twice.
    let grace = app.client();
    let full = app
        .post(
            &grace,
            "/api/auth/attendee/register",
            json!({ "event_id": event, "email": "grace@example.com", "password": "password123", "first_name": "Grace", "last_name": "Hopper" }),
        )
        .await;
    assert_eq!(error_code(full, StatusCode::CONFLICT).await, "event_full");
    let rows = settled_outbox(&app).await;
    assert_eq!(
        rows,
        vec![(
            "registered".to_owned(),
            "ada@example.com".to_owned(),
            "sent".to_owned()
        )]
    );
    assert!(catcher.to("grace@example.com").await.is_empty());
    assert_eq!(catcher.all().await.len(), 1);
}

#[tokio::test]
async fn requests_and_answers_reach_the_right_person_and_unsubscribe_stops_only_that_kind() {
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = berlin_event(&app, &organizer, None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (grace, grace_id) = app.person(event, "Grace").await;
    let (alan, _) = app.person(event, "Alan").await;

    // Grace asks Ada to connect: Ada is told, without Grace's email.
    let asked = app
        .post(
            &grace,
            "/api/connections",
            json!({ "connected_attendee_id": ada_id }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let connection: Value = asked.json().await.unwrap();
    let request = catcher
        .wait_for("ada@example.com", "Grace Tester wants to connect")
        .await;
    assert!(!request["text"]
        .as_str()
        .unwrap()
        .contains("grace@example.com"));

    // Ada accepts: Grace is told, with Ada's email.
    let accepted = app
        .put(
            &ada,
            &format!("/api/connections/{}", connection["id"]),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let answer = catcher
        .wait_for("grace@example.com", "accepted your connection request")
        .await;
    assert!(answer["text"].as_str().unwrap().contains("ada@example.com"));

    // Ada unsubscribes from connection requests with the mail's one-click link, no login.
    let link = catcher.header(&request, "List-Unsubscribe").await.unwrap();
    let link = link.trim_start_matches('<').trim_end_matches('>');
    assert!(link.contains("/connection_requests/"), "{link}");
    let forged = app
        .client()
        .post(link.replace("/connection_requests/", "/reminders/"))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    let one_click = app
        .client()
        .post(link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), StatusCode::OK);
    let settings: Value = app
        .get(&ada, &format!("/api/attendees/{ada_id}/notifications"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        settings,
        json!({ "connection_requests": false, "meeting_requests": true, "meeting_updates": true, "reminders": true })
    );
    assert_eq!(
        app.get(&grace, &format!("/api/attendees/{ada_id}/notifications"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Alan's connection request now sends Ada nothing, but his meeting request does.
    let asked = app
        .post(
            &alan,
            "/api/connections",
            json!({ "connected_attendee_id": ada_id }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let meeting = app
        .post(
            &alan,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-05-04T10:00:00", "location": "Table 4" }),
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::CREATED);
    let meeting: Value = meeting.json().await.unwrap();
    let asked_to_meet = catcher
        .wait_for("ada@example.com", "Alan Tester asks to meet")
        .await;
    assert!(asked_to_meet["text"]
        .as_str()
        .unwrap()
        .contains("Sat 4 May 2030, 10:00 – 10:30 (Europe/Berlin)"));
    assert!(
        !catcher
            .to("ada@example.com")
            .await
            .iter()
            .any(|m| m["subject"]
                .as_str()
                .unwrap()
                .contains("Alan Tester wants to connect")),
        "an unsubscribed kind was sent"
    );

    // Ada accepts: both get the meeting with its calendar file; both reminders are queued
    // for 15 minutes before 10:00 in Berlin (07:45 UTC).
    let accepted = app
        .put(
            &ada,
            &format!("/api/appointments/{}", meeting["id"]),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    for (who, subject) in [
        ("alan@example.com", "Ada Tester accepted your meeting"),
        ("ada@example.com", "Meeting with Alan Tester confirmed"),
    ] {
        let mail = catcher.wait_for(who, subject).await;
        let ics = String::from_utf8(catcher.attachment(&mail, "text/calendar").await).unwrap();
        assert!(ics.contains("DTSTART:20300504T080000Z"), "{ics}");
        assert!(ics.contains("LOCATION:Table 4"), "{ics}");
    }
    #[derive(diesel::QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Text)]
        recipient: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        due: String,
    }
    let mut conn = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    let reminders: Vec<Due> = diesel::sql_query(
        "SELECT recipient, DATE_FORMAT(due_at, '%Y-%m-%dT%H:%i') AS due FROM outbox WHERE kind = 'meeting_reminder' ORDER BY recipient",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let reminders: Vec<_> = reminders
        .into_iter()
        .map(|r| (r.recipient, r.due))
        .collect();
    assert_eq!(
        reminders,
        vec![
            ("ada@example.com".to_owned(), "2030-05-04T07:45".to_owned()),
            ("alan@example.com".to_owned(), "2030-05-04T07:45".to_owned()),
        ]
    );

    // A declined request tells the one who asked.
    let second = app
        .post(
            &grace,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-05-04T14:00:00" }),
        )
        .await;
    let second: Value = second.json().await.unwrap();
    app.put(
        &ada,
        &format!("/api/appointments/{}", second["id"]),
        json!({ "status": "rejected" }),
    )
    .await;
    catcher
        .wait_for("grace@example.com", "declined your meeting request")
        .await;
    let _ = grace_id;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link() {
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;

    // The same answer whether or not the account exists; mail only where it does.
    for (email, role) in [
        ("nobody@example.com", "organizer"),
        ("ada@example.com", "organizer"),
        ("olga@example.com", "organizer"),
        ("ada@example.com", "attendee"),
    ] {
        let response = app
            .post(
                &app.client(),
                "/api/auth/password-reset",
                json!({ "email": email, "role": role }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let bad_role = app
        .post(
            &app.client(),
            "/api/auth/password-reset",
            json!({ "email": "olga@example.com", "role": "admin" }),
        )
        .await;
    assert_eq!(
        error_code(bad_role, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );

    for (who, client, login_path) in [
        ("olga@example.com", &organizer, "/api/auth/organizer/login"),
        ("ada@example.com", &ada, "/api/auth/attendee/login"),
    ] {
        let mail = catcher.wait_for(who, "Reset your NetEvent password").await;
        assert_eq!(catcher.header(&mail, "List-Unsubscribe").await, None);
        let text = mail["text"].as_str().unwrap();
        let prefix = format!("{}/reset-password/", app.base);
        let start = text.find(&prefix).expect("the mail has the link") + prefix.len();
        let token: String = text[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        assert_eq!(token.len(), 64);

        let short = app
            .post(
                &app.client(),
                "/api/auth/password-reset/confirm",
                json!({ "token": token, "password": "short" }),
            )
            .await;
        assert_eq!(
            error_code(short, StatusCode::BAD_REQUEST).await,
            "invalid_input"
        );
        let done = app
            .post(
                &app.client(),
                "/api/auth/password-reset/confirm",
                json!({ "token": token, "password": "a new password" }),
            )
            .await;
        assert_eq!(done.status(), StatusCode::NO_CONTENT);
        // Every session of the account has ended.
        assert_eq!(
            app.get(client, "/api/auth/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
        let again = app
            .post(
                &app.client(),
                "/api/auth/password-reset/confirm",
                json!({ "token": token, "password": "another one!" }),
            )
            .await;
        assert_eq!(
            error_code(again, StatusCode::BAD_REQUEST).await,
            "invalid_token"
        );
        let old = app
            .post(
                &app.client(),
                login_path,
                json!({ "email": who, "password": "password123" }),
            )
            .await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        let new = app
            .post(
                &app.client(),
                login_path,
                json!({ "email": who, "password": "a new password" }),
            )
            .await;
        assert_eq!(new.status(), StatusCode::OK);
    }
    assert!(catcher.to("nobody@example.com").await.is_empty());
    // Ada asked as an organiser too, but she is not one: one reset mail, for her attendee login.
    let ada_resets = catcher
        .to("ada@example.com")
        .await
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("Reset"))
        .count();
    assert_eq!(ada_resets, 1);
    let unknown = app
        .post(
            &app.client(),
            "/api/auth/password-reset/confirm",
            json!({ "token": "ab".repeat(32), "password": "a new password" }),
        )
        .await;
    assert_eq!(
        error_code(unknown, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
}

/// Runs `sql` on the test's database (the tests' stand-in for the clock moving on).
async fn execute(app: &TestApp, sql: &str) -> usize {
    let mut conn = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    diesel::sql_query(sql).execute(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_deleted_event_tells_its_attendees_after_the_undo_window_and_a_restore_tells_them_again()
{
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = berlin_event(&app, &organizer, None).await;
    for (email, name) in [("ada@example.com", "Ada"), ("bob@example.com", "Bob")] {
        app.attendee(&app.client(), event, email, name).await;
        catcher.wait_for(email, "You're in").await;
    }
    let path = format!("/api/events/{event}");
    let restore = format!("/api/organizer/events/{event}/restore");

    // A slip, undone at once: nobody hears of it.
    assert_eq!(
        app.delete(&organizer, &path).await.status(),
        StatusCode::NO_CONTENT
    );
    let back = app.post(&organizer, &restore, json!({})).await;
    assert_eq!(back.status(), StatusCode::OK);
    let skipped = execute(
        &app,
        "UPDATE outbox SET due_at = UTC_TIMESTAMP() WHERE kind = 'event_cancelled' AND status = 'skipped'",
    )
    .await;
    assert_eq!(skipped, 2, "the two cancellations were dropped unsent");

    // Deleted for real: the mail waits out the undo window, then goes to both.
    assert_eq!(
        app.delete(&organizer, &path).await.status(),
        StatusCode::NO_CONTENT
    );
    let waiting = execute(
        &app,
        "UPDATE outbox SET attempts = attempts WHERE kind = 'event_cancelled' AND status = 'pending' \
         AND due_at > UTC_TIMESTAMP() + INTERVAL 9 MINUTE",
    )
    .await;
    assert_eq!(
        waiting, 2,
        "each cancellation is due ten minutes after the deletion"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(catcher
        .to("ada@example.com")
        .await
        .iter()
        .all(|m| !m["subject"].as_str().unwrap().contains("Cancelled")));
    execute(
        &app,
        "UPDATE outbox SET due_at = UTC_TIMESTAMP() WHERE kind = 'event_cancelled' AND status = 'pending'",
    )
    .await;
    for email in ["ada@example.com", "bob@example.com"] {
        let mail = catcher
            .wait_for(email, "Cancelled: Rust Nation Berlin")
            .await;
        let text = mail["text"].as_str().unwrap();
        assert!(text.contains("has cancelled Rust Nation Berlin"), "{text}");
        assert!(text.contains("Sat 4 May 2030"), "{text}");
        let ics = String::from_utf8(catcher.attachment(&mail, "text/calendar").await).unwrap();
        assert!(ics.contains("METHOD:CANCEL"), "{ics}");
        assert!(ics.contains("STATUS:CANCELLED"), "{ics}");
        assert!(ics.contains("SEQUENCE:1"), "{ics}");
        assert!(catcher.source(&mail).await.contains("method=CANCEL"));
    }

    // Restored days later: those who were told hear it is back on, with their tickets.
    let back = app.post(&organizer, &restore, json!({})).await;
    assert_eq!(back.status(), StatusCode::OK);
    let restored: Value = back.json().await.unwrap();
    assert_eq!(restored["attendee_count"], 2);
    for email in ["ada@example.com", "bob@example.com"] {
        let mail = catcher.wait_for(email, "Back on: Rust Nation Berlin").await;
        let ics = String::from_utf8(catcher.attachment(&mail, "text/calendar").await).unwrap();
        assert!(
            ics.contains("SEQUENCE:2") && !ics.contains("METHOD:CANCEL"),
            "{ics}"
        );
    }
    let login = app
        .post_patiently(
            &app.client(),
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123", "event_id": event }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK, "her registration is back");
}
