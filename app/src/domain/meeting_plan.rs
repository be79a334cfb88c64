//! Meeting slots and tables. The organiser keeps stretches of the event for 1:1 meetings
//! (periods), cut into slots of one length from each period's start, and names the places
//! meetings happen at (tables, rooms). Asking for a meeting offers the slots both people are
//! free in; accepting one gives it the first free place. Periods never overlap and a placed
//! meeting always fills exactly one slot, so two meetings at one place overlap only when
//! they start together: the unique key on `(place_id, appointment_time)` keeps a table to
//! one meeting at a time, under any number of racing accepts and on every node of a cluster.

use super::appointments::MAX_MINUTES;
use super::{events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::{MeetingPeriod, MeetingPlace, MeetingPlan, MeetingPlanInput};
use crate::schema::{appointments, events as events_table, meeting_periods, meeting_places};
use crate::validate::{name_list, parse_local_datetime};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use std::collections::HashMap;

pub const MAX_PERIODS: usize = 50;
pub const MAX_PLACES: usize = 500;
pub const MAX_PLACE_CHARS: usize = 60;
/// The most slots a plan may hold, all periods together: a slot list is computed whole.
pub const MAX_SLOTS: i64 = 2_000;
pub const MIN_SLOT_MINUTES: i64 = 5;

/// An event's periods and slot length: where a meeting may go.
pub(crate) struct Grid {
    minutes: i64,
    periods: Vec<(NaiveDateTime, NaiveDateTime)>,
}

/// How a meeting's time sits in the grid.
#[derive(Debug, PartialEq)]
pub(crate) enum Fit {
    /// Outside every period: any time and length, without a place.
    Outside,
    /// Exactly one slot.
    Slot,
    /// In a period but not on one of its slots.
    OffGrid(NaiveDateTime, NaiveDateTime),
}

impl Grid {
    /// The event's grid; `None` while it has no meeting periods.
    pub(crate) async fn of(
        conn: &mut AsyncMysqlConnection,
        event_id: i32,
    ) -> Result<Option<Grid>, AppError> {
        let minutes: Option<i32> = events_table::table
            .find(event_id)
            .select(events_table::meeting_slot_minutes)
            .first(conn)
            .await?;
        let periods = periods_of(conn, event_id).await?;
        Ok(match minutes {
            Some(minutes) if !periods.is_empty() => Some(Grid {
                minutes: i64::from(minutes),
                periods,
            }),
            _ => None,
        })
    }

    pub(crate) fn slot_minutes(&self) -> i32 {
        self.minutes as i32
    }

    fn length(&self) -> Duration {
        Duration::minutes(self.minutes)
    }

    pub(crate) fn fit(&self, start: NaiveDateTime, end: NaiveDateTime) -> Fit {
        let Some(&(from, to)) = self
            .periods
            .iter()
            .find(|(from, to)| start < *to && end > *from)
        else {
            return Fit::Outside;
        };
        let on_grid = start >= from
            && (start - from).num_seconds() % (self.minutes * 60) == 0
            && end - start == self.length()
            && end <= to;
        if on_grid {
            Fit::Slot
        } else {
            Fit::OffGrid(from, to)
        }
    }

    /// Every slot, in time order.
    pub(crate) fn slots(&self) -> impl Iterator<Item = (NaiveDateTime, NaiveDateTime)> + '_ {
        let length = self.length();
        self.periods.iter().flat_map(move |&(from, to)| {
            let count = (to - from).num_minutes() / self.minutes;
            (0..count).map(move |n| {
                let start = from + length * n as i32;
                (start, start + length)
            })
        })
    }

    /// The refusal of a time in a period that is not one of its slots.
    pub(crate) fn off_grid(&self, from: NaiveDateTime, to: NaiveDateTime) -> AppError {
        let first: Vec<String> = (0..3)
            .map(|n| from + self.length() * n)
            .filter(|start| *start + self.length() <= to)
            .map(|start| start.format("%H:%M").to_string())
            .collect();
        AppError::field(
            "appointment_time",
            format!(
                "From {} to {} meetings are booked in slots of {} minutes ({} …). Please pick one of them.",
                from.format("%H:%M"),
                to.format("%H:%M"),
                self.minutes,
                first.join(", "),
            ),
        )
    }
}

async fn periods_of(
    conn: &mut AsyncMysqlConnection,
    event_id: i32,
) -> Result<Vec<(NaiveDateTime, NaiveDateTime)>, AppError> {
    Ok(meeting_periods::table
        .filter(meeting_periods::event_id.eq(event_id))
        .order(meeting_periods::starts_at)
        .select((meeting_periods::starts_at, meeting_periods::ends_at))
        .load(conn)
        .await?)
}

async fn places_of(
    conn: &mut AsyncMysqlConnection,
    event_id: i32,
) -> Result<Vec<MeetingPlace>, AppError> {
    let rows: Vec<(i32, String)> = meeting_places::table
        .filter(meeting_places::event_id.eq(event_id))
        .order((meeting_places::position, meeting_places::id))
        .select((meeting_places::id, meeting_places::name))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| MeetingPlace { id, name })
        .collect())
}

