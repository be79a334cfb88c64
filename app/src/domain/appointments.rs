//! 1:1 meetings between attendees of one event. Nobody is booked twice at once: a request
//! that overlaps an accepted meeting of either person is refused, and accepting checks again
//! while holding both people's rows, so two accepts racing cannot both win.

use super::attendees::{self, AttendeeRow};
use super::authorization::{Relation, Visibility};
use super::connections::{are_connected, parse_answer};
use super::events::find_row as find_event_row;
use super::meeting_plan::{places_by_id, Fit, Grid, MAX_PLACES};
use super::meeting_slots::{free_places_at, no_free_place};
use super::outbox::{self, MailKind, NewMail};
use super::Actor;
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::{AppointmentInput, PageParams, StatusInput};
use crate::models::{Appointment, Direction, MeetingPlace, Page, RequestStatus};
use crate::schema::{appointments, attendees as attendees_table};
use crate::validate::{optional_paragraphs, optional_text, parse_local_datetime, Checker};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

mod mails;
pub(crate) use mails::leaving_mails;
pub use mails::REMINDER_BEFORE;
use mails::{answer_mails, cancellation_mails};

pub const DEFAULT_MINUTES: i32 = 30;
pub const MAX_MINUTES: i32 = 240;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = appointments, check_for_backend(diesel::mysql::Mysql))]
struct AppointmentRow {
    id: i32,
    event_id: i32,
    requester_id: i32,
    target_id: i32,
    appointment_time: NaiveDateTime,
    duration_minutes: i32,
    location: Option<String>,
    notes: Option<String>,
    status: String,
    created_at: NaiveDateTime,
    place_id: Option<i32>,
}

impl AppointmentRow {
    fn end(&self) -> NaiveDateTime {
        self.appointment_time + Duration::minutes(i64::from(self.duration_minutes))
    }

    fn other(&self, me: i32) -> i32 {
        if self.requester_id == me {
            self.target_id
        } else {
            self.requester_id
        }
    }

    fn into_model(
        self,
        me: i32,
        other: AttendeeRow,
        connected: bool,
        place: Option<MeetingPlace>,
    ) -> Appointment {
        let status = RequestStatus::from_db(&self.status);
        let visibility = Visibility::of(Relation::attendee(connected));
        Appointment {
            id: self.id,
            event_id: self.event_id,
            requester_id: self.requester_id,
            target_id: self.target_id,
            end_time: self.end(),
            appointment_time: self.appointment_time,
            duration_minutes: self.duration_minutes,
            location: self.location,
            place,
            notes: self.notes,
            status,
            created_at: self.created_at,
            direction: if self.requester_id == me {
                Direction::Outgoing
            } else {
                Direction::Incoming
            },
            other: other.view(visibility),
        }
    }
}

/// The accepted meeting of `a` or `b` that overlaps `[start, end)`, other than `except`.
async fn overlapping(
    conn: &mut AsyncMysqlConnection,
    people: [i32; 2],
    start: NaiveDateTime,
    end: NaiveDateTime,
    except: Option<i32>,
) -> Result<Option<AppointmentRow>, AppError> {
    // No meeting is longer than MAX_MINUTES, so one that overlaps starts after this: the
    // (person, time) indexes bound the scan to a window instead of the whole agenda.
    let earliest = start - Duration::minutes(i64::from(MAX_MINUTES));
    let candidates: Vec<AppointmentRow> = appointments::table
        .filter(
            appointments::requester_id
                .eq_any(people)
                .or(appointments::target_id.eq_any(people)),
        )
        .filter(appointments::status.eq("accepted"))
        .filter(appointments::appointment_time.lt(end))
        .filter(appointments::appointment_time.gt(earliest))
        .filter(appointments::id.ne(except.unwrap_or(0)))
        .select(AppointmentRow::as_select())
        .load(conn)
        .await?;
    Ok(candidates.into_iter().find(|row| row.end() > start))
}

fn overlap_error(row: &AppointmentRow) -> AppError {
    AppError::conflict(
        "appointment_overlap",
        format!(
            "That time overlaps a meeting already accepted for {}–{}. Please pick another time.",
            row.appointment_time.format("%H:%M"),
            row.end().format("%H:%M"),
        ),
    )
}

struct Proposal {
    target_id: i32,
    start: NaiveDateTime,
    /// `None`: one slot inside the event's meeting periods, else `DEFAULT_MINUTES`.
    minutes: Option<i32>,
    location: Option<String>,
    notes: Option<String>,
}

