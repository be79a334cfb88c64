//! The event's public page beyond its fields: the organiser's cover picture (made safe like
//! profile photos, replaced and removed for good) and the faces of who is going.

mod common;

use common::{error_code, TestApp};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

/// A real PNG photo of `width`×`height`: left half red, right half blue.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 30, 220])
        }
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload_cover(app: &TestApp, client: &Client, event: i64, bytes: Vec<u8>) -> Response {
    let form = reqwest::multipart::Form::new().part(
        "cover",
        reqwest::multipart::Part::bytes(bytes).file_name("stage.png"),
    );
    client
        .post(app.url(&format!("/api/events/{event}/cover")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// An organiser, their event and its code.
async fn organiser_with_code(app: &TestApp) -> (Client, i64, String) {
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let code = app.get_json(&olga, &format!("/api/events/{event}")).await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    (olga, event, code)
}

async fn page(app: &TestApp, code: &str) -> String {
    let response = app.get(&app.client(), &format!("/e/{code}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn an_organiser_gives_the_event_a_cover_that_the_page_and_link_previews_show() {
    let app = TestApp::spawn().await;
    let (olga, event, code) = organiser_with_code(&app).await;
    assert!(!page(&app, &code).await.contains("event-cover"));

    // A wide photo: its centre band, 1200×630, re-encoded as a JPEG.
    let response = upload_cover(&app, &olga, event, png(3000, 2000)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    let first = updated["cover_image"].as_str().unwrap().to_owned();
    assert!(first.starts_with("/media/photos/") && first.ends_with(".jpg"));
    let served = app.get(&app.client(), &first).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let picture = image::load_from_memory(&served.bytes().await.unwrap())
        .unwrap()
        .into_rgb8();
    assert_eq!(picture.dimensions(), (1200, 630));
    // Cut from the centre: both halves of the original are there, red left, blue right.
    assert!(picture.get_pixel(100, 315)[0] > 180 && picture.get_pixel(1100, 315)[2] > 180);

    // Everyone sees it: the event's JSON, its page, and the preview a chat app builds.
    let public: Value = app
        .get_json(&app.client(), &format!("/api/events/{event}"))
        .await;
    assert_eq!(public["cover_image"], first.as_str());
    let html = page(&app, &code).await;
    let cover = &html[html.find("<img src=\"").unwrap()..];
    let cover = &cover[..cover.find('>').unwrap()];
    assert!(
        cover.contains(&format!("src=\"{first}\"")) && cover.contains("class=\"event-cover\""),
        "{cover}"
    );
    let preview = format!(
        "property=\"og:image\" content=\"{}{first}\"",
        app.url("").trim_end_matches('/')
    );
    assert!(html.contains(&preview), "no {preview} in the page");

    // Replaced: the new one shows, the old file is gone.
    let replaced: Value = upload_cover(&app, &olga, event, png(800, 1200))
        .await
        .json()
        .await
        .unwrap();
    let second = replaced["cover_image"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    assert_eq!(
        app.get(&app.client(), &first).await.status(),
        StatusCode::NOT_FOUND
    );
    let picture =
        image::load_from_memory(&app.get(&app.client(), &second).await.bytes().await.unwrap())
            .unwrap();
    assert_eq!((picture.width(), picture.height()), (800, 420));

    // Removed: off the page, file gone.
    let removed = app
        .delete(&olga, &format!("/api/events/{event}/cover"))
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(
        removed.json::<Value>().await.unwrap()["cover_image"],
        Value::Null
    );
    assert_eq!(
        app.get(&app.client(), &second).await.status(),
        StatusCode::NOT_FOUND
    );
    let html = page(&app, &code).await;
    assert!(!html.contains("event-cover") && !html.contains("og:image"));
}

#[tokio::test]
async fn only_the_organiser_sets_a_cover_and_only_a_real_picture() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (other, _) = app.organizer_with_event("otto@example.com", None).await;
    let (ada, _) = app.person(event, "Ada").await;

    for (who, status) in [
        (&other, StatusCode::FORBIDDEN),
        (&ada, StatusCode::FORBIDDEN),
        (&app.client(), StatusCode::UNAUTHORIZED),
    ] {
        let response = upload_cover(&app, who, event, png(1200, 630)).await;
        assert_eq!(response.status(), status);
        let response = app.delete(who, &format!("/api/events/{event}/cover")).await;
        assert_eq!(response.status(), status);
    }
    let text = upload_cover(&app, &olga, event, b"not a picture at all".to_vec()).await;
    assert_eq!(
        error_code(text, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );
    let bomb = upload_cover(&app, &olga, event, common::one_bit_png(30_000, 30_000)).await;
    assert_eq!(bomb.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let event: Value = app.get_json(&olga, &format!("/api/events/{event}")).await;
    assert_eq!(event["cover_image"], Value::Null, "nothing half written");
}

#[tokio::test]
async fn the_page_shows_who_is_going_by_first_name_photos_first() {
    let app = TestApp::spawn().await;
    let (_, event, code) = organiser_with_code(&app).await;
    assert!(!page(&app, &code).await.contains("data-testid=\"going\""));

    let (ada, ada_id) = app.person(event, "Ada").await;
    let html = page(&app, &code).await;
    assert!(html.contains("Ada T. is going"), "one person: {html}");
    for name in ["Grace", "Alan", "Linus"] {
        app.person(event, name).await;
    }
    // Ada registered first, but she is the one with a photo: her face comes first.
    let photo = app
        .upload_photo(&ada, ada_id, png(300, 300), "me.png")
        .await;
    let photo = photo.json::<Value>().await.unwrap()["profile_picture"]
        .as_str()
        .unwrap()
        .to_owned();
    let html = page(&app, &code).await;
    assert!(
        html.contains("Ada T., Linus T. and 2 others are going"),
        "{html}"
    );
    let faces = &html[html.find("class=\"faces\"").unwrap()..];
    assert!(faces.find(&photo).unwrap() < faces.find("LT").unwrap());
    // Public: no one's whole last name.
    let last = app
        .get_json(&ada, &format!("/api/attendees/{ada_id}"))
        .await["last_name"]
        .as_str()
        .unwrap()
        .to_owned();
    let going = &html[html.find("class=\"going\"").unwrap()..];
    assert!(!going[..going.find("</section>").unwrap()].contains(&last));
}
