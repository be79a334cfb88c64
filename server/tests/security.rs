//! The attack paths of issue 14, one test per item (each says what it caught before its fix),
//! beside the headers every response carries, the pages' nonce-based script policy, and
//! requests that take too long being answered instead of held. Items 4 and 5 are in
//! `security/uploads_and_searches.rs`, item 12 in `security/deleted_events.rs`.

mod common;
#[path = "security/deleted_events.rs"]
mod deleted_events;
#[path = "security/uploads_and_searches.rs"]
mod uploads_and_searches;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn pages_allow_only_their_own_nonced_scripts_and_nothing_may_frame_them() {
    let app = TestApp::spawn().await;
    let page = app.get(&app.client(), "/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page's policy names a nonce")
        .to_owned();
    assert!(policy.contains("frame-ancestors 'none'"));
    let scripts_policy = policy
        .split(';')
        .find(|directive| directive.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        !scripts_policy.contains("'unsafe-inline'") && !scripts_policy.contains("'unsafe-eval'")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<script"), "the page hydrates with a script");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        html.matches("<script").count(),
        "every inline script carries this response's nonce"
    );
    // A fresh nonce per response.
    let again = app.get(&app.client(), "/").await;
    assert!(!again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&nonce));

    for path in [
        "/",
        "/api/events",
        "/healthz",
        "/sw.js",
        "/api/nothing-here",
    ] {
        let response = app.get(&app.client(), path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{path}");
        assert!(policy.contains("object-src 'none'"), "{path}");
    }
}

#[tokio::test]
async fn a_request_that_never_finishes_is_answered_503_not_held() {
    let app =
        TestApp::spawn_with(|config| config.request_timeout = std::time::Duration::from_secs(1))
            .await;
    // An upload that announces 1,000 bytes and sends ten.
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /api/auth/organizer/login HTTP/1.1\r\nHost: {address}\r\n\
                 Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"email\":"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let text = common::read_answer(&mut stream).await;
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("\"code\":\"unavailable\""), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));

    // Ordinary requests are untouched by the limit.
    let events = app.get(&app.client(), "/api/events").await;
    assert_eq!(events.status(), StatusCode::OK);
    let missing = app.get(&app.client(), "/api/events/999999").await;
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

/// Issue 14, item 9 (fails without `validate::is_hidden`: the name was stored with its line
/// break and invisible characters).
#[tokio::test]
async fn hidden_characters_are_refused_in_single_lines_and_calendars_carry_no_injected_lines() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let injected = "Launch\r\nATTENDEE:mailto:evil@example.com";
    let event = |name: &str, description: &str| {
        json!({ "name": name, "description": description, "location": "Hall A",
                "start_time": "2030-05-04T09:00:00", "end_time": "2030-05-04T17:00:00" })
    };
    let refused = app
        .post(&organizer, "/api/events", event(injected, ""))
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    for name in ["Launch\u{202E}txt.exe", "Lau\u{200B}nch", "Launch\tParty"] {
        let response = app.post(&organizer, "/api/events", event(name, "")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name:?}");
    }

    // A description keeps its lines (LF only), and its calendar file starts no new property.
    let created = app
        .post(&organizer, "/api/events", event("Launch", injected))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        created["description"],
        "Launch\nATTENDEE:mailto:evil@example.com"
    );
    let ics = app
        .get(
            &app.client(),
            &format!("/e/{}/event.ics", created["code"].as_str().unwrap()),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !ics.lines().any(|line| line.starts_with("ATTENDEE")),
        "a calendar line was injected: {ics}"
    );

    let id = created["id"].as_i64().unwrap();
    for (field, value) in [
        ("first_name", "Ada\u{202E}"),
        ("last_name", "Love\nlace"),
        ("email", "ada\u{200B}@example.com"),
    ] {
        let mut person = json!({ "event_id": id, "email": "ada@example.com", "password": "password123",
                                 "first_name": "Ada", "last_name": "Lovelace" });
        person[field] = json!(value);
        let response = app
            .post(&app.client(), "/api/auth/attendee/register", person)
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
    // Joiners are part of ordinary names.
    let persian = app
        .post(
            &app.client(),
            "/api/auth/attendee/register",
            json!({ "event_id": id, "email": "mina@example.com", "password": "password123",
                    "first_name": "می\u{200C}نا", "last_name": "Tester" }),
        )
        .await;
    assert_eq!(persian.status(), StatusCode::CREATED);
}

