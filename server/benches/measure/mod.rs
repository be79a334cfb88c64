//! What the benchmarks share: percentiles of sorted timings and the process's resident memory.

/// The `p` quantile (0..=1) of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// This process's resident memory, in MB.
#[allow(dead_code)]
pub fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// How many cores this machine has, for the line every benchmark prints first.
#[allow(dead_code)]
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Writes `count` attendees with the conference's names into the event, 1,000 to an insert
/// (`person<i>@example.com`, password `password123`; those `hidden(i)` hidden from the
/// directory); answers their ids in the order written.
#[allow(dead_code)]
pub async fn seed_people(
    app: &crate::common::TestApp,
    event_id: i32,
    count: usize,
    hidden: impl Fn(usize) -> bool,
) -> Vec<i32> {
    use app::schema::attendees;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use server::conference::{FIRST, LAST, ORGS, ROLES};
    let hash = app::auth::hash_password(&app::validate::Password::parse("password123").unwrap())
        .await
        .unwrap();
    let mut conn = app.state.pool.get().await.unwrap();
    for batch in (0..count).collect::<Vec<_>>().chunks(1_000) {
        let rows: Vec<_> = batch
            .iter()
            .map(|&i| {
                (
                    attendees::event_id.eq(event_id),
                    attendees::email.eq(format!("person{i}@example.com")),
                    attendees::password_hash.eq(hash.clone()),
                    attendees::first_name.eq(FIRST[i % FIRST.len()]),
                    attendees::last_name.eq(LAST[(i / FIRST.len()) % LAST.len()]),
                    attendees::organisation.eq(Some(ORGS[i % ORGS.len()])),
                    attendees::role.eq(Some(ROLES[i % ROLES.len()])),
                    attendees::checkin_token.eq(format!("{i:040x}")),
                    attendees::hidden.eq(hidden(i)),
                )
            })
            .collect();
        diesel::insert_into(attendees::table)
            .values(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    attendees::table
        .filter(attendees::event_id.eq(event_id))
        .order(attendees::id)
        .select(attendees::id)
        .load(&mut conn)
        .await
        .unwrap()
}
