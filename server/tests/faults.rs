//! Faults a real deployment meets: the database dying under load and coming back, two server
//! instances behind one load balancer, and SIGTERM during a request. Each prints its counts.

mod common;

use common::{free_port, TestApp};
use diesel_async::{AsyncConnection, AsyncMysqlConnection};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

fn sbin(name: &str) -> PathBuf {
    ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.exists())
        .unwrap_or_else(|| panic!("{name} is needed for the fault tests (Debian's mariadb-server)"))
}

/// A MariaDB server of this test's own, which the test may kill and start again.
struct PrivateMariaDb {
    data: PathBuf,
    port: u16,
    process: Option<Child>,
}

impl PrivateMariaDb {
    fn create() -> Self {
        let data = std::env::temp_dir().join(format!("netevent-fault-db-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).unwrap();
        let installed = Command::new(sbin("mariadb-install-db"))
            .args([
                "--no-defaults",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ])
            .arg(format!("--datadir={}", data.join("db").display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(installed.success(), "mariadb-install-db failed");
        Self {
            data,
            port: free_port(),
            process: None,
        }
    }

    fn url(&self, database: &str) -> String {
        format!("mysql://root@127.0.0.1:{}/{database}", self.port)
    }

    async fn start(&mut self) {
        use diesel_async::RunQueryDsl;
        let log = std::fs::File::create(self.data.join("server.log")).unwrap();
        let child = Command::new(sbin("mariadbd"))
            .args([
                "--no-defaults",
                "--user=root",
                "--skip-log-bin",
                "--bind-address=127.0.0.1",
            ])
            .arg(format!("--datadir={}", self.data.join("db").display()))
            .arg(format!("--port={}", self.port))
            .arg(format!(
                "--socket={}",
                self.data.join("mysqld.sock").display()
            ))
            .arg(format!(
                "--pid-file={}",
                self.data.join("mysqld.pid").display()
            ))
            .arg("--innodb-buffer-pool-size=32M")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.process = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(mut conn) = AsyncMysqlConnection::establish(&self.url("mysql")).await {
                if diesel::sql_query("SELECT 1")
                    .execute(&mut conn)
                    .await
                    .is_ok()
                {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the private MariaDB did not start; see {}",
            self.data.display()
        );
    }

    async fn sql(&self, statement: &str) {
        use diesel_async::RunQueryDsl;
        let mut admin = AsyncMysqlConnection::establish(&self.url("mysql"))
            .await
            .unwrap();
        diesel::sql_query(statement)
            .execute(&mut admin)
            .await
            .unwrap();
    }

    /// Kills the server outright, as a crash or a pulled plug would.
    fn kill(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn down_for() -> Duration {
    Duration::from_secs(
        std::env::var("FAULT_DB_DOWN_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
    )
}

async fn registered_emails(database_url: &str, event_id: i64) -> Vec<String> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Email {
        #[diesel(sql_type = diesel::sql_types::Text)]
        email: String,
    }
    let mut conn = AsyncMysqlConnection::establish(database_url).await.unwrap();
    diesel::sql_query(format!(
        "SELECT email FROM attendees WHERE event_id = {event_id}"
    ))
    .load::<Email>(&mut conn)
    .await
    .unwrap()
    .into_iter()
    .map(|row| row.email)
    .collect()
}

#[tokio::test]
async fn a_database_crash_under_load_answers_503_recovers_by_itself_and_loses_no_write() {
    // The server's own account of anything that is not a plain outage.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error,tower_http=off")
        .with_test_writer()
        .try_init();
    let mut db = PrivateMariaDb::create();
    db.start().await;
    db.sql("CREATE DATABASE netevent CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        .await;
    let mut config = server::config::Config::from_env().unwrap();
    config.database_url = db.url("netevent");
    config.db_pool_size = 8;
    config.upload_dir = db.data.join("uploads").to_string_lossy().into_owned();
    let (router, _state) = server::build(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let organizer = Client::builder().cookie_store(true).build().unwrap();
    let registered = organizer
        .post(format!("{base}/api/auth/organizer/register"))
        .json(&json!({ "email": "olga@example.com", "password": "password123", "name": "Olga" }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    let event: Value = organizer
        .post(format!("{base}/api/events"))
        .json(&json!({ "name": "Keynote", "start_time": "2030-05-04T09:00:00", "end_time": "2030-05-04T18:00:00" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let event_id = event["id"].as_i64().unwrap();

    // Eight people registering back to back, and two reading the event page's data.
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let unavailable = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let wrong = Arc::new(Mutex::new(Vec::<String>::new()));
    let slowest = Arc::new(Mutex::new(Duration::ZERO));
    let mut load = Vec::new();
    for worker in 0..10 {
        let (stop, sent, unavailable) = (stop.clone(), sent.clone(), unavailable.clone());
        let (acknowledged, wrong, slowest) = (acknowledged.clone(), wrong.clone(), slowest.clone());
        let base = base.clone();
        load.push(tokio::spawn(async move {
            let client = Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let email = format!("w{worker}-{n}@example.com");
                let started = Instant::now();
                let request = if worker < 8 {
                    client
                        .post(format!("{base}/api/auth/attendee/register"))
                        .json(&json!({
                            "event_id": event_id, "email": email, "password": "password123",
                            "first_name": "Load", "last_name": format!("{worker}-{n}"),
                        }))
                } else {
                    client.get(format!("{base}/api/events/{event_id}"))
                };
                let response = request.send().await;
                sent.fetch_add(1, Ordering::SeqCst);
                let took = started.elapsed();
                {
                    let mut slowest = slowest.lock().unwrap();
                    *slowest = (*slowest).max(took);
                }
                match response {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        acknowledged.lock().unwrap().push(email)
                    }
                    Ok(r) if r.status() == StatusCode::OK => {}
                    Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => {
                        let body: Value = r.json().await.unwrap_or_default();
                        if body["error"]["code"] == "unavailable" {
                            unavailable.fetch_add(1, Ordering::SeqCst);
                        } else {
                            wrong.lock().unwrap().push(format!("503 {body}"));
                        }
                    }
                    Ok(r) => {
                        let problem =
                            format!("{} {}", r.status(), r.text().await.unwrap_or_default());
                        wrong.lock().unwrap().push(problem)
                    }
                    Err(e) => wrong.lock().unwrap().push(format!("no answer: {e}")),
                }
            }
        }));
    }
    let client = Client::new();
    let ready = |client: Client, base: String| async move {
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .map(|r| r.status())
            .ok()
    };

    tokio::time::sleep(Duration::from_secs(2)).await;
    db.kill();
    let crashed = Instant::now();
    let mut readyz_red = false;
    let mut after_crash = None;
    while crashed.elapsed() < down_for() {
        // Answers to writes that committed just before the crash may still arrive at first.
        if after_crash.is_none() && crashed.elapsed() > Duration::from_secs(1) {
            after_crash = Some(acknowledged.lock().unwrap().len());
        }
        readyz_red |=
            ready(client.clone(), base.clone()).await == Some(StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let during_outage = acknowledged.lock().unwrap().len() - after_crash.unwrap_or(0);
    db.start().await;
    let back = Instant::now();
    while ready(client.clone(), base.clone()).await != Some(StatusCode::OK) {
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "the server never recovered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let recovered_after = back.elapsed();
    let at_recovery = acknowledged.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    let found = registered_emails(&db.url("netevent"), event_id).await;
    let lost: Vec<&String> = acknowledged.iter().filter(|e| !found.contains(e)).collect();
    // A registration can commit just as the database dies and then fail to save its session:
    // done, but answered 503. The person's retry answers "already registered".
    let unanswered = found.len() + lost.len() - acknowledged.len();
    println!(
        "database crash under load: requests sent {}, 503 unavailable {}, other failures {}, \
         writes acknowledged {} vs found {} ({} lost, {} done but answered 503), slowest \
         answer {:.2} s, ready again {:.0} ms after the database",
        sent.load(Ordering::SeqCst),
        unavailable.load(Ordering::SeqCst),
        wrong.lock().unwrap().len(),
        acknowledged.len(),
        found.len(),
        lost.len(),
        unanswered,
        slowest.lock().unwrap().as_secs_f64(),
        recovered_after.as_secs_f64() * 1000.0
    );
    let wrong = wrong.lock().unwrap().clone();
    assert!(wrong.is_empty(), "only 201/200/503: {:?}", wrong.first());
    assert!(
        unavailable.load(Ordering::SeqCst) > 0,
        "the outage was seen as 503"
    );
    assert!(readyz_red, "/readyz went red during the outage");
    assert_eq!(
        during_outage, 0,
        "nothing was acknowledged while the database was down"
    );
    assert!(
        // The pool's wait is 2 s; a registration queued for its seat may wait for it twice.
        *slowest.lock().unwrap() < Duration::from_secs(8),
        "no request hung"
    );
    assert!(
        recovered_after < Duration::from_secs(2),
        "ready again within 2 s"
    );
    assert!(
        acknowledged.len() > at_recovery,
        "writes succeed after recovery"
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(
        unanswered <= 8,
        "at most the writes in flight as it died: {unanswered}"
    );
}

#[tokio::test]
async fn two_instances_share_sessions_and_never_double_book() {
    let first = TestApp::spawn().await;
    let second = common::second_instance(&first.config).await;
    let on = |instance: usize, path: &str| {
        if instance.is_multiple_of(2) {
            first.url(path)
        } else {
            format!("{second}{path}")
        }
    };

    // Logged in on one, known on the other; logged out on the other, gone on both.
    let (organizer, event) = first
        .organizer_with_event("olga@example.com", Some(20))
        .await;
    let me = organizer.get(on(1, "/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // 60 people for 20 seats, alternating between the instances.
    let registrations = (0..60).map(|n| {
        let url = on(n, "/api/auth/attendee/register");
        tokio::spawn(async move {
            Client::new()
                .post(url)
                .json(&json!({
                    "event_id": event, "email": format!("p{n}@example.com"),
                    "password": "password123", "first_name": "P", "last_name": format!("{n}"),
                }))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let mut statuses = Vec::new();
    for registration in registrations.collect::<Vec<_>>() {
        statuses.push(registration.await.unwrap());
    }
    let seated = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let full = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    let stats: Value = organizer
        .get(on(1, &format!("/api/organizer/events/{event}/stats")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    println!("two instances: 60 registrations for 20 seats → {seated} seated, {full} full, {} registered", stats["registered"]);
    assert_eq!((seated, full), (20, 40));
    assert_eq!(stats["registered"], 20);

    // Two people ask Yuki for the same half hour; she accepts both at once, one on each
    // instance: one meeting is confirmed, the other refused.
    let (_, other_event) = first.organizer_with_event("otto@example.com", None).await;
    let (yuki, yuki_id) = first.person(other_event, "Yuki").await;
    for round in 0..5 {
        let mut asks = Vec::new();
        for asker in 0..2 {
            let (client, _) = first
                .person(other_event, &format!("Asker{round}x{asker}"))
                .await;
            let asked: Value = client
                .post(on(asker, "/api/appointments"))
                .json(&json!({
                    "target_id": yuki_id,
                    "appointment_time": format!("2030-05-04T1{round}:00:00"),
                }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            asks.push(asked["id"].as_i64().expect("a meeting request"));
        }
        let accepts = asks.iter().enumerate().map(|(instance, id)| {
            let (yuki, url) = (
                yuki.clone(),
                on(instance, &format!("/api/appointments/{id}")),
            );
            tokio::spawn(async move {
                yuki.put(url)
                    .json(&json!({ "status": "accepted" }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        });
        let mut answers = Vec::new();
        for accept in accepts.collect::<Vec<_>>() {
            answers.push(accept.await.unwrap());
        }
        answers.sort();
        assert_eq!(
            answers,
            vec![StatusCode::OK, StatusCode::CONFLICT],
            "round {round}"
        );
    }

    let logout = organizer
        .post(on(0, "/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let after = organizer.get(on(1, "/api/auth/me")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_takes_no_new_ones() {
    let (database, database_url) = common::fresh_database().await;
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", &database_url)
        .env("NETEVENT_ADDR", format!("127.0.0.1:{port}"))
        .env("NETEVENT_SEED_DEMO", "false")
        .env("NETEVENT_DRAIN_SECS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A registration whose body is still arriving when the signal comes.
    let body = json!({ "email": "late@example.com", "password": "password123", "name": "Late" })
        .to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    stream
        .write_all(
            format!(
                "POST /api/auth/organizer/register HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{head}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // First the load balancer's check goes red while requests are still served...
    let fresh = Client::new();
    let ready = fresh.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    let served = fresh.get(format!("{base}/healthz")).send().await.unwrap();
    assert!(served.status().is_success(), "still serving while draining");
    // ...then, after the drain period (1 s here), the listener closes.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let refused = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert!(refused.is_err(), "no new connections once stopping");

    stream.write_all(tail.as_bytes()).await.unwrap();
    let answer = common::read_answer(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let exited = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exited.success(), "{exited}");
    println!(
        "SIGTERM: /readyz 503 while still serving, then new connections refused; the request in flight answered 201, exit 0"
    );

    use diesel_async::RunQueryDsl;
    let mut conn = AsyncMysqlConnection::establish(&database_url)
        .await
        .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let saved =
        diesel::sql_query("SELECT COUNT(*) AS n FROM organizers WHERE email = 'late@example.com'")
            .get_result::<Count>(&mut conn)
            .await
            .unwrap();
    assert_eq!(saved.n, 1, "the drained request's write is there");
    drop(conn);
    common::drop_database(&database).await;
}

fn mail_down_for() -> Duration {
    Duration::from_secs(
        std::env::var("FAULT_MAIL_DOWN_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30),
    )
}

#[tokio::test]
async fn a_mail_server_outage_under_registration_load_delays_mail_but_loses_and_doubles_none() {
    let mut catcher = common::mail::MailCatcher::start().await;
    let first = TestApp::spawn_with_mail(&catcher).await;
    // A second instance on the same database, with its own pool and its own mail worker.
    let (router, _) = server::build(&first.config).await.unwrap();
    let _worker = server::spawn_mail_worker(&first.config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let second = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (_, event) = first.organizer_with_event("olga@example.com", None).await;

    catcher.stop();
    let down = mail_down_for();
    let started = Instant::now();
    let mut registrations = Vec::new();
    let mut n = 0usize;
    while started.elapsed() < down {
        let base = if n % 2 == 0 {
            first.base.clone()
        } else {
            second.clone()
        };
        registrations.push(tokio::spawn(async move {
            let email = format!("p{n}@example.com");
            let status = Client::new()
                .post(format!("{base}/api/auth/attendee/register"))
                .json(&json!({
                    "event_id": event, "email": email,
                    "password": "password123", "first_name": "P", "last_name": format!("{n}"),
                }))
                .send()
                .await
                .unwrap()
                .status();
            (email, status)
        }));
        n += 1;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut registered = Vec::new();
    for registration in registrations {
        let (email, status) = registration.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{email}");
        registered.push(email);
    }
    catcher.resume().await;
    let back = Instant::now();

    // Every mail arrives once the server is back (retries wait at most a minute).
    let mut received = Vec::new();
    let mut delivered = None;
    while back.elapsed() < Duration::from_secs(120) {
        received = catcher.all().await;
        if received.len() >= registered.len() {
            delivered = Some(back.elapsed());
            // A little longer: a second copy of any mail would show up now.
            tokio::time::sleep(Duration::from_secs(3)).await;
            received = catcher.all().await;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut per_person = std::collections::BTreeMap::<String, usize>::new();
    for mail in &received {
        assert!(mail["subject"].as_str().unwrap().starts_with("You're in"));
        *per_person
            .entry(mail["to"][0]["address"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let missing = registered
        .iter()
        .filter(|e| !per_person.contains_key(*e))
        .count();
    let doubled = per_person.values().filter(|n| **n > 1).count();
    println!(
        "mail outage: SMTP down {:.0} s under registration load on two instances; {} registrations, {} mails received, {} missing, {} sent twice; all delivered {:?} after the server came back",
        down.as_secs_f64(),
        registered.len(),
        received.len(),
        missing,
        doubled,
        delivered,
    );
    assert_eq!(missing, 0, "every registration's mail arrives");
    assert_eq!(doubled, 0, "no mail is sent twice");
    assert_eq!(received.len(), registered.len());
}
