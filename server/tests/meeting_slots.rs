//! Meeting slots and tables: the organiser keeps periods of the event for meetings, cut into
//! slots, and names the tables; asking for a meeting offers the slots both people are free
//! in (accepted meetings removed); accepting gives the meeting a free table, and no table
//! ever holds two meetings at once — 50 accepts racing for 10 tables at one time confirm 10.

mod common;

use common::{error_code, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

fn plan(tables: usize) -> Value {
    let places: Vec<String> = (1..=tables).map(|n| format!("Table {n}")).collect();
    json!({
        "slot_minutes": 20,
        // Given out of order: kept in time order.
        "periods": [
            { "starts_at": "2030-05-04T14:00", "ends_at": "2030-05-04T15:00" },
            { "starts_at": "2030-05-04T10:00", "ends_at": "2030-05-04T11:00" },
        ],
        "places": places,
    })
}

async fn set_plan(app: &TestApp, organiser: &Client, event: i64, body: Value) -> reqwest::Response {
    app.put(
        organiser,
        &format!("/api/events/{event}/meeting-plan"),
        body,
    )
    .await
}

fn starts(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|slot| slot["starts_at"].as_str().unwrap()[11..16].to_owned())
        .collect()
}

async fn ask(app: &TestApp, who: &Client, target: i64, at: &str) -> reqwest::Response {
    app.post(
        who,
        "/api/appointments",
        json!({ "target_id": target, "appointment_time": at }),
    )
    .await
}

async fn accept(app: &TestApp, who: &Client, meeting: i64) -> reqwest::Response {
    app.put(
        who,
        &format!("/api/appointments/{meeting}"),
        json!({ "status": "accepted" }),
    )
    .await
}

