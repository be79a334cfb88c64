//! The demo data `make run` shows on first start.

use app::db::DbPool;
use app::domain::{
    appointments, attendees, connections, events, interests, meeting_plan, organizers, Actor,
};
use app::error::AppError;
use app::inputs::{
    AppointmentInput, AttendeeRegistration, ConnectionInput, EventInput, OrganizerRegistration,
    StatusInput,
};
use app::models::{Event, InterestsInput, MeetingPeriodInput, MeetingPlanInput, TagsInput};
use app::schema::{events as events_table, organizers as organizers_table};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::net::SocketAddr;

pub const DEMO_ORGANIZER_EMAIL: &str = "organizer@demo.netevent.dev";
pub const DEMO_ATTENDEE_EMAIL: &str = "ada@demo.netevent.dev";
pub const DEMO_PASSWORD: &str = "netevent-demo";

/// Creates the demo organiser, event and attendee unless they exist; prints the logins.
pub async fn seed_demo(
    pool: &DbPool,
    photos: &dyn app::photos::PhotoStore,
    addr: SocketAddr,
) -> Result<(), String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    let existing: Option<i32> = organizers_table::table
        .filter(organizers_table::email.eq(DEMO_ORGANIZER_EMAIL))
        .select(organizers_table::id)
        .first(&mut conn)
        .await
        .optional()
        .map_err(|e| e.to_string())?;
    let organizer_id = match existing {
        Some(id) => id,
        None => {
            let registration = OrganizerRegistration {
                email: DEMO_ORGANIZER_EMAIL.into(),
                password: DEMO_PASSWORD.into(),
                name: "Demo Organiser".into(),
            };
            let (organizer, _) = organizers::register(pool, registration)
                .await
                .map_err(|e| e.to_string())?;
            let start = (chrono::Local::now() + chrono::Duration::days(14)).date_naive();
            let event = events::create(
                &mut conn,
                &Actor::Organizer { id: organizer.id },
                EventInput {
                    name: "NetEvent Demo Day".into(),
                    description: Some("A day of short talks and 1:1 meetings. Build your profile, connect with other attendees and book meetings between sessions.".into()),
                    start_time: format!("{start}T09:00:00"),
                    end_time: format!("{start}T17:30:00"),
                    location: Some("Congress Centre, Hall B".into()),
                    max_attendees: Some(200),
                    timezone: None,
                    visibility: None,
                    // Two weeks ahead, yet its door can be tried today: check-in any time.
                    checkin_opens_minutes_before: Some(None),
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            let organiser = Actor::Organizer { id: organizer.id };
            seed_people(pool, &event, &organiser)
                .await
                .map_err(|e| e.to_string())?;
            app::domain::event_page::set_cover(pool, photos, &organiser, event.id, demo_cover()?)
                .await
                .map_err(|e| e.to_string())?;
            organizer.id
        }
    };
    let code: Option<String> = events_table::table
        .filter(events_table::organizer_id.eq(organizer_id))
        .order(events_table::id.asc())
        .select(events_table::code)
        .first(&mut conn)
        .await
        .optional()
        .map_err(|e| e.to_string())?;
    println!();
    println!("  NetEvent is starting on http://{addr}");
    println!("  Demo organiser: {DEMO_ORGANIZER_EMAIL} / {DEMO_PASSWORD}  (http://{addr}/organizer/login)");
    if let Some(code) = code {
        println!("  Demo attendee:  {DEMO_ATTENDEE_EMAIL} / {DEMO_PASSWORD}  (http://{addr}/e/{code}/login)");
        println!("  Demo event link: http://{addr}/e/{code}");
    }
    println!();
    Ok(())
}

/// The event's interests and everyone's picks (by name; `people` in the order of
/// `seed_people`).
async fn seed_interests(
    conn: &mut app::db::DbConn<'_>,
    organiser: &Actor,
    event_id: i32,
    people: &[i32],
) -> Result<(), AppError> {
    let names = [
        "Rust",
        "Hiring",
        "Robotics",
        "Mathematics",
        "Compilers",
        "Investing",
    ];
    let tags = interests::set_tags(
        conn,
        organiser,
        event_id,
        TagsInput {
            tags: names.iter().map(|n| (*n).to_owned()).collect(),
        },
    )
    .await?;
    let id = |name: &str| {
        tags.iter()
            .find(|t| t.name == name)
            .map_or(0, |t| i64::from(t.id))
    };
    let picks: [(&[&str], &[&str]); 6] = [
        // Ada, Grace, Alan, Katherine, Zoë, 山田.
        (&["Mathematics"], &["Robotics", "Compilers"]),
        (&["Compilers"], &["Hiring"]),
        (&["Mathematics"], &["Investing"]),
        (&["Mathematics"], &["Compilers"]),
        (&["Robotics", "Hiring"], &["Rust", "Investing"]),
        (&["Rust", "Robotics"], &["Hiring"]),
    ];
    for (&person, (offers, seeks)) in people.iter().zip(picks) {
        let input = InterestsInput {
            offers: offers.iter().map(|n| id(n)).collect(),
            seeks: seeks.iter().map(|n| id(n)).collect(),
        };
        let me = Actor::Attendee {
            id: person,
            event_id,
        };
        interests::set_mine(conn, &me, person, input).await?;
    }
    Ok(())
}

/// The demo's cover, drawn here so the demo needs no picture file: an indigo-to-teal evening
/// with a few soft lights.
fn demo_cover() -> Result<Vec<u8>, String> {
    let (width, height) = (1200u32, 630u32);
    let lights = [
        (180.0, 140.0, 110.0),
        (430.0, 430.0, 170.0),
        (770.0, 190.0, 130.0),
        (1010.0, 480.0, 190.0),
        (1120.0, 100.0, 80.0),
    ];
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (x as f32, y as f32);
        let t = x / width as f32 * 0.65 + y / height as f32 * 0.35;
        // The brand's indigo (#4338ca) into teal (#0f766e).
        let base = [67.0 - 52.0 * t, 56.0 + 62.0 * t, 202.0 - 92.0 * t];
        let glow: f32 = lights
            .iter()
            .map(|(cx, cy, r): &(f32, f32, f32)| {
                let distance = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
                (1.0 - distance / r).max(0.0).powf(1.6) * 0.35
            })
            .sum();
        image::Rgb(base.map(|c| (c + (255.0 - c) * glow.min(0.6)) as u8))
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(png)
}

/// Ada and a few people to meet: one has asked to connect, one is connected and has a meeting
/// with her, one asks her for a meeting, and their interests give her people to meet — so
/// every networking page has something to show.
async fn seed_people(pool: &DbPool, event: &Event, organiser: &Actor) -> Result<(), AppError> {
    let people = [
        (
            DEMO_ATTENDEE_EMAIL,
            "Ada",
            "Lovelace",
            "Analytical Engines Ltd",
            "Mathematician",
            "Happy to talk about computing machines and poetry.",
        ),
        (
            "grace@demo.netevent.dev",
            "Grace",
            "Hopper",
            "US Navy",
            "Computer scientist",
            "Compilers, COBOL and nanoseconds. Ask me for a piece of wire.",
        ),
        (
            "alan@demo.netevent.dev",
            "Alan",
            "Turing",
            "Bletchley Park",
            "Cryptanalyst",
            "Machines that think, and long-distance running.",
        ),
        (
            "katherine@demo.netevent.dev",
            "Katherine",
            "Johnson",
            "NASA",
            "Research mathematician",
            "Orbital mechanics; I check the computer's numbers.",
        ),
        (
            "zoe@demo.netevent.dev",
            "Zoë",
            "Łukasz",
            "Łódź Robotics",
            "Founder",
            "Building warehouse robots. Looking for Rust engineers.",
        ),
        (
            "yamada@demo.netevent.dev",
            "山田",
            "太郎",
            "東京 Systems",
            "Engineer",
            "Embedded Rust and sensor networks.",
        ),
    ];
    let mut ids = Vec::new();
    for (email, first_name, last_name, organisation, role, introduction) in people {
        let (attendee, _) = attendees::register(
            pool,
            AttendeeRegistration {
                event_id: Some(event.id),
                email: email.into(),
                password: DEMO_PASSWORD.into(),
                first_name: first_name.into(),
                last_name: last_name.into(),
                organisation: Some(organisation.into()),
                role: Some(role.into()),
                introduction: Some(introduction.into()),
                ..Default::default()
            },
        )
        .await?;
        ids.push(attendee.id);
    }
    let as_attendee = |id: i32| Actor::Attendee {
        id,
        event_id: event.id,
    };
    let (ada, grace, alan, katherine) = (ids[0], ids[1], ids[2], ids[3]);
    let mut conn = pool.get().await?;
    let connect = |target: i32| ConnectionInput {
        connected_attendee_id: Some(target.into()),
    };
    let accept = || StatusInput {
        status: "accepted".into(),
    };
    connections::request(&mut conn, &as_attendee(grace), connect(ada)).await?;
    let with_alan = connections::request(&mut conn, &as_attendee(alan), connect(ada)).await?;
    connections::respond(&mut conn, &as_attendee(ada), with_alan.id, accept()).await?;
    let at_minute = |minutes: i64| {
        (event.start_time + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    let at = |hours: i64| at_minute(hours * 60);
    // Meetings in half-hour slots, 10:00–12:30 and 14:00–16:00, at twelve tables.
    let plan = MeetingPlanInput {
        slot_minutes: Some(30),
        periods: [(60, 210), (300, 420)]
            .map(|(from, to)| MeetingPeriodInput {
                starts_at: at_minute(from),
                ends_at: at_minute(to),
            })
            .to_vec(),
        places: (1..=12).map(|n| format!("Table {n}")).collect(),
    };
    meeting_plan::set_plan(&mut conn, organiser, event.id, plan).await?;
    let meeting = appointments::request(
        &mut conn,
        &as_attendee(ada),
        AppointmentInput {
            target_id: Some(alan.into()),
            appointment_time: at(2),
            location: Some("Coffee bar".into()),
            notes: Some("The imitation game, over coffee.".into()),
            ..Default::default()
        },
    )
    .await?;
    appointments::respond(&mut conn, &as_attendee(alan), meeting.id, accept()).await?;
    seed_interests(&mut conn, organiser, event.id, &ids).await?;
    appointments::request(
        &mut conn,
        &as_attendee(katherine),
        AppointmentInput {
            target_id: Some(ada.into()),
            appointment_time: at(3),
            notes: Some("Trajectories and the difference engine.".into()),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
