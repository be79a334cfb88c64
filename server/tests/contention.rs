//! Transactions the database refuses for another's sake run again: a deadlock on one
//! MariaDB is what a Galera certification failure looks like to the loser (error 1213), so
//! these show the retry `app::db::transaction!` gives every domain transaction. And
//! instances starting at once migrate the database once.

mod common;

use app::db;
use app::error::AppError;
use diesel_async::RunQueryDsl;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

async fn scratch_pool() -> (String, db::DbPool) {
    let (database, url) = common::fresh_database().await;
    let pool = db::connect(&url, 4).await.unwrap();
    let mut conn = pool.get().await.unwrap();
    diesel::sql_query("CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB")
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::sql_query("INSERT INTO counters VALUES (1, 0), (2, 0)")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    (database, pool)
}

async fn bump(conn: &mut db::DbConn<'_>, id: i32) -> Result<(), AppError> {
    diesel::sql_query("UPDATE counters SET n = n + 1 WHERE id = ?")
        .bind::<diesel::sql_types::Integer, _>(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The two counters, by id.
async fn counts(pool: &db::DbPool) -> Vec<i32> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        n: i32,
    }
    let conn = &mut pool.get().await.unwrap();
    let counts: Vec<Count> = diesel::sql_query("SELECT n FROM counters ORDER BY id")
        .load(conn)
        .await
        .unwrap();
    counts.into_iter().map(|c| c.n).collect()
}

#[tokio::test]
async fn the_loser_of_a_deadlock_runs_again_and_both_count() {
    let (database, pool) = scratch_pool().await;
    let both_hold_one = Arc::new(tokio::sync::Barrier::new(2));
    let tries = Arc::new(AtomicU32::new(0));
    // One takes row 1 then row 2, the other row 2 then row 1: on their first try each waits
    // for the other, and InnoDB ends one of them with "Deadlock found … try restarting".
    let crossing = |first: i32, second: i32| {
        let (pool, both_hold_one, tries) = (pool.clone(), both_hold_one.clone(), tries.clone());
        tokio::spawn(async move {
            let conn = &mut pool.get().await.unwrap();
            let mut mine = 0;
            db::transaction!(conn, async |conn| {
                mine += 1;
                tries.fetch_add(1, Ordering::SeqCst);
                bump(conn, first).await?;
                if mine == 1 {
                    both_hold_one.wait().await;
                }
                bump(conn, second).await
            })
            .await
        })
    };
    let (a, b) = tokio::join!(crossing(1, 2), crossing(2, 1));
    assert_eq!(a.unwrap(), Ok(()));
    assert_eq!(b.unwrap(), Ok(()));
    // Three tries in all: the winner's one, the loser's refused one and its second.
    assert_eq!(AtomicU32::load(&tries, Ordering::SeqCst), 3);
    // Each transaction counted once: the refused try left nothing behind.
    assert_eq!(counts(&pool).await, [2, 2]);
    common::drop_database(&database).await;
}

#[tokio::test]
async fn a_deadlock_inside_an_inner_transaction_runs_the_outer_one_again() {
    let (database, pool) = scratch_pool().await;
    let both_hold_one = Arc::new(tokio::sync::Barrier::new(2));
    let (outer_tries, inner_tries) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    // As above, but the second row is taken in a transaction inside the first (a savepoint):
    // the deadlock ends the whole transaction on the server, so the inner one must not run
    // again on its own (its statements would commit one by one, outside any transaction);
    // the outer one runs again, inner and all.
    let crossing = |first: i32, second: i32| {
        let (pool, both_hold_one) = (pool.clone(), both_hold_one.clone());
        let (outer_tries, inner_tries) = (outer_tries.clone(), inner_tries.clone());
        tokio::spawn(async move {
            let conn = &mut pool.get().await.unwrap();
            let mut mine = 0;
            db::transaction!(conn, async |conn| {
                mine += 1;
                outer_tries.fetch_add(1, Ordering::SeqCst);
                bump(conn, first).await?;
                if mine == 1 {
                    both_hold_one.wait().await;
                }
                db::transaction!(conn, async |conn| {
                    inner_tries.fetch_add(1, Ordering::SeqCst);
                    bump(conn, second).await
                })
                .await
            })
            .await
        })
    };
    let (a, b) = tokio::join!(crossing(1, 2), crossing(2, 1));
    assert_eq!(a.unwrap(), Ok(()));
    assert_eq!(b.unwrap(), Ok(()));
    assert_eq!(AtomicU32::load(&outer_tries, Ordering::SeqCst), 3);
    assert_eq!(AtomicU32::load(&inner_tries, Ordering::SeqCst), 3);
    assert_eq!(counts(&pool).await, [2, 2]);
    common::drop_database(&database).await;
}

#[tokio::test]
async fn a_conflict_that_never_ends_gives_up_as_unavailable() {
    let (database, pool) = scratch_pool().await;
    let conn = &mut pool.get().await.unwrap();
    let mut tries = 0;
    let started = std::time::Instant::now();
    let result: Result<(), AppError> = db::transaction!(conn, async |conn| {
        tries += 1;
        bump(conn, 1).await?;
        Err(AppError::Contention)
    })
    .await;
    assert_eq!(result, Err(AppError::Contention));
    assert_eq!(result.unwrap_err().status(), 503);
    assert_eq!(tries, 1 + db::CONTENTION_RETRIES);
    // Bounded in time too: twelve jittered pauses of at most 8 … 256 ms.
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(
        counts(&pool).await,
        [0, 0],
        "every refused try was rolled back"
    );
    common::drop_database(&database).await;
}

#[tokio::test]
async fn instances_starting_at_once_migrate_once() {
    let (database, url) = common::fresh_database().await;
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { db::migrate(&url).await })
        })
        .collect();
    for start in starts {
        assert_eq!(start.await.unwrap(), Ok(()));
    }
    let pool = db::connect(&url, 1).await.unwrap();
    let conn = &mut pool.get().await.unwrap();
    #[derive(diesel::QueryableByName)]
    struct Total {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        total: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        versions: i64,
    }
    let applied: Total = diesel::sql_query(
        "SELECT COUNT(*) AS total, COUNT(DISTINCT version) AS versions \
         FROM __diesel_schema_migrations",
    )
    .get_result(conn)
    .await
    .unwrap();
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().join("up.sql").exists())
        .count() as i64;
    assert_eq!((applied.total, applied.versions), (on_disk, on_disk));
    let held: Total = diesel::sql_query(
        "SELECT COUNT(*) AS total, CAST(0 AS SIGNED) AS versions FROM netevent_migration_lock",
    )
    .get_result(conn)
    .await
    .unwrap();
    assert_eq!(held.total, 0, "the lock is given back");
    common::drop_database(&database).await;
}
