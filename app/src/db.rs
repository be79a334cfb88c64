//! The MySQL pool and the embedded migrations.

use diesel_async::pooled_connection::bb8::{Pool, PooledConnection};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::AsyncMysqlConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type DbPool = Pool<AsyncMysqlConnection>;
pub type DbConn<'a> = PooledConnection<'a, AsyncMysqlConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// When a query or checkout last failed, in milliseconds since 1970 (0: never).
static LAST_FAILURE_MS: AtomicU64 = AtomicU64::new(0);

/// How long after a failure every connection is checked before use.
const CHECK_AFTER_FAILURE: Duration = Duration::from_secs(60);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64)
}

/// Called wherever a database error surfaces: for the next minute connections taken from
/// the pool are checked first, so the dead ones left by a database restart are replaced.
pub fn note_failure() {
    LAST_FAILURE_MS.store(now_ms(), Ordering::Relaxed);
}

fn failed_recently() -> bool {
    now_ms().saturating_sub(LAST_FAILURE_MS.load(Ordering::Relaxed))
        < CHECK_AFTER_FAILURE.as_millis() as u64
}

pub async fn connect(database_url: &str, max_size: u32) -> Result<DbPool, String> {
    // A connection that died with the database server stays in the pool looking fine: the
    // fault test saw the server never recover without a check (`SELECT 1`) at checkout. But a
    // check on every checkout is a round trip on every request; it runs only after a failure
    // has been seen (a restart makes the first query on a dead connection fail; bb8 also
    // retires idle connections after 10 minutes, long before MariaDB's wait_timeout).
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::CustomFunction(Box::new(|conn| {
        Box::pin(async move {
            if failed_recently() {
                use diesel_async::RunQueryDsl;
                diesel::sql_query("SELECT 1").execute(conn).await?;
            }
            Ok(())
        })
    }));
    let manager =
        AsyncDieselConnectionManager::<AsyncMysqlConnection>::new_with_config(database_url, config);
    Pool::builder()
        .max_size(max_size)
        // Fail fast while the database is down: callers answer 503 instead of hanging.
        .connection_timeout(Duration::from_secs(2))
        .test_on_check_out(true)
        .build(manager)
        .await
        .map_err(|e| e.to_string())
}

/// Whether a database error means "another transaction won; run yours again": InnoDB's
/// deadlock (1213) and lock wait timeout (1205), and Galera's certification failure, which
/// MariaDB reports as a deadlock at COMMIT (or on the next statement of the transaction).
/// diesel-async keeps only the server's message, not its number, so the words decide; all
/// three say "try restarting (the) transaction".
///
/// Both end the whole transaction on the server, so a savepoint of it that is gone ("SAVEPOINT
/// … does not exist", when an inner `transaction!` rolls back to it) means the same.
pub fn is_contention(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("try restarting")
        || message.contains("deadlock")
        || (message.contains("savepoint") && message.contains("does not exist"))
}

/// Whether `conn` is inside a transaction already: a `transaction!` in another's body is a
/// savepoint, and only the outermost may run again — the database ended all of it.
pub fn in_transaction(conn: &mut AsyncMysqlConnection) -> bool {
    use diesel_async::{AnsiTransactionManager, TransactionManager};
    let status =
        <AnsiTransactionManager as TransactionManager<AsyncMysqlConnection>>::transaction_manager_status_mut(conn);
    matches!(status.transaction_depth(), Ok(Some(_)))
}

/// Makes `conn` usable again after a transaction ended in a conflict: on Galera a
/// transaction aborted by a replicated write answers its next statement with a deadlock
/// even when that statement is the ROLLBACK, and diesel then gives up on the connection's
/// transaction state ("the transaction manager is broken") though the server has rolled
/// the transaction back. The state is reset and a ROLLBACK confirms the server agrees;
/// answers false if it does not (the pool then replaces the connection).
pub async fn mend_after_contention(conn: &mut AsyncMysqlConnection) -> bool {
    use diesel::connection::{TransactionManagerStatus, ValidTransactionManagerStatus};
    use diesel_async::{AnsiTransactionManager, SimpleAsyncConnection, TransactionManager};
    let status =
        <AnsiTransactionManager as TransactionManager<AsyncMysqlConnection>>::transaction_manager_status_mut(conn);
    if !matches!(status, TransactionManagerStatus::InError) {
        return true;
    }
    *status = TransactionManagerStatus::Valid(ValidTransactionManagerStatus::default());
    let confirmed = conn.batch_execute("ROLLBACK").await.is_ok();
    if !confirmed {
        let status =
            <AnsiTransactionManager as TransactionManager<AsyncMysqlConnection>>::transaction_manager_status_mut(conn);
        *status = TransactionManagerStatus::InError;
    }
    confirmed
}

