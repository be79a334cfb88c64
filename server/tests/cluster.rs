//! NetEvent on a MariaDB Galera cluster: the fault tests of docs/deploy.md, run against the
//! cluster `make cluster` starts (three nodes, an instance on each, HAProxy in front) with
//! `make cluster-test`. Ignored by a plain `cargo test`: they need that cluster.
//!
//! Writes go to every node through every instance at once, so the conflicts Galera settles
//! at commit (not by locks: `FOR UPDATE` holds on one node only) are really met; what each
//! asserts is what a person would see, read back from every node.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NODES: usize = 3;

fn dir() -> PathBuf {
    std::env::var("NETEVENT_CLUSTER_DIR")
        .unwrap_or_else(|_| "/var/tmp/netevent-cluster".into())
        .into()
}

/// HAProxy, in front of every instance.
fn front() -> String {
    "http://127.0.0.1:3080".into()
}

/// Instance `i` (1…3), which talks to node `i`.
fn instance(i: usize) -> String {
    format!("http://127.0.0.1:310{i}")
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now().naive_utc() + chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M:00")
        .to_string()
}

/// Transactions run again after losing a conflict, as the instances have logged them so far.
fn retries_logged() -> usize {
    (1..=NODES)
        .map(|i| {
            std::fs::read_to_string(dir().join(format!("instance{i}.log")))
                .unwrap_or_default()
                .matches("running it again")
                .count()
        })
        .sum()
}

