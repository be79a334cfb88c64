use super::events::find_row as find_event_row;
use super::{events, random_hex, Actor};
use crate::auth::{hash_password, SessionUser, UserKey};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::{AttendeeRegistration, PageParams};
use crate::models::{Attendee, Page};
use crate::schema::{attendees, checkins, connections, events as events_table};
use crate::validate::{optional_text, required_text, Checker, Email, EventCode, Password};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, RunQueryDsl};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = attendees, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct AttendeeRow {
    pub id: i32,
    pub event_id: i32,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub introduction: Option<String>,
    pub profile_picture: Option<String>,
    pub checkin_token: String,
    pub created_at: NaiveDateTime,
}

/// How much of a profile the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    /// The attendee themself: everything, including their check-in token.
    Own,
    /// The owning organiser or an accepted connection: contact details too.
    Contact,
    /// Another attendee of the same event.
    Public,
}

impl AttendeeRow {
    pub(crate) fn view(self, visibility: Visibility) -> Attendee {
        Attendee {
            id: self.id,
            event_id: self.event_id,
            email: (visibility != Visibility::Public).then_some(self.email),
            first_name: self.first_name,
            last_name: self.last_name,
            organisation: self.organisation,
            role: self.role,
            introduction: self.introduction,
            profile_picture: self.profile_picture,
            created_at: self.created_at,
            checkin_token: (visibility == Visibility::Own).then_some(self.checkin_token),
            checked_in_at: None,
        }
    }
}

struct Profile {
    first_name: String,
    last_name: String,
    organisation: Option<String>,
    role: Option<String>,
    introduction: Option<String>,
}

fn check_profile(checker: &mut Checker, input: &AttendeeRegistration) -> Option<Profile> {
    let first_name = checker.check(
        "first_name",
        required_text(&input.first_name, 100, "First name"),
    );
    let last_name = checker.check(
        "last_name",
        required_text(&input.last_name, 100, "Last name"),
    );
    let organisation = checker.check(
        "organisation",
        optional_text(
            input.organisation.as_deref().unwrap_or(""),
            255,
            "Organisation",
        ),
    );
    let role = checker.check(
        "role",
        optional_text(input.role.as_deref().unwrap_or(""), 255, "Role"),
    );
    let introduction = checker.check(
        "introduction",
        optional_text(
            input.introduction.as_deref().unwrap_or(""),
            2_000,
            "Introduction",
        ),
    );
    Some(Profile {
        first_name: first_name?,
        last_name: last_name?,
        organisation: organisation?,
        role: role?,
        introduction: introduction?,
    })
}

async fn resolve_event(
    conn: &mut DbConn<'_>,
    event_id: Option<i32>,
    event_code: Option<&str>,
) -> Result<i32, AppError> {
    match (
        event_id,
        event_code.map(str::trim).filter(|c| !c.is_empty()),
    ) {
        (Some(id), _) => Ok(find_event_row(conn, id).await?.id),
        (None, Some(code)) => {
            let code = EventCode::parse(code).map_err(|_| AppError::not_found("Event"))?;
            events_table::table
                .filter(events_table::code.eq(code.as_str()))
                .select(events_table::id)
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("Event"))
        }
        (None, None) => Err(AppError::field(
            "event_code",
            "Say which event: event_id or event_code.",
        )),
    }
}

