//! Badges: who goes on a sheet, in which order, on which label stock; and which badges have
//! been printed already.

use super::events::{self, utc_now};
use super::Actor;
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::models::{BadgeChoice, Event, MyBadge};
use crate::schema::attendees;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// What one badge shows: the attendee's organisation and role only when they let it.
#[derive(Debug, Clone)]
pub struct Badge {
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub checkin_token: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attendees, check_for_backend(diesel::mysql::Mysql))]
struct BadgeRow {
    id: i32,
    first_name: String,
    last_name: String,
    organisation: Option<String>,
    role: Option<String>,
    checkin_token: String,
    badge_organisation: bool,
    badge_role: bool,
}

impl BadgeRow {
    fn badge(self) -> Badge {
        Badge {
            id: self.id,
            first_name: self.first_name,
            last_name: self.last_name,
            organisation: self.organisation.filter(|_| self.badge_organisation),
            role: self.role.filter(|_| self.badge_role),
            checkin_token: self.checkin_token,
        }
    }
}

pub use crate::models::{BadgeLayout as Layout, LayoutSpec};

/// Which attendees a sheet holds.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these attendees (of the event).
    pub ids: Option<Vec<i32>>,
    /// Only those whose badge was never printed.
    pub not_printed: bool,
}

impl Selection {
    /// `ids=3,5,8` and `only=not_printed` as the query string has them.
    pub fn parse(ids: Option<&str>, only: Option<&str>) -> Result<Self, AppError> {
        let ids = match ids.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|id| id.trim().parse::<i32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| {
                        AppError::field("ids", "Give attendee ids as numbers separated by commas.")
                    })?,
            ),
        };
        let not_printed = match only.map(str::trim).filter(|s| !s.is_empty()) {
            None => false,
            Some("not_printed") => true,
            Some(_) => {
                return Err(AppError::field(
                    "only",
                    "The only filter is only=not_printed.",
                ))
            }
        };
        Ok(Self { ids, not_printed })
    }
}

/// The event and its badges in print order (last name, first name), for its organiser.
pub async fn for_event(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    selection: &Selection,
) -> Result<(Event, Vec<Badge>), AppError> {
    let event = events::get_owned(conn, actor, event_id).await?;
    let badges = attendees::table
        .filter(selected(event_id, selection))
        .order((
            attendees::last_name.asc(),
            attendees::first_name.asc(),
            attendees::id.asc(),
        ))
        .select(BadgeRow::as_select())
        .load::<BadgeRow>(conn)
        .await?
        .into_iter()
        .map(BadgeRow::badge)
        .collect();
    Ok((event, badges))
}