/// A statement on node `i` (through its socket, as root), its output's lines.
fn on_node(i: usize, statement: &str) -> Vec<String> {
    let socket = dir().join(format!("node{i}/mysqld.sock"));
    let out = Command::new("mariadb")
        .args([
            "--no-defaults",
            "--protocol=socket",
            "-uroot",
            "-N",
            "-B",
            "netevent",
        ])
        .arg("-S")
        .arg(&socket)
        .arg("-e")
        .arg(statement)
        .output()
        .expect("the mariadb client runs");
    assert!(
        out.status.success(),
        "node {i}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// One number from every node: they must agree, a synchronous cluster.
fn on_every_node(statement: &str) -> i64 {
    let answers: Vec<i64> = (1..=NODES)
        .map(|i| on_node(i, statement)[0].parse().unwrap())
        .collect();
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the nodes disagree on {statement}: {answers:?}"
    );
    answers[0]
}

/// Posts as a patient client: a 503 (hashing queue full, a conflict that outlasted its
/// retries, a node going away) or a 502 (HAProxy found no instance) is tried again after a
/// pause. Answers the final response's status and body.
async fn post(client: &Client, url: &str, body: &Value) -> (StatusCode, Value) {
    send(client.post(url).json(body)).await
}

/// Answers 502/503 (or no answer) that a patient client tried again, in all tests so far.
static TRIED_AGAIN: AtomicUsize = AtomicUsize::new(0);

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    for _ in 0..40 {
        let attempt = request.try_clone().unwrap().send().await;
        if !matches!(&attempt, Ok(r) if r.status() != StatusCode::SERVICE_UNAVAILABLE
            && r.status() != StatusCode::BAD_GATEWAY)
        {
            TRIED_AGAIN.fetch_add(1, Ordering::Relaxed);
        }
        match attempt {
            Ok(response)
                if response.status() == StatusCode::SERVICE_UNAVAILABLE
                    || response.status() == StatusCode::BAD_GATEWAY =>
            {
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                    .unwrap_or(1)
                    .min(2);
                tokio::time::sleep(Duration::from_millis(250 + 500 * wait)).await;
            }
            Ok(response) => {
                let status = response.status();
                return (status, response.json().await.unwrap_or(Value::Null));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
    panic!("no answer but 502/503 for 40 tries");
}

/// An organiser logged in (through instance 1) with an event of `seats` seats whose door
/// is open now: (their client, the event's id).
async fn organiser_with_event(seats: Option<i64>) -> (Client, i64) {
    let organiser = client();
    let email = format!("olga{}@example.com", rand_suffix());
    let (status, _) = post(
        &organiser,
        &format!("{}/api/auth/organizer/register", instance(1)),
        &json!({ "email": email, "password": "password123", "name": "Olga Organiser" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, event) = post(
        &organiser,
        &format!("{}/api/events", instance(1)),
        &json!({ "name": "Cluster day", "start_time": in_hours(-1), "end_time": in_hours(10),
                 "timezone": "UTC", "max_attendees": seats }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{event}");
    (organiser, event["id"].as_i64().unwrap())
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    hasher.finish() % 1_000_000_000
}

/// Registers one attendee through `base` on a new client: the status and the body.
async fn register(base: &str, event: i64, email: &str, first_name: &str) -> (StatusCode, Value) {
    register_on(&client(), base, event, email, first_name).await
}

/// Registers one attendee through `base` on `client` (then logged in as them).
async fn register_on(
    client: &Client,
    base: &str,
    event: i64,
    email: &str,
    first_name: &str,
) -> (StatusCode, Value) {
    post(
        client,
        &format!("{base}/api/auth/attendee/register"),
        &json!({ "event_id": event, "email": email, "password": "password123",
                 "first_name": first_name, "last_name": "Cluster" }),
    )
    .await
}

/// A logged-in attendee on a client of their own: (client, id).
async fn person(event: i64, name: &str) -> (Client, i64) {
    let person = client();
    let email = format!("{name}{}@example.com", rand_suffix());
    let (status, body) = register_on(&person, &instance(1), event, &email, name).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (person, body["id"].as_i64().unwrap())
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn five_hundred_registrations_on_every_node_seat_exactly_one_hundred() {
    let (_, event) = organiser_with_event(Some(100)).await;
    let retries = retries_logged();
    let started = Instant::now();
    let registrations: Vec<_> = (0..500)
        .map(|n| {
            // Straight to the instances, in turn: each node takes a third of the writes.
            let base = instance(n % NODES + 1);
            tokio::spawn(async move {
                register(&base, event, &format!("guest{n}@example.com"), "Guest").await
            })
        })
        .collect();
    let (mut seated, mut full, mut other) = (0, 0, Vec::new());
    for registration in registrations {
        match registration.await.unwrap() {
            (StatusCode::CREATED, _) => seated += 1,
            (StatusCode::CONFLICT, body) if body["error"]["code"] == "event_full" => full += 1,
            (status, body) => other.push((status, body)),
        }
    }
    println!(
        "500 registrations for 100 seats over {NODES} instances and nodes: {seated} seated, \
         {full} told the event is full, in {:.1} s; {} transactions run again after a conflict",
        started.elapsed().as_secs_f64(),
        retries_logged() - retries
    );
    assert!(other.is_empty(), "unexpected answers: {other:?}");
    assert_eq!((seated, full), (100, 400));
    let count = format!("SELECT COUNT(*) FROM attendees WHERE event_id = {event}");
    assert_eq!(on_every_node(&count), 100);
    let counter = format!("SELECT attendee_count FROM events WHERE id = {event}");
    assert_eq!(on_every_node(&counter), 100);
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn fifty_scans_of_one_ticket_on_every_instance_check_in_once() {
    let (organiser, event) = organiser_with_event(None).await;
    let (_, ticket) = register(&instance(2), event, "ada@example.com", "Ada").await;
    let token = ticket["checkin_token"].as_str().unwrap().to_owned();
    let organiser = Arc::new(organiser);
    let retries = retries_logged();
    let scans: Vec<_> = (0..50)
        .map(|n| {
            let (organiser, token) = (organiser.clone(), token.clone());
            tokio::spawn(async move {
                let url = format!(
                    "{}/api/organizer/events/{event}/checkins",
                    instance(n % NODES + 1)
                );
                post(&organiser, &url, &json!({ "token": token })).await
            })
        })
        .collect();
    let mut first = 0;
    for scan in scans {
        let (status, body) = scan.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        if body["already_checked_in"] == false {
            first += 1;
        }
    }
    println!(
        "50 scans of one ticket over {NODES} instances: {first} check-in, {} said already; \
         {} transactions run again",
        50 - first,
        retries_logged() - retries
    );
    assert_eq!(
        first, 1,
        "exactly one scan is the check-in, the rest say already"
    );
    let rows = format!("SELECT COUNT(*) FROM checkins WHERE event_id = {event}");
    assert_eq!(on_every_node(&rows), 1);
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn overlapping_meeting_accepts_on_different_nodes_confirm_one() {
    let (_, event) = organiser_with_event(None).await;
    let (ada, ada_id) = person(event, "ada").await;
    let retries = retries_logged();
    // Eight times over: Ada asks Bea and Cy for the same hour; they accept at once, Bea
    // through node 2's instance and Cy through node 3's.
    for round in 0..8 {
        let (bea, bea_id) = person(event, "bea").await;
        let (cy, cy_id) = person(event, "cy").await;
        let at = in_hours(1 + round);
        let mut requests = Vec::new();
        for target in [bea_id, cy_id] {
            let (status, body) = post(
                &ada,
                &format!("{}/api/appointments", instance(1)),
                &json!({ "target_id": target, "appointment_time": at, "duration_minutes": 30 }),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            requests.push(body["id"].as_i64().unwrap());
        }
        let accept = |who: Client, node: usize, id: i64| async move {
            send(
                who.put(format!("{}/api/appointments/{id}", instance(node)))
                    .json(&json!({ "status": "accepted" })),
            )
            .await
        };
        let (a, b) = tokio::join!(accept(bea, 2, requests[0]), accept(cy, 3, requests[1]));
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{a:?} {b:?}"
        );
        let accepted = format!(
            "SELECT COUNT(*) FROM appointments WHERE requester_id = {ada_id} \
             AND status = 'accepted' AND appointment_time = '{}'",
            at.replace('T', " ")
        );
        assert_eq!(on_every_node(&accepted), 1);
    }
    println!(
        "8 pairs of overlapping accepts on nodes 2 and 3: each confirmed one; {} transactions \
         run again",
        retries_logged() - retries
    );
}

/// The process id in one of the cluster's pid files.
fn pid(file: &str) -> i32 {
    std::fs::read_to_string(dir().join(file))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn kill(signal: &str, pid: i32) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn alive(pid: i32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
}

/// Runs one of the start scripts `make cluster` wrote (`node2.sh`, `instance3.sh`).
fn start(script: &str) {
    let status = Command::new("bash")
        .arg(dir().join(script))
        .status()
        .unwrap();
    assert!(status.success(), "{script} failed");
}

/// HAProxy's view of instance `i`: "UP", "DOWN", …
async fn haproxy_status(i: usize) -> String {
    let csv = reqwest::get("http://127.0.0.1:3089/;csv")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    csv.lines()
        .find(|line| line.starts_with(&format!("instances,app{i},")))
        .and_then(|line| line.split(',').nth(17).map(str::to_owned))
        .unwrap_or_default()
}

/// Requests through HAProxy, back to back from 8 clients, until `stop` is set: registrations
/// for an unlimited event (acknowledged emails kept) and reads of its page. Counts failures:
/// answers other than the expected ones after the client's patience ran out.
struct Load {
    acknowledged: Arc<std::sync::Mutex<Vec<String>>>,
    requests: Arc<AtomicUsize>,
    failures: Arc<std::sync::Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(event: i64, patient: bool) -> Self {
        let load = Load {
            acknowledged: Default::default(),
            requests: Default::default(),
            failures: Default::default(),
            stop: Default::default(),
            clients: Vec::new(),
        };
        let clients = (0..8)
            .map(|c| {
                let (acknowledged, requests, failures, stop) = (
                    load.acknowledged.clone(),
                    load.requests.clone(),
                    load.failures.clone(),
                    load.stop.clone(),
                );
                tokio::spawn(async move {
                    let http = client();
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        requests.fetch_add(1, Ordering::Relaxed);
                        if n % 2 == 0 {
                            let url = format!("{}/api/events/{event}", front());
                            if patient {
                                let (status, _) = send(http.get(&url)).await;
                                if status != StatusCode::OK {
                                    failures.lock().unwrap().push(format!("GET {status}"));
                                }
                                continue;
                            }
                            let answer = http.get(&url).send().await;
                            match answer {
                                Ok(r) if r.status() == StatusCode::OK => {}
                                Ok(r) => {
                                    failures.lock().unwrap().push(format!("GET {}", r.status()))
                                }
                                Err(e) => failures.lock().unwrap().push(format!("GET {e}")),
                            }
                            continue;
                        }
                        let email = format!("load{c}-{n}-{}@example.com", rand_suffix());
                        let body = json!({ "event_id": event, "email": email,
                            "password": "password123", "first_name": "Load", "last_name": "Test" });
                        let url = format!("{}/api/auth/attendee/register", front());
                        let (status, answer) = if patient {
                            post(&http, &url, &body).await
                        } else {
                            match http.post(&url).json(&body).send().await {
                                Ok(r) => {
                                    let status = r.status();
                                    (status, r.json().await.unwrap_or(Value::Null))
                                }
                                Err(e) => {
                                    failures.lock().unwrap().push(format!("POST {e}"));
                                    continue;
                                }
                            }
                        };
                        if status == StatusCode::CREATED {
                            acknowledged.lock().unwrap().push(email);
                        } else {
                            // The answer's body says which part refused (its error's code
                            // and message), the instance's log when.
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("POST {status} {answer}"));
                        }
                    }
                })
            })
            .collect();
        Load { clients, ..load }
    }

    async fn finish(self) -> (Vec<String>, usize, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        for client in self.clients {
            client.await.unwrap();
        }
        let acknowledged = self.acknowledged.lock().unwrap().clone();
        let failures = self.failures.lock().unwrap().clone();
        (
            acknowledged,
            self.requests.load(Ordering::Relaxed),
            failures,
        )
    }
}

/// Every acknowledged registration is on every node.
fn all_kept(event: i64, acknowledged: &[String]) {
    let count = format!("SELECT COUNT(*) FROM attendees WHERE event_id = {event}");
    let kept = on_every_node(&count);
    assert!(kept >= acknowledged.len() as i64);
    for i in 1..=NODES {
        let emails = on_node(
            i,
            &format!("SELECT email FROM attendees WHERE event_id = {event}"),
        );
        let missing: Vec<_> = acknowledged
            .iter()
            .filter(|e| !emails.contains(e))
            .collect();
        assert!(
            missing.is_empty(),
            "node {i} lost acknowledged writes: {missing:?}"
        );
    }
}

async fn wait_until(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    started.elapsed()
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn a_database_node_killed_under_load_loses_no_acknowledged_write_and_rejoins() {
    let (_, event) = organiser_with_event(None).await;
    let retries = retries_logged();
    let tried_again = TRIED_AGAIN.load(Ordering::Relaxed);
    let load = Load::start(event, true);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let node = pid("node2/mysqld.pid");
    kill("-9", node);
    let killed = Instant::now();
    // Instance 2 loses its database: its /readyz fails and HAProxy takes it out.
    let out = wait_until(
        "instance 2 out of HAProxy",
        Duration::from_secs(15),
        async || haproxy_status(2).await.starts_with("DOWN"),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    start("node2.sh");
    let rejoined = killed.elapsed();
    let back = wait_until(
        "instance 2 back in HAProxy",
        Duration::from_secs(60),
        async || haproxy_status(2).await == "UP",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (acknowledged, requests, failures) = load.finish().await;
    println!(
        "node 2 killed under load: instance 2 out of HAProxy after {:.1} s; node restarted \
         after {:.1} s, instance back {:.1} s later; {requests} requests, {} registrations \
         acknowledged, {} answered 502/503 and tried again by the client (the instance \
         whose node died, before HAProxy took it out), {} failed after the client's retries \
         {failures:?}; {} transactions run again",
        out.as_secs_f64(),
        rejoined.as_secs_f64(),
        back.as_secs_f64(),
        acknowledged.len(),
        TRIED_AGAIN.load(Ordering::Relaxed) - tried_again,
        failures.len(),
        retries_logged() - retries
    );
    assert!(!acknowledged.is_empty());
    assert!(failures.is_empty(), "{failures:?}");
    all_kept(event, &acknowledged);
    assert_eq!(
        on_node(2, "SHOW STATUS LIKE 'wsrep_local_state_comment'")[0],
        "wsrep_local_state_comment\tSynced"
    );
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn a_killed_instance_is_out_of_haproxy_within_two_seconds() {
    let instance3 = pid("instance3.pid");
    kill("-9", instance3);
    let out = wait_until(
        "instance 3 out of HAProxy",
        Duration::from_secs(2),
        async || haproxy_status(3).await.starts_with("DOWN"),
    )
    .await;
    println!(
        "instance 3 killed: out of HAProxy after {:.2} s",
        out.as_secs_f64()
    );
    start("instance3.sh");
    wait_until("instance 3 back", Duration::from_secs(60), async || {
        haproxy_status(3).await == "UP"
    })
    .await;
}

#[tokio::test]
#[ignore = "needs `make cluster`"]
async fn a_rolling_restart_under_load_fails_no_request() {
    let (_, event) = organiser_with_event(None).await;
    // Impatient clients: any 5xx or dropped connection is a failure.
    let load = Load::start(event, false);
    tokio::time::sleep(Duration::from_secs(2)).await;
    for i in 1..=NODES {
        let old = pid(&format!("instance{i}.pid"));
        kill("-TERM", old);
        wait_until(
            "the old instance stops",
            Duration::from_secs(30),
            async || !alive(old),
        )
        .await;
        start(&format!("instance{i}.sh"));
        wait_until(
            "the new instance is in",
            Duration::from_secs(60),
            async || haproxy_status(i).await == "UP",
        )
        .await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (acknowledged, requests, failures) = load.finish().await;
    println!(
        "rolling restart of {NODES} instances under load: {requests} requests, {} \
         registrations, {} failed: {failures:?}",
        acknowledged.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
    all_kept(event, &acknowledged);
}
