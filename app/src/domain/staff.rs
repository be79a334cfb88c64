//! Check-in staff: the organiser gives each person at the door a named link that opens the
//! scanner for that one event, and can revoke it at any moment.

use super::events::{self, utc_now};
use super::{random_hex, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::inputs::StaffInput;
use crate::models::{Page, StaffAccess, StaffLinkPreview, StaffRole};
use crate::schema::staff_access;
use crate::validate::required_text;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

#[derive(Queryable, Selectable)]
#[diesel(table_name = staff_access, check_for_backend(diesel::mysql::Mysql))]
struct StaffRow {
    id: i32,
    event_id: i32,
    name: String,
    token: String,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    role: String,
    list_id: Option<i32>,
}

impl StaffRow {
    /// The organiser's view: the link's token while it still works.
    fn for_organiser(self) -> StaffAccess {
        // A kiosk's token opened it on its tablet and is never handed out.
        let token = (self.revoked_at.is_none() && self.role != StaffRole::Kiosk.as_str())
            .then(|| self.token.clone());
        StaffAccess {
            token,
            ..self.for_staff()
        }
    }

    fn for_staff(self) -> StaffAccess {
        StaffAccess {
            id: self.id,
            event_id: self.event_id,
            name: self.name,
            token: None,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
            // The column's CHECK admits only the three names.
            role: StaffRole::parse(&self.role).unwrap_or_default(),
            list_id: self.list_id,
        }
    }
}

/// A new door link: a steward unless `role` says supervisor, bound to `list_id` when given
/// (one of this event's lists).
pub async fn create(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: StaffInput,
) -> Result<StaffAccess, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let name = required_text(&input.name, 100, "Name").map_err(|p| AppError::field("name", p))?;
    let role = match input.role.as_deref().map(str::trim) {
        None | Some("") => StaffRole::default(),
        // A kiosk is started on its tablet (`start_kiosk`), not sent as a link.
        Some(raw) => StaffRole::parse(raw)
            .filter(|role| *role != StaffRole::Kiosk)
            .ok_or_else(|| {
                AppError::field(
                    "role",
                    "Role is \"steward\" (scans only) or \"supervisor\".",
                )
            })?,
    };
    if let Some(list_id) = input.list_id {
        super::checkin_lists::resolve(conn, event_id, Some(list_id))
            .await
            .map_err(|error| match error {
                AppError::NotFound(_) => {
                    AppError::field("list_id", "That check-in list is not this event's.")
                }
                other => other,
            })?;
    }
    let token = random_hex(32);
    diesel::insert_into(staff_access::table)
        .values((
            staff_access::event_id.eq(event_id),
            staff_access::name.eq(&name),
            staff_access::token.eq(&token),
            staff_access::role.eq(role.as_str()),
            staff_access::list_id.eq(input.list_id),
        ))
        .execute(conn)
        .await?;
    let row = staff_access::table
        .filter(staff_access::token.eq(&token))
        .select(StaffRow::as_select())
        .first(conn)
        .await?;
    Ok(row.for_organiser())
}

/// Starts a self check-in kiosk for the event: the organiser or a supervisor turns their
/// device into one. Answers the kiosk access's token, which the device's session logs in
/// with (`accounts::start_kiosk`); the kiosk scans into the starter's list, if bound to one.
pub(crate) async fn start_kiosk(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<String, AppError> {
    let keeper = super::door_keeper::door_keeper(conn, actor, event_id).await?;
    keeper.supervises()?;
    let list_id = keeper.bound_list();
    let token = random_hex(32);
    diesel::insert_into(staff_access::table)
        .values((
            staff_access::event_id.eq(event_id),
            staff_access::name.eq("Self check-in kiosk"),
            staff_access::token.eq(&token),
            staff_access::role.eq(StaffRole::Kiosk.as_str()),
            staff_access::list_id.eq(list_id),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// Ends the kiosk `staff_id` of the event for its organiser `actor`; anything but a kiosk of
/// that event is 404.
pub(crate) async fn end_kiosk(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    staff_id: i32,
) -> Result<(), AppError> {
    let role: Option<String> = staff_access::table
        .find(staff_id)
        .filter(staff_access::event_id.eq(event_id))
        .select(staff_access::role)
        .first(conn)
        .await
        .optional()?;
    if role.as_deref() != Some(StaffRole::Kiosk.as_str()) {
        return Err(AppError::not_found("Kiosk"));
    }
    revoke(conn, actor, event_id, staff_id).await
}

/// The event's staff accesses, newest first, revoked ones included.
pub async fn list(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    page: PageParams,
) -> Result<Page<StaffAccess>, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let of_event = || staff_access::table.filter(staff_access::event_id.eq(event_id));
    let total: i64 = of_event().count().get_result(conn).await?;
    let rows: Vec<StaffRow> = of_event()
        .order((staff_access::created_at.desc(), staff_access::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(StaffRow::as_select())
        .load(conn)
        .await?;
    let items = rows.into_iter().map(StaffRow::for_organiser).collect();
    Ok(Page { items, total })
}

/// Ends a staff access; its sessions stop at their next request.
pub async fn revoke(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    staff_id: i32,
) -> Result<(), AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let changed = diesel::update(
        staff_access::table
            .filter(staff_access::id.eq(staff_id))
            .filter(staff_access::event_id.eq(event_id)),
    )
    .set(staff_access::revoked_at.eq(utc_now()))
    .execute(conn)
    .await?;
    if changed == 0 {
        return Err(AppError::not_found("Staff access"));
    }
    Ok(())
}

/// What a door link opens, for the page that shows it before the phone logs in with it. A
/// revoked or unknown link is 404.
pub async fn preview(conn: &mut DbConn<'_>, token: &str) -> Result<StaffLinkPreview, AppError> {
    let gone = || AppError::not_found("Door link");
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(gone());
    }
    let (event_id, staff_name): (i32, String) = staff_access::table
        .filter(staff_access::token.eq(token))
        .filter(staff_access::revoked_at.is_null())
        .select((staff_access::event_id, staff_access::name))
        .first(conn)
        .await
        .optional()?
        .ok_or_else(gone)?;
    let event = events::get(conn, event_id).await?;
    Ok(StaffLinkPreview {
        event_id,
        event_name: event.name.clone(),
        event_when: event.when(),
        staff_name,
    })
}

/// The staff member logged in.
pub async fn find(conn: &mut DbConn<'_>, id: i32) -> Result<StaffAccess, AppError> {
    staff_access::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(StaffRow::for_staff)
        .ok_or(AppError::Unauthenticated)
}
