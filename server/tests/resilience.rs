//! With the database unreachable the server stays up and says so: 503 in the API.md shape,
//! never a hang or a 500.

mod common;

use common::error_code;
use reqwest::StatusCode;
use serde_json::json;
use server::config::Config;

#[tokio::test]
async fn unreachable_database_gives_503_and_a_red_readyz() {
    let mut config = Config::from_env().unwrap();
    // Nothing listens on port 1.
    config.database_url = "mysql://root@127.0.0.1:1/netevent".into();
    let pool = app::db::connect(&config.database_url, 2)
        .await
        .expect("the pool opens lazily");
    let state = server::AppState::new(pool, &config);
    let router = server::router(state, &config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = reqwest::Client::new();

    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(
        error_code(ready, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
    let list = client
        .get(format!("{base}/api/events"))
        .send()
        .await
        .unwrap();
    assert!(list.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(list, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
    let login = client
        .post(format!("{base}/api/auth/organizer/login"))
        .json(&json!({ "email": "olga@example.com", "password": "password123" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(login, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
}
