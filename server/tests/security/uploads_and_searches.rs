//! Issue 14, items 4 and 5: what one account can make the server decode, store and search.

use super::common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

/// Issue 14, item 5 (fails before: the body of an upload to someone else's profile was read
/// in full before the 403, a 48-megapixel picture was decoded, uploads had no limit per
/// account, and a replaced photo stayed on disk and was still served).
#[tokio::test]
async fn photo_uploads_are_refused_before_reading_bounded_per_account_and_replaced_ones_gone() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (_, grace) = app.person(event, "Grace").await;
    // Ada's session cookie, for a request written by hand.
    let login = reqwest::Client::new()
        .post(app.url("/api/auth/attendee/register"))
        .json(
            &json!({ "event_id": event, "email": "ada@example.com", "password": "password123",
                       "first_name": "Ada", "last_name": "Lovelace" }),
        )
        .send()
        .await
        .unwrap();
    let cookie = super::common::session_cookie(&login);
    let ada: Value = login.json().await.unwrap();
    let ada = ada["id"].as_i64().unwrap();

    // Grace's photo, announced as 4 MB and never sent: answered without waiting for it.
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /api/attendees/{grace}/photo HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\n\
                 Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 4000000\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let text = super::common::read_answer(&mut stream).await;
    assert!(text.starts_with("HTTP/1.1 403"), "{text}");

    let ada_client = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::COOKIE,
                reqwest::header::HeaderValue::from_str(&cookie).unwrap(),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    // 8000 × 6000 = 48 megapixels, each side under the old limit: refused from its header.
    let big = app
        .upload_photo(
            &ada_client,
            ada,
            super::common::one_bit_png(8000, 6000),
            "me.png",
        )
        .await;
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A replaced photo is deleted and no longer served.
    let first: Value = app
        .upload_photo(
            &ada_client,
            ada,
            super::common::one_bit_png(64, 64),
            "me.png",
        )
        .await
        .json()
        .await
        .unwrap();
    let first = first["profile_picture"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&app.client(), &first).await.status(),
        StatusCode::OK
    );
    let second = app
        .upload_photo(
            &ada_client,
            ada,
            super::common::one_bit_png(64, 64),
            "me.png",
        )
        .await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(
        app.get(&app.client(), &first).await.status(),
        StatusCode::NOT_FOUND
    );

    // Twenty uploads an hour per account (three are spent above); the next is 429.
    for n in 3..20 {
        let ok = app
            .upload_photo(
                &ada_client,
                ada,
                super::common::one_bit_png(32, 32),
                "me.png",
            )
            .await;
        assert_eq!(ok.status(), StatusCode::OK, "upload {n}");
    }
    let limited = app
        .upload_photo(
            &ada_client,
            ada,
            super::common::one_bit_png(32, 32),
            "me.png",
        )
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Issue 14, item 4 (fails before: a search of any length and any number of words was run,
/// each word a term of the full-text query and a pass over the directory).
#[tokio::test]
async fn searches_are_capped_and_a_word_typed_twice_counts_once_on_every_path() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;
    app.person(event, "Grace").await;
    let encode = |q: &str| q.replace(' ', "+");
    let long = "a".repeat(101);
    let many = "one two three four five six seven eight nine";
    let twice = ["ada"; 20].join(" ");
    // The attendee's directory (REST), the organiser's list (REST), the directory page's
    // server function: one rule.
    for (client, path) in [
        (&ada, "/api/attendees?q=".to_owned()),
        (&organizer, format!("/api/events/{event}/attendees?q=")),
    ] {
        for refused in [long.as_str(), many] {
            let response = app.get(client, &format!("{path}{}", encode(refused))).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
            let body: Value = response.json().await.unwrap();
            assert!(body["error"]["fields"]["q"].is_string(), "{body}");
        }
        let found: Value = app
            .get(client, &format!("{path}{}", encode(&twice)))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(found["total"], 1, "{path}: {found}");
        assert_eq!(found["items"][0]["first_name"], "Ada");
    }
    let server_fn = app
        .server_fn(
            &ada,
            app::pages::people::Directory::PATH,
            &format!("q={}&offset=0", encode(many)),
        )
        .await;
    assert_eq!(server_fn.status(), StatusCode::BAD_REQUEST);
}
