//! Login for both roles on axum-login: the session stores a `UserKey`; passwords are argon2
//! PHC strings, hashed and verified on the blocking pool, a few at a time.

use crate::db::DbPool;
use crate::error::AppError;
use crate::schema::{attendees, organizers};
use crate::validate::{Email, Password};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum_login::{AuthUser, AuthnBackend, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

pub type AuthSession = axum_login::AuthSession<Backend>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserKey {
    Organizer(i32),
    Attendee(i32),
    Staff(i32),
}

impl fmt::Display for UserKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserKey::Organizer(id) => write!(f, "organizer:{id}"),
            UserKey::Attendee(id) => write!(f, "attendee:{id}"),
            UserKey::Staff(id) => write!(f, "staff:{id}"),
        }
    }
}

#[derive(Clone)]
pub struct SessionUser {
    pub key: UserKey,
    pub event_id: Option<i32>,
    /// For door staff: what their link may do, and the list it is bound to.
    pub staff_role: crate::models::StaffRole,
    pub staff_list: Option<i32>,
    password_hash: String,
}

impl fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionUser")
            .field("key", &self.key)
            .field("event_id", &self.event_id)
            .finish()
    }
}

impl AuthUser for SessionUser {
    type Id = UserKey;

    fn id(&self) -> UserKey {
        self.key
    }