/// How many times `transaction!` runs a transaction again after a conflict.
pub const CONTENTION_RETRIES: u32 = 12;

/// The pause before retry number `attempt` (1, 2, …): full jitter over a window that
/// doubles from 8 ms up to 256 ms, so the losers of one conflict do not meet again at once.
/// Twelve retries wait 2 s at most in all, 1 s on average. Each retry is logged (the
/// cluster's fault tests count them).
pub async fn back_off(attempt: u32) {
    use rand::Rng;
    tracing::info!(
        attempt,
        "a transaction lost a conflict with another; running it again"
    );
    let window_ms = 4u64 << attempt.min(6);
    let pause = rand::thread_rng().gen_range(1..=window_ms);
    tokio::time::sleep(Duration::from_millis(pause)).await;
}

/// `conn.transaction(body)`, run again from the start while the database refuses it for a
/// conflict (`AppError::Contention`: a deadlock, a lock wait, a Galera certification
/// failure), at most `CONTENTION_RETRIES` times with a jittered pause. On Galera
/// `SELECT … FOR UPDATE` does not lock across nodes: the loser of two conflicting
/// transactions learns it only at COMMIT, so every transaction that relies on a lock must
/// be ready to run again. That is safe because a refused transaction left nothing behind,
/// and the body reads what it decides on afresh each time; it must do nothing outside the
/// database that cannot happen twice.
///
/// Inside another transaction it runs once: a conflict ends the whole transaction on the
/// server, so the outermost one runs again, with this one in it.
///
/// `body` is an `async |conn| { … }` closure; it is written out again for each try, so what
/// it moves must be cloned inside it. The result is a future, awaited like
/// `conn.transaction(…)`'s.
#[macro_export]
macro_rules! transaction {
    ($conn:expr, $body:expr) => {
        async {
            #[allow(unused_imports)]
            use $crate::db::macro_support::AsyncConnection as _;
            let outermost = !$crate::db::in_transaction(&mut *$conn);
            let mut attempt = 0u32;
            loop {
                match $conn
                    .transaction::<_, $crate::error::AppError, _>($body)
                    .await
                {
                    Err($crate::error::AppError::Contention)
                        if outermost
                            && attempt < $crate::db::CONTENTION_RETRIES
                            && $crate::db::mend_after_contention(&mut *$conn).await =>
                    {
                        attempt += 1;
                        $crate::db::back_off(attempt).await;
                    }
                    done => break done,
                }
            }
        }
    };
}
pub use crate::transaction;

/// What `transaction!` needs in scope wherever it is used.
#[doc(hidden)]
pub mod macro_support {
    pub use diesel_async::AsyncConnection;
}

/// How long a migration lock is honoured: a holder that died while migrating (its row left
/// behind) stops blocking the others after this.
const MIGRATION_LOCK_STALE_MINUTES: u32 = 10;

