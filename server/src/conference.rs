//! A realistic conference for load tests and benchmarks (`server seed-conference`): one
//! organiser with 50 events, the first a two-day conference of 20,000 attendees (a
//! thousand with photos, 5,000 checked in), 100,000 connections and 20,000 meetings among
//! them, the others small meet-ups. The same seed gives the same people, tickets and event
//! codes; everything is written with multi-row inserts.

use app::db::DbPool;
use app::photos::PhotoStore;
use app::schema::{appointments, attendees, checkins, connections, events, organizers};
use app::validate::Password;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const ORGANIZER_EMAIL: &str = "organizer@conference.example";
/// Every seeded account's password.
pub const PASSWORD: &str = "conference-pass";

/// How big a conference to seed.
#[derive(Debug, Clone)]
pub struct Spec {
    pub seed: u64,
    pub events: usize,
    /// Attendees of the first event, the big one.
    pub big_event: usize,
    /// Attendees of each of the other events.
    pub small_event: usize,
    /// Connections each attendee of the big event asks for (to the next ones in id order).
    pub connections_per_person: usize,
    pub appointments: usize,
    pub checked_in: usize,
    /// Attendees of the big event with a photo (sharing a few dozen pictures).
    pub with_photo: usize,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            seed: 1,
            events: 50,
            big_event: 20_000,
            small_event: 40,
            connections_per_person: 5,
            appointments: 20_000,
            checked_in: 5_000,
            with_photo: 1_000,
        }
    }
}

/// What was seeded, for the caller to log in with and to report.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub big_event_id: i32,
    pub big_event_code: String,
    pub big_event_start: NaiveDateTime,
    pub events: usize,
    pub attendees: usize,
    pub connections: usize,
    pub appointments: usize,
    pub checkins: usize,
}

/// The email of attendee `i` of the event at `event_index` (0 is the big event).
pub fn attendee_email(event_index: usize, i: usize) -> String {
    format!("a{i}.e{event_index}@conference.example")
}

/// Meetings of the seed take the big event's first day; its second day is free for the
/// load test's own requests.
pub fn second_day(seeded: &Seeded) -> NaiveDateTime {
    seeded.big_event_start + Duration::days(1)
}

/// Names, organisations and roles the seeds draw from (the benchmarks' too).
pub const FIRST: [&str; 24] = [
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Donald",
    "Shafi",
    "Tim",
    "Hedy",
    "John",
    "Sophie",
    "Niklaus",
    "Zoë",
    "Chidi",
    "Mei",
    "Olusegun",
    "Anaïs",
];
pub const LAST: [&str; 26] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Knuth",
    "Goldwasser",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Wilson",
    "Wirth",
    "Łukasz",
    "Yamada",
    "Okafor",
    "Silva",
    "Novak",
    "Schmidt",
    "Nguyễn",
];
pub const ORGS: [&str; 12] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Wonka",
    "Aperture",
];
pub const ROLES: [&str; 8] = [
    "Engineer",
    "Designer",
    "Founder",
    "Investor",
    "Researcher",
    "Product manager",
    "Student",
    "Marketing",
];
const BATCH: usize = 1_000;
const PICTURES: usize = 24;

fn failed(error: impl std::fmt::Display) -> String {
    format!("seeding the conference failed: {error}")
}