    // A password change invalidates every other session of that user.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

/// Which event an attendee logs in to; none means their newest matching record.
#[derive(Debug, Clone)]
pub enum EventRef {
    Id(i32),
    Code(String),
}

#[derive(Debug, Clone)]
pub enum Credentials {
    Organizer {
        email: Email,
        password: String,
    },
    Attendee {
        email: Email,
        password: String,
        event: Option<EventRef>,
    },
    /// A staff link's token: 256 random bits, so it needs no attempt limit.
    Staff {
        token: String,
    },
}

impl Credentials {
    fn email(&self) -> Option<&Email> {
        match self {
            Credentials::Organizer { email, .. } | Credentials::Attendee { email, .. } => {
                Some(email)
            }
            Credentials::Staff { .. } => None,
        }
    }
}

#[derive(Clone)]
pub struct Backend {
    pool: DbPool,
    login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Attempts checked so far; every `PRUNE_EVERY` the limiter forgets idle emails.
    checks: Arc<std::sync::atomic::AtomicU64>,
}

/// How often the login limiter drops the emails whose limit has fully recovered, so that
/// guesses at a million made-up addresses cannot grow it without end.
const PRUNE_EVERY: u64 = 1024;

/// An attendee login without an event looks at this person's newest registrations…
const ATTENDEE_RECORDS_TRIED: usize = 20;
/// …and verifies at most this many different password hashes among them, so one guess costs
/// at most this many hashes.
const DISTINCT_HASHES_TRIED: usize = 3;

/// The limiter's key for an email: as the database compares it. utf8mb4_unicode_ci folds
/// case and accents, so `gráce@…` finds Grace's account and must share her limit.
fn login_key(email: &Email) -> String {
    crate::domain::directory::fold(email.as_str())
}

impl Backend {
    /// `attempts_per_minute` login attempts per email address, in bursts of up to that many.
    pub fn new(pool: DbPool, attempts_per_minute: u32) -> Self {
        let burst = NonZeroU32::new(attempts_per_minute.max(1)).unwrap();
        let quota = Quota::with_period(Duration::from_secs(60) / burst.get())
            .unwrap()
            .allow_burst(burst);
        Self {
            pool,
            login_limiter: Arc::new(RateLimiter::keyed(quota)),
            checks: Arc::default(),
        }
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AppError;

    async fn authenticate(
        &self,
        credentials: Credentials,
    ) -> Result<Option<SessionUser>, AppError> {
        if let Some(email) = credentials.email() {
            let checked = self
                .checks
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if checked % PRUNE_EVERY == PRUNE_EVERY - 1 {
                self.login_limiter.retain_recent();
                self.login_limiter.shrink_to_fit();
            }
            if self.login_limiter.check_key(&login_key(email)).is_err() {
                return Err(AppError::TooManyAttempts);
            }
        }
        let mut conn = self.pool.get().await?;
        match credentials {
            Credentials::Organizer { email, password } => {
                let row: Option<(i32, String)> = organizers::table
                    .filter(organizers::email.eq(email.as_str()))
                    .select((organizers::id, organizers::password_hash))
                    .first(&mut conn)
                    .await
                    .optional()?;
                drop(conn);
                let Some((id, hash)) = row else {
                    burn_verification(password).await?;
                    return Ok(None);
                };
                Ok(verify_password(password, hash.clone())
                    .await?
                    .then(|| SessionUser::new(UserKey::Organizer(id), None, hash)))
            }
            Credentials::Attendee {
                email,
                password,
                event,
            } => {
                let mut query = attendees::table
                    .inner_join(crate::schema::events::table)
                    .filter(crate::domain::events::is_live())
                    .filter(attendees::email.eq(email.as_str()))
                    .select((attendees::id, attendees::event_id, attendees::password_hash))
                    .order((attendees::created_at.desc(), attendees::id.desc()))
                    .limit(ATTENDEE_RECORDS_TRIED as i64)
                    .into_boxed();
                match event {
                    Some(EventRef::Id(id)) => query = query.filter(attendees::event_id.eq(id)),
                    Some(EventRef::Code(code)) => {
                        query = query.filter(crate::schema::events::code.eq(code))
                    }
                    None => {}
                }
                let mut candidates: Vec<(i32, i32, String)> = query.load(&mut conn).await?;
                drop(conn);
                if candidates.is_empty() {
                    burn_verification(password).await?;
                    return Ok(None);
                }
                // An RSVP copies the password's hash, so most of one person's records share
                // one: each distinct hash is verified once (newest record first).
                let mut seen = std::collections::HashSet::new();
                candidates.retain(|(_, _, hash)| seen.insert(hash.clone()));
                for (id, event_id, hash) in candidates.into_iter().take(DISTINCT_HASHES_TRIED) {
                    if verify_password(password.clone(), hash.clone()).await? {
                        return Ok(Some(SessionUser::new(
                            UserKey::Attendee(id),
                            Some(event_id),
                            hash,
                        )));
                    }
                }
                Ok(None)
            }
            Credentials::Staff { token } => {
                Ok(staff_user(&mut conn, StaffBy::Token(&token)).await?)
            }
        }
    }

    async fn get_user(&self, key: &UserId<Self>) -> Result<Option<SessionUser>, AppError> {
        let mut conn = self.pool.get().await?;
        let user = match *key {
            UserKey::Organizer(id) => organizers::table
                .find(id)
                .select(organizers::password_hash)
                .first::<String>(&mut conn)
                .await
                .optional()?
                .map(|hash| SessionUser::new(*key, None, hash)),
            // A deleted event's registrations find nothing: their sessions end.
            UserKey::Attendee(id) => attendees::table
                .inner_join(crate::schema::events::table)
                .filter(attendees::id.eq(id))
                .filter(crate::domain::events::is_live())
                .select((attendees::event_id, attendees::password_hash))
                .first::<(i32, String)>(&mut conn)
                .await
                .optional()?
                .map(|(event_id, hash)| SessionUser::new(*key, Some(event_id), hash)),
            // A revoked access finds nothing: its sessions end with the next request.
            UserKey::Staff(id) => staff_user(&mut conn, StaffBy::Id(id)).await?,
        };
        Ok(user)
    }
}

enum StaffBy<'a> {
    Id(i32),
    Token(&'a str),
}

/// The session user of an active staff access.
async fn staff_user(
    conn: &mut crate::db::DbConn<'_>,
    by: StaffBy<'_>,
) -> Result<Option<SessionUser>, AppError> {
    use crate::schema::staff_access;
    let query = staff_access::table
        .inner_join(crate::schema::events::table)
        .filter(staff_access::revoked_at.is_null())
        .filter(crate::domain::events::is_live())
        .select((
            staff_access::id,
            staff_access::event_id,
            staff_access::token,
            staff_access::role,
            staff_access::list_id,
        ))
        .into_boxed();
    let query = match by {
        StaffBy::Id(id) => query.filter(staff_access::id.eq(id)),
        StaffBy::Token(token) => query.filter(staff_access::token.eq(token.trim().to_owned())),
    };
    Ok(query
        .first::<(i32, i32, String, String, Option<i32>)>(conn)
        .await
        .optional()?
        .map(|(id, event_id, token, role, list_id)| SessionUser {
            key: UserKey::Staff(id),
            event_id: Some(event_id),
            // The column's CHECK admits only the two names.
            staff_role: crate::models::StaffRole::parse(&role).unwrap_or_default(),
            staff_list: list_id,
            // The token stands in for a password: a new link would end old sessions.
            password_hash: token,
        }))
}

impl SessionUser {
    /// For a user who was just created: no need to read back what we wrote.
    pub fn new(key: UserKey, event_id: Option<i32>, password_hash: String) -> Self {
        Self {
            key,
            event_id,
            staff_role: crate::models::StaffRole::default(),
            staff_list: None,
            password_hash,
        }
    }
}

/// argon2 with its default parameters needs ~19 MiB and tens of milliseconds per hash. Hashes
/// run on a few threads of their own (two per core), and at most `QUEUED_PER_THREAD` per
/// thread wait for one: a burst beyond that is answered 503 with `Retry-After` at once
/// instead of queueing for minutes, and the memory stays with those threads instead of
/// spreading over every blocking thread the runtime ever started.
struct Hashers {
    jobs: std::sync::mpsc::SyncSender<Box<dyn FnOnce() + Send>>,
}

/// Hashes waiting per hashing thread: about two seconds of work on this kind of machine.
const QUEUED_PER_THREAD: usize = 64;

static HASHERS: LazyLock<Hashers> = LazyLock::new(|| {
    let threads = hashing_threads();
    let (jobs, queue) =
        std::sync::mpsc::sync_channel::<Box<dyn FnOnce() + Send>>(hash_queue_capacity());
    let queue = Arc::new(std::sync::Mutex::new(queue));
    for n in 0..threads {
        let queue = queue.clone();
        let _ = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || loop {
                let job = match queue.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
    }
    Hashers { jobs }
});

/// How many hashes may wait at once in this process.
pub fn hash_queue_capacity() -> usize {
    hashing_threads() * QUEUED_PER_THREAD
}

fn hashing_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        * 2
}

/// Runs `work` on a hashing thread and waits for it without blocking the async workers; a
/// full queue is `Unavailable` (503 with `Retry-After`) at once.
async fn on_hasher<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Box<dyn FnOnce() + Send> = Box::new(move || {
        let _ = answer.send(work());
    });
    HASHERS.jobs.try_send(job).map_err(|error| match error {
        std::sync::mpsc::TrySendError::Full(_) => {
            tracing::warn!("password hashing queue full: answering 503");
            AppError::Unavailable
        }
        std::sync::mpsc::TrySendError::Disconnected(_) => AppError::Internal,
    })?;
    answered.await.map_err(AppError::internal)
}

pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    on_hasher(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(AppError::internal)
    })
    .await?
}