/// Applies pending migrations on a dedicated blocking thread (diesel_migrations is sync).
///
/// Several instances starting at once (a rolling upgrade, `make cluster`) must not migrate
/// side by side, so one takes a lock and the others wait for it to go, then find nothing
/// left to do. The lock is a row, not `GET_LOCK()`: Galera refuses user locks, and a row
/// insert is decided cluster-wide (a second node's insert loses at commit and is ignored).
pub async fn migrate(database_url: &str) -> Result<(), String> {
    use diesel::Connection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncMysqlConnection>::establish(&url)
            .map_err(|e| format!("cannot connect to {}: {e}", redact(&url)))?;
        let holder = format!(
            "{}:{}",
            std::process::id(),
            now_ms() ^ u64::from(rand::random::<u32>())
        );
        lock_migrations(&mut conn, &holder)?;
        let migrated = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| format!("migration failed: {e}"));
        let unlocked = unlock_migrations(&mut conn, &holder);
        migrated.and(unlocked)
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Takes the migration lock, waiting (half a second at a time) while another holds it.
fn lock_migrations<C>(conn: &mut C, holder: &str) -> Result<(), String>
where
    C: diesel::Connection<Backend = diesel::mysql::Mysql>,
{
    use diesel::sql_types::{Integer, Text, Unsigned};
    use diesel::RunQueryDsl as _;
    let fail = |e: diesel::result::Error| format!("cannot take the migration lock: {e}");
    diesel::sql_query(
        "CREATE TABLE IF NOT EXISTS netevent_migration_lock (\
             id TINYINT PRIMARY KEY, holder VARCHAR(64) NOT NULL, taken_at DATETIME NOT NULL\
         ) ENGINE=InnoDB",
    )
    .execute(conn)
    .map_err(fail)?;
    let give_up = std::time::Instant::now()
        + Duration::from_secs(60 * u64::from(MIGRATION_LOCK_STALE_MINUTES) + 60);
    let mut said = false;
    loop {
        diesel::sql_query(
            "DELETE FROM netevent_migration_lock \
             WHERE taken_at < UTC_TIMESTAMP() - INTERVAL ? MINUTE",
        )
        .bind::<Unsigned<Integer>, _>(MIGRATION_LOCK_STALE_MINUTES)
        .execute(conn)
        .map_err(fail)?;
        let taken = diesel::sql_query(
            "INSERT IGNORE INTO netevent_migration_lock (id, holder, taken_at) \
             VALUES (1, ?, UTC_TIMESTAMP())",
        )
        .bind::<Text, _>(holder)
        .execute(conn);
        match taken {
            Ok(1) => return Ok(()),
            Ok(_) => {}
            // Another node's insert won at commit: theirs, then.
            Err(diesel::result::Error::DatabaseError(_, ref info))
                if is_contention(info.message()) => {}
            Err(e) => return Err(fail(e)),
        }
        if std::time::Instant::now() > give_up {
            return Err("another instance has held the migration lock for too long".into());
        }
        if !said {
            tracing::info!("another instance is migrating the database; waiting for it");
            said = true;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn unlock_migrations<C>(conn: &mut C, holder: &str) -> Result<(), String>
where
    C: diesel::Connection<Backend = diesel::mysql::Mysql>,
{
    use diesel::RunQueryDsl as _;
    diesel::sql_query("DELETE FROM netevent_migration_lock WHERE id = 1 AND holder = ?")
        .bind::<diesel::sql_types::Text, _>(holder)
        .execute(conn)
        .map(|_| ())
        .map_err(|e| format!("cannot release the migration lock: {e}"))
}

/// The URL without its password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// `column IN (?, ?, …)` for the hot lists of ids (a search page, its connection links).
/// Diesel's `eq_any` marks its statement uncacheable, so MariaDB prepared and closed it
/// again on every request (two extra round trips per search, counted with
/// `Com_stmt_prepare`); this one is cached by its text, once per length of the list.
pub fn id_in<C>(column: C, ids: &[i32]) -> IdIn<C> {
    IdIn {
        column,
        ids: ids.to_vec(),
    }
}

#[derive(Debug, Clone)]
pub struct IdIn<C> {
    column: C,
    ids: Vec<i32>,
}

mod id_in {
    use super::IdIn;
    use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
    use diesel::mysql::Mysql;
    use diesel::query_builder::{AstPass, QueryFragment, QueryId};
    use diesel::sql_types::{Bool, Integer};
    use diesel::QueryResult;

    impl<C: Expression<SqlType = Integer>> Expression for IdIn<C> {
        type SqlType = Bool;
    }

    impl<C: QueryFragment<Mysql>> QueryFragment<Mysql> for IdIn<C> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
            if self.ids.is_empty() {
                out.push_sql("1 = 0");
                return Ok(());
            }
            self.column.walk_ast(out.reborrow())?;
            out.push_sql(" IN (");
            for (i, id) in self.ids.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                out.push_bind_param::<Integer, _>(id)?;
            }
            out.push_sql(")");
            Ok(())
        }
    }

    // No static id: the statement cache keys it by its SQL, which names the list's length.
    impl<C> QueryId for IdIn<C> {
        type QueryId = ();
        const HAS_STATIC_QUERY_ID: bool = false;
    }

    impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for IdIn<C> where IdIn<C>: Expression {}

    impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for IdIn<C> where
        IdIn<C>: AppearsOnTable<QS>
    {
    }

    impl<C: ValidGrouping<()>> ValidGrouping<()> for IdIn<C> {
        type IsAggregate = C::IsAggregate;
    }
}
