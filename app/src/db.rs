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

/// Applies pending migrations on a dedicated blocking thread (diesel_migrations is sync).
pub async fn migrate(database_url: &str) -> Result<(), String> {
    use diesel::Connection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncMysqlConnection>::establish(&url)
            .map_err(|e| format!("cannot connect to {}: {e}", redact(&url)))?;
        conn.run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| format!("migration failed: {e}"))
    })
    .await
    .map_err(|e| e.to_string())?
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