/// My badge as it will print, with what it may show and what I let it show. For the
/// attendee `id` themself only.
pub async fn mine(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<MyBadge, AppError> {
    let event_id = actor.attendee_itself(id)?;
    let row: BadgeRow = attendees::table
        .find(id)
        .select(BadgeRow::as_select())
        .first(conn)
        .await?;
    let event = events::get(conn, event_id).await?;
    let layout = Layout::default();
    let spec = layout.spec();
    let (organisation, role) = (row.organisation.clone(), row.role.clone());
    let (shows_organisation, shows_role) = (row.badge_organisation, row.badge_role);
    Ok(MyBadge {
        preview: crate::badge_html::preview(&event.name, &row.badge(), layout),
        width_mm: spec.badge_w,
        height_mm: spec.badge_h,
        organisation,
        role,
        shows_organisation,
        shows_role,
    })
}

/// Lets my badge show my organisation and my role, or not; answers the badge as it now is.
pub async fn choose(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    choice: BadgeChoice,
) -> Result<MyBadge, AppError> {
    actor.attendee_itself(id)?;
    diesel::update(attendees::table.find(id))
        .set((
            attendees::badge_organisation.eq(choice.show_organisation),
            attendees::badge_role.eq(choice.show_role),
        ))
        .execute(conn)
        .await?;
    mine(conn, actor, id).await
}

/// A condition on attendees, for a read and an update alike.
type Condition =
    Box<dyn BoxableExpression<attendees::table, Mysql, SqlType = diesel::sql_types::Bool>>;

/// The attendees of the event that `selection` puts on a sheet.
fn selected(event_id: i32, selection: &Selection) -> Condition {
    let mut condition: Condition = Box::new(attendees::event_id.eq(event_id));
    if let Some(ids) = &selection.ids {
        condition = Box::new(condition.and(attendees::id.eq_any(ids.clone())));
    }
    if selection.not_printed {
        condition = Box::new(condition.and(attendees::badge_printed_at.is_null()));
    }
    condition
}

/// The PDF sheet of the selected badges, for the event's organiser. Nothing is recorded:
/// a download is not a print (`mark_printed` records one). Takes the pool: no connection is
/// held while the sheet renders.
pub async fn print(
    pool: &DbPool,
    actor: &Actor,
    event_id: i32,
    selection: &Selection,
    layout: Layout,
) -> Result<(Event, crate::badge_pdf::Sheet, Vec<i32>), AppError> {
    let (event, badges) = for_event(&mut pool.get().await?, actor, event_id, selection).await?;
    // Rendering is CPU work: off the async workers, a few sheets at once.
    let name = event.name.clone();
    let (sheet, badges) = crate::cpu::BADGES
        .run(move || (crate::badge_pdf::render(&name, &badges, layout), badges))
        .await?;
    Ok((event, sheet, badges.iter().map(|badge| badge.id).collect()))
}

/// The print-ready HTML sheet of the selected badges, for the event's organiser, rendered
/// off the async workers like the PDF. `pdf_href` is the same sheet's PDF.
pub async fn print_view(
    pool: &DbPool,
    actor: &Actor,
    event_id: i32,
    selection: &Selection,
    layout: Layout,
    pdf_href: String,
) -> Result<String, AppError> {
    let (event, badges) = for_event(&mut pool.get().await?, actor, event_id, selection).await?;
    crate::cpu::BADGES
        .run(move || crate::badge_html::render(&event.name, &badges, layout, &pdf_href))
        .await
}

/// Which badges came off the printer.
#[derive(Debug, Clone)]
pub enum Printed {
    /// These attendees (API.md's `{attendee_ids}`).
    Ids(Vec<i32>),
    /// The sheet a selection made: its attendees up to the highest id it held, so that
    /// people who registered after the sheet was made are not counted as printed.
    Sheet { selection: Selection, up_to_id: i32 },
}

/// At most this many ids in one request.
pub const MAX_PRINTED_IDS: usize = 20_000;

/// Records a print, for the event's organiser: all the named attendees, or none when one of
/// them is not of this event (400). Answers how many were marked.
pub async fn mark_printed(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    printed: Printed,
) -> Result<usize, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let now = utc_now();
    let mut ids = match printed {
        Printed::Ids(ids) => ids,
        // The sheet's attendees as they are now, up to its last id: one statement.
        Printed::Sheet {
            selection,
            up_to_id,
        } => {
            let marked = diesel::update(
                attendees::table
                    .filter(selected(event_id, &selection))
                    .filter(attendees::id.le(up_to_id)),
            )
            .set(attendees::badge_printed_at.eq(now))
            .execute(conn)
            .await?;
            return Ok(marked);
        }
    };
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_PRINTED_IDS {
        return Err(AppError::field(
            "attendee_ids",
            format!("Name between 1 and {MAX_PRINTED_IDS} attendees."),
        ));
    }
    let mut found = 0;
    for chunk in ids.chunks(1_000) {
        let count: i64 = attendees::table
            .filter(attendees::event_id.eq(event_id))
            .filter(attendees::id.eq_any(chunk))
            .count()
            .get_result(conn)
            .await?;
        found += count as usize;
    }
    if found != ids.len() {
        return Err(AppError::field(
            "attendee_ids",
            "Some of these are not attendees of this event.",
        ));
    }
    // All or nothing, however many chunks.
    crate::db::transaction!(conn, async |conn| {
        for chunk in ids.chunks(1_000) {
            diesel::update(
                attendees::table
                    .filter(attendees::event_id.eq(event_id))
                    .filter(attendees::id.eq_any(chunk)),
            )
            .set(attendees::badge_printed_at.eq(now))
            .execute(conn)
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(ids.len())
}
