use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::{EventInput, EventPatch, PageParams};
use crate::models::{Event, EventVisibility, Page, DOORS_OPEN_MINUTES_BEFORE};
use crate::schema::{attendees, checkins, events};
use crate::validate::{
    optional_paragraphs, optional_text, parse_local_datetime, required_text, Checker, EventCode,
};
use crate::zone;
use chrono::NaiveDateTime;
use diesel::dsl::{case_when, count_star};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;
use std::collections::HashMap;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = events, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct EventRow {
    pub id: i32,
    pub organizer_id: i32,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub start_time: NaiveDateTime,
    pub end_time: NaiveDateTime,
    pub location: Option<String>,
    pub max_attendees: Option<i32>,
    pub created_at: NaiveDateTime,
    /// Kept by triggers on `attendees`: read with the event, never counted.
    pub attendee_count: i32,
    pub timezone: String,
    /// Set while the event is deleted (UTC): hidden from everything but its organiser's
    /// "Deleted events" until restored or purged.
    pub deleted_at: Option<NaiveDateTime>,
    pub visibility: String,
    pub checkin_opens_minutes_before: Option<i32>,
    pub cover_image: Option<String>,
    pub waitlist: bool,
}

impl EventRow {
    /// The event's zone.
    pub(crate) fn zone(&self) -> chrono_tz::Tz {
        zone::of_event(&self.timezone)
    }

    /// When the door takes entries (`None`: any time).
    pub(crate) fn door_window(&self) -> Option<crate::models::DoorWindow> {
        crate::models::DoorWindow::of(
            self.start_time,
            self.end_time,
            self.checkin_opens_minutes_before,
        )
    }

    /// The wall-clock time at the event right now.
    pub(crate) fn now(&self) -> NaiveDateTime {
        zone::now_in(self.zone())
    }

    fn into_model(self) -> Event {
        let attendee_count = i64::from(self.attendee_count);
        let spots_left = self
            .max_attendees
            .map(|max| (i64::from(max) - attendee_count).max(0));
        Event {
            id: self.id,
            organizer_id: self.organizer_id,
            code: self.code,
            name: self.name,
            description: self.description,
            start_time: self.start_time,
            end_time: self.end_time,
            location: self.location,
            max_attendees: self.max_attendees,
            timezone: self.timezone,
            // The column's CHECK admits only the two names.
            visibility: EventVisibility::parse(&self.visibility).unwrap_or_default(),
            checkin_opens_minutes_before: self.checkin_opens_minutes_before,
            cover_image: self.cover_image,
            created_at: self.created_at,
            attendee_count,
            spots_left,
            checked_in: None,
            waitlist: self.waitlist,
        }
    }
}

/// The fields of an event after validation, written as they are on insert and update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_null = true)]
struct EventFields {
    name: String,
    description: Option<String>,
    start_time: NaiveDateTime,
    end_time: NaiveDateTime,
    location: Option<String>,
    max_attendees: Option<i32>,
    timezone: String,
    start_utc: NaiveDateTime,
    end_utc: NaiveDateTime,
    visibility: &'static str,
    checkin_opens_minutes_before: Option<i32>,
}

/// Minutes before the start the door opens: absent is the default, `null` any time, else
/// 0 to a week.
fn check_doors(checker: &mut Checker, raw: Option<Option<i64>>) -> Option<i32> {
    match raw {
        None => Some(DOORS_OPEN_MINUTES_BEFORE),
        Some(None) => None,
        Some(Some(n)) if (0..=10_080).contains(&n) => Some(n as i32),
        Some(Some(_)) => {
            checker.fail(
                "checkin_opens_minutes_before",
                "Check-in opens between 0 and 10080 minutes (a week) before the start, or null for any time.",
            );
            None
        }
    }
}

fn check_visibility(checker: &mut Checker, raw: Option<&str>) -> EventVisibility {
    match raw.map(str::trim) {
        None | Some("") => EventVisibility::default(),
        Some(name) => EventVisibility::parse(name).unwrap_or_else(|| {
            checker.fail(
                "visibility",
                "Visibility must be \"public\" (listed) or \"unlisted\" (only by its link).",
            );
            EventVisibility::default()
        }),
    }
}

