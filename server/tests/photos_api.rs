//! Profile photos with real files: metadata is stripped, non-images and oversized uploads are
//! refused with the right status, and a decompression bomb is refused before it is decoded.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::Cursor;

/// A real JPEG photo carrying GPS coordinates in its EXIF block, as phones write them.
fn jpeg_with_gps() -> Vec<u8> {
    let image = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&image)
        .unwrap();

    // TIFF structure, little endian: IFD0 with one entry pointing at a GPS IFD holding
    // GPSLatitudeRef = "N" and GPSLatitude = 52° 31' 12".
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x8825u16.to_le_bytes()); // GPSInfo
    tiff.extend(4u16.to_le_bytes()); // LONG
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes()); // offset of the GPS IFD
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(1u16.to_le_bytes()); // GPSLatitudeRef
    tiff.extend(2u16.to_le_bytes()); // ASCII
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(2u16.to_le_bytes()); // GPSLatitude
    tiff.extend(5u16.to_le_bytes()); // RATIONAL
    tiff.extend(3u32.to_le_bytes());
    tiff.extend(56u32.to_le_bytes()); // offset of the three rationals
    tiff.extend(0u32.to_le_bytes());
    for (numerator, denominator) in [(52u32, 1u32), (31, 1), (12, 1)] {
        tiff.extend(numerator.to_le_bytes());
        tiff.extend(denominator.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((app1.len() + 2) as u16).to_be_bytes());
    segment.extend(app1);
    // Right after the SOI marker.
    jpeg.splice(2..2, segment);
    jpeg
}

fn gps_latitude(bytes: &[u8]) -> Option<String> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .map(|field| field.display_value().to_string())
}

/// A 30000×30000 PNG: 112 MB of 1-bit pixels compressed to ~110 KB, 900 MB once decoded
/// to 8 bits per pixel.
fn png_bomb() -> Vec<u8> {
    common::one_bit_png(30_000, 30_000)
}

#[tokio::test]
async fn a_photo_comes_back_square_and_without_its_gps_metadata() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let original = jpeg_with_gps();
    assert_eq!(
        gps_latitude(&original).as_deref(),
        Some("52 deg 31 min 12 sec")
    );

    let response = app
        .upload_photo(&ada, ada_id, original, "holiday.jpg")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let address = body["profile_picture"].as_str().unwrap().to_owned();
    assert!(address.starts_with("/media/photos/") && address.ends_with(".jpg"));

    let profile: Value = app
        .get(&ada, &format!("/api/attendees/{ada_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["profile_picture"], address.as_str());

    let served = app.get(&app.client(), &address).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let stored = served.bytes().await.unwrap();
    assert_eq!(gps_latitude(&stored), None, "GPS is stripped");
    assert!(
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(&stored))
            .is_err(),
        "no EXIF block at all"
    );
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 480));

    // A name that is not ours is not served.
    let probe = app
        .get(&app.client(), "/media/photos/..%2F..%2Fetc%2Fpasswd")
        .await;
    assert_eq!(probe.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uploads_that_are_not_acceptable_photos_are_refused() {
    let app = TestApp::spawn().await;
    let (_, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (bob, _) = app.person(event, "Bob").await;

    let text = app
        .upload_photo(
            &ada,
            ada_id,
            b"just some text, honest".to_vec(),
            "photo.jpg",
        )
        .await;
    assert_eq!(
        error_code(text, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );

    let mut big = jpeg_with_gps();
    big.resize(6 * 1024 * 1024, 0);
    let too_big = app.upload_photo(&ada, ada_id, big, "big.jpg").await;
    assert_eq!(
        error_code(too_big, StatusCode::PAYLOAD_TOO_LARGE).await,
        "too_large"
    );

    let bomb = png_bomb();
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb itself is small: {} bytes",
        bomb.len()
    );
    let refused = app.upload_photo(&ada, ada_id, bomb, "bomb.png").await;
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large", "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("30000×30000"));

    let not_multipart = ada
        .post(app.url(&format!("/api/attendees/{ada_id}/photo")))
        .body(jpeg_with_gps())
        .header("content-type", "image/jpeg")
        .send()
        .await
        .unwrap();
    assert_eq!(not_multipart.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Only the attendee themself sets their photo.
    let other = app
        .upload_photo(&bob, ada_id, jpeg_with_gps(), "x.jpg")
        .await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let anonymous = app
        .upload_photo(&app.client(), ada_id, jpeg_with_gps(), "x.jpg")
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let profile: Value = app
        .get(&ada, &format!("/api/attendees/{ada_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        profile["profile_picture"],
        Value::Null,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn with_photos_in_the_database_another_instance_serves_them_and_a_replaced_one_goes() {
    let first = TestApp::spawn_with(|config| config.photos_in_database = true).await;
    // A second instance on the same database with a photo directory of its own (empty): it
    // can serve a photo only from the database.
    let mut config = first.config.clone();
    config.upload_dir = format!("{}-second", first.config.upload_dir);
    let second = common::second_instance(&config).await;

    let (_, event) = first.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = first.person(event, "Ada").await;
    let response = first
        .upload_photo(&ada, ada_id, jpeg_with_gps(), "holiday.jpg")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let address = body["profile_picture"].as_str().unwrap().to_owned();

    let on_first = first.get(&first.client(), &address).await;
    let on_second = reqwest::get(format!("{second}{address}")).await.unwrap();
    assert_eq!(on_second.status(), StatusCode::OK);
    assert_eq!(on_second.headers()["content-type"], "image/jpeg");
    let served = on_second.bytes().await.unwrap();
    assert_eq!(served, on_first.bytes().await.unwrap());
    assert_eq!(
        gps_latitude(&served),
        None,
        "stored as re-encoded, GPS stripped"
    );
    assert!(
        !std::path::Path::new(&first.config.upload_dir).exists(),
        "nothing was written to a directory"
    );

    // A new photo replaces the old, which is gone from every instance.
    let replaced = first
        .upload_photo(&ada, ada_id, jpeg_with_gps(), "again.jpg")
        .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    let gone = reqwest::get(format!("{second}{address}")).await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}