/// The names of these places, by id.
pub(crate) async fn places_by_id(
    conn: &mut AsyncMysqlConnection,
    ids: &[i32],
) -> Result<HashMap<i32, MeetingPlace>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String)> = meeting_places::table
        .filter(meeting_places::id.eq_any(ids))
        .select((meeting_places::id, meeting_places::name))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (id, MeetingPlace { id, name }))
        .collect())
}

async fn read(conn: &mut AsyncMysqlConnection, event_id: i32) -> Result<MeetingPlan, AppError> {
    let slot_minutes: Option<i32> = events_table::table
        .find(event_id)
        .select(events_table::meeting_slot_minutes)
        .first(conn)
        .await?;
    let periods = periods_of(conn, event_id)
        .await?
        .into_iter()
        .map(|(starts_at, ends_at)| MeetingPeriod { starts_at, ends_at })
        .collect();
    let places = places_of(conn, event_id).await?;
    Ok(MeetingPlan {
        slot_minutes,
        periods,
        places,
    })
}

/// The event's meeting plan; its organiser's only.
pub async fn plan(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<MeetingPlan, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    read(conn, event_id).await
}

struct CheckedPlan {
    minutes: Option<i32>,
    periods: Vec<(NaiveDateTime, NaiveDateTime)>,
    places: Vec<String>,
}

fn check_plan(input: &MeetingPlanInput, event: &events::EventRow) -> Result<CheckedPlan, AppError> {
    let periods_error = |message: String| AppError::field("periods", message);
    if input.periods.len() > MAX_PERIODS {
        return Err(periods_error(format!(
            "An event has at most {MAX_PERIODS} meeting periods."
        )));
    }
    let minutes = match input.slot_minutes {
        None if input.periods.is_empty() => None,
        None => {
            return Err(AppError::field(
                "slot_minutes",
                "Say how long a meeting slot lasts.",
            ))
        }
        Some(n) if (MIN_SLOT_MINUTES..=i64::from(MAX_MINUTES)).contains(&n) => Some(n),
        Some(_) => {
            return Err(AppError::field(
                "slot_minutes",
                format!("A slot lasts from {MIN_SLOT_MINUTES} to {MAX_MINUTES} minutes."),
            ))
        }
    };
    let mut periods = Vec::with_capacity(input.periods.len());
    for (n, period) in input.periods.iter().enumerate() {
        let n = n + 1;
        let parse = |raw: &str| {
            parse_local_datetime(raw)
                .map_err(|problem| periods_error(format!("Period {n}: {problem}")))
        };
        let (from, to) = (parse(&period.starts_at)?, parse(&period.ends_at)?);
        if to <= from {
            return Err(periods_error(format!("Period {n} ends before it starts.")));
        }
        if from < event.start_time || to > event.end_time {
            return Err(periods_error(format!(
                "Period {n} must lie within the event, {} – {}.",
                event.start_time.format("%a %-d %b %H:%M"),
                event.end_time.format("%a %-d %b %H:%M"),
            )));
        }
        if let Some(minutes) = minutes {
            if (to - from).num_minutes() < minutes {
                return Err(periods_error(format!(
                    "Period {n} is shorter than one slot of {minutes} minutes."
                )));
            }
        }
        periods.push((from, to));
    }
    periods.sort();
    if let Some(pair) = periods.windows(2).find(|pair| pair[1].0 < pair[0].1) {
        return Err(periods_error(format!(
            "The periods from {} and from {} overlap.",
            pair[0].0.format("%a %H:%M"),
            pair[1].0.format("%a %H:%M"),
        )));
    }
    if let Some(minutes) = minutes {
        let slots: i64 = periods
            .iter()
            .map(|(from, to)| (*to - *from).num_minutes() / minutes)
            .sum();
        if slots > MAX_SLOTS {
            return Err(periods_error(format!(
                "That makes {slots} slots; a plan holds at most {MAX_SLOTS}. Make the slots longer or the periods fewer."
            )));
        }
    }
    let places = name_list(
        &input.places,
        MAX_PLACES,
        MAX_PLACE_CHARS,
        "Each place",
        &format!("An event has at most {MAX_PLACES} places to meet."),
    )
    .map_err(|problem| AppError::field("places", problem))?;
    Ok(CheckedPlan {
        minutes: minutes.map(|m| m as i32),
        periods,
        places,
    })
}