/// RSVP: creates the attendee record, counting against the event's capacity.
pub async fn register(
    conn: &mut DbConn<'_>,
    input: AttendeeRegistration,
) -> Result<(Attendee, SessionUser), AppError> {
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    let password = checker.check("password", Password::parse(&input.password));
    let profile = check_profile(&mut checker, &input);
    checker.finish()?;
    let (email, password, profile) = (email.unwrap(), password.unwrap(), profile.unwrap());
    let event_id = resolve_event(conn, input.event_id, input.event_code.as_deref()).await?;

    // Hash before taking the event lock: the lock is held for milliseconds, not a hash.
    let password_hash = hash_password(&password).await?;
    let token = random_hex(20);
    let result = conn
        .transaction::<_, AppError, _>(async |conn| {
            // Registrations for one event queue on this row lock, so capacity holds under load.
            let max: Option<i32> = events_table::table
                .find(event_id)
                .select(events_table::max_attendees)
                .for_update()
                .first(conn)
                .await?;
            if let Some(max) = max {
                let count: i64 = attendees::table
                    .filter(attendees::event_id.eq(event_id))
                    .count()
                    .get_result(conn)
                    .await?;
                if count >= i64::from(max) {
                    return Err(AppError::conflict(
                        "event_full",
                        "Sorry, this event is full.",
                    ));
                }
            }
            diesel::insert_into(attendees::table)
                .values((
                    attendees::event_id.eq(event_id),
                    attendees::email.eq(email.as_str()),
                    attendees::password_hash.eq(&password_hash),
                    attendees::first_name.eq(&profile.first_name),
                    attendees::last_name.eq(&profile.last_name),
                    attendees::organisation.eq(&profile.organisation),
                    attendees::role.eq(&profile.role),
                    attendees::introduction.eq(&profile.introduction),
                    attendees::checkin_token.eq(&token),
                ))
                .execute(conn)
                .await
                .map_err(|error| match error {
                    DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                        AppError::conflict(
                            "already_registered",
                            "This email is already registered for this event. Log in instead.",
                        )
                    }
                    other => other.into(),
                })?;
            Ok(attendees::table
                .filter(attendees::checkin_token.eq(&token))
                .select(AttendeeRow::as_select())
                .first(conn)
                .await?)
        })
        .await?;
    let user = SessionUser::new(UserKey::Attendee(result.id), Some(event_id), password_hash);
    Ok((result.view(Visibility::Own), user))
}

