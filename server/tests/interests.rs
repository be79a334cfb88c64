//! Interests and People to meet: the organiser names the event's interests, attendees pick
//! what they offer and look for, and the ranking is complementary picks first, then shared
//! ones, then name order — deterministic, explained in words, and never suggesting a
//! connection, someone hidden or someone a block keeps apart. The directory filters by tag.

mod common;

use common::{error_code, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

fn first_names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s.get("attendee").unwrap_or(s)["first_name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn pick(app: &TestApp, who: &Client, id: i64, offers: &[i64], seeks: &[i64]) -> Value {
    let response = app
        .put(
            who,
            &format!("/api/attendees/{id}/interests"),
            json!({ "offers": offers, "seeks": seeks }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn people_to_meet_are_ranked_by_complementary_then_shared_interests_with_the_reason() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let set = app
        .put(
            &olga,
            &format!("/api/events/{event}/tags"),
            json!({ "tags": ["Hiring", "Jobs", "Rust", "Design"] }),
        )
        .await;
    assert_eq!(set.status(), StatusCode::OK);
    let tags: Value = set.json().await.unwrap();
    let id = |name: &str| {
        tags.as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (hiring, jobs, rust, design) = (id("Hiring"), id("Jobs"), id("Rust"), id("Design"));

    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, bob_id) = app.person(event, "Bob").await;
    let (cy, cy_id) = app.person(event, "Cy").await;
    let (di, di_id) = app.person(event, "Di").await;
    let (ed, ed_id) = app.person(event, "Ed").await;
    let (flo, flo_id) = app.person(event, "Flo").await;
    let (gus, gus_id) = app.person(event, "Gus").await;
    // Ada's directory is ranked once before anyone else picks: every change must reach it.
    assert_eq!(
        app.get_json(&ada, "/api/attendees/recommendations").await["total"],
        0
    );

    // Ada looks for Hiring and Rust, and offers Design.
    let mine = pick(&app, &ada, ada_id, &[design], &[hiring, rust]).await;
    assert_eq!(mine["offers"][0]["name"], "Design");
    assert_eq!(mine["seeks"].as_array().unwrap().len(), 2);
    assert_eq!(mine["tags"].as_array().unwrap().len(), 4);
    pick(&app, &bob, bob_id, &[], &[rust]).await; // shares one wish
    pick(&app, &cy, cy_id, &[hiring], &[design]).await; // two complementary
    pick(&app, &di, di_id, &[rust, jobs], &[]).await; // one complementary
    pick(&app, &ed, ed_id, &[hiring, rust], &[design]).await; // best, but hides
    pick(&app, &flo, flo_id, &[hiring, rust], &[design]).await; // best, but connected
    pick(&app, &gus, gus_id, &[hiring, rust], &[design]).await; // best, but blocked Ada
    app.put(
        &ed,
        &format!("/api/attendees/{ed_id}/privacy"),
        json!({ "hidden": true }),
    )
    .await;
    let request = app.ask_to_connect(&flo, ada_id).await;
    app.accept_connection(&ada, request).await;
    app.put(
        &gus,
        &format!("/api/attendees/{gus_id}/blocks/{ada_id}"),
        json!({}),
    )
    .await;

    let suggested = app.get_json(&ada, "/api/attendees/recommendations").await;
    assert_eq!(first_names(&suggested), ["Cy", "Di", "Bob"], "{suggested}");
    assert_eq!(suggested["total"], 3);
    let cy_reason = &suggested["items"][0];
    assert_eq!(cy_reason["attendee"]["id"], cy_id);
    assert_eq!(cy_reason["they_offer"], json!(["Hiring"]));
    assert_eq!(cy_reason["they_seek"], json!(["Design"]));
    assert_eq!(
        cy_reason["reason"],
        "Cy offers Hiring, which you look for; looks for Design, which you offer."
    );
    assert_eq!(
        suggested["items"][2]["reason"],
        "Bob shares your interest in Rust."
    );
    // Other attendees see no contact details through it.
    assert!(cy_reason["attendee"]["email"].is_null());
    // The same again, and paged the same way.
    assert_eq!(
        app.get_json(&ada, "/api/attendees/recommendations").await,
        suggested
    );
    let second = app
        .get_json(&ada, "/api/attendees/recommendations?limit=1&offset=1")
        .await;
    assert_eq!(
        (first_names(&second), &second["total"]),
        (vec!["Di".to_owned()], &json!(3))
    );
    // A block, and nothing else, changes a ranking already made: Cy goes, and comes back.
    let blocks = format!("/api/attendees/{ada_id}/blocks/{cy_id}");
    assert_eq!(
        app.put(&ada, &blocks, json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    let without_cy = app.get_json(&ada, "/api/attendees/recommendations").await;
    assert_eq!(first_names(&without_cy), ["Di", "Bob"], "{without_cy}");
    assert_eq!(
        app.delete(&ada, &blocks).await.status(),
        StatusCode::NO_CONTENT
    );
    let again = app.get_json(&ada, "/api/attendees/recommendations").await;
    assert_eq!(first_names(&again), ["Cy", "Di", "Bob"], "{again}");

    // Di drops her picks: gone from the ranking at once.
    pick(&app, &di, di_id, &[], &[]).await;
    assert_eq!(
        first_names(&app.get_json(&ada, "/api/attendees/recommendations").await),
        ["Cy", "Bob"]
    );

    // The directory by interest: those who offer or look for it, hidden ones left out.
    let hiring_people = app
        .get_json(&bob, &format!("/api/attendees?tag={hiring}"))
        .await;
    assert_eq!(
        first_names(&hiring_people),
        ["Ada", "Cy", "Flo", "Gus"],
        "{hiring_people}"
    );
    let for_organiser = app
        .get_json(
            &olga,
            &format!("/api/events/{event}/attendees?tag={hiring}"),
        )
        .await;
    assert_eq!(for_organiser["total"], 5);

    // The organiser renames by letter case (picks kept) and drops Hiring (its picks go).
    let renamed = app
        .put(
            &olga,
            &format!("/api/events/{event}/tags"),
            json!({ "tags": ["rust", "Design", "Jobs"] }),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed[0], json!({ "id": rust, "name": "rust" }));
    let mine = app
        .get_json(&ada, &format!("/api/attendees/{ada_id}/interests"))
        .await;
    assert_eq!(mine["seeks"], json!([{ "id": rust, "name": "rust" }]));
    let now = app.get_json(&ada, "/api/attendees/recommendations").await;
    // Cy offered Hiring only: now just Design links them.
    assert_eq!(first_names(&now), ["Cy", "Bob"]);
    assert_eq!(
        now["items"][0]["reason"],
        "Cy looks for Design, which you offer."
    );
}

#[tokio::test]
async fn interests_are_checked_and_only_their_owners_change_them() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (otto, other_event) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, _) = app.person(event, "Bob").await;
    let tags: Value = app
        .put(
            &olga,
            &format!("/api/events/{event}/tags"),
            json!({ "tags": ["Rust"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let rust = tags[0]["id"].as_i64().unwrap();
    let theirs: Value = app
        .put(
            &otto,
            &format!("/api/events/{other_event}/tags"),
            json!({ "tags": ["Go"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let go = theirs[0]["id"].as_i64().unwrap();

    for body in [
        json!({ "tags": ["Rust", "rust"] }),
        // The same to the database's collation, though not to lowercase.
        json!({ "tags": ["Café", "Cafe"] }),
        json!({ "tags": [""] }),
        json!({ "tags": ["x".repeat(41)] }),
        json!({ "tags": (0..65).map(|n| format!("Tag {n}")).collect::<Vec<_>>() }),
    ] {
        let refused = app
            .put(&olga, &format!("/api/events/{event}/tags"), body.clone())
            .await;
        assert_eq!(
            error_code(refused, StatusCode::BAD_REQUEST).await,
            "invalid_input",
            "{body}"
        );
    }
    let refused = app
        .put(
            &olga,
            &format!("/api/events/{event}/tags"),
            json!({ "tags": "Rust" }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    // An attendee and another organiser may not set them; a stranger may not read them.
    for (who, status) in [
        (&ada, StatusCode::FORBIDDEN),
        (&otto, StatusCode::FORBIDDEN),
    ] {
        let response = app
            .put(
                who,
                &format!("/api/events/{event}/tags"),
                json!({ "tags": [] }),
            )
            .await;
        assert_eq!(response.status(), status);
    }
    assert_eq!(
        app.get(&app.client(), &format!("/api/events/{event}/tags"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_json(&ada, &format!("/api/events/{event}/tags"))
            .await,
        json!([{ "id": rust, "name": "Rust" }])
    );

    // Picks: only the event's tags, only my own.
    pick(&app, &ada, ada_id, &[rust], &[]).await;
    let foreign = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/interests"),
            json!({ "offers": [go], "seeks": [] }),
        )
        .await;
    assert_eq!(
        error_code(foreign, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );
    let not_mine = app
        .put(
            &bob,
            &format!("/api/attendees/{ada_id}/interests"),
            json!({ "offers": [], "seeks": [rust] }),
        )
        .await;
    assert_eq!(not_mine.status(), StatusCode::FORBIDDEN);
    // Nothing changed by the refusals.
    let mine = app
        .get_json(&ada, &format!("/api/attendees/{ada_id}/interests"))
        .await;
    assert_eq!(mine["offers"], json!([{ "id": rust, "name": "Rust" }]));
    assert_eq!(mine["seeks"], json!([]));
    // The organiser gets no suggestions of their own.
    assert_eq!(
        app.get(&olga, "/api/attendees/recommendations")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
