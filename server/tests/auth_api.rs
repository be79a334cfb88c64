//! The auth endpoints of API.md against a real MariaDB.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn organizer_registers_logs_out_and_back_in() {
    let app = TestApp::spawn().await;
    let browser = app.client();
    let organizer = app.organizer(&browser, "Olga@Example.com").await;
    assert_eq!(
        organizer["email"], "olga@example.com",
        "email is normalised"
    );
    assert!(organizer.get("password_hash").is_none());

    let me: Value = app
        .get(&browser, "/api/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "organizer");
    assert_eq!(me["name"], "Olga Organiser");

    let response = app.post(&browser, "/api/auth/logout", json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        error_code(
            app.get(&browser, "/api/auth/me").await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthenticated"
    );

    let response = app
        .post(
            &browser,
            "/api/auth/organizer/login",
            json!({ "email": "olga@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("password_hash") && !body.contains("$argon2"),
        "no secret in {body}"
    );
    assert_eq!(
        app.get(&browser, "/api/auth/me").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn organizer_registration_errors() {
    let app = TestApp::spawn().await;
    let browser = app.client();
    app.organizer(&browser, "dup@example.com").await;

    let duplicate = app
        .post(
            &app.client(),
            "/api/auth/organizer/register",
            json!({ "email": "DUP@example.com", "password": "password123", "name": "Other" }),
        )
        .await;
    assert_eq!(
        error_code(duplicate, StatusCode::CONFLICT).await,
        "email_taken"
    );

    let short = app
        .post(
            &app.client(),
            "/api/auth/organizer/register",
            json!({ "email": "new@example.com", "password": "short", "name": "New" }),
        )
        .await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    let body: Value = short.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_input");
    assert!(body["error"]["fields"]["password"]
        .as_str()
        .unwrap()
        .contains("8"));

    let missing = app
        .post(&app.client(), "/api/auth/organizer/register", json!({}))
        .await;
    let body: Value = missing.json().await.unwrap();
    let fields = body["error"]["fields"].as_object().unwrap();
    assert!(
        fields.contains_key("email")
            && fields.contains_key("password")
            && fields.contains_key("name"),
        "{body}"
    );

    let malformed = app
        .client()
        .post(app.url("/api/auth/organizer/register"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(malformed, StatusCode::BAD_REQUEST).await,
        "malformed_body"
    );

    let wrong_type = app
        .post(
            &app.client(),
            "/api/auth/organizer/register",
            json!({ "email": 5 }),
        )
        .await;
    assert_eq!(
        error_code(wrong_type, StatusCode::BAD_REQUEST).await,
        "malformed_body"
    );
}

#[tokio::test]
async fn wrong_password_is_401_and_repeated_failures_are_429() {
    let app = TestApp::spawn().await;
    app.organizer(&app.client(), "olga@example.com").await;
    let browser = app.client();
    let wrong = json!({ "email": "olga@example.com", "password": "not-the-password" });
    let response = app
        .post(&browser, "/api/auth/organizer/login", wrong.clone())
        .await;
    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "invalid_credentials"
    );
    let unknown = app
        .post(
            &browser,
            "/api/auth/organizer/login",
            json!({ "email": "nobody@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(
        error_code(unknown, StatusCode::UNAUTHORIZED).await,
        "invalid_credentials"
    );

    let mut statuses = Vec::new();
    for _ in 0..app.config.login_attempts_per_minute + 2 {
        statuses.push(
            app.post(&browser, "/api/auth/organizer/login", wrong.clone())
                .await
                .status(),
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let limited = app
        .post(
            &browser,
            "/api/auth/organizer/login",
            json!({ "email": "olga@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(
        error_code(limited, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_attempts"
    );
    // Another account is not locked by attacks on this one.
    app.organizer(&app.client(), "other@example.com").await;
    let other = app
        .post(
            &app.client(),
            "/api/auth/organizer/login",
            json!({ "email": "other@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::spawn().await;
    let body = json!({ "email": "csrf@example.com", "password": "password123", "name": "C" });
    let client = app.client();
    let from_evil = client
        .post(app.url("/api/auth/organizer/register"))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(from_evil, StatusCode::FORBIDDEN).await,
        "cross_site_request"
    );
    let fetch_meta = client
        .post(app.url("/api/auth/organizer/register"))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_meta.status(), StatusCode::FORBIDDEN);
    // Nothing was written: the same email can still register.
    let same_origin = client
        .post(app.url("/api/auth/organizer/register"))
        .header("origin", app.base.clone())
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::CREATED);
    // Server functions of the pages are guarded the same way.
    let server_fn = client
        .post(app.url("/rpc/logout"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), StatusCode::FORBIDDEN);
    // Reading is never refused.
    let read = client
        .get(app.url("/api/events"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn session_cookie_is_http_only_lax_and_rotated_at_login() {
    let app = TestApp::spawn().await;
    app.organizer(&app.client(), "olga@example.com").await;
    let client = reqwest::Client::new();
    // Logging in sets the session cookie…
    let first = app
        .post(
            &client,
            "/api/auth/organizer/login",
            json!({ "email": "olga@example.com", "password": "password123" }),
        )
        .await;
    let cookie = first
        .headers()
        .get("set-cookie")
        .expect("login sets the session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("netevent_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session_id = cookie.split(';').next().unwrap().to_owned();

    // …logging in again with that cookie issues a different id (no session fixation).
    let again = client
        .post(app.url("/api/auth/organizer/login"))
        .header("cookie", session_id.clone())
        .json(&json!({ "email": "olga@example.com", "password": "password123" }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let rotated = common::session_cookie(&again);
    assert_ne!(rotated, session_id);
    let stale = client
        .get(app.url("/api/auth/me"))
        .header("cookie", session_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::UNAUTHORIZED,
        "the old id no longer works"
    );

    // Logout destroys the session server-side: replaying the cookie does not work.
    let logout = client
        .post(app.url("/api/auth/logout"))
        .header("cookie", rotated.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let replay = client
        .get(app.url("/api/auth/me"))
        .header("cookie", rotated)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

/// A session in use lives on: once a day its end is pushed 14 days ahead and its cookie
/// renewed; other requests write nothing.
#[tokio::test]
async fn a_session_in_use_is_renewed_once_a_day() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    let app = TestApp::spawn().await;
    app.organizer(&app.client(), "olga@example.com").await;
    let client = reqwest::Client::new();
    let login = app
        .post(
            &client,
            "/api/auth/organizer/login",
            json!({ "email": "olga@example.com", "password": "password123" }),
        )
        .await;
    let cookie = common::session_cookie(&login);
    let me = || {
        client
            .get(app.url("/api/auth/me"))
            .header("cookie", cookie.clone())
            .send()
    };
    let same_day = me().await.unwrap();
    assert_eq!(same_day.status(), StatusCode::OK);
    assert!(
        same_day.headers().get("set-cookie").is_none(),
        "renewed already today"
    );

    // Days pass: the session was last renewed long ago and ends within the hour.
    let session_id = cookie.trim_start_matches("netevent_session=").to_owned();
    let mut db = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    let aged = diesel::sql_query(
        "UPDATE sessions SET expiry_date = UTC_TIMESTAMP() + INTERVAL 1 HOUR, \
         data = REGEXP_REPLACE(CONVERT(data USING utf8mb4), '\"renewed_on\":\"[0-9-]+\"', \
         '\"renewed_on\":\"2000-01-01\"') WHERE id = ?",
    )
    .bind::<diesel::sql_types::Text, _>(&session_id)
    .execute(&mut db)
    .await
    .unwrap();
    assert_eq!(aged, 1);
    let next_visit = me().await.unwrap();
    assert_eq!(next_visit.status(), StatusCode::OK);
    let renewed = next_visit.headers()["set-cookie"].to_str().unwrap();
    assert!(renewed.starts_with(&cookie), "{renewed}");
    assert!(renewed.contains("Max-Age=1209600"), "14 days: {renewed}");
    let minutes_left: Vec<i64> = {
        #[derive(diesel::QueryableByName)]
        struct Left {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            minutes: i64,
        }
        diesel::sql_query(
            "SELECT CAST(TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), expiry_date) AS SIGNED) AS minutes \
             FROM sessions WHERE id = ?",
        )
        .bind::<diesel::sql_types::Text, _>(&session_id)
        .load::<Left>(&mut db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.minutes)
        .collect()
    };
    let fourteen_days = 14 * 24 * 60;
    assert!(
        matches!(minutes_left[..], [m] if (fourteen_days - 2..=fourteen_days).contains(&m)),
        "ends 14 days from now: {minutes_left:?} minutes"
    );
}

#[tokio::test]
async fn attendee_registers_by_code_and_logs_in_with_or_without_event() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let event = app.event(&organizer, Some(2)).await;
    let code = event["code"].as_str().unwrap();
    assert_eq!(code.len(), 10);

    let ada = app.client();
    let response = app
        .post(
            &ada,
            "/api/auth/attendee/register",
            json!({ "event_code": code.to_lowercase(), "email": "ada@example.com", "password": "password123", "first_name": "Ada", "last_name": "Lovelace", "organisation": "Engines" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let attendee: Value = response.json().await.unwrap();
    assert_eq!(attendee["event_id"], event["id"]);
    assert_eq!(attendee["organisation"], "Engines");
    assert!(
        attendee["checkin_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 32),
        "own profile carries the token"
    );
    assert!(attendee.get("password_hash").is_none());
    let me: Value = app.get(&ada, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["role"], "attendee", "{me}");
    assert_eq!(me["first_name"], "Ada");

    let twice = app
        .post(&app.client(), "/api/auth/attendee/register", json!({ "event_id": event["id"], "email": "ADA@example.com", "password": "password123", "first_name": "Ada", "last_name": "L" }))
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    app.attendee(
        &app.client(),
        event["id"].as_i64().unwrap(),
        "bob@example.com",
        "Bob",
    )
    .await;
    let full = app
        .post(&app.client(), "/api/auth/attendee/register", json!({ "event_id": event["id"], "email": "cy@example.com", "password": "password123", "first_name": "Cy", "last_name": "L" }))
        .await;
    assert_eq!(error_code(full, StatusCode::CONFLICT).await, "event_full");

    let unknown_event = app
        .post(&app.client(), "/api/auth/attendee/register", json!({ "event_code": "ZZZZZZZZZZ", "email": "d@example.com", "password": "password123", "first_name": "D", "last_name": "L" }))
        .await;
    assert_eq!(unknown_event.status(), StatusCode::NOT_FOUND);

    let fresh = app.client();
    let login = app
        .post(
            &fresh,
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123", "event_code": code }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let without_event = app
        .post(
            &app.client(),
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password123" }),
        )
        .await;
    let body: Value = without_event.json().await.unwrap();
    assert_eq!(body["id"], attendee["id"]);
    let wrong = app
        .post(
            &app.client(),
            "/api/auth/attendee/login",
            json!({ "email": "ada@example.com", "password": "password124" }),
        )
        .await;
    assert_eq!(
        error_code(wrong, StatusCode::UNAUTHORIZED).await,
        "invalid_credentials"
    );
    // An organiser's credentials are not an attendee login, and the reverse.
    let crossed = app
        .post(
            &app.client(),
            "/api/auth/organizer/login",
            json!({ "email": "ada@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(crossed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let client = app.client();
    assert_eq!(app.get(&client, "/healthz").await.status(), StatusCode::OK);
    let ready: Value = app.get(&client, "/readyz").await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    let missing = app.get(&client, "/api/nope").await;
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

#[tokio::test]
async fn page_server_functions_answer_with_the_error_status() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let client = app.client();
    let path = app::pages::session::RegisterOrganizer::PATH;
    let short = app
        .server_fn(
            &client,
            path,
            "name=Shorty&email=shorty%40example.com&password=short",
        )
        .await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    let error: app::error::AppError = short.json().await.unwrap();
    assert!(error.field_error("password").is_some(), "{error:?}");

    let ok = app
        .server_fn(
            &client,
            path,
            "name=Tall&email=tall%40example.com&password=long-enough",
        )
        .await;
    assert!(
        ok.status().is_success() || ok.status().is_redirection(),
        "{}",
        ok.status()
    );
    let login = app::pages::session::LoginOrganizer::PATH;
    let wrong = app
        .server_fn(
            &client,
            login,
            "email=tall%40example.com&password=wrong-password",
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
}
