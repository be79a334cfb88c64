//! Forms posted before the app's script runs (plain HTML posts to server functions): the
//! page comes back with the error and the values kept, once (`app::form_flash`).

mod common;

use common::TestApp;
use reqwest::StatusCode;

/// Issue 15 (fails before: a login posted before the app ran came back as an empty form with
/// no message). The error and the email come back in a one-minute cookie, the page shows
/// them once and forgets them; the password never travels back.
#[tokio::test]
async fn a_login_posted_without_the_app_comes_back_with_its_error_and_email_kept() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    app.organizer(&app.client(), "olga@example.com").await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = app.url("/organizer/login");
    let posted = browser
        .post(app.url(app::pages::session::LoginOrganizer::PATH))
        .header("accept", "text/html,application/xhtml+xml")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("referer", &page)
        .body("email=olga%40example.com&password=not-her-password")
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::FOUND);
    assert_eq!(posted.headers()["location"], page.as_str());
    let cookie = posted
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("netevent_form="))
        .expect("the answer keeps the form")
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    let again = browser
        .get(&page)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(again.headers()["cache-control"], "no-store");
    let forgets = again
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("netevent_form=;"));
    assert!(forgets, "the page shows it once");
    let html = again.text().await.unwrap();
    assert!(
        html.contains("That email and password do not match."),
        "{html}"
    );
    assert!(html.contains("value=\"olga@example.com\""), "{html}");
    assert!(!html.contains("not-her-password"));

    // Without the cookie the same page is empty again.
    let plain = browser
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!plain.contains("do not match") && !plain.contains("olga@example.com"));
}
