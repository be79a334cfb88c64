//! The demo data `make run` shows on first start.

use app::db::DbPool;
use app::domain::{attendees, events, organizers, Actor};
use app::inputs::{AttendeeRegistration, EventInput, OrganizerRegistration};
use app::schema::{events as events_table, organizers as organizers_table};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::net::SocketAddr;

pub const DEMO_ORGANIZER_EMAIL: &str = "organizer@demo.netevent.dev";
pub const DEMO_ATTENDEE_EMAIL: &str = "ada@demo.netevent.dev";
pub const DEMO_PASSWORD: &str = "netevent-demo";

/// Creates the demo organiser, event and attendee unless they exist; prints the logins.
pub async fn seed_demo(pool: &DbPool, addr: SocketAddr) -> Result<(), String> {
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
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            attendees::register(
                pool,
                AttendeeRegistration {
                    event_id: Some(event.id),
                    email: DEMO_ATTENDEE_EMAIL.into(),
                    password: DEMO_PASSWORD.into(),
                    first_name: "Ada".into(),
                    last_name: "Lovelace".into(),
                    organisation: Some("Analytical Engines Ltd".into()),
                    role: Some("Mathematician".into()),
                    introduction: Some("Happy to talk about computing machines and poetry.".into()),
                    ..Default::default()
                },
            )
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
