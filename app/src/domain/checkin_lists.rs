//! Check-in lists (gates): the doors and rooms of an event. Each list knows who came in
//! through it and, where it counts exits, who is inside now. Every event has a default list,
//! made when first needed; scans that name no list go to it, so the event-wide check-in of
//! clients from before lists is unchanged.

use super::{events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::{ListInput, PageParams};
use crate::models::{CheckinList, DoorDirection, ListCount, Page};
use crate::schema::{checkin_lists, list_passes};
use crate::validate::required_text;
use chrono::NaiveDateTime;
use diesel::dsl::{case_when, count, count_star};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;
use std::collections::HashMap;

/// The name the default list gets; the organiser's own lists are named by them.
const DEFAULT_NAME: &str = "Main entrance";
/// The most lists one event may have: more doors than any venue has.
pub const MAX_LISTS: i64 = 50;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = checkin_lists, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct ListRow {
    pub id: i32,
    pub event_id: i32,
    pub name: String,
    pub counts_exits: bool,
    /// The event's id on its default list, NULL on the others.
    pub default_for: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl ListRow {
    fn model(self) -> CheckinList {
        CheckinList {
            id: self.id,
            event_id: self.event_id,
            is_default: self.default_for.is_some(),
            name: self.name,
            counts_exits: self.counts_exits,
            created_at: self.created_at,
        }
    }
}

/// The event's default list, made on first need (events from before lists got theirs from
/// the migration; the load-test conference writes events directly).
pub(crate) async fn default_list(
    conn: &mut DbConn<'_>,
    event_id: i32,
) -> Result<ListRow, AppError> {
    let find = async |conn: &mut DbConn<'_>| {
        checkin_lists::table
            .filter(checkin_lists::default_for.eq(event_id))
            .select(ListRow::as_select())
            .first(conn)
            .await
            .optional()
    };
    if let Some(row) = find(conn).await? {
        return Ok(row);
    }
    let made = diesel::insert_into(checkin_lists::table)
        .values((
            checkin_lists::event_id.eq(event_id),
            checkin_lists::name.eq(DEFAULT_NAME),
            checkin_lists::default_for.eq(event_id),
        ))
        .execute(conn)
        .await;
    match made {
        // Another request made it first.
        Ok(_) | Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(other) => return Err(other.into()),
    }
    find(conn).await?.ok_or(AppError::Internal)
}

/// The list a scan goes to: the one named (404 unless it is this event's), else the default.
pub(crate) async fn resolve(
    conn: &mut DbConn<'_>,
    event_id: i32,
    list_id: Option<i32>,
) -> Result<ListRow, AppError> {
    match list_id {
        None => default_list(conn, event_id).await,
        Some(id) => checkin_lists::table
            .find(id)
            .filter(checkin_lists::event_id.eq(event_id))
            .select(ListRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| AppError::not_found("Check-in list")),
    }
}

/// The event's lists, the default first; for its organiser.
pub async fn list(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    page: PageParams,
) -> Result<Page<CheckinList>, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let rows = all_of(conn, event_id).await?;
    let total = rows.len() as i64;
    let items = rows
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(ListRow::model)
        .collect();
    Ok(Page { items, total })
}

/// Every list of the event (at most `MAX_LISTS`), the default first, then as made.
async fn all_of(conn: &mut DbConn<'_>, event_id: i32) -> Result<Vec<ListRow>, AppError> {
    default_list(conn, event_id).await?;
    Ok(checkin_lists::table
        .filter(checkin_lists::event_id.eq(event_id))
        .order((
            checkin_lists::default_for.is_null().asc(),
            checkin_lists::id.asc(),
        ))
        .limit(MAX_LISTS + 1)
        .select(ListRow::as_select())
        .load(conn)
        .await?)
}

/// A new list for the event; its organiser only. Names are unique within the event.
pub async fn create(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: ListInput,
) -> Result<CheckinList, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let name = required_text(&input.name, 100, "Name").map_err(|p| AppError::field("name", p))?;
    let existing = all_of(conn, event_id).await?;
    if existing.len() as i64 >= MAX_LISTS {
        return Err(AppError::conflict(
            "too_many_lists",
            format!("An event has at most {MAX_LISTS} check-in lists."),
        ));
    }
    let made = diesel::insert_into(checkin_lists::table)
        .values((
            checkin_lists::event_id.eq(event_id),
            checkin_lists::name.eq(&name),
            checkin_lists::counts_exits.eq(input.counts_exits),
        ))
        .execute(conn)
        .await;
    match made {
        Ok(_) => {}
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            return Err(AppError::conflict(
                "duplicate_list_name",
                "This event already has a list with that name.",
            ))
        }
        Err(other) => return Err(other.into()),
    }
    let row = checkin_lists::table
        .filter(checkin_lists::event_id.eq(event_id))
        .filter(checkin_lists::name.eq(&name))
        .select(ListRow::as_select())
        .first(conn)
        .await?;
    Ok(row.model())
}

/// What a scan did on its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Passed {
    /// In for the first time on this list (since when: the earliest of its scans).
    Entered(NaiveDateTime),
    /// In again after going out.
    Reentered,
    /// In while already inside, or older than the last scan here: nothing changed (in since
    /// then).
    AlreadyInside(NaiveDateTime),
    /// Out from inside.
    Left,
    /// Out while not inside, or older than the last scan here: nothing changed.
    NotInside,
}

