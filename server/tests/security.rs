//! Headers every response carries, the pages' nonce-based script policy, and requests that
//! take too long being answered instead of held.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
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