/// Whether `password` matches `hash`; `Err` only when no hashing thread could take it.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    on_hasher(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// Spends the time of one verification so an unknown email answers as slowly as a known one.
async fn burn_verification(password: String) -> Result<(), AppError> {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"not-a-real-password", &salt)
            .unwrap()
            .to_string()
    });
    let hash = on_hasher(|| DUMMY.clone()).await?;
    verify_password(password, hash).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let password = Password::parse("correct horse").unwrap();
        let hash = hash_password(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse".into(), hash.clone())
            .await
            .unwrap());
        assert!(!verify_password("wrong horse!".into(), hash).await.unwrap());
        assert!(!verify_password("x".into(), "not a hash".into())
            .await
            .unwrap());

        // Issue 14, item 2 (fails before: the queue took any number of hashes, so a burst
        // held thousands of requests for minutes). The only test here that hashes, so nothing
        // else fills the process-wide queue meanwhile.
        let capacity = hash_queue_capacity();
        let burst = capacity + 200;
        let mut hashes = tokio::task::JoinSet::new();
        for _ in 0..burst {
            let password = password.clone();
            hashes.spawn(async move { hash_password(&password).await });
        }
        let mut answers = Vec::new();
        while let Some(answer) = hashes.join_next().await {
            answers.push(answer.unwrap());
        }
        let refused = answers
            .iter()
            .filter(|a| matches!(a, Err(AppError::Unavailable)))
            .count();
        let hashed = answers.iter().filter(|a| a.is_ok()).count();
        assert_eq!(hashed + refused, burst, "every one answered");
        assert!(refused >= 150, "{refused} of {burst} refused");
        assert!(hashed >= capacity, "{hashed} of {burst} hashed");
        // Once the burst has drained, hashing works again.
        assert!(hash_password(&password).await.is_ok());
    }
}
