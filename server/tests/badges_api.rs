//! Badge sheets read back with real tools: lopdf for the structure and embedded fonts,
//! poppler's pdftotext for the names, and pdftoppm + rqrr to scan the printed QR codes.

mod common;

use common::{error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::Command;

const NAMES: [(&str, &str); 13] = [
    ("Zoë", "Łukasz 山田"),
    ("Ada", "Lovelace"),
    ("Grace", "Hopper"),
    ("Alan", "Turing"),
    ("Katherine", "Johnson"),
    ("Søren", "Kierkegaard"),
    ("Nguyễn", "Thị Minh Khai"),
    (
        "Maximiliane-Josephine",
        "Wolfeschlegelsteinhausenbergerdorff",
    ),
    ("Ярослава", "Ковальчук"),
    ("Émile", "Zola"),
    ("Ines", "Moreau"),
    ("Kim", "Ji-woo 김지우"),
    ("Björk", "Guðmundsdóttir"),
];

struct Registered {
    id: i64,
    full_name: String,
    token: String,
}

async fn event_with_attendees(app: &TestApp) -> (reqwest::Client, i64, Vec<Registered>) {
    let (organizer, event) = app.organizer_with_event("olga@example.com", None).await;
    let mut people = Vec::new();
    for (n, (first, last)) in NAMES.iter().enumerate() {
        let response = app
            .post(
                &app.client(),
                "/api/auth/attendee/register",
                json!({ "event_id": event, "email": format!("guest{n}@example.com"),
                        "password": "password123", "first_name": first, "last_name": last,
                        "organisation": "Łódź Robotics", "role": "Engineer" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        people.push(Registered {
            id: body["id"].as_i64().unwrap(),
            full_name: format!("{first} {last}"),
            token: body["checkin_token"].as_str().unwrap().to_owned(),
        });
    }
    (organizer, event, people)
}

async fn pdf(app: &TestApp, client: &reqwest::Client, event: i64, query: &str) -> Vec<u8> {
    let response = app
        .get(
            client,
            &format!("/api/organizer/events/{event}/badges?format=pdf{query}"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    response.bytes().await.unwrap().to_vec()
}

/// Runs a poppler tool on the PDF in a scratch directory and returns the directory.
fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> tempdir::Scratch {
    let dir = tempdir::Scratch::new();
    let input = dir.path.join("badges.pdf");
    std::fs::write(&input, pdf).unwrap();
    let status = Command::new(tool)
        .args(args)
        .arg(&input)
        .arg(dir.path.join("out"))
        .status()
        .unwrap_or_else(|e| panic!("{tool} must be installed (make pdf-tools): {e}"));
    assert!(status.success(), "{tool} failed");
    dir
}

mod tempdir {
    pub struct Scratch {
        pub path: std::path::PathBuf,
    }

    impl Scratch {
        pub fn new() -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "netevent-badges-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self { path }
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn text_of(pdf: &[u8]) -> String {
    let dir = poppler("pdftotext", pdf, &["-enc", "UTF-8"]);
    std::fs::read_to_string(dir.path.join("out")).unwrap()
}

/// The QR code of every badge on the first page of an A4 2×4 sheet, each decoded from its
/// own cell of a 200 dpi rendering.
fn scanned_tokens(pdf: &[u8]) -> BTreeSet<String> {
    let dpi = 200.0;
    let dir = poppler(
        "pdftoppm",
        pdf,
        &["-r", "200", "-f", "1", "-l", "1", "-gray", "-png"],
    );
    let png = std::fs::read_dir(&dir.path)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote a page");
    let page = image::open(png).unwrap().to_luma8();
    let px = |mm: f32| (mm / 25.4 * dpi).round() as u32;
    let mut tokens = BTreeSet::new();
    for row in 0..4 {
        for col in 0..2 {
            let (x, y) = (15.0 + col as f32 * 90.0, 13.5 + row as f32 * 67.5);
            let cell =
                image::imageops::crop_imm(&page, px(x), px(y), px(90.0), px(67.5)).to_image();
            let mut prepared = rqrr::PreparedImage::prepare(cell);
            for grid in prepared.detect_grids() {
                if let Ok((_, content)) = grid.decode() {
                    tokens.insert(content.to_ascii_lowercase());
                }
            }
        }
    }
    tokens
}

/// The first page's width and height in points, from its MediaBox.
fn first_page_size(document: &lopdf::Document) -> (f32, f32) {
    let first = *document.get_pages().values().next().unwrap();
    let media_box: Vec<f32> = document
        .get_object(first)
        .and_then(lopdf::Object::as_dict)
        .and_then(|page| page.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .unwrap()
        .iter()
        .map(|n| n.as_float().unwrap_or_else(|_| n.as_i64().unwrap() as f32))
        .collect();
    (media_box[2] - media_box[0], media_box[3] - media_box[1])
}

/// The QR codes read from every page of a PDF of one badge per page (labels, cards).
fn tokens_on_every_page(pdf: &[u8]) -> BTreeSet<String> {
    let dir = poppler("pdftoppm", pdf, &["-r", "200", "-gray", "-png"]);
    let mut tokens = BTreeSet::new();
    let pngs = std::fs::read_dir(&dir.path)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "png"));
    for png in pngs {
        let page = image::open(png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(page);
        for grid in prepared.detect_grids() {
            if let Ok((_, content)) = grid.decode() {
                tokens.insert(content.to_ascii_lowercase());
            }
        }
    }
    tokens
}

#[tokio::test]
async fn the_pdf_sheet_prints_every_name_with_a_scannable_qr_code() {
    let app = TestApp::spawn().await;
    let (organizer, event, people) = event_with_attendees(&app).await;

    let sheet = pdf(&app, &organizer, event, "").await;
    let document = lopdf::Document::load_mem(&sheet).expect("a valid PDF");
    assert_eq!(
        document.get_pages().len(),
        NAMES.len().div_ceil(8),
        "A4, 8 per page"
    );

    // The fonts travel inside the file: every font descriptor carries its font program.
    let descriptors: Vec<&lopdf::Dictionary> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor"))
        .collect();
    assert!(descriptors.len() >= 2, "a Latin and a CJK font");
    for descriptor in &descriptors {
        assert!(
            descriptor.has(b"FontFile2") || descriptor.has(b"FontFile3"),
            "font embedded: {descriptor:?}"
        );
    }

    // Every name reads back as text, accents, Cyrillic, Vietnamese and CJK included.
    let text = text_of(&sheet);
    for person in &people {
        assert!(
            text.contains(&person.full_name),
            "{} missing from:\n{text}",
            person.full_name
        );
    }
    assert!(text.contains("Zoë Łukasz 山田"));

    // Page 1 holds the first eight in the attendee list's name order (the database's
    // collation, where Ł sorts with L); each of their QR codes scans to their token.
    let first_page: Value = app
        .get(
            &organizer,
            &format!("/api/events/{event}/attendees?sort=name&limit=8"),
        )
        .await
        .json()
        .await
        .unwrap();
    let expected: BTreeSet<String> = first_page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let person = people
                .iter()
                .find(|p| a["id"].as_i64() == Some(p.id))
                .unwrap();
            person.token.clone()
        })
        .collect();
    assert_eq!(scanned_tokens(&sheet), expected);

    // US Letter, 6 per page.
    let letter = pdf(&app, &organizer, event, "&layout=letter-2x3").await;
    let document = lopdf::Document::load_mem(&letter).unwrap();
    assert_eq!(document.get_pages().len(), NAMES.len().div_ceil(6));

    // A label printer's roll: one badge per 62 × 100 mm label, each QR code still readable.
    let labels = pdf(&app, &organizer, event, "&layout=label-62x100").await;
    let document = lopdf::Document::load_mem(&labels).unwrap();
    assert_eq!(document.get_pages().len(), NAMES.len());
    let (w, h) = first_page_size(&document);
    assert!(
        (w - 175.7).abs() < 1.0 && (h - 283.5).abs() < 1.0,
        "{w} × {h} pt"
    );
    let everyone: BTreeSet<String> = people.iter().map(|p| p.token.clone()).collect();
    assert_eq!(tokens_on_every_page(&labels), everyone);
    // A card printer's: one 4 × 3 in card (288 × 216 pt) each.
    let cards = pdf(&app, &organizer, event, "&layout=card-4x3").await;
    let document = lopdf::Document::load_mem(&cards).unwrap();
    assert_eq!(document.get_pages().len(), NAMES.len());
    let (w, h) = first_page_size(&document);
    assert!(
        (w - 288.0).abs() < 1.0 && (h - 216.0).abs() < 1.0,
        "{w} × {h} pt"
    );
    let bad_layout = app
        .get(
            &organizer,
            &format!("/api/organizer/events/{event}/badges?format=pdf&layout=a3"),
        )
        .await;
    assert_eq!(
        error_code(bad_layout, StatusCode::BAD_REQUEST).await,
        "invalid_input"
    );
}

#[tokio::test]
async fn late_registrants_print_alone() {
    let app = TestApp::spawn().await;
    let (organizer, event, people) = event_with_attendees(&app).await;

    // A sheet of everyone, recorded as printed; then nothing is left unprinted.
    pdf(&app, &organizer, event, "").await;
    let ids: Vec<i64> = people.iter().map(|person| person.id).collect();
    let printed = app
        .post(
            &organizer,
            &format!("/api/organizer/events/{event}/badges/printed"),
            json!({ "attendee_ids": ids }),
        )
        .await;
    assert_eq!(printed.status(), StatusCode::NO_CONTENT);
    let none = pdf(&app, &organizer, event, "&only=not_printed").await;
    assert!(!text_of(&none).contains("Łódź"), "an empty sheet");

    let late = app
        .attendee(&app.client(), event, "late@example.com", "Latecomer")
        .await;
    let only_late = pdf(&app, &organizer, event, "&only=not_printed").await;
    let text = text_of(&only_late);
    assert!(text.contains("Latecomer"));
    assert!(!text.contains("Lovelace"));
    assert_eq!(
        scanned_tokens(&only_late),
        BTreeSet::from([late["checkin_token"].as_str().unwrap().to_owned()])
    );

    // Or a chosen few, by id.
    let chosen = pdf(
        &app,
        &organizer,
        event,
        &format!("&ids={},{}", people[1].id, people[2].id),
    )
    .await;
    let text = text_of(&chosen);
    assert!(
        text.contains("Ada Lovelace") && text.contains("Grace Hopper") && !text.contains("Turing")
    );
    let bad_ids = app
        .get(
            &organizer,
            &format!("/api/organizer/events/{event}/badges?format=pdf&ids=1,x"),
        )
        .await;
    assert_eq!(bad_ids.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_html_sheet_and_who_may_print() {
    let app = TestApp::spawn().await;
    let (organizer, event, _) = event_with_attendees(&app).await;
    let path = format!("/api/organizer/events/{event}/badges");

    let html = app.get(&organizer, &path).await;
    assert_eq!(html.status(), StatusCode::OK);
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("@page { size: A4; margin: 13.5mm 15mm; }"));
    assert_eq!(html.matches("class=\"badge\"").count(), NAMES.len());
    assert_eq!(
        html.matches("class=\"page\"").count(),
        NAMES.len().div_ceil(8)
    );
    assert!(html.contains("Zoë Łukasz 山田") && html.contains("<svg"));
    let letter = app
        .get(&organizer, &format!("{path}?layout=letter-2x3"))
        .await
        .text()
        .await
        .unwrap();
    assert!(letter.contains("size: letter"));

    // Only the owner prints badges.
    let (other, _) = app.organizer_with_event("otto@example.com", None).await;
    let attendee = app.client();
    app.post(
        &attendee,
        "/api/auth/attendee/login",
        json!({ "email": "guest1@example.com", "password": "password123", "event_id": event }),
    )
    .await;
    for client in [&other, &attendee] {
        for query in ["", "?format=pdf"] {
            let response = app.get(client, &format!("{path}{query}")).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
        }
    }
    let anonymous = app.get(&app.client(), &format!("{path}?format=pdf")).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

/// The page's "mark as printed" marks the sheet it printed, not the event as it is now: one
/// who registered after the sheet was made, or one printed before and left out of a
/// "not printed" sheet, keeps their state.
#[tokio::test]
async fn marking_a_sheet_printed_leaves_who_registered_after_it() {
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let (organizer, event, people) = event_with_attendees(&app).await;
    let sheet = app
        .get(
            &organizer,
            &format!("/api/organizer/events/{event}/badges?format=pdf"),
        )
        .await;
    assert_eq!(sheet.status(), StatusCode::OK);
    let up_to_id = sheet.headers()["x-badge-last-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        up_to_id,
        people.iter().map(|p| p.id).max().unwrap().to_string()
    );
    app.attendee(&app.client(), event, "late@example.com", "Latecomer")
        .await;

    let marked = app
        .server_fn(
            &organizer,
            app::pages::badges::MarkBadgesPrinted::PATH,
            &format!("event_id={event}&only_not_printed=true&up_to_id={up_to_id}"),
        )
        .await;
    assert_eq!(marked.status(), StatusCode::OK);
    assert_eq!(marked.text().await.unwrap(), people.len().to_string());
    let only_late = text_of(&pdf(&app, &organizer, event, "&only=not_printed").await);
    assert!(only_late.contains("Latecomer"), "{only_late}");
    assert!(!only_late.contains("Lovelace"));

    // The same sheet marked again: nobody left on it, the latecomer still not printed.
    let again = app
        .server_fn(
            &organizer,
            app::pages::badges::MarkBadgesPrinted::PATH,
            &format!("event_id={event}&only_not_printed=true&up_to_id={up_to_id}"),
        )
        .await;
    assert_eq!(again.text().await.unwrap(), "0");
    assert!(
        text_of(&pdf(&app, &organizer, event, "&only=not_printed").await).contains("Latecomer")
    );
}

#[tokio::test]
async fn an_attendee_previews_their_badge_and_what_they_leave_off_is_not_printed() {
    let app = TestApp::spawn().await;
    let (olga, event) = app.organizer_with_event("olga@example.com", None).await;
    let (ada, ada_id) = app.person(event, "Ada").await;
    let (grace, grace_id) = app.person(event, "Grace").await;
    for (client, id, organisation, role) in [
        (&ada, ada_id, "Analytical Engines", "Mathematician"),
        (&grace, grace_id, "Navy Labs", "Rear Admiral"),
    ] {
        let saved = app
            .put(
                client,
                &format!("/api/attendees/{id}"),
                json!({ "organisation": organisation, "role": role }),
            )
            .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }

    // Before choosing: the badge as printed shows both.
    let badge = app
        .get_json(&ada, &format!("/api/attendees/{ada_id}/badge"))
        .await;
    assert_eq!(
        (
            badge["shows_organisation"].as_bool(),
            badge["shows_role"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let preview = badge["preview"].as_str().unwrap();
    assert!(preview.contains("Analytical Engines") && preview.contains("Mathematician"));
    assert!(preview.contains("<svg"), "with the QR code");

    // Ada keeps her organisation off; the preview and the printed sheet follow, Grace's not.
    let chosen = app
        .put(
            &ada,
            &format!("/api/attendees/{ada_id}/badge"),
            json!({ "show_organisation": false, "show_role": true }),
        )
        .await;
    assert_eq!(chosen.status(), StatusCode::OK);
    let chosen: Value = chosen.json().await.unwrap();
    let preview = chosen["preview"].as_str().unwrap();
    assert!(!preview.contains("Analytical Engines") && preview.contains("Mathematician"));
    assert_eq!(
        chosen["organisation"], "Analytical Engines",
        "what she may still show"
    );
    let text = text_of(&pdf(&app, &olga, event, "").await);
    assert!(!text.contains("Analytical Engines"), "{text}");
    for shown in ["Mathematician", "Navy Labs", "Rear Admiral", "Ada Tester"] {
        assert!(text.contains(shown), "{shown} missing from {text}");
    }
    let html = app
        .get(
            &olga,
            &format!("/api/organizer/events/{event}/badges?format=html"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Analytical Engines") && html.contains("Navy Labs"));

    // Only she sees and chooses it; a choice is two booleans, nothing else.
    let path = format!("/api/attendees/{ada_id}/badge");
    assert_eq!(app.get(&grace, &path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&olga, &path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&app.client(), &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .put(
            &grace,
            &path,
            json!({ "show_organisation": true, "show_role": true }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let bad = app
        .put(
            &ada,
            &path,
            json!({ "show_organisation": "no", "show_role": true }),
        )
        .await;
    assert_eq!(
        error_code(bad, StatusCode::BAD_REQUEST).await,
        "malformed_body"
    );
    let badge = app.get_json(&ada, &path).await;
    assert_eq!(
        badge["shows_organisation"], false,
        "nothing changed by the refused ones"
    );
}
