//! `make load` (`cargo bench -p server --bench load`): seeds the load-test conference
//! (`server seed-conference`: 50 events, 20,000 attendees in one, 100,000 connections,
//! 20,000 meetings) into a fresh database, starts the release server binary on loopback
//! and drives it over HTTP for `LOAD_SECONDS` (default 10) per scenario. Prints requests/s,
//! p50/p99 latency, errors and the server's peak RSS per scenario, with a trivial route of
//! the same server in the same run as the yardstick.

#[path = "../tests/common/mod.rs"]
mod common;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::conference::{attendee_email, ORGANIZER_EMAIL, PASSWORD};
use std::future::Future;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WORKERS: usize = 32;
const TARGETS: usize = 256;
const SCANNERS: usize = 200;
const BURST: usize = 2_000;
const BURST_SEATS: usize = 1_500;
const SEARCHES: [&str; 8] = [
    "ada", "acme", "engineer", "zoë", "tur", "wayne", "student", "nguyễn",
];

fn run_for() -> Duration {
    Duration::from_secs(
        std::env::var("LOAD_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
    )
}

/// The release server in its own process, so its memory can be read; or, with
/// `LOAD_CLUSTER`, the instances `make cluster` started, behind HAProxy.
struct Server {
    child: Option<Child>,
    base: String,
    /// The server processes whose memory (summed) is reported.
    pids: Vec<u32>,
    peak_rss_kb: Arc<AtomicU64>,
}

impl Server {
    fn rss_kb(pid: u32) -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }

    fn total_rss_kb(pids: &[u32]) -> u64 {
        pids.iter().map(|&pid| Self::rss_kb(pid)).sum()
    }

    /// The highest RSS since the last call, and starts measuring afresh.
    fn take_peak_mb(&self) -> f64 {
        let now = Self::total_rss_kb(&self.pids);
        self.peak_rss_kb.swap(now, Ordering::SeqCst).max(now) as f64 / 1024.0
    }

    /// Samples the processes' memory every 20 ms.
    fn watched(child: Option<Child>, base: String, pids: Vec<u32>) -> Self {
        let peak = Arc::new(AtomicU64::new(Self::total_rss_kb(&pids)));
        let (sampler, watched) = (peak.clone(), pids.clone());
        tokio::spawn(async move {
            loop {
                sampler.fetch_max(Server::total_rss_kb(&watched), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Server {
            child,
            base,
            pids,
            peak_rss_kb: peak,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn server_command(database_url: &str, uploads: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("DATABASE_URL", database_url)
        .env("NETEVENT_SEED_DEMO", "false")
        .env("NETEVENT_UPLOAD_DIR", uploads)
        .env("LOGIN_ATTEMPTS_PER_MINUTE", "1000000")
        .env("LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", "1000000")
        .env("RUST_LOG", "warn");
    command
}

async fn start_server(database_url: &str, uploads: &str) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = server_command(database_url, uploads)
        .env("NETEVENT_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                let pid = child.id();
                return Server::watched(Some(child), base, vec![pid]);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become ready");
}

/// Latencies of one scenario.
struct Row {
    name: String,
    workers: usize,
    millis: Vec<f64>,
    requests: usize,
    errors: usize,
    wall: f64,
    rss_mb: f64,
}

impl Row {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.wall
    }

    fn percentile(&self, p: f64) -> f64 {
        if self.millis.is_empty() {
            return f64::NAN;
        }
        self.millis[((self.millis.len() as f64 - 1.0) * p).round() as usize]
    }
}

/// Runs `job(worker, iteration)` on `workers` tasks until the time is up or a job answers
/// `None` (nothing left to do); each job answers how many requests it made, or an error.
async fn drive<F, Fut>(
    server: &Server,
    name: &str,
    workers: usize,
    pace: Option<Duration>,
    duration: Duration,
    job: F,
) -> Row
where
    F: Fn(usize, usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Option<Result<usize, String>>> + Send,
{
    server.take_peak_mb();
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let job = job.clone();
            tokio::spawn(async move {
                if let Some(pace) = pace {
                    // Phones are not synchronised: spread the first requests over one pace.
                    tokio::time::sleep(pace * w as u32 / workers as u32).await;
                }
                let (mut millis, mut requests, mut errors) = (Vec::new(), 0, Vec::new());
                let mut i = 0;
                while Instant::now() < deadline {
                    let start = Instant::now();
                    match job(w, i).await {
                        None => break,
                        Some(Ok(n)) => {
                            millis.push(start.elapsed().as_secs_f64() * 1000.0);
                            requests += n;
                        }
                        Some(Err(e)) => errors.push(e),
                    }
                    i += 1;
                    if let Some(pace) = pace {
                        tokio::time::sleep(pace.saturating_sub(start.elapsed())).await;
                    }
                }
                (millis, requests, errors)
            })
        })
        .collect();
    let mut row = Row {
        name: name.to_owned(),
        workers,
        millis: Vec::new(),
        requests: 0,
        errors: 0,
        wall: 0.0,
        rss_mb: 0.0,
    };
    let mut first_error = None;
    for task in tasks {
        let (millis, requests, errors) = task.await.unwrap();
        row.millis.extend(millis);
        row.requests += requests;
        row.errors += errors.len();
        first_error = first_error.or(errors.into_iter().next());
    }
    row.wall = started.elapsed().as_secs_f64();
    row.rss_mb = server.take_peak_mb();
    row.millis.sort_by(f64::total_cmp);
    if let Some(error) = first_error {
        eprintln!("{name}: {} errors, the first: {error}", row.errors);
    }
    row
}

/// Expects `status`; answers the body as JSON (`Null` for a page).
async fn expect(
    response: reqwest::Result<reqwest::Response>,
    status: StatusCode,
) -> Result<Value, String> {
    let response = response.map_err(|e| e.to_string())?;
    let got = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if got != status {
        return Err(format!("{got}: {}", String::from_utf8_lossy(&body)));
    }
    Ok(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn log_in(base: &str, path: &str, body: Value) -> (Client, Value) {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let me = expect(
        client
            .post(format!("{base}{path}"))
            .json(&body)
            .send()
            .await,
        StatusCode::OK,
    )
    .await
    .unwrap_or_else(|e| panic!("login at {path}: {e}"));
    (client, me)
}

async fn attendees(base: &str, event_id: i32, from: usize, count: usize) -> Vec<(Client, i64)> {
    let mut out = Vec::with_capacity(count);
    for i in from..from + count {
        let body =
            json!({ "email": attendee_email(0, i), "password": PASSWORD, "event_id": event_id });
        let (client, me) = log_in(base, "/api/auth/attendee/login", body).await;
        out.push((client, me["id"].as_i64().unwrap()));
    }
    out
}

/// One job's answer, boxed so that jobs can be returned from helpers.
type Job = std::pin::Pin<Box<dyn Future<Output = Option<Result<usize, String>>> + Send>>;

/// Person `w` searches the directory, cycling through `SEARCHES`.
fn search(
    people: Arc<Vec<(Client, i64)>>,
    base: String,
) -> impl Fn(usize, usize) -> Job + Clone + Send + Sync + 'static {
    move |w, i| {
        let client = people[w].0.clone();
        let url = format!(
            "{base}/api/attendees?q={}",
            SEARCHES[(w + i) % SEARCHES.len()]
        );
        Box::pin(async move {
            Some(
                expect(client.get(url).send().await, StatusCode::OK)
                    .await
                    .map(|_| 1),
            )
        })
    }
}

/// CPU time the server and MariaDB spent on one scenario, per request: what one more core
/// buys, when the machine's cores are all busy (as they are here: server, MariaDB and the
/// load generator share two).
struct Cpu {
    server_ms: f64,
    database_ms: f64,
}

impl Cpu {
    /// User and system time of `pids` so far, in milliseconds.
    fn of(pids: &[u32]) -> f64 {
        let ticks_per_second = 100.0; // USER_HZ on Linux
        pids.iter()
            .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
            .filter_map(|stat| {
                let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
                Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
            })
            .sum::<f64>()
            * 1000.0
            / ticks_per_second
    }

    /// Every MariaDB server process on the machine (one, or a cluster's nodes).
    fn database_pids() -> Vec<u32> {
        std::fs::read_dir("/proc")
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                    .filter(|pid| {
                        std::fs::read_to_string(format!("/proc/{pid}/comm"))
                            .is_ok_and(|comm| comm.trim() == "mariadbd")
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn now(server: &[u32]) -> Self {
        Cpu {
            server_ms: Self::of(server),
            database_ms: Self::of(&Self::database_pids()),
        }
    }

    fn report(&self, server: &[u32], row: &Row) {
        let requests = row.requests.max(1) as f64;
        let server_ms = (Self::of(server) - self.server_ms) / requests;
        let database_ms = (Self::of(&Self::database_pids()) - self.database_ms) / requests;
        println!(
            "{}: CPU per request {:.2} ms in the server(s) + {:.2} ms in MariaDB = {:.2} ms: \
             about {:.0} requests/s for each core given to them",
            row.name,
            server_ms,
            database_ms,
            server_ms + database_ms,
            1000.0 / (server_ms + database_ms)
        );
    }
}

/// `LOAD_CLUSTER=1 make load` (after `make cluster`): the same conference, driven through
/// HAProxy at the cluster's instances, with 1, 2 and 3 of them in service.
mod cluster {
    use super::Server;
    use std::path::PathBuf;

    pub const DATABASE_URL: &str = "mysql://netevent:netevent@127.0.0.1:3311/netevent";
    pub const INSTANCES: usize = 3;

    pub fn on() -> bool {
        std::env::var("LOAD_CLUSTER").is_ok_and(|v| !v.is_empty() && v != "0")
    }

    fn dir() -> PathBuf {
        std::env::var("NETEVENT_CLUSTER_DIR")
            .unwrap_or_else(|_| "/var/tmp/netevent-cluster".into())
            .into()
    }

    /// The running instances, as `make cluster` left them, behind HAProxy.
    pub fn server() -> Server {
        let pids = (1..=INSTANCES)
            .map(|i| {
                std::fs::read_to_string(dir().join(format!("instance{i}.pid")))
                    .expect("make cluster is running")
                    .trim()
                    .parse()
                    .unwrap()
            })
            .collect();
        Server::watched(None, "http://127.0.0.1:3080".into(), pids)
    }

    /// HAProxy sends to instances 1…`n` only (the others in maintenance), through its
    /// admin socket.
    pub fn serve_with(n: usize) {
        for i in 1..=INSTANCES {
            let state = if i <= n { "ready" } else { "maint" };
            let mut socat = std::process::Command::new("socat")
                .arg("stdio")
                .arg(dir().join("haproxy.sock"))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("socat runs");
            use std::io::Write;
            writeln!(
                socat.stdin.take().unwrap(),
                "set server instances/app{i} state {state}"
            )
            .unwrap();
            assert!(socat.wait().unwrap().success());
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

/// The results as a Markdown table, against the first row (the trivial route).
fn print_table(rows: &[Row]) {
    let yardstick = rows[0].per_second();
    println!();
    println!("| scenario | clients | requests | req/s | × trivial route | p50 (ms) | p99 (ms) | errors | server peak RSS (MB) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.1} | {:.1} | {} | {:.0} |",
            row.name,
            row.workers,
            row.requests,
            row.per_second(),
            row.per_second() / yardstick,
            row.percentile(0.5),
            row.percentile(0.99),
            row.errors,
            row.rss_mb
        );
    }
}

const MIXED: &str = "mixed: 4 pages, 3 searches, 2 scans, 1 meeting request";

/// What a conference morning looks like from the server: of every ten requests, four event
/// pages, three directory searches, two door scans and one meeting request.
fn mixed(
    people: Arc<Vec<(Client, i64)>>,
    base_url: String,
    page_url: String,
    door_phones: Arc<Vec<Client>>,
    door_tokens: Arc<Vec<String>>,
    client: Client,
    event_id: i32,
) -> impl Fn(usize, usize) -> Job + Clone + Send + Sync + 'static {
    move |w, i| {
        let people = people.clone();
        let (base_url, page_url, client) = (base_url.clone(), page_url.clone(), client.clone());
        let (door_phones, door_tokens) = (door_phones.clone(), door_tokens.clone());
        Box::pin(async move {
            let result = match i % 10 {
                0..=3 => expect(client.get(page_url).send().await, StatusCode::OK).await,
                4..=6 => {
                    expect(
                        people[w]
                            .0
                            .get(format!("{base_url}/api/attendees?q={}", SEARCHES[i % 8]))
                            .send()
                            .await,
                        StatusCode::OK,
                    )
                    .await
                }
                7 | 8 => {
                    let token = door_tokens[(3_000 + w * 50 + i) % door_tokens.len()].clone();
                    expect(
                        door_phones[w]
                            .post(format!(
                                "{base_url}/api/organizer/events/{event_id}/checkins"
                            ))
                            .json(&json!({ "token": token }))
                            .send()
                            .await,
                        StatusCode::OK,
                    )
                    .await
                }
                _ => {
                    let at = chrono::NaiveDate::from_ymd_opt(2030, 6, 4)
                        .unwrap()
                        .and_hms_opt(14, 0, 0)
                        .unwrap()
                        + chrono::Duration::minutes(5 * (i % 48) as i64);
                    expect(
                        people[w]
                            .0
                            .post(format!("{base_url}/api/appointments"))
                            .json(&json!({
                                "target_id": people[(w + 1) % people.len()].1,
                                "appointment_time": at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                                "duration_minutes": 5,
                            }))
                            .send()
                            .await,
                        StatusCode::CREATED,
                    )
                    .await
                }
            };
            Some(result.map(|_| 1))
        })
    }
}

#[tokio::main]
async fn main() {
    let cluster = cluster::on();
    let (database, database_url) = if cluster {
        (
            "netevent-cluster".to_owned(),
            cluster::DATABASE_URL.to_owned(),
        )
    } else {
        common::fresh_database().await
    };
    let uploads = std::env::temp_dir().join(&database);
    let uploads = uploads.to_string_lossy().into_owned();

    let seeding = Instant::now();
    let seeded = server_command(&database_url, &uploads)
        .arg("seed-conference")
        .stdout(Stdio::piped())
        .output()
        .expect("seed-conference runs");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let seed_secs = seeding.elapsed().as_secs_f64();
    let summary = String::from_utf8_lossy(&seeded.stdout).into_owned();
    let code = summary
        .split("/e/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the seed prints the big event's link")
        .to_owned();
    let event_id: i32 = summary
        .split("id ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|id| id.parse().ok())
        .expect("the seed prints the big event's id");
    let server = if cluster {
        cluster::server()
    } else {
        start_server(&database_url, &uploads).await
    };
    let base = server.base.clone();

    println!(
        "machine: {} cores, {} GiB; the release server and this load generator share them; \
         MariaDB on the same machine",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| m.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024 / 1024)
    );
    println!(
        "seed: {} ({seed_secs:.1} s)",
        summary.lines().next().unwrap_or_default()
    );

    // Who takes part: attendees asking (and searching), attendees asked, the door's phones.
    let logins = Instant::now();
    let askers = Arc::new(attendees(&base, event_id, 10_000, WORKERS).await);
    let asked = Arc::new(attendees(&base, event_id, 15_000, TARGETS).await);
    let (organizer, _) = log_in(
        &base,
        "/api/auth/organizer/login",
        json!({ "email": ORGANIZER_EMAIL, "password": PASSWORD }),
    )
    .await;
    let mut phones = Vec::with_capacity(SCANNERS);
    for n in 0..SCANNERS {
        let access = expect(
            organizer
                .post(format!("{base}/api/organizer/events/{event_id}/staff"))
                .json(&json!({ "name": format!("Door {n}") }))
                .send()
                .await,
            StatusCode::CREATED,
        )
        .await
        .unwrap();
        let (phone, _) = log_in(
            &base,
            "/api/auth/staff/login",
            json!({ "token": access["token"] }),
        )
        .await;
        phones.push(phone);
    }
    let phones = Arc::new(phones);
    let tokens: Arc<Vec<String>> = Arc::new({
        use diesel::prelude::*;
        use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
        let mut conn = AsyncMysqlConnection::establish(&database_url)
            .await
            .unwrap();
        app::schema::attendees::table
            .left_join(app::schema::checkins::table)
            .filter(app::schema::attendees::event_id.eq(event_id))
            .filter(app::schema::checkins::id.is_null())
            .order(app::schema::attendees::id)
            .select(app::schema::attendees::checkin_token)
            .load(&mut conn)
            .await
            .unwrap()
    });
    println!(
        "logins: {} attendees and {SCANNERS} door phones in {:.1} s",
        WORKERS + TARGETS,
        logins.elapsed().as_secs_f64()
    );

    let anonymous = Client::new();
    let mut rows = Vec::new();

    let url = format!("{base}/healthz");
    let client = anonymous.clone();
    rows.push(
        drive(
            &server,
            "trivial route GET /healthz (yardstick)",
            WORKERS,
            None,
            run_for(),
            move |_, _| {
                let (client, url) = (client.clone(), url.clone());
                async move {
                    Some(
                        expect(client.get(url).send().await, StatusCode::OK)
                            .await
                            .map(|_| 1),
                    )
                }
            },
        )
        .await,
    );

    let mixed_job = || {
        mixed(
            askers.clone(),
            base.clone(),
            format!("{base}/e/{code}"),
            phones.clone(),
            tokens.clone(),
            anonymous.clone(),
            event_id,
        )
    };
    if cluster {
        for instances in 1..=cluster::INSTANCES {
            cluster::serve_with(instances);
            let job = mixed_job();
            let name = format!("{MIXED}, HAProxy to {instances} instance(s) on Galera");
            let cpu = Cpu::now(&server.pids);
            let row = drive(&server, &name, WORKERS, None, run_for(), job).await;
            cpu.report(&server.pids, &row);
            rows.push(row);
        }
        cluster::serve_with(cluster::INSTANCES);
        print_table(&rows);
        let errors: usize = rows.iter().map(|r| r.errors).sum();
        assert_eq!(errors, 0, "no request failed");
        return;
    }

    let page = format!("{base}/e/{code}");
    let client = anonymous.clone();
    rows.push(
        drive(
            &server,
            "event page (SSR), anonymous",
            WORKERS,
            None,
            run_for(),
            move |_, _| {
                let (client, page) = (client.clone(), page.clone());
                async move {
                    Some(
                        expect(client.get(page).send().await, StatusCode::OK)
                            .await
                            .map(|_| 1),
                    )
                }
            },
        )
        .await,
    );

    let (people, base_url) = (askers.clone(), base.clone());
    rows.push(
        drive(
            &server,
            "directory search of 20,000 (attendee)",
            WORKERS,
            None,
            run_for(),
            search(people, base_url),
        )
        .await,
    );

    // The same searches at people's pace, well below saturation: 256 people each typing a
    // search every 500 ms (~500 searches/s), the latency one of them sees.
    let (people, base_url) = (asked.clone(), base.clone());
    rows.push(
        drive(
            &server,
            "directory search, 256 attendees each 1 per 500 ms",
            TARGETS,
            Some(Duration::from_millis(500)),
            run_for(),
            search(people, base_url),
        )
        .await,
    );

    let (from, to, base_url) = (askers.clone(), asked.clone(), base.clone());
    rows.push(
        drive(
            &server,
            "connection request + accept (2 requests)",
            WORKERS,
            None,
            run_for(),
            move |w, i| {
                let (from, to, base_url) = (from.clone(), to.clone(), base_url.clone());
                async move {
                    // Every asker asks every person once: fresh pairs only.
                    let (target, target_id) = to.get(i)?.clone();
                    let asked = expect(
                        from[w]
                            .0
                            .post(format!("{base_url}/api/connections"))
                            .json(&json!({ "connected_attendee_id": target_id }))
                            .send()
                            .await,
                        StatusCode::CREATED,
                    )
                    .await;
                    Some(match asked {
                        Ok(connection) => expect(
                            target
                                .put(format!("{base_url}/api/connections/{}", connection["id"]))
                                .json(&json!({ "status": "accepted" }))
                                .send()
                                .await,
                            StatusCode::OK,
                        )
                        .await
                        .map(|_| 2),
                        Err(e) => Err(e),
                    })
                }
            },
        )
        .await,
    );

    // The seed's meetings fill the first day; requests here take slots on the second.
    let second_day = chrono::NaiveDate::from_ymd_opt(2030, 6, 4)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let (from, to, base_url) = (askers.clone(), asked.clone(), base.clone());
    rows.push(
        drive(
            &server,
            "appointment request (attendee)",
            WORKERS,
            None,
            run_for(),
            move |w, i| {
                let (client, base_url) = (from[w].0.clone(), base_url.clone());
                let target_id = to[(w * 7 + i) % to.len()].1;
                let at = second_day + chrono::Duration::minutes(15 * ((w + i) % 32) as i64);
                async move {
                    Some(
                        expect(
                            client
                                .post(format!("{base_url}/api/appointments"))
                                .json(&json!({
                                    "target_id": target_id,
                                    "appointment_time": at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                                    "duration_minutes": 15,
                                    "location": "Stand 12",
                                }))
                                .send()
                                .await,
                            StatusCode::CREATED,
                        )
                        .await
                        .map(|_| 1),
                    )
                }
            },
        )
        .await,
    );

    let scan_url = format!("{base}/api/organizer/events/{event_id}/checkins");
    let scan = |phones: Arc<Vec<Client>>, tokens: Arc<Vec<String>>, url: String, offset: usize| {
        move |w: usize, i: usize| {
            let (phone, url) = (phones[w % phones.len()].clone(), url.clone());
            // Each phone its own tickets; every fifth scan repeats one, as at a real door.
            let n = if i % 5 == 4 { i - 1 } else { i };
            let token = tokens[(offset + w + n * SCANNERS) % tokens.len()].to_ascii_uppercase();
            async move {
                Some(
                    expect(
                        phone
                            .post(url)
                            .json(&json!({ "token": token }))
                            .send()
                            .await,
                        StatusCode::OK,
                    )
                    .await
                    .map(|_| 1),
                )
            }
        }
    };
    rows.push(
        drive(
            &server,
            "check-in scans, 200 phones, 1 per 500 ms each",
            SCANNERS,
            Some(Duration::from_millis(500)),
            run_for(),
            scan(phones.clone(), tokens.clone(), scan_url.clone(), 0),
        )
        .await,
    );

    // The registration burst: 2,000 people for 1,500 seats, as fast as they come.
    let burst_event = expect(
        organizer
            .post(format!("{base}/api/events"))
            .json(&json!({
                "name": "Launch party",
                "start_time": "2030-07-01T18:00:00",
                "end_time": "2030-07-01T23:00:00",
                "max_attendees": BURST_SEATS,
            }))
            .send()
            .await,
        StatusCode::CREATED,
    )
    .await
    .unwrap()["id"]
        .as_i64()
        .unwrap();
    let seats_taken = Arc::new(AtomicU64::new(0));
    let (taken, base_url) = (seats_taken.clone(), base.clone());
    let burst = drive(
        &server,
        "registration burst (2,000 for 1,500 seats)",
        64,
        None,
        Duration::from_secs(60),
        move |w, i| {
            let (taken, url) = (
                taken.clone(),
                format!("{base_url}/api/auth/attendee/register"),
            );
            let n = w + i * 64;
            async move {
                if n >= BURST {
                    return None;
                }
                let client = Client::new();
                let response = client
                    .post(url)
                    .json(&json!({
                        "event_id": burst_event,
                        "email": format!("burst{n}@conference.example"),
                        "password": PASSWORD,
                        "first_name": "Early",
                        "last_name": format!("Bird {n}"),
                    }))
                    .send()
                    .await;
                Some(match response {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        taken.fetch_add(1, Ordering::SeqCst);
                        Ok(1)
                    }
                    Ok(r) if r.status() == StatusCode::CONFLICT => {
                        let body: Value = r.json().await.unwrap_or_default();
                        if body["error"]["code"] == "event_full" {
                            Ok(1)
                        } else {
                            Err(body.to_string())
                        }
                    }
                    Ok(r) => Err(r.status().to_string()),
                    Err(e) => Err(e.to_string()),
                })
            }
        },
    )
    .await;
    assert_eq!(
        seats_taken.load(Ordering::SeqCst) as usize,
        BURST_SEATS,
        "every seat taken once, none twice"
    );
    let burst_wall = burst.wall;
    rows.push(burst);

    // Mixed: what a conference morning looks like from the server.
    let job = mixed_job();
    let cpu = Cpu::now(&server.pids);
    let row = drive(&server, MIXED, WORKERS, None, run_for(), job).await;
    cpu.report(&server.pids, &row);
    rows.push(row);

    print_table(&rows);
    println!(
        "\nburst: {} registrations answered in {:.1} s ({} seats, {} turned away as event_full)",
        BURST,
        burst_wall,
        BURST_SEATS,
        BURST - BURST_SEATS
    );
    let errors: usize = rows.iter().map(|r| r.errors).sum();
    drop(server);
    common::drop_database(&database).await;
    let _ = std::fs::remove_dir_all(&uploads);
    assert_eq!(errors, 0, "no request failed");
}
