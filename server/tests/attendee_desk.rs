//! The organiser's attendee table: filters (checked in or not, organisation), cancelling a
//! registration (the seat frees, the person gets a real mail), sending a ticket again (once
//! per waiting mail), and bulk check-in — each refused to anyone but the event's organiser.

mod common;

use common::mail::MailCatcher;
use common::{error_code, TestApp};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// Registers someone of `organisation` on a client of their own: their id.
async fn register(app: &TestApp, event: i64, first_name: &str, organisation: &str) -> i64 {
    let response = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({
                "event_id": event,
                "email": format!("{}@example.com", first_name.to_lowercase()),
                "password": "password123",
                "first_name": first_name,
                "last_name": "Tester",
                "organisation": organisation,
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The first names of a list answer, in its order.
async fn names(app: &TestApp, client: &Client, path: &str) -> Vec<String> {
    let page = app.get_json(client, path).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["first_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_table_filters_by_check_in_and_organisation() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let ada = register(&app, event, "Ada", "Analytical Engines").await;
    register(&app, event, "Grace", "Navy").await;
    register(&app, event, "Alan", "Analytical Engines").await;
    let checked = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/attendees/bulk"),
            json!({ "action": "check_in", "attendee_ids": [ada] }),
        )
        .await;
    assert_eq!(checked.status(), StatusCode::OK);

    let list = format!("/api/events/{event}/attendees");
    assert_eq!(
        names(&app, &organizer, &format!("{list}?checked_in=true")).await,
        ["Ada"]
    );
    assert_eq!(
        names(&app, &organizer, &format!("{list}?checked_in=false")).await,
        ["Alan", "Grace"]
    );
    assert_eq!(
        names(
            &app,
            &organizer,
            &format!("{list}?organisation=Analytical%20Engines&checked_in=false")
        )
        .await,
        ["Alan"]
    );
    // A search narrows within the filter, and the total counts only what matches.
    let page = app
        .get_json(
            &organizer,
            &format!("{list}?organisation=Analytical%20Engines&q=ada"),
        )
        .await;
    assert_eq!(page["total"], 1);
    let wrong = app
        .get(&organizer, &format!("{list}?checked_in=maybe"))
        .await;
    assert_eq!(
        error_code(wrong, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );

    // The organisations the filter offers, the most common first.
    let organisations = app
        .get_json(
            &organizer,
            &format!("/api/organizer/events/{event}/organisations"),
        )
        .await;
    assert_eq!(
        organisations,
        json!([{ "name": "Analytical Engines", "count": 2 }, { "name": "Navy", "count": 1 }])
    );

    // Who is in is not for other attendees; the organisations list is the organiser's.
    let (grace, _) = app.person(event, "Hedy").await;
    let peeking = app.get(&grace, &format!("{list}?checked_in=true")).await;
    assert_eq!(peeking.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        names(&app, &grace, &format!("{list}?organisation=Navy")).await,
        ["Grace"]
    );
    let (other, _) = app.organizer_with_event("otto@example.com", None).await;
    let theirs = app
        .get(
            &other,
            &format!("/api/organizer/events/{event}/organisations"),
        )
        .await;
    assert_eq!(theirs.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cancelling_a_registration_frees_the_seat_and_tells_the_person() {
    let catcher = MailCatcher::start().await;
    let app = TestApp::spawn_with_mail(&catcher).await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", Some(1)).await;
    let ada = app.client();
    let ada_id = app.attendee(&ada, event, "ada@example.com", "Ada").await["id"]
        .as_i64()
        .unwrap();
    let full = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({ "event_id": event, "email": "bob@example.com", "password": "password123", "first_name": "Bob", "last_name": "Tester" }),
        )
        .await;
    assert_eq!(error_code(full, StatusCode::CONFLICT).await, "event_full");

    // Only the event's organiser cancels; someone of another event is unknown here.
    let (other, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let cancel = format!("/api/organizer/events/{event}/attendees/{ada_id}");
    assert_eq!(
        app.delete(&other, &cancel).await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, stranger) = app.person(other_event, "Stranger").await;
    let elsewhere = app
        .delete(
            &organizer,
            &format!("/api/organizer/events/{event}/attendees/{stranger}"),
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.delete(&ada, &cancel).await.status(),
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        app.delete(&organizer, &cancel).await.status(),
        StatusCode::NO_CONTENT
    );
    let mail = catcher
        .wait_for("ada@example.com", "Registration cancelled")
        .await;
    assert!(mail["subject"]
        .as_str()
        .unwrap()
        .contains("RustConf Meetup"));
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("has cancelled your registration"), "{text}");
    // The calendar entry is withdrawn with it.
    let calendar = String::from_utf8(catcher.attachment(&mail, "text/calendar").await).unwrap();
    assert!(calendar.contains("STATUS:CANCELLED"), "{calendar}");

    // Her session is over, the seat is free, and a second cancel finds nobody.
    assert_eq!(
        app.get(&ada, "/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let event_now = app
        .get_json(&organizer, &format!("/api/events/{event}"))
        .await;
    assert_eq!(event_now["attendee_count"], 0);
    app.attendee(&app.client(), event, "bob@example.com", "Bob")
        .await;
    assert_eq!(
        app.delete(&organizer, &cancel).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Ticket mails of the attendee in the outbox, whatever their state.
async fn ticket_mails(app: &TestApp, attendee: i64) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'registered' AND attendee_id = {attendee}"
    ))
    .get_result::<Count>(&mut conn)
    .await
    .unwrap()
    .n
}

async fn mark_all_sent(app: &TestApp) {
    let mut conn = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    diesel::sql_query("UPDATE outbox SET status = 'sent', sent_at = NOW(3)")
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_ticket_goes_again_once_per_press_and_a_selection_checks_in_together() {
    let app = TestApp::spawn().await;
    // No worker: the mails wait in the outbox, where the test reads them.
    app.mail_worker.abort();
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let ada = register(&app, event, "Ada", "Analytical Engines").await;
    let grace = register(&app, event, "Grace", "Navy").await;
    let alan = register(&app, event, "Alan", "Analytical Engines").await;
    let resend = format!("/api/organizer/events/{event}/attendees/{ada}/ticket");

    // Her registration mail still waits: pressing again queues nothing more.
    assert_eq!(
        app.post(&organizer, &resend, json!({})).await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(ticket_mails(&app, ada).await, 1);
    mark_all_sent(&app).await;
    assert_eq!(
        app.post(&organizer, &resend, json!({})).await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        app.post(&organizer, &resend, json!({})).await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(ticket_mails(&app, ada).await, 2);

    let bulk = format!("/api/organizer/events/{event}/attendees/bulk");
    let tickets = app
        .post(
            &organizer,
            &bulk,
            json!({ "action": "resend_ticket", "attendee_ids": [ada, grace] }),
        )
        .await;
    assert_eq!(tickets.status(), StatusCode::OK);
    assert_eq!(
        tickets.json::<Value>().await.unwrap(),
        json!({ "done": 1, "unchanged": 1 })
    );

    // Check in two together; again, both are in already.
    let check_in = json!({ "action": "check_in", "attendee_ids": [ada, grace, ada] });
    let first: Value = app
        .post(&organizer, &bulk, check_in.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, json!({ "done": 2, "unchanged": 0 }));
    let again: Value = app
        .post(&organizer, &bulk, check_in)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, json!({ "done": 0, "unchanged": 2 }));

    // One id of another event spoils the selection: nothing is done.
    let (_, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (_, stranger) = app.person(other_event, "Stranger").await;
    let mixed = app
        .post(
            &organizer,
            &bulk,
            json!({ "action": "check_in", "attendee_ids": [alan, stranger] }),
        )
        .await;
    assert_eq!(mixed.status(), StatusCode::NOT_FOUND);
    let stats = app
        .get_json(&organizer, &format!("/api/organizer/events/{event}/stats"))
        .await;
    assert_eq!(stats["checked_in"], 2);

    for (body, why) in [
        (json!({ "action": "check_in", "attendee_ids": [] }), "empty"),
        (
            json!({ "action": "check_in", "attendee_ids": (1..=101).collect::<Vec<i64>>() }),
            "over 100",
        ),
        (
            json!({ "action": "explode", "attendee_ids": [alan] }),
            "unknown action",
        ),
    ] {
        let refused = app.post(&organizer, &bulk, body).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{why}");
    }
    let (attendee, _) = app.person(event, "Hedy").await;
    let not_theirs = app
        .post(
            &attendee,
            &bulk,
            json!({ "action": "check_in", "attendee_ids": [alan] }),
        )
        .await;
    assert_eq!(not_theirs.status(), StatusCode::FORBIDDEN);
}