/// Replaces the event's plan (its organiser's only). A place whose name is kept (letter case
/// aside) keeps its meetings. Refused with 409 `plan_in_use`, changing nothing, when an
/// accepted meeting holds a place that would go or a slot the new plan no longer has.
pub async fn set_plan(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: MeetingPlanInput,
) -> Result<MeetingPlan, AppError> {
    let event = events::owned_row(conn, actor, event_id).await?;
    let plan = check_plan(&input, &event)?;
    crate::db::transaction!(conn, async |conn| {
        // One plan edit at a time per event.
        events_table::table
            .find(event_id)
            .select(events_table::id)
            .for_update()
            .first::<i32>(conn)
            .await?;
        let existing = places_of(conn, event_id).await?;
        let find = |name: &str| {
            existing
                .iter()
                .find(|old| old.name.to_lowercase() == name.to_lowercase())
                .map(|old| old.id)
        };
        let kept: Vec<i32> = plan.places.iter().filter_map(|n| find(n)).collect();
        let gone: Vec<&MeetingPlace> = existing.iter().filter(|p| !kept.contains(&p.id)).collect();
        let gone_ids: Vec<i32> = gone.iter().map(|p| p.id).collect();
        let held: Option<i32> = appointments::table
            .filter(appointments::place_id.eq_any(&gone_ids))
            .select(appointments::place_id.assume_not_null())
            .first(conn)
            .await
            .optional()?;
        if let Some(place) = held.and_then(|id| gone.iter().find(|p| p.id == id)) {
            return Err(AppError::conflict(
                "plan_in_use",
                format!(
                    "{} holds accepted meetings, so it stays in the plan until they are cancelled.",
                    place.name
                ),
            ));
        }
        let new_grid = plan.minutes.map(|minutes| Grid {
            minutes: i64::from(minutes),
            periods: plan.periods.clone(),
        });
        let booked: Vec<(NaiveDateTime, i32)> = appointments::table
            .filter(appointments::event_id.eq(event_id))
            .filter(appointments::place_id.is_not_null())
            .select((appointments::appointment_time, appointments::duration_minutes))
            .distinct()
            .load(conn)
            .await?;
        let lost = booked.iter().find(|(start, minutes)| {
            let end = *start + Duration::minutes(i64::from(*minutes));
            new_grid
                .as_ref()
                .is_none_or(|grid| grid.fit(*start, end) != Fit::Slot)
        });
        if let Some((start, _)) = lost {
            return Err(AppError::conflict(
                "plan_in_use",
                format!(
                    "Meetings are booked at tables in the slot of {}, which this plan no longer has. Keep that slot, or have them cancelled first.",
                    start.format("%a %-d %b %H:%M")
                ),
            ));
        }
        if !gone_ids.is_empty() {
            diesel::delete(meeting_places::table.filter(meeting_places::id.eq_any(&gone_ids)))
                .execute(conn)
                .await?;
        }
        for (position, name) in plan.places.iter().enumerate() {
            let position = position as i32;
            match find(name) {
                Some(id) => {
                    diesel::update(meeting_places::table.find(id))
                        .set((
                            meeting_places::name.eq(name),
                            meeting_places::position.eq(position),
                        ))
                        .execute(conn)
                        .await?;
                }
                None => {
                    diesel::insert_into(meeting_places::table)
                        .values((
                            meeting_places::event_id.eq(event_id),
                            meeting_places::name.eq(name),
                            meeting_places::position.eq(position),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
        }
        diesel::delete(meeting_periods::table.filter(meeting_periods::event_id.eq(event_id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = plan
            .periods
            .iter()
            .map(|(from, to)| {
                (
                    meeting_periods::event_id.eq(event_id),
                    meeting_periods::starts_at.eq(*from),
                    meeting_periods::ends_at.eq(*to),
                )
            })
            .collect();
        if !rows.is_empty() {
            diesel::insert_into(meeting_periods::table)
                .values(rows)
                .execute(conn)
                .await?;
        }
        diesel::update(events_table::table.find(event_id))
            .set(events_table::meeting_slot_minutes.eq(plan.minutes))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await
    .map_err(|error| match error {
        // The database compares names without letter case and accents ("Café", "cafe").
        AppError::Conflict { code, .. } if code == "duplicate" => AppError::field(
            "places",
            "Two of these are the same name once accents and letter case are set aside.",
        ),
        other => other,
    })?;
    read(conn, event_id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 5, 4)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn grid() -> Grid {
        Grid {
            minutes: 20,
            periods: vec![(at(10, 0), at(11, 10)), (at(14, 0), at(14, 40))],
        }
    }

    #[test]
    fn periods_are_cut_into_whole_slots_from_their_start() {
        let starts: Vec<String> = grid()
            .slots()
            .map(|(start, _)| start.format("%H:%M").to_string())
            .collect();
        assert_eq!(starts, ["10:00", "10:20", "10:40", "14:00", "14:20"]);
    }

    #[test]
    fn a_time_is_a_slot_outside_or_off_the_grid() {
        let grid = grid();
        assert_eq!(grid.fit(at(10, 20), at(10, 40)), Fit::Slot);
        assert_eq!(grid.fit(at(12, 0), at(13, 30)), Fit::Outside);
        assert_eq!(
            grid.fit(at(10, 30), at(10, 50)),
            Fit::OffGrid(at(10, 0), at(11, 10))
        );
        // The right start but the wrong length, the leftover 10 minutes, or reaching in.
        assert_eq!(
            grid.fit(at(10, 20), at(10, 50)),
            Fit::OffGrid(at(10, 0), at(11, 10))
        );
        assert_eq!(
            grid.fit(at(11, 0), at(11, 20)),
            Fit::OffGrid(at(10, 0), at(11, 10))
        );
        assert_eq!(
            grid.fit(at(13, 50), at(14, 10)),
            Fit::OffGrid(at(14, 0), at(14, 40))
        );
    }
}