async fn find_row(conn: &mut DbConn<'_>, id: i32) -> Result<AttendeeRow, AppError> {
    attendees::table
        .find(id)
        .select(AttendeeRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Attendee"))
}

async fn are_connected(conn: &mut DbConn<'_>, a: i32, b: i32) -> Result<bool, AppError> {
    let count: i64 = connections::table
        .filter(connections::status.eq("accepted"))
        .filter(
            (connections::attendee_id
                .eq(a)
                .and(connections::connected_attendee_id.eq(b)))
            .or(connections::attendee_id
                .eq(b)
                .and(connections::connected_attendee_id.eq(a))),
        )
        .count()
        .get_result(conn)
        .await?;
    Ok(count > 0)
}

/// A profile, for the attendee themself, attendees of the same event, or the owning organiser.
/// Anyone else gets 404 so that profiles cannot be probed.
pub async fn get(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<Attendee, AppError> {
    let row = find_row(conn, id).await?;
    let visibility = match *actor {
        Actor::Anonymous => return Err(AppError::Unauthenticated),
        Actor::Attendee { id: me, .. } if me == id => Visibility::Own,
        Actor::Attendee { id: me, event_id } if event_id == row.event_id => {
            if are_connected(conn, me, id).await? {
                Visibility::Contact
            } else {
                Visibility::Public
            }
        }
        Actor::Organizer { id: organizer }
            if find_event_row(conn, row.event_id).await?.organizer_id == organizer =>
        {
            Visibility::Contact
        }
        _ => return Err(AppError::not_found("Attendee")),
    };
    Ok(row.view(visibility))
}

/// How an attendee list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AttendeeSort {
    #[default]
    Name,
    Organisation,
    /// Newest registration first.
    Registered,
}

impl AttendeeSort {
    /// Unknown values fall back to the default order rather than failing the list.
    pub fn parse(raw: Option<&str>) -> Self {
        match raw.map(str::trim) {
            Some("organisation") => Self::Organisation,
            Some("registered") => Self::Registered,
            _ => Self::Name,
        }
    }
}

/// The attendees of an event, for its organiser or its own attendees; `q` matches name,
/// organisation or role. The organiser also sees each one's check-in time.
pub async fn list_for_event(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    q: Option<&str>,
    sort: AttendeeSort,
    page: PageParams,
) -> Result<Page<Attendee>, AppError> {
    let visibility = match *actor {
        Actor::Anonymous => return Err(AppError::Unauthenticated),
        Actor::Organizer { .. } => {
            events::owned_row(conn, actor, event_id).await?;
            Visibility::Contact
        }
        Actor::Attendee { event_id: mine, .. } if mine == event_id => Visibility::Public,
        Actor::Attendee { .. } => return Err(AppError::Forbidden),
    };
    let organiser = matches!(actor, Actor::Organizer { .. });
    let pattern = q
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| format!("%{}%", escape_like(q)));
    let filtered = || {
        let mut query = attendees::table
            .left_join(checkins::table)
            .filter(attendees::event_id.eq(event_id))
            .into_boxed();
        if let Some(pattern) = &pattern {
            query = query.filter(
                attendees::first_name
                    .like(pattern.clone())
                    .or(attendees::last_name.like(pattern.clone()))
                    .or(attendees::organisation.like(pattern.clone()))
                    .or(attendees::role.like(pattern.clone())),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let ordered = match sort {
        AttendeeSort::Name => filtered().order((
            attendees::last_name.asc(),
            attendees::first_name.asc(),
            attendees::id.asc(),
        )),
        // Same column order as the (event_id, organisation, last_name, first_name) index.
        AttendeeSort::Organisation => filtered().order((
            attendees::organisation.asc(),
            attendees::last_name.asc(),
            attendees::first_name.asc(),
            attendees::id.asc(),
        )),
        AttendeeSort::Registered => {
            filtered().order((attendees::created_at.desc(), attendees::id.desc()))
        }
    };
    let rows: Vec<(AttendeeRow, Option<NaiveDateTime>)> = ordered
        .limit(page.limit())
        .offset(page.offset())
        .select((AttendeeRow::as_select(), checkins::checked_in_at.nullable()))
        .load(conn)
        .await?;
    let items = rows
        .into_iter()
        .map(|(row, checked_in_at)| Attendee {
            checked_in_at: checked_in_at.filter(|_| organiser),
            ..row.view(visibility)
        })
        .collect();
    Ok(Page { items, total })
}

/// Every attendee of the event as CSV (UTF-8 with a BOM so spreadsheets read the accents),
/// for its organiser.
pub async fn export_csv(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<Vec<u8>, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let rows: Vec<(AttendeeRow, Option<NaiveDateTime>)> = attendees::table
        .left_join(checkins::table)
        .filter(attendees::event_id.eq(event_id))
        .order((
            attendees::last_name.asc(),
            attendees::first_name.asc(),
            attendees::id.asc(),
        ))
        .select((AttendeeRow::as_select(), checkins::checked_in_at.nullable()))
        .load(conn)
        .await?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let header = [
            "id",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "role",
            "registered_at",
            "checked_in_at",
        ];
        writer
            .write_record(header)
            .map_err(|_| AppError::Internal)?;
        for (row, checked_in_at) in rows {
            let time = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
            let record = [
                row.id.to_string(),
                spreadsheet_safe(&row.first_name),
                spreadsheet_safe(&row.last_name),
                spreadsheet_safe(&row.email),
                spreadsheet_safe(row.organisation.as_deref().unwrap_or("")),
                spreadsheet_safe(row.role.as_deref().unwrap_or("")),
                time(row.created_at),
                checked_in_at.map(time).unwrap_or_default(),
            ];
            writer
                .write_record(&record)
                .map_err(|_| AppError::Internal)?;
        }
        writer.flush().map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
/// apostrophe, so a name like `=HYPERLINK(...)` stays text.
pub fn spreadsheet_safe(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_defused_and_names_kept() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Zoë Łukasz 山田"), "Zoë Łukasz 山田");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