/// Issue 14, item 3 (fails when the cookie's `Secure` follows NETEVENT_SECURE_COOKIES only).
#[tokio::test]
async fn behind_an_https_address_the_session_cookie_is_secure() {
    for (public_url, secure) in [
        ("https://events.example.org", true),
        ("http://127.0.0.1:3000", false),
    ] {
        let app = TestApp::spawn_with(|config| config.public_url = public_url.into()).await;
        let response = app
            .post(
                &app.client(),
                "/api/auth/organizer/register",
                json!({ "email": "olga@example.com", "password": "password123", "name": "Olga" }),
            )
            .await;
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            cookie.contains("; Secure"),
            secure,
            "{public_url}: {cookie}"
        );
    }
}

/// Issue 14, item 1 (fails before: the limiter keyed the typed string, and `GRÁCE@…` with
/// the right password logged Grace in after ten wrong guesses at `grace@…`).
#[tokio::test]
async fn the_login_limit_keys_the_email_as_the_database_compares_it() {
    let app = TestApp::spawn().await;
    app.organizer(&app.client(), "grace@example.com").await;
    let login = |email: &str, password: &str| {
        let body = json!({ "email": email, "password": password });
        let app = &app;
        async move {
            app.post(&app.client(), "/api/auth/organizer/login", body)
                .await
        }
    };
    for _ in 0..10 {
        assert_eq!(
            login("grace@example.com", "wrong guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let folded = login("GRÁCE@example.com", "password123").await;
    assert_eq!(
        error_code(folded, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_attempts"
    );
}

/// Issue 14, item 1 (fails before: one address could try any number of accounts).
#[tokio::test]
async fn logins_are_limited_per_client_address_and_forwarded_addresses_only_from_a_proxy() {
    let attempt = |app: &TestApp, n: usize, forwarded: Option<String>| {
        let mut request = app
            .client()
            .post(app.url("/api/auth/attendee/login"))
            .json(&json!({ "email": format!("guess{n}@example.com"), "password": "password123" }));
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        async move { request.send().await.unwrap() }
    };
    // No proxy trusted: a made-up X-Forwarded-For changes nothing.
    let app = TestApp::spawn_with(|config| config.login_attempts_per_address_per_minute = 5).await;
    for n in 0..5 {
        let response = attempt(&app, n, Some(format!("203.0.113.{n}"))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = attempt(&app, 5, Some("203.0.113.99".into())).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    // Behind a trusted proxy each client has its own allowance.
    let app = TestApp::spawn_with(|config| {
        config.login_attempts_per_address_per_minute = 5;
        config.trusted_proxies = server::client::parse_proxies("127.0.0.1").unwrap();
    })
    .await;
    for n in 0..8 {
        let response = attempt(&app, n, Some(format!("203.0.113.{n}"))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "client {n}");
    }
    for n in 0..5 {
        attempt(&app, n, Some("198.51.100.1".into())).await;
    }
    let limited = attempt(&app, 9, Some("198.51.100.1".into())).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Issue 14, item 11 (fails before: a queued scan from any time before the event was
/// believed, so a phone with a wrong clock or a replayed queue checked people in for a day
/// that had not come).
#[tokio::test]
async fn offline_scans_from_more_than_a_day_before_the_start_are_refused() {
    let app = TestApp::spawn().await;
    let organizer = app.client();
    app.organizer(&organizer, "olga@example.com").await;
    let at = common::hours_from_now;
    // Doors at 10 hours from now; the day after tomorrow for the second event.
    let mut events = Vec::new();
    for (start, end) in [(10, 18), (50, 58)] {
        let event: Value = app
            .post(
                &organizer,
                "/api/events",
                json!({ "name": "Door test", "start_time": at(start), "end_time": at(end),
                        "timezone": "UTC" }),
            )
            .await
            .json()
            .await
            .unwrap();
        let id = event["id"].as_i64().unwrap();
        let ada = app
            .attendee(&app.client(), id, "ada@example.com", "Ada")
            .await;
        events.push((id, ada["checkin_token"].as_str().unwrap().to_owned()));
    }
    let scan = |event: i64, token: &str, scanned_at: String| {
        let (app, organizer) = (&app, &organizer);
        let path = format!("/api/organizer/events/{event}/checkins");
        let body = json!({ "token": token, "scanned_at": scanned_at });
        async move { app.post(organizer, &path, body).await }
    };
    // Ten hours before the start: staff testing the door the evening before.
    let (soon, soon_token) = &events[0];
    let within = scan(*soon, soon_token, at(0)).await;
    assert_eq!(within.status(), StatusCode::OK);
    // Fifty hours before the start: refused, and nothing is recorded.
    let (later, later_token) = &events[1];
    let refused = scan(*later, later_token, at(0)).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["fields"]["scanned_at"].is_string(), "{body}");
    let stats: Value = app
        .get(&organizer, &format!("/api/organizer/events/{later}/stats"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["checked_in"], 0);
}

/// Issue 14, item 7 (fails before: downloading the PDF marked every badge on it printed, so
/// a link, a prefetch or a crawler could empty "only badges not printed yet").
#[tokio::test]
async fn reading_a_badge_sheet_changes_nothing_and_a_print_is_recorded_by_post() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, ada) = app.person(event, "Ada").await;
    app.person(event, "Grace").await;
    let (stranger, elsewhere) = app.organizer_with_event("otto@example.com", None).await;
    let (_, bob) = app.person(elsewhere, "Bob").await;
    let unprinted = || {
        let (app, organizer) = (&app, &organizer);
        async move {
            let sheet = app
                .get(
                    organizer,
                    &format!("/api/organizer/events/{event}/badges?format=pdf&only=not_printed"),
                )
                .await;
            assert_eq!(sheet.status(), StatusCode::OK);
            sheet.headers()["x-badge-count"]
                .to_str()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        }
    };
    assert_eq!(unprinted().await, 2);
    assert_eq!(unprinted().await, 2, "a GET records nothing");
    let printed = format!("/api/organizer/events/{event}/badges/printed");
    // Another event's attendee among the ids: 400, and nobody is marked.
    let mixed = app
        .post(&organizer, &printed, json!({ "attendee_ids": [ada, bob] }))
        .await;
    assert_eq!(
        error_code(mixed, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );
    assert_eq!(unprinted().await, 2);
    // Not the owner: refused.
    let theirs = app
        .post(&stranger, &printed, json!({ "attendee_ids": [ada] }))
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&theirs.status()),
        "{}",
        theirs.status()
    );
    let empty = app
        .post(&organizer, &printed, json!({ "attendee_ids": [] }))
        .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let done = app
        .post(&organizer, &printed, json!({ "attendee_ids": [ada] }))
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(unprinted().await, 1);
}

/// Issue 14, item 6 (fails before: `GET /staff/<token>` logged the browser in, so any page
/// or message could log a visitor into someone else's door session with a plain link).
#[tokio::test]
async fn a_door_link_shows_whose_door_it_is_and_only_its_button_logs_in() {
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let link: Value = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/staff"),
            json!({ "name": "Door 1 — Sam" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    let phone = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = app.get(&phone, &format!("/staff/{token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Door of RustConf Meetup"), "{html}");
    assert!(html.contains("Door 1 — Sam"));
    assert_eq!(
        app.get(&phone, "/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "opening the link logs nobody in"
    );
    // The page's button: a plain form post, answered with the scanner.
    let pressed = phone
        .post(app.url("/api/auth/staff/login"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(pressed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        pressed.headers()["location"],
        format!("/dashboard/events/{event}/scan").as_str()
    );
    let me: Value = app.get(&phone, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["name"], "Door 1 — Sam");
    // From another site, the button's post is refused (no login CSRF through the form).
    let forged = app
        .client()
        .post(app.url("/api/auth/staff/login"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // A revoked link's page says so.
    let id = link["id"].as_i64().unwrap();
    app.delete(
        &organizer,
        &format!("/api/organizer/events/{event}/staff/{id}"),
    )
    .await;
    let revoked = app
        .get(&app.client(), &format!("/staff/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(revoked.contains("This door link does not work"));
}

/// Issue 14, item 8 (fails before: pages and JSON for a logged-in person carried no
/// `Cache-Control`, so the browser's cache and the service worker kept them on a shared phone).
#[tokio::test]
async fn answers_to_a_logged_in_person_are_never_stored_and_content_named_files_still_are() {
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let app = TestApp::spawn().await;
    let anyone = app.get(&app.client(), "/").await;
    assert!(!cache_control(&anyone).contains("no-store"));
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    for (who, path) in [
        (&organizer, "/".to_owned()),
        (&organizer, "/dashboard".to_owned()),
        (&organizer, format!("/dashboard/events/{event}/scan")),
        (&organizer, format!("/api/organizer/events/{event}/stats")),
        (&ada, "/api/auth/me".to_owned()),
        (&ada, "/me/profile".to_owned()),
        (&ada, format!("/api/events/{event}")),
    ] {
        let answer = app.get(who, &path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&answer), "no-store", "{path}");
    }
    // A photo's name changes with the photo: it may be kept, whoever asks.
    let uploaded = app
        .upload_photo(&ada, ada_id, common::one_bit_png(64, 64), "me.png")
        .await;
    let photo = uploaded.json::<Value>().await.unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(cache_control(&app.get(&ada, &photo).await).contains("immutable"));
    // Logged out, the same page may be kept again.
    let out = app.post(&ada, "/api/auth/logout", json!({})).await;
    assert!(out.status().is_success());
    assert!(!cache_control(&app.get(&ada, "/").await).contains("no-store"));
}
