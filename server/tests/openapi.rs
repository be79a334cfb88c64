//! The OpenAPI document at /api/openapi.json is built from the handlers' own annotations.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_api_describes_itself_from_its_handlers() {
    let app = TestApp::spawn().await;
    let response = app.get(&app.client(), "/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["servers"][0]["url"], "/api");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/auth/attendee/register", "post"),
        ("/events", "get"),
        ("/events/{id}", "delete"),
        ("/events/{id}/rsvp", "post"),
        ("/attendees/{id}/photo", "post"),
        ("/connections/{id}", "put"),
        ("/appointments/{id}", "put"),
        ("/organizer/events/{id}/checkins", "post"),
        ("/organizer/events/{id}/roster", "get"),
        ("/organizer/events/{id}/badges", "get"),
    ] {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} is described");
        assert!(
            operation["responses"]["4XX"].is_object(),
            "{method} {path} describes its errors"
        );
    }
    // Every described operation answers (a 4xx for no session, never 404 "no endpoint"
    // or 405): the document and the router are the same thing.
    let client = app.client();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let url = app.url(&format!(
                "/api{}",
                path.replace("{id}", "1")
                    .replace("{attendee_id}", "1")
                    .replace("{staff_id}", "1")
            ));
            let request = client.request(method.to_uppercase().parse().unwrap(), url);
            let response = request
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or_default();
            assert_ne!(
                body["error"]["message"], "This endpoint does not take that method.",
                "{method} {path} takes its method"
            );
            assert!(
                !(status == StatusCode::NOT_FOUND
                    && body["error"]["message"] == "Endpoint not found."),
                "{method} {path} is routed"
            );
            assert!(status.as_u16() < 500, "{method} {path}: {status}");
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "Event",
        "Attendee",
        "CheckinResult",
        "DoorPerson",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(schema), "{schema} is described");
    }
}