fn hex(rng: &mut StdRng, bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

/// A square picture in two colours from the seed, as the photo pipeline stores it.
fn picture(rng: &mut StdRng) -> Result<Vec<u8>, String> {
    let (a, b) = (rng.gen::<[u8; 3]>(), rng.gen::<[u8; 3]>());
    let image = image::RgbImage::from_fn(96, 96, |x, y| {
        image::Rgb(if (x / 24 + y / 24) % 2 == 0 { a } else { b })
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(failed)?;
    app::photos::thumbnail(&png).map_err(failed)
}

pub async fn seed(pool: &DbPool, photos: &dyn PhotoStore, spec: &Spec) -> Result<Seeded, String> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    // One hash for every account: argon2 for 22,000 people would take minutes.
    let password = Password::parse(PASSWORD).map_err(failed)?;
    let hash = app::auth::hash_password(&password).await.map_err(failed)?;
    let mut conn = pool.get().await.map_err(failed)?;

    diesel::insert_into(organizers::table)
        .values((
            organizers::email.eq(ORGANIZER_EMAIL),
            organizers::password_hash.eq(&hash),
            organizers::name.eq("Conference Organiser"),
        ))
        .execute(&mut conn)
        .await
        .map_err(failed)?;
    let organizer_id: i32 = organizers::table
        .filter(organizers::email.eq(ORGANIZER_EMAIL))
        .select(organizers::id)
        .first(&mut conn)
        .await
        .map_err(failed)?;

    // A fixed date keeps the seed deterministic; far enough ahead to stay upcoming.
    let first_day = NaiveDate::from_ymd_opt(2030, 6, 3)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .ok_or_else(|| failed("no start date"))?;
    let mut codes = Vec::with_capacity(spec.events);
    let mut event_rows = Vec::with_capacity(spec.events);
    for index in 0..spec.events {
        let code = app::domain::events::new_code(&mut rng);
        let (name, start, end, capacity) = if index == 0 {
            (
                "NetEvent Conference 2030".to_owned(),
                first_day,
                first_day + Duration::days(1) + Duration::hours(9),
                (spec.big_event + 5_000) as i32,
            )
        } else {
            let start = first_day + Duration::days(7 * index as i64);
            (
                format!("Meet-up #{index}"),
                start,
                start + Duration::hours(8),
                (spec.small_event * 2) as i32,
            )
        };
        event_rows.push((
            events::organizer_id.eq(organizer_id),
            events::code.eq(code.clone()),
            events::name.eq(name),
            events::description.eq(Some("Seeded for load tests.")),
            events::start_time.eq(start),
            events::end_time.eq(end),
            events::location.eq(Some("Congress Centre")),
            events::max_attendees.eq(Some(capacity)),
            events::timezone.eq("UTC"),
            events::start_utc.eq(start),
            events::end_utc.eq(end),
        ));
        codes.push(code);
    }
    diesel::insert_into(events::table)
        .values(event_rows)
        .execute(&mut conn)
        .await
        .map_err(failed)?;
    let mut event_ids = Vec::with_capacity(spec.events);
    for code in &codes {
        let id: i32 = events::table
            .filter(events::code.eq(code))
            .select(events::id)
            .first(&mut conn)
            .await
            .map_err(failed)?;
        event_ids.push(id);
    }

    let mut pictures = Vec::with_capacity(PICTURES);
    for _ in 0..PICTURES.min(spec.with_photo) {
        let name = format!("{}.jpg", hex(&mut rng, 16));
        photos
            .put(&name, picture(&mut rng)?)
            .await
            .map_err(failed)?;
        pictures.push(format!("{}/{name}", app::photos::PHOTO_PATH));
    }
    let photo_every = (spec.big_event / spec.with_photo.max(1)).max(1);

    let mut attendees_total = 0;
    for (index, &event_id) in event_ids.iter().enumerate() {
        let size = if index == 0 {
            spec.big_event
        } else {
            spec.small_event
        };
        let people: Vec<usize> = (0..size).collect();
        for batch in people.chunks(BATCH) {
            let rows: Vec<_> = batch
                .iter()
                .map(|&i| {
                    let photo = (index == 0 && i % photo_every == 0 && !pictures.is_empty())
                        .then(|| pictures[(i / photo_every) % pictures.len()].clone());
                    let role = ROLES[rng.gen_range(0..ROLES.len())];
                    let organisation = ORGS[rng.gen_range(0..ORGS.len())];
                    (
                        attendees::event_id.eq(event_id),
                        attendees::email.eq(attendee_email(index, i)),
                        attendees::password_hash.eq(hash.clone()),
                        attendees::first_name.eq(FIRST[rng.gen_range(0..FIRST.len())]),
                        attendees::last_name.eq(LAST[rng.gen_range(0..LAST.len())]),
                        attendees::organisation.eq(Some(organisation)),
                        attendees::role.eq(Some(role)),
                        attendees::introduction.eq(Some(format!(
                            "{role} at {organisation}, here to meet people."
                        ))),
                        attendees::profile_picture.eq(photo),
                        attendees::checkin_token.eq(hex(&mut rng, 20)),
                    )
                })
                .collect();
            diesel::insert_into(attendees::table)
                .values(rows)
                .execute(&mut conn)
                .await
                .map_err(failed)?;
        }
        attendees_total += size;
    }

    let big: Vec<i32> = attendees::table
        .filter(attendees::event_id.eq(event_ids[0]))
        .order(attendees::id)
        .select(attendees::id)
        .load(&mut conn)
        .await
        .map_err(failed)?;
    let n = big.len();

    // Each person asks the next few in id order: unordered pairs never repeat.
    let mut pairs = Vec::with_capacity(n * spec.connections_per_person);
    for i in 0..n {
        for k in 1..=spec.connections_per_person.min(n.saturating_sub(1) / 2) {
            let status = match rng.gen_range(0..10) {
                0..=5 => "accepted",
                6..=8 => "pending",
                _ => "rejected",
            };
            pairs.push((big[i], big[(i + k) % n], status));
        }
    }
    for batch in pairs.chunks(BATCH) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&(from, to, status)| {
                (
                    connections::attendee_id.eq(from),
                    connections::connected_attendee_id.eq(to),
                    connections::status.eq(status),
                )
            })
            .collect();
        diesel::insert_into(connections::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .map_err(failed)?;
    }

    // Person i asks person i+1 for half an hour in slot i % 16 of the first day: nobody is
    // in two accepted meetings at once (i's own slot and i-1's differ).
    let meetings: Vec<_> = (0..spec.appointments.min(n.saturating_sub(1)))
        .map(|i| {
            let status = match rng.gen_range(0..10) {
                0..=4 => "accepted",
                5..=8 => "pending",
                _ => "rejected",
            };
            let at = first_day + Duration::minutes(30 * (i % 16) as i64);
            (big[i], big[i + 1], at, status)
        })
        .collect();
    for batch in meetings.chunks(BATCH) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&(requester, target, at, status)| {
                (
                    appointments::event_id.eq(event_ids[0]),
                    appointments::requester_id.eq(requester),
                    appointments::target_id.eq(target),
                    appointments::appointment_time.eq(at),
                    appointments::duration_minutes.eq(30),
                    appointments::location.eq(Some("Meeting area")),
                    appointments::status.eq(status),
                )
            })
            .collect();
        diesel::insert_into(appointments::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .map_err(failed)?;
    }

    let arrivals: Vec<_> = big
        .iter()
        .take(spec.checked_in)
        .map(|&id| {
            (
                id,
                first_day - Duration::minutes(30) + Duration::seconds(rng.gen_range(0..5_400)),
            )
        })
        .collect();
    for batch in arrivals.chunks(BATCH) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&(attendee, at)| {
                (
                    checkins::event_id.eq(event_ids[0]),
                    checkins::attendee_id.eq(attendee),
                    checkins::checked_in_at.eq(at),
                    checkins::checked_in_by_organizer_id.eq(Some(organizer_id)),
                    checkins::device.eq(Some("seed")),
                )
            })
            .collect();
        diesel::insert_into(checkins::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .map_err(failed)?;
    }

    Ok(Seeded {
        big_event_id: event_ids[0],
        big_event_code: codes[0].clone(),
        big_event_start: first_day,
        events: spec.events,
        attendees: attendees_total,
        connections: pairs.len(),
        appointments: meetings.len(),
        checkins: arrivals.len(),
    })
}
