use crate::auth::{hash_password, SessionUser, UserKey};
use crate::db::{DbConn, DbPool};
use crate::error::AppError;
use crate::inputs::OrganizerRegistration;
use crate::models::Organizer;
use crate::schema::organizers;
use crate::validate::{required_text, Checker, Email, Password};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organizers, check_for_backend(diesel::mysql::Mysql))]
struct OrganizerRow {
    id: i32,
    email: String,
    name: String,
    created_at: NaiveDateTime,
}

impl From<OrganizerRow> for Organizer {
    fn from(row: OrganizerRow) -> Self {
        Organizer {
            id: row.id,
            email: row.email,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// Takes the pool: no connection is held while the password is hashed.
pub async fn register(
    pool: &DbPool,
    input: OrganizerRegistration,
) -> Result<(Organizer, SessionUser), AppError> {
    let mut checker = Checker::default();
    let email = checker.check("email", Email::parse(&input.email));
    let password = checker.check("password", Password::parse(&input.password));
    let name = checker.check("name", required_text(&input.name, 255, "Name"));
    checker.finish()?;
    let (email, password, name) = (email.unwrap(), password.unwrap(), name.unwrap());

    // A taken email is refused before the costly hash (the unique key decides a race).
    let taken: i64 = organizers::table
        .filter(organizers::email.eq(email.as_str()))
        .count()
        .get_result(&mut pool.get().await?)
        .await?;
    if taken > 0 {
        return Err(email_taken());
    }
    let password_hash = hash_password(&password).await?;
    let conn = &mut pool.get().await?;
    let inserted = diesel::insert_into(organizers::table)
        .values((
            organizers::email.eq(email.as_str()),
            organizers::password_hash.eq(&password_hash),
            organizers::name.eq(&name),
        ))
        .execute(conn)
        .await;
    match inserted {
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            return Err(email_taken());
        }
        other => other?,
    };
    let organizer = find_by_email(conn, &email).await?;
    let user = SessionUser::new(UserKey::Organizer(organizer.id), None, password_hash);
    Ok((organizer, user))
}

fn email_taken() -> AppError {
    AppError::conflict(
        "email_taken",
        "An organiser with this email already exists. Log in instead.",
    )
}

pub async fn find(conn: &mut DbConn<'_>, id: i32) -> Result<Organizer, AppError> {
    organizers::table
        .find(id)
        .select(OrganizerRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(Organizer::from)
        .ok_or_else(|| AppError::not_found("Organiser"))
}

async fn find_by_email(conn: &mut DbConn<'_>, email: &Email) -> Result<Organizer, AppError> {
    Ok(organizers::table
        .filter(organizers::email.eq(email.as_str()))
        .select(OrganizerRow::as_select())
        .first(conn)
        .await?
        .into())
}