#[tokio::test]
async fn the_organiser_sets_periods_slots_and_tables_and_bad_plans_change_nothing() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let path = format!("/api/events/{event}/meeting-plan");
    assert_eq!(
        app.get_json(&olga, &path).await,
        json!({ "slot_minutes": null, "periods": [], "places": [] })
    );

    let saved = set_plan(&app, &olga, event, plan(3)).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["slot_minutes"], 20);
    assert_eq!(saved["periods"][0]["starts_at"], "2030-05-04T10:00:00");
    assert_eq!(saved["periods"][1]["ends_at"], "2030-05-04T15:00:00");
    let names: Vec<&str> = saved["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Table 1", "Table 2", "Table 3"]);
    assert_eq!(app.get_json(&olga, &path).await, saved);

    let period = |from: &str, to: &str| json!({ "starts_at": from, "ends_at": to });
    let bad = [
        (
            json!({ "slot_minutes": 3, "periods": [period("2030-05-04T10:00", "2030-05-04T11:00")] }),
            "slot_minutes",
        ),
        (
            json!({ "periods": [period("2030-05-04T10:00", "2030-05-04T11:00")] }),
            "slot_minutes",
        ),
        (
            json!({ "slot_minutes": 20, "periods": [period("2030-05-04T10:00", "2030-05-04T11:00"), period("2030-05-04T10:40", "2030-05-04T12:00")] }),
            "periods",
        ),
        (
            json!({ "slot_minutes": 20, "periods": [period("2030-05-04T07:00", "2030-05-04T11:00")] }),
            "periods",
        ),
        (
            json!({ "slot_minutes": 20, "periods": [period("2030-05-04T11:00", "2030-05-04T10:00")] }),
            "periods",
        ),
        (
            json!({ "slot_minutes": 20, "periods": [period("2030-05-04T10:00", "2030-05-04T10:10")] }),
            "periods",
        ),
        (
            json!({ "slot_minutes": 20, "periods": [period("yesterday", "2030-05-04T10:10")] }),
            "periods",
        ),
        (
            json!({ "slot_minutes": 20, "places": ["Table 1", "table 1"] }),
            "places",
        ),
        (
            json!({ "slot_minutes": 20, "places": ["Café", "Cafe"] }),
            "places",
        ),
        (json!({ "slot_minutes": 20, "places": [" "] }), "places"),
    ];
    for (body, field) in bad {
        let refused = set_plan(&app, &olga, event, body.clone()).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{body}");
        let problem: Value = refused.json().await.unwrap();
        assert!(
            problem["error"]["fields"][field].is_string(),
            "{body} should name {field}: {problem}"
        );
    }
    assert_eq!(app.get_json(&olga, &path).await, saved, "nothing changed");

    // Only its organiser reads or writes it.
    let (ada, _) = app.person(event, "Ada").await;
    assert_eq!(app.get(&ada, &path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        set_plan(&app, &ada, event, plan(1)).await.status(),
        StatusCode::FORBIDDEN
    );
    let (other, _) = app.organizer_with_event("oscar@example.com", None).await;
    assert_eq!(app.get(&other, &path).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn free_slots_leave_out_accepted_meetings_and_an_accepted_slot_gets_a_table() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;
    // Without a plan: no slots, and meetings at any time as before.
    let slots = app
        .get_json(&ada, &format!("/api/attendees/{bob_id}/meeting-slots"))
        .await;
    assert_eq!(slots["total"], 0);
    assert_eq!(
        set_plan(&app, &olga, event, plan(2)).await.status(),
        StatusCode::OK
    );

    let all = ["10:00", "10:20", "10:40", "14:00", "14:20", "14:40"];
    let ada_bob = format!("/api/attendees/{bob_id}/meeting-slots");
    let slots = app.get_json(&ada, &ada_bob).await;
    assert_eq!(starts(&slots), all);
    assert_eq!(slots["items"][0]["free_places"], 2);
    assert_eq!(slots["items"][0]["ends_at"], "2030-05-04T10:20:00");
    let paged = app
        .get_json(&ada, &format!("{ada_bob}?limit=2&offset=2"))
        .await;
    assert_eq!(
        (starts(&paged), &paged["total"]),
        (vec!["10:40".to_owned(), "14:00".to_owned()], &json!(6))
    );

    // A time in a period must be one of its slots; outside them any time goes.
    let off = ask(&app, &cy, ada_id, "2030-05-04T10:10").await;
    let problem: Value = off.json().await.unwrap();
    let message = problem["error"]["fields"]["appointment_time"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("slots of 20 minutes (10:00, 10:20, 10:40"),
        "{message}"
    );
    let long = app
        .post(
            &cy,
            "/api/appointments",
            json!({ "target_id": ada_id, "appointment_time": "2030-05-04T10:20", "duration_minutes": 30 }),
        )
        .await;
    assert_eq!(long.status(), StatusCode::BAD_REQUEST);
    let lunch = app
        .post(
            &cy,
            "/api/appointments",
            json!({ "target_id": bob_id, "appointment_time": "2030-05-04T12:00", "duration_minutes": 45, "location": "Canteen" }),
        )
        .await;
    assert_eq!(lunch.status(), StatusCode::CREATED);

    // Cy asks Ada for 10:20: one slot long. Pending, it blocks nothing.
    let asked = ask(&app, &cy, ada_id, "2030-05-04T10:20").await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let asked: Value = asked.json().await.unwrap();
    assert_eq!(asked["duration_minutes"], 20);
    assert_eq!(asked["place"], Value::Null);
    assert_eq!(starts(&app.get_json(&ada, &ada_bob).await), all);

    let accepted = accept(&app, &ada, asked["id"].as_i64().unwrap()).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["place"]["name"], "Table 1");
    let without = ["10:00", "10:40", "14:00", "14:20", "14:40"];
    assert_eq!(
        starts(&app.get_json(&ada, &ada_bob).await),
        without,
        "Ada is busy at 10:20"
    );
    assert_eq!(
        starts(
            &app.get_json(&bob, &format!("/api/attendees/{cy_id}/meeting-slots"))
                .await
        ),
        without,
        "so is Cy"
    );
    // Bob and Cy both see 10:20 with one table fewer when asking someone free then.
    let (di, di_id) = app.person(event, "Di").await;
    let bob_di = app
        .get_json(&bob, &format!("/api/attendees/{di_id}/meeting-slots"))
        .await;
    assert_eq!(bob_di["items"][1]["free_places"], 1);

    // Both agendas show the table; the free-form meeting keeps what was written.
    for (who, with) in [(&ada, "Cy"), (&cy, "Ada")] {
        let agenda = app.get_json(who, "/api/appointments?status=accepted").await;
        assert_eq!(agenda["items"][0]["place"]["name"], "Table 1", "{agenda}");
        assert_eq!(agenda["items"][0]["other"]["first_name"], with);
    }

    // Bob meets Di at 10:20 too: the second table. A third pair finds it full.
    let second = ask(&app, &bob, di_id, "2030-05-04T10:20").await;
    let second: Value = second.json().await.unwrap();
    let second = accept(&app, &di, second["id"].as_i64().unwrap()).await;
    assert_eq!(
        second.json::<Value>().await.unwrap()["place"]["name"],
        "Table 2"
    );
    let (eve, eve_id) = app.person(event, "Eve").await;
    let (_, fay_id) = app.person(event, "Fay").await;
    let full = ask(&app, &eve, fay_id, "2030-05-04T10:20").await;
    assert_eq!(
        error_code(full, StatusCode::CONFLICT).await,
        "no_free_table"
    );
    let eve_fay = app
        .get_json(&eve, &format!("/api/attendees/{fay_id}/meeting-slots"))
        .await;
    assert!(!starts(&eve_fay).contains(&"10:20".to_owned()), "{eve_fay}");

    // A table or a slot holding an accepted meeting stays in the plan.
    let without_table_1 =
        json!({ "slot_minutes": 20, "periods": plan(0)["periods"], "places": ["Table 2"] });
    let refused = set_plan(&app, &olga, event, without_table_1).await;
    assert_eq!(
        error_code(refused, StatusCode::CONFLICT).await,
        "plan_in_use"
    );
    let longer = json!({ "slot_minutes": 30, "periods": plan(0)["periods"], "places": ["Table 1", "Table 2"] });
    let refused = set_plan(&app, &olga, event, longer).await;
    assert_eq!(
        error_code(refused, StatusCode::CONFLICT).await,
        "plan_in_use"
    );
    // Renaming by letter case and adding a table keeps the meetings where they are.
    let more = json!({ "slot_minutes": 20, "periods": plan(0)["periods"], "places": ["TABLE 1", "Table 2", "Table 3"] });
    assert_eq!(
        set_plan(&app, &olga, event, more).await.status(),
        StatusCode::OK
    );
    let agenda = app
        .get_json(&ada, "/api/appointments?status=accepted")
        .await;
    assert_eq!(agenda["items"][0]["place"]["name"], "TABLE 1");

    // Cancelling frees the table.
    let meeting = accepted["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&cy, &format!("/api/appointments/{meeting}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let ada_eve = app
        .get_json(&ada, &format!("/api/attendees/{eve_id}/meeting-slots"))
        .await;
    assert_eq!(starts(&ada_eve), all, "Table 1 is free at 10:20 again");
    assert_eq!(ada_eve["items"][1]["free_places"], 2, "{ada_eve}");

    // Who may not ask may not see our free times either.
    let hidden = app
        .put(
            &bob,
            &format!("/api/attendees/{bob_id}/privacy"),
            json!({ "meetings_from": "nobody" }),
        )
        .await;
    assert_eq!(hidden.status(), StatusCode::OK);
    let closed = app.get(&ada, &ada_bob).await;
    assert_eq!(
        error_code(closed, StatusCode::FORBIDDEN).await,
        "meetings_closed"
    );
    let (_, other_event) = app.organizer_with_event("oscar@example.com", None).await;
    let (_, stranger) = app.person(other_event, "Gus").await;
    let elsewhere = app
        .get(&ada, &format!("/api/attendees/{stranger}/meeting-slots"))
        .await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fifty_accepts_racing_for_ten_tables_at_one_time_confirm_ten() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    assert_eq!(
        set_plan(&app, &olga, event, plan(10)).await.status(),
        StatusCode::OK
    );

    // Fifty pairs, each asked for 10:00 while every table is still free.
    let mut answering = Vec::new();
    for n in 0..50 {
        let (asker, _) = app.person(event, &format!("Asker{n}")).await;
        let (asked, asked_id) = app.person(event, &format!("Asked{n}")).await;
        let request = ask(&app, &asker, asked_id, "2030-05-04T10:00").await;
        assert_eq!(request.status(), StatusCode::CREATED);
        let request: Value = request.json().await.unwrap();
        answering.push((asked, request["id"].as_i64().unwrap()));
    }

    let mut accepts = tokio::task::JoinSet::new();
    for (asked, meeting) in answering {
        let url = app.url(&format!("/api/appointments/{meeting}"));
        accepts.spawn(async move {
            let response = asked
                .put(url)
                .json(&json!({ "status": "accepted" }))
                .send()
                .await
                .unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        });
    }
    let mut tables = Vec::new();
    let mut refused = 0;
    for (status, body) in accepts.join_all().await {
        match status {
            StatusCode::OK => tables.push(body["place"]["name"].as_str().unwrap().to_owned()),
            StatusCode::CONFLICT => {
                assert_eq!(body["error"]["code"], "no_free_table", "{body}");
                refused += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    tables.sort_by_key(|t| t.trim_start_matches("Table ").parse::<u32>().unwrap());
    let expected: Vec<String> = (1..=10).map(|n| format!("Table {n}")).collect();
    assert_eq!(tables, expected, "ten confirmed, each at its own table");
    assert_eq!(refused, 40);

    // The forty still wait for an answer, and 10:00 is full for everyone.
    let (late, _) = app.person(event, "Late").await;
    let (_, free_id) = app.person(event, "Free").await;
    let slots = app
        .get_json(&late, &format!("/api/attendees/{free_id}/meeting-slots"))
        .await;
    assert_eq!(starts(&slots)[0], "10:20");
    let full = ask(&app, &late, free_id, "2030-05-04T10:00").await;
    assert_eq!(
        error_code(full, StatusCode::CONFLICT).await,
        "no_free_table"
    );
}