fn check(input: &AppointmentInput) -> Result<Proposal, AppError> {
    let mut checker = Checker::default();
    let target_id = match input.target_id.map(i32::try_from) {
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            checker.fail("target_id", "No such attendee.");
            None
        }
        None => {
            checker.fail("target_id", "Say whom to meet.");
            None
        }
    };
    let start = checker.check(
        "appointment_time",
        parse_local_datetime(&input.appointment_time),
    );
    let minutes = match input.duration_minutes {
        None => Some(None),
        Some(n) if (5..=i64::from(MAX_MINUTES)).contains(&n) => Some(Some(n as i32)),
        Some(_) => {
            checker.fail(
                "duration_minutes",
                format!("A meeting lasts from 5 to {MAX_MINUTES} minutes."),
            );
            None
        }
    };
    let location = checker.check(
        "location",
        optional_text(input.location.as_deref().unwrap_or(""), 255, "Location"),
    );
    let notes = checker.check(
        "notes",
        optional_paragraphs(input.notes.as_deref().unwrap_or(""), 2_000, "Notes"),
    );
    checker.finish()?;
    Ok(Proposal {
        target_id: target_id.unwrap(),
        start: start.unwrap(),
        minutes: minutes.unwrap(),
        location: location.unwrap(),
        notes: notes.unwrap(),
    })
}

/// Asks another attendee of my event for a meeting.
pub async fn request(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    input: AppointmentInput,
) -> Result<Appointment, AppError> {
    let (me, event_id) = actor.attendee()?;
    let proposal = check(&input)?;
    if proposal.target_id == me {
        return Err(AppError::field(
            "target_id",
            "You cannot book a meeting with yourself.",
        ));
    }
    let target = attendees::find_in_event(conn, proposal.target_id, event_id).await?;
    super::privacy::may_ask_for_meeting(conn, me, &target).await?;
    let event = find_event_row(conn, event_id).await?;
    let grid = Grid::of(conn, event_id).await?;
    let minutes = proposal.minutes.unwrap_or_else(|| {
        grid.as_ref()
            .filter(|grid| {
                let slot = Duration::minutes(i64::from(grid.slot_minutes()));
                grid.fit(proposal.start, proposal.start + slot) == Fit::Slot
            })
            .map_or(DEFAULT_MINUTES, Grid::slot_minutes)
    });
    let end = proposal.start + Duration::minutes(i64::from(minutes));
    if proposal.start < event.start_time || end > event.end_time {
        return Err(AppError::field(
            "appointment_time",
            format!(
                "Pick a time during the event, between {} and {}.",
                event.start_time.format("%a %-d %b %H:%M"),
                event.end_time.format("%a %-d %b %H:%M"),
            ),
        ));
    }
    match grid
        .as_ref()
        .map(|grid| (grid, grid.fit(proposal.start, end)))
    {
        Some((grid, Fit::OffGrid(from, to))) => return Err(grid.off_grid(from, to)),
        Some((_, Fit::Slot))
            if free_places_at(conn, event_id, proposal.start).await? == Some(Vec::new()) =>
        {
            return Err(no_free_place(proposal.start));
        }
        _ => {}
    }
    if let Some(clash) = overlapping(conn, [me, target.id], proposal.start, end, None).await? {
        return Err(overlap_error(&clash));
    }
    let row = crate::db::transaction!(conn, async |conn| {
        diesel::insert_into(appointments::table)
            .values((
                appointments::event_id.eq(event_id),
                appointments::requester_id.eq(me),
                appointments::target_id.eq(target.id),
                appointments::appointment_time.eq(proposal.start),
                appointments::duration_minutes.eq(minutes),
                appointments::location.eq(&proposal.location),
                appointments::notes.eq(&proposal.notes),
                appointments::status.eq("pending"),
            ))
            .execute(conn)
            .await?;
        let id: i32 = diesel::select(last_insert_id()).get_result(conn).await?;
        outbox::enqueue(
            conn,
            vec![NewMail::to_attendee(
                MailKind::MeetingRequested,
                &target,
                Some(id),
            )],
        )
        .await?;
        Ok(appointments::table
            .find(id)
            .select(AppointmentRow::as_select())
            .first(conn)
            .await?)
    })
    .await?;
    let connected = are_connected(conn, me, target.id).await?;
    Ok(row.into_model(me, target, connected, None))
}

diesel::define_sql_function!(fn last_insert_id() -> diesel::sql_types::Integer);