fn check_capacity(checker: &mut Checker, raw: Option<i64>) -> Option<i32> {
    match raw {
        None => None,
        Some(n) if n < 1 => {
            checker.fail(
                "max_attendees",
                "Capacity must be at least 1, or empty for unlimited.",
            );
            None
        }
        Some(n) => match i32::try_from(n) {
            Ok(n) if n <= 1_000_000 => Some(n),
            _ => {
                checker.fail("max_attendees", "Capacity must be at most 1,000,000.");
                None
            }
        },
    }
}

fn check_times(checker: &mut Checker, start: Option<NaiveDateTime>, end: Option<NaiveDateTime>) {
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            checker.fail("end_time", "The event must end after it starts.");
        }
    }
}

impl EventFields {
    fn parse(input: &EventInput) -> Result<Self, AppError> {
        let mut checker = Checker::default();
        let name = checker.check("name", required_text(&input.name, 255, "Name"));
        let description = checker.check(
            "description",
            optional_paragraphs(
                input.description.as_deref().unwrap_or(""),
                20_000,
                "Description",
            ),
        );
        let start_time = checker.check("start_time", parse_local_datetime(&input.start_time));
        let end_time = checker.check("end_time", parse_local_datetime(&input.end_time));
        let location = checker.check(
            "location",
            optional_text(input.location.as_deref().unwrap_or(""), 255, "Location"),
        );
        let max_attendees = check_capacity(&mut checker, input.max_attendees);
        let zone = match input.timezone.as_deref() {
            None => Some(zone::default_zone()),
            Some(name) => checker.check("timezone", zone::parse(name)),
        };
        let visibility = check_visibility(&mut checker, input.visibility.as_deref());
        let doors = check_doors(&mut checker, input.checkin_opens_minutes_before);
        check_times(&mut checker, start_time, end_time);
        checker.finish()?;
        let (zone, start_time, end_time) = (zone.unwrap(), start_time.unwrap(), end_time.unwrap());
        Ok(Self {
            name: name.unwrap(),
            description: description.unwrap(),
            start_time,
            end_time,
            location: location.unwrap(),
            max_attendees,
            timezone: zone.name().to_owned(),
            start_utc: zone::to_utc(start_time, zone).naive_utc(),
            end_utc: zone::to_utc(end_time, zone).naive_utc(),
            visibility: visibility.as_str(),
            checkin_opens_minutes_before: doors,
        })
    }
}

/// Now in UTC, for records that are not about an event's time (revocations, prints).
pub fn utc_now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Gives the events written before time zones existed (`timezone = ''`) the default zone,
/// once, at start-up: their times were read in the server's zone until then.
pub async fn adopt_default_zone(conn: &mut DbConn<'_>) -> Result<usize, AppError> {
    let zone = zone::default_zone();
    let rows: Vec<(i32, NaiveDateTime, NaiveDateTime)> = events::table
        .filter(events::timezone.eq(""))
        .select((events::id, events::start_time, events::end_time))
        .load(conn)
        .await?;
    for (id, start, end) in &rows {
        diesel::update(events::table.find(id).filter(events::timezone.eq("")))
            .set((
                events::timezone.eq(zone.name()),
                events::start_utc.eq(zone::to_utc(*start, zone).naive_utc()),
                events::end_utc.eq(zone::to_utc(*end, zone).naive_utc()),
            ))
            .execute(conn)
            .await?;
    }
    Ok(rows.len())
}

/// A fresh code from `EventCode::ALPHABET` (50 bits of entropy): from the OS generator for
/// real events, from a seeded one for the load-test conference.
pub fn new_code(rng: &mut impl rand::Rng) -> String {
    (0..EventCode::LEN)
        .map(|_| EventCode::ALPHABET[rng.gen_range(0..EventCode::ALPHABET.len())] as char)
        .collect()
}

/// Adds the check-in counts the organiser's views show (one grouped query).
async fn with_checkin_counts(
    conn: &mut DbConn<'_>,
    mut events: Vec<Event>,
) -> Result<Vec<Event>, AppError> {
    let ids: Vec<i32> = events.iter().map(|e| e.id).collect();
    if ids.is_empty() {
        return Ok(events);
    }
    let counts: HashMap<i32, i64> = checkins::table
        .filter(checkins::event_id.eq_any(&ids))
        .group_by(checkins::event_id)
        .select((checkins::event_id, count_star()))
        .load::<(i32, i64)>(conn)
        .await?
        .into_iter()
        .collect();
    for event in &mut events {
        event.checked_in = Some(counts.get(&event.id).copied().unwrap_or(0));
    }
    Ok(events)
}

