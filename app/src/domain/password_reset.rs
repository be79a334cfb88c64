//! "Forgot your password?" for both roles: a link by mail, valid one hour, used once. Only
//! the SHA-256 of the link's token is kept (the outbox holds the token itself until the mail
//! is sent). The answer to a request is the same whether or not the account exists.

use super::accounts::Role;
use super::outbox::{self, MailKind, NewMail};
use super::random_hex;
use crate::auth::hash_password;
use crate::db::DbPool;
use crate::error::AppError;
use crate::schema::{attendees, organizers, password_resets};
use crate::validate::{Email, Password};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// How long a link works.
pub const VALID_FOR: Duration = Duration::hours(1);
/// Links sent to one address per hour; further requests are answered alike but send nothing,
/// so nobody can flood an inbox through the form.
pub const PER_EMAIL_PER_HOUR: i64 = 3;

pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Organizer => "organizer",
        Role::Attendee => "attendee",
    }
}

pub fn parse_role(raw: &str) -> Result<Role, AppError> {
    match raw {
        "organizer" => Ok(Role::Organizer),
        "attendee" => Ok(Role::Attendee),
        _ => Err(AppError::field(
            "role",
            "Say \"organizer\" or \"attendee\".",
        )),
    }
}

/// Sends a reset link if an account of `role` has this email; answers alike either way.
pub async fn request(pool: &DbPool, role: Role, email: &str) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|problem| AppError::field("email", problem))?;
    let conn = &mut pool.get().await?;
    let exists: i64 = match role {
        Role::Organizer => {
            organizers::table
                .filter(organizers::email.eq(email.as_str()))
                .count()
                .get_result(conn)
                .await?
        }
        Role::Attendee => {
            attendees::table
                .filter(attendees::email.eq(email.as_str()))
                .count()
                .get_result(conn)
                .await?
        }
    };
    if exists == 0 {
        return Ok(());
    }
    let now = Utc::now().naive_utc();
    let recent: i64 = password_resets::table
        .filter(password_resets::email.eq(email.as_str()))
        .filter(password_resets::created_at.gt(now - Duration::hours(1)))
        .count()
        .get_result(conn)
        .await?;
    if recent >= PER_EMAIL_PER_HOUR {
        tracing::info!("password reset refused: too many for one address this hour");
        return Ok(());
    }
    let token = random_hex(32);
    crate::db::transaction!(conn, async |conn| {
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::token_hash.eq(token_hash(&token)),
                password_resets::role.eq(role_name(role)),
                password_resets::email.eq(email.as_str()),
                password_resets::expires_at.eq(now + VALID_FOR),
                password_resets::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        outbox::enqueue(
            conn,
            vec![NewMail {
                kind: MailKind::PasswordReset,
                recipient: email.as_str().to_owned(),
                event_id: None,
                attendee_id: None,
                subject_id: None,
                secret: Some(token.clone()),
                facts: None,
                due_at: None,
            }],
        )
        .await
    })
    .await
}

fn invalid_token() -> AppError {
    AppError::bad_request(
        "invalid_token",
        "This reset link is not valid any more. Ask for a new one.",
    )
}

/// Sets the new password of the link's account (every registration of an attendee's email)
/// and uses the link up. Sessions of the account end: each carries a digest of the password
/// hash it logged in with (axum-login's session auth hash), which no longer matches.
/// Returns the account's role and email, for logging the person in where a page asks.
pub async fn confirm(
    pool: &DbPool,
    token: &str,
    password: &str,
) -> Result<(Role, Email), AppError> {
    let password = Password::parse(password).map_err(|p| AppError::field("password", p))?;
    let hash = token_hash(token);
    let now = Utc::now().naive_utc();
    let found: Option<(String, String)> = {
        let conn = &mut pool.get().await?;
        password_resets::table
            .find(&hash)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(now))
            .select((password_resets::role, password_resets::email))
            .first(conn)
            .await
            .optional()?
    };
    let (role, email) = found.ok_or_else(invalid_token)?;
    let role = parse_role(&role).map_err(|_| invalid_token())?;
    let email = Email::parse(&email).map_err(|_| invalid_token())?;
    let password_hash = hash_password(&password).await?;
    let conn = &mut pool.get().await?;
    crate::db::transaction!(conn, async |conn| {
        let used = diesel::update(
            password_resets::table
                .find(&hash)
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(now))
        .execute(conn)
        .await?;
        if used == 0 {
            return Err(invalid_token());
        }
        match role {
            Role::Organizer => {
                diesel::update(organizers::table.filter(organizers::email.eq(email.as_str())))
                    .set(organizers::password_hash.eq(&password_hash))
                    .execute(conn)
                    .await?
            }
            Role::Attendee => {
                diesel::update(attendees::table.filter(attendees::email.eq(email.as_str())))
                    .set(attendees::password_hash.eq(&password_hash))
                    .execute(conn)
                    .await?
            }
        };
        Ok(())
    })
    .await?;
    Ok((role, email))
}