async fn find_row(conn: &mut DbConn<'_>, id: i32) -> Result<AppointmentRow, AppError> {
    appointments::table
        .find(id)
        .select(AppointmentRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Appointment"))
}

/// A meeting `me` takes part in; strangers get 404.
async fn mine(conn: &mut DbConn<'_>, me: i32, id: i32) -> Result<AppointmentRow, AppError> {
    let row = find_row(conn, id).await?;
    if row.requester_id != me && row.target_id != me {
        return Err(AppError::not_found("Appointment"));
    }
    Ok(row)
}

/// Accepts or rejects a meeting request; only the person asked may. Accepting writes both
/// people's attendee rows (lower id first, so two accepts never deadlock; on Galera the
/// later of two conflicting accepts fails at commit and runs again) and checks for an
/// overlap again inside that transaction. A meeting in a slot of the event's plan gets the
/// first free place with it (409 `no_free_table` when none is left); when another accept
/// took that place first, the unique `(place, time)` key refuses the second and it tries
/// again from a fresh read, so each place goes once however many accepts race.
pub async fn respond(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    input: StatusInput,
) -> Result<Appointment, AppError> {
    let (me, _) = actor.attendee()?;
    let row = mine(conn, me, id).await?;
    let answer = parse_answer(&input)?;
    if row.target_id != me {
        return Err(AppError::Forbidden);
    }
    let (start, end) = (row.appointment_time, row.end());
    let mails = answer_mails(conn, &row, answer).await?;
    let in_slot = answer == RequestStatus::Accepted
        && row.place_id.is_none()
        && Grid::of(conn, row.event_id)
            .await?
            .is_some_and(|grid| grid.fit(start, end) == Fit::Slot);
    // Each lost race means one more place taken since the read: bounded by the places.
    for _ in 0..=MAX_PLACES {
        match answer_once(conn, &row, answer, in_slot, &mails).await {
            Err(AppError::Conflict { code, .. }) if code == "duplicate" => continue,
            outcome => outcome?,
        }
        let row = find_row(conn, id).await?;
        return view(conn, me, row).await;
    }
    Err(no_free_place(start))
}

/// One try at recording the answer, in one transaction.
async fn answer_once(
    conn: &mut DbConn<'_>,
    row: &AppointmentRow,
    answer: RequestStatus,
    in_slot: bool,
    mails: &[NewMail],
) -> Result<(), AppError> {
    let (id, people) = (row.id, [row.requester_id, row.target_id]);
    let (start, end) = (row.appointment_time, row.end());
    let mails = mails.to_vec();
    crate::db::transaction!(conn, async |conn| {
        if answer == RequestStatus::Accepted {
            // Both people's rows are written, not only locked: on Galera a lock holds on one
            // node only, but two accepts writing one row conflict at commit and the later
            // runs again (`db::transaction!`), to find the meeting that now overlaps. The
            // lower id first, so two accepts on one server never deadlock.
            let mut claimed = people;
            claimed.sort_unstable();
            for person in claimed {
                diesel::update(attendees_table::table.find(person))
                    .set(attendees_table::meeting_claims.eq(attendees_table::meeting_claims + 1))
                    .execute(conn)
                    .await?;
            }
            if let Some(clash) = overlapping(conn, people, start, end, Some(id)).await? {
                return Err(overlap_error(&clash));
            }
        }
        let place = match (answer, in_slot) {
            (RequestStatus::Accepted, true) => {
                match free_places_at(conn, row.event_id, start).await? {
                    Some(free) => Some(*<[i32]>::first(&free).ok_or_else(|| no_free_place(start))?),
                    None => None,
                }
            }
            // Accepted again: it keeps its place.
            (RequestStatus::Accepted, false) => row.place_id,
            _ => None,
        };
        diesel::update(appointments::table.find(id))
            .set((
                appointments::status.eq(answer.as_str()),
                appointments::place_id.eq(place),
            ))
            .execute(conn)
            .await?;
        outbox::enqueue(conn, mails.clone()).await?;
        Ok(())
    })
    .await
}

async fn view(
    conn: &mut DbConn<'_>,
    me: i32,
    row: AppointmentRow,
) -> Result<Appointment, AppError> {
    let other_id = row.other(me);
    let other = attendees::rows_by_id(conn, &[other_id])
        .await?
        .remove(&other_id)
        .ok_or_else(|| AppError::not_found("Attendee"))?;
    let connected = are_connected(conn, me, other_id).await?;
    let place = match row.place_id {
        Some(id) => places_by_id(conn, &[id]).await?.remove(&id),
        None => None,
    };
    Ok(row.into_model(me, other, connected, place))
}

/// Cancels a meeting or withdraws a request; either of the two may. The other person of an
/// accepted meeting not yet over is told by mail.
pub async fn cancel(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<(), AppError> {
    let (me, _) = actor.attendee()?;
    let row = mine(conn, me, id).await?;
    let now = find_event_row(conn, row.event_id).await?.now();
    let mails = cancellation_mails(conn, me, vec![row], now, false).await?;
    crate::db::transaction!(conn, async |conn| {
        diesel::delete(appointments::table.find(id))
            .execute(conn)
            .await?;
        outbox::enqueue(conn, mails.clone()).await
    })
    .await
}

/// One of my meetings.
pub async fn get(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Appointment, AppError> {
    let (me, _) = actor.attendee()?;
    let row = mine(conn, me, id).await?;
    view(conn, me, row).await
}

/// My meetings and requests, both directions, in time order; `status` narrows them.
pub async fn list_mine(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    status: Option<RequestStatus>,
    page: PageParams,
) -> Result<Page<Appointment>, AppError> {
    let (me, _) = actor.attendee()?;
    let filtered = || {
        let query = appointments::table
            .filter(
                appointments::requester_id
                    .eq(me)
                    .or(appointments::target_id.eq(me)),
            )
            .into_boxed();
        match status {
            Some(status) => query.filter(appointments::status.eq(status.as_str())),
            None => query,
        }
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let rows: Vec<AppointmentRow> = filtered()
        .order((appointments::appointment_time.asc(), appointments::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(AppointmentRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|row| row.other(me)).collect();
    let others = attendees::rows_by_id(conn, &ids).await?;
    let links = super::connections::links(conn, me, &ids).await?;
    let place_ids: Vec<i32> = rows.iter().filter_map(|row| row.place_id).collect();
    let places = places_by_id(conn, &place_ids).await?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let other_id = row.other(me);
            let connected = links
                .get(&other_id)
                .is_some_and(|link| link.status == RequestStatus::Accepted);
            let other = others.get(&other_id).cloned()?;
            let place = row.place_id.and_then(|id| places.get(&id).cloned());
            Some(row.into_model(me, other, connected, place))
        })
        .collect();
    Ok(Page { items, total })
}

/// My next accepted meeting that has not ended by `now` (the event's wall clock): the one
/// going on, else the next to begin.
pub async fn next_mine(
    conn: &mut DbConn<'_>,
    me: i32,
    now: NaiveDateTime,
) -> Result<Option<Appointment>, AppError> {
    // Begun at most the longest meeting ago: ended or not, decided below.
    let since = now - Duration::minutes(i64::from(MAX_MINUTES));
    let rows: Vec<AppointmentRow> = appointments::table
        .filter(
            appointments::requester_id
                .eq(me)
                .or(appointments::target_id.eq(me)),
        )
        .filter(appointments::status.eq(RequestStatus::Accepted.as_str()))
        .filter(appointments::appointment_time.ge(since))
        .order((appointments::appointment_time.asc(), appointments::id.asc()))
        .limit(MAX_MINUTES as i64 / 5 + 1)
        .select(AppointmentRow::as_select())
        .load(conn)
        .await?;
    match rows.into_iter().find(|row| row.end() > now) {
        Some(row) => Ok(Some(view(conn, me, row).await?)),
        None => Ok(None),
    }
}

/// Every accepted meeting of mine, for the agenda's calendar file.
pub async fn accepted(conn: &mut DbConn<'_>, actor: &Actor) -> Result<Vec<Appointment>, AppError> {
    let mut all = Vec::new();
    let mut page = PageParams {
        limit: Some(PageParams::MAX_LIMIT),
        offset: Some(0),
    };
    loop {
        let batch = list_mine(conn, actor, Some(RequestStatus::Accepted), page).await?;
        let done = batch.items.len() < PageParams::MAX_LIMIT as usize;
        all.extend(batch.items);
        if done {
            return Ok(all);
        }
        page.offset = Some(page.offset() + PageParams::MAX_LIMIT);
    }
}

/// How many meeting requests wait for my answer.
pub(crate) async fn pending_for(conn: &mut DbConn<'_>, me: i32) -> Result<i64, AppError> {
    Ok(appointments::table
        .filter(appointments::target_id.eq(me))
        .filter(appointments::status.eq("pending"))
        .count()
        .get_result(conn)
        .await?)
}