fn models(rows: Vec<EventRow>) -> Vec<Event> {
    rows.into_iter().map(EventRow::into_model).collect()
}

/// The one rule for which events exist for everyone but their organiser's "Deleted events":
/// those not deleted (`deleted_events`). Every read of events, logins and sessions included,
/// filters with it.
pub(crate) fn is_live() -> diesel::dsl::IsNull<events::deleted_at> {
    events::deleted_at.is_null()
}

/// A live (not deleted) event.
pub(crate) async fn find_row(conn: &mut DbConn<'_>, id: i32) -> Result<EventRow, AppError> {
    events::table
        .find(id)
        .filter(is_live())
        .select(EventRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Event"))
}

/// The event if `actor` is its organiser: 404 when it does not exist, 403 when not theirs.
pub(crate) async fn owned_row(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
) -> Result<EventRow, AppError> {
    let organizer_id = actor.organizer_id()?;
    let row = find_row(conn, id).await?;
    if row.organizer_id != organizer_id {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The listed events that have not ended yet (`events_listed` answers it).
fn listed(
    now: NaiveDateTime,
    search: &[String],
) -> diesel::helper_types::IntoBoxed<'static, events::table, diesel::mysql::Mysql> {
    let mut query = events::table
        .filter(events::visibility.eq(EventVisibility::Public.as_str()))
        .filter(is_live())
        .filter(events::end_utc.ge(now))
        .into_boxed();
    for word in search {
        let pattern = format!("%{}%", super::attendee_lists::escape_like(word));
        query = query.filter(
            events::name
                .like(pattern.clone())
                .or(events::location.like(pattern)),
        );
    }
    query
}

/// Public events that have not ended yet, soonest first, those whose name or place holds
/// every word of `q` when given. For everyone.
pub async fn list_upcoming(
    conn: &mut DbConn<'_>,
    q: Option<&str>,
    page: PageParams,
) -> Result<Page<Event>, AppError> {
    // Checked as every search is; each word typed must appear in the name or the place.
    let search: Vec<String> = super::directory::search_text(q)?
        .map(|q| q.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let now = utc_now();
    let total: i64 = listed(now, &search).count().get_result(conn).await?;
    let rows = listed(now, &search)
        .order((events::start_utc.asc(), events::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(EventRow::as_select())
        .load(conn)
        .await?;
    Ok(Page {
        items: models(rows),
        total,
    })
}

/// The organiser's own events: upcoming first (soonest first), then past ones (latest first).
pub async fn list_mine(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    page: PageParams,
) -> Result<Page<Event>, AppError> {
    let organizer_id = actor.organizer_id()?;
    let now = utc_now();
    let total: i64 = events::table
        .filter(events::organizer_id.eq(organizer_id))
        .filter(is_live())
        .count()
        .get_result(conn)
        .await?;
    let rows = events::table
        .filter(events::organizer_id.eq(organizer_id))
        .filter(is_live())
        .order((
            events::end_utc.lt(now).asc(),
            // Upcoming soonest first; for past events this key is NULL and the next decides.
            case_when(events::end_utc.ge(now), events::start_utc).asc(),
            events::start_utc.desc(),
            events::id.asc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(EventRow::as_select())
        .load(conn)
        .await?;
    let events = models(rows);
    Ok(Page {
        items: with_checkin_counts(conn, events).await?,
        total,
    })
}

pub async fn get(conn: &mut DbConn<'_>, id: i32) -> Result<Event, AppError> {
    let row = find_row(conn, id).await?;
    Ok(row.into_model())
}

/// Events by id, in no particular order; ids that name no live event are left out.
pub async fn get_many(conn: &mut DbConn<'_>, ids: &[i32]) -> Result<Vec<Event>, AppError> {
    Ok(get_many_with_deleted(conn, ids)
        .await?
        .into_iter()
        .filter(|(_, deleted)| !deleted)
        .map(|(event, _)| event)
        .collect())
}

/// Events by id, deleted ones included (`true`): a mail telling that an event was cancelled
/// is about a deleted one.
pub(crate) async fn get_many_with_deleted(
    conn: &mut DbConn<'_>,
    ids: &[i32],
) -> Result<Vec<(Event, bool)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<EventRow> = events::table
        .filter(events::id.eq_any(ids))
        .select(EventRow::as_select())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let deleted = row.deleted_at.is_some();
            (row.into_model(), deleted)
        })
        .collect())
}

/// The event, for its organiser only.
pub async fn get_owned(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Event, AppError> {
    let row = owned_row(conn, actor, id).await?;
    let events = vec![row.into_model()];
    Ok(with_checkin_counts(conn, events).await?.remove(0))
}

pub async fn get_by_code(conn: &mut DbConn<'_>, code: &str) -> Result<Event, AppError> {
    let code = EventCode::parse(code).map_err(|_| AppError::not_found("Event"))?;
    let row = events::table
        .filter(events::code.eq(code.as_str()))
        .filter(is_live())
        .select(EventRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Event"))?;
    Ok(row.into_model())
}

pub async fn create(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    input: EventInput,
) -> Result<Event, AppError> {
    let organizer_id = actor.organizer_id()?;
    let fields = EventFields::parse(&input)?;
    for _ in 0..8 {
        let code = new_code(&mut rand::rngs::OsRng);
        let inserted = diesel::insert_into(events::table)
            .values((
                events::organizer_id.eq(organizer_id),
                events::code.eq(&code),
                &fields,
            ))
            .execute(conn)
            .await;
        match inserted {
            // A code collision (1 in 2^50 per pair): draw again.
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
            other => other?,
        };
        return get_by_code(conn, &code).await;
    }
    Err(AppError::Internal)
}

/// The event of `code` and its organiser's name, for the invite page ("Hosted by").
pub async fn with_host(conn: &mut DbConn<'_>, code: &str) -> Result<(Event, String), AppError> {
    let event = get_by_code(conn, code).await?;
    let host = super::organizers::find(conn, event.organizer_id)
        .await?
        .name;
    Ok((event, host))
}

pub async fn update(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    patch: EventPatch,
) -> Result<Event, AppError> {
    let current = owned_row(conn, actor, id).await?;
    let merged = EventInput {
        name: patch.name.unwrap_or(current.name),
        description: patch.description.unwrap_or(current.description),
        start_time: patch
            .start_time
            .unwrap_or_else(|| current.start_time.format("%Y-%m-%dT%H:%M:%S").to_string()),
        end_time: patch
            .end_time
            .unwrap_or_else(|| current.end_time.format("%Y-%m-%dT%H:%M:%S").to_string()),
        location: patch.location.unwrap_or(current.location),
        max_attendees: patch
            .max_attendees
            .unwrap_or(current.max_attendees.map(i64::from)),
        timezone: Some(patch.timezone.unwrap_or(current.timezone)),
        visibility: Some(patch.visibility.unwrap_or(current.visibility)),
        checkin_opens_minutes_before: Some(
            patch
                .checkin_opens_minutes_before
                .unwrap_or(current.checkin_opens_minutes_before.map(i64::from)),
        ),
    };
    let fields = EventFields::parse(&merged)?;
    crate::db::transaction!(conn, async |conn| {
        // Lock the row so a registration cannot slip in between the count and the update.
        events::table
            .find(id)
            .select(events::id)
            .for_update()
            .first::<i32>(conn)
            .await?;
        if let Some(max) = fields.max_attendees {
            let count: i64 = attendees::table
                .filter(attendees::event_id.eq(id))
                .count()
                .get_result(conn)
                .await?;
            if count > i64::from(max) {
                return Err(AppError::conflict(
                    "capacity_below_registrations",
                    format!(
                        "{count} people are already registered; capacity cannot go below that."
                    ),
                ));
            }
        }
        diesel::update(events::table.find(id))
            .set(&fields)
            .execute(conn)
            .await?;
        Ok(())
    })
    .await?;
    // More seats than before: those waiting get them.
    super::waitlist::promote(conn, id).await?;
    get(conn, id).await
}