impl Passed {
    /// Whether the scan changed nothing (API.md's `already_checked_in`).
    pub(crate) fn changed_nothing(self) -> bool {
        matches!(self, Passed::AlreadyInside(_) | Passed::NotInside)
    }

    pub(crate) fn went_in(self) -> bool {
        matches!(
            self,
            Passed::Entered(_) | Passed::Reentered | Passed::AlreadyInside(_)
        )
    }
}

/// Records a scan through `list`. Each step is one statement that is safe to repeat, so two
/// phones scanning the same person at once, or a queue synced twice, count them once.
pub(crate) async fn pass(
    conn: &mut DbConn<'_>,
    list: &ListRow,
    attendee_id: i32,
    direction: DoorDirection,
    at: NaiveDateTime,
) -> Result<Passed, AppError> {
    let this = || {
        list_passes::table
            .filter(list_passes::list_id.eq(list.id))
            .filter(list_passes::attendee_id.eq(attendee_id))
    };
    match direction {
        DoorDirection::Out => {
            if !list.counts_exits {
                return Err(AppError::field(
                    "direction",
                    format!("“{}” does not count exits: scan people in only.", list.name),
                ));
            }
            // A scan older than the last one through this door (a queue synced late) does
            // not undo what came after it.
            let left = diesel::update(
                this()
                    .filter(list_passes::inside.eq(true))
                    .filter(list_passes::last_scan_at.le(at)),
            )
            .set((
                list_passes::inside.eq(false),
                list_passes::last_scan_at.eq(at),
            ))
            .execute(conn)
            .await?;
            Ok(if left == 1 {
                Passed::Left
            } else {
                Passed::NotInside
            })
        }
        DoorDirection::In => {
            let first = diesel::insert_into(list_passes::table)
                .values((
                    list_passes::list_id.eq(list.id),
                    list_passes::attendee_id.eq(attendee_id),
                    list_passes::inside.eq(true),
                    list_passes::entries.eq(1),
                    list_passes::first_in_at.eq(at),
                    list_passes::last_scan_at.eq(at),
                ))
                .execute(conn)
                .await;
            match first {
                Ok(_) => return Ok(Passed::Entered(at)),
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
                Err(other) => return Err(other.into()),
            }
            let back = diesel::update(
                this()
                    .filter(list_passes::inside.eq(false))
                    .filter(list_passes::last_scan_at.le(at)),
            )
            .set((
                list_passes::inside.eq(true),
                list_passes::entries.eq(list_passes::entries + 1),
                list_passes::last_scan_at.eq(at),
            ))
            .execute(conn)
            .await?;
            if back == 1 {
                return Ok(Passed::Reentered);
            }
            // Inside already, or an older scan than the last one here (a queue synced late,
            // or sent twice): it changes nothing but an earlier first entry.
            diesel::update(this().filter(list_passes::first_in_at.gt(at)))
                .set(list_passes::first_in_at.eq(at))
                .execute(conn)
                .await?;
            let since: NaiveDateTime = this().select(list_passes::first_in_at).first(conn).await?;
            Ok(Passed::AlreadyInside(since))
        }
    }
}

/// Forgets the attendee's passes on every list of the event (an undone check-in).
pub(crate) async fn forget(
    conn: &mut DbConn<'_>,
    event_id: i32,
    attendee_id: i32,
) -> Result<(), AppError> {
    let lists = checkin_lists::table
        .filter(checkin_lists::event_id.eq(event_id))
        .select(checkin_lists::id);
    diesel::delete(
        list_passes::table
            .filter(list_passes::attendee_id.eq(attendee_id))
            .filter(list_passes::list_id.eq_any(lists)),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Each list's figures, the default first: who came in, and who is inside where exits count.
pub(crate) async fn counts(
    conn: &mut DbConn<'_>,
    event_id: i32,
) -> Result<Vec<ListCount>, AppError> {
    let lists = all_of(conn, event_id).await?;
    let ids: Vec<i32> = lists.iter().map(|l| l.id).collect();
    // One grouped read: the scanner's header asks for it every few seconds.
    let figures: HashMap<i32, (i64, i64)> = list_passes::table
        .filter(list_passes::list_id.eq_any(ids))
        .group_by(list_passes::list_id)
        .select((
            list_passes::list_id,
            count_star(),
            count(case_when(
                list_passes::inside.eq(true),
                list_passes::list_id,
            )),
        ))
        .load::<(i32, i64, i64)>(conn)
        .await?
        .into_iter()
        .map(|(id, came, inside)| (id, (came, inside)))
        .collect();
    Ok(lists
        .into_iter()
        .map(|list| ListCount {
            checked_in: figures.get(&list.id).map_or(0, |f| f.0),
            inside: list
                .counts_exits
                .then(|| figures.get(&list.id).map_or(0, |f| f.1)),
            id: list.id,
            name: list.name,
        })
        .collect())
}

/// The lists a door phone may scan into: only its own for a link bound to one, else every
/// list of the event (default first). For the organiser and the event's staff.
pub async fn for_door(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<Vec<CheckinList>, AppError> {
    let bound = super::door_keeper::door_list_binding(conn, actor, event_id).await?;
    let rows = all_of(conn, event_id).await?;
    Ok(rows
        .into_iter()
        .filter(|row| bound.is_none_or(|id| id == row.id))
        .map(ListRow::model)
        .collect())
}
