//! Test harness: each `TestApp` is the real router on a loopback port over its own fresh
//! MariaDB database, dropped again when the test ends (also when it fails).
#![allow(dead_code)]

pub mod mail;

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::config::Config;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// A loopback port free at this moment.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server part of DATABASE_URL (no database name).
fn server_url() -> String {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/netevent".into());
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[scheme_end..].find('/') {
        Some(slash) => url[..scheme_end + slash].to_owned(),
        None => url,
    }
}

/// Serves `router` on `listener` in the background, as the server binary does.
pub fn serve(listener: tokio::net::TcpListener, router: axum::Router) {
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
}

/// Another instance of `config`'s server (its own router, pool and caches) on a loopback
/// port: its base URL.
pub async fn second_instance(config: &Config) -> String {
    let (router, _) = server::build(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    serve(listener, router);
    base
}

/// A new empty database on the test server: (name, URL). Databases of test processes that
/// no longer run are dropped on the way.
pub async fn fresh_database() -> (String, String) {
    let database = format!(
        "netevent_t{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = AsyncMysqlConnection::establish(&server_url())
        .await
        .expect("MariaDB must be running (make test starts it)");
    drop_stale_databases(&mut admin).await;
    diesel::sql_query(format!(
        "CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    let url = format!("{}/{database}", server_url());
    (database, url)
}

/// Drops a database made by `fresh_database`. Connections still on it are ended first: a
/// background task of the test's server (the mail worker) may be mid-transaction when the
/// test ends, and its table locks would hold DROP DATABASE for ever.
pub async fn drop_database(database: &str) {
    if let Ok(mut admin) = AsyncMysqlConnection::establish(&server_url()).await {
        #[derive(diesel::QueryableByName)]
        struct Connection {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        let ours: Vec<Connection> = diesel::sql_query(
            "SELECT CAST(ID AS SIGNED) AS id FROM information_schema.PROCESSLIST WHERE DB = ?",
        )
        .bind::<diesel::sql_types::Text, _>(database)
        .load(&mut admin)
        .await
        .unwrap_or_default();
        for Connection { id } in ours {
            let _ = diesel::sql_query(format!("KILL {id}"))
                .execute(&mut admin)
                .await;
        }
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS `{database}`"))
            .execute(&mut admin)
            .await;
    }
}

pub struct TestApp {
    pub base: String,
    pub database: String,
    pub database_url: String,
    pub config: Config,
    pub state: server::AppState,
    /// This instance's mail worker (sending to `config.smtp_url`, else marking mail skipped).
    pub mail_worker: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let (database, database_url) = fresh_database().await;
        let mut config = Config::from_env().unwrap();
        config.database_url = database_url.clone();
        config.addr = "127.0.0.1:0".parse().unwrap();
        config.db_pool_size = 8;
        config.upload_dir = std::env::temp_dir()
            .join(&database)
            .to_string_lossy()
            .into_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // Links in mail lead here.
        config.public_url = base.clone();
        adjust(&mut config);
        let (router, state) = server::build(&config).await.expect("server builds");
        let mail_worker = server::spawn_mail_worker(&config)
            .await
            .expect("mail settings are valid");
        serve(listener, router);
        TestApp {
            base,
            database,
            database_url,
            config,
            state,
            mail_worker,
        }
    }

    /// A client with its own cookie jar: one browser, one person.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    /// The router with its mail going to `catcher`, links in mail pointing at it.
    pub async fn spawn_with_mail(catcher: &mail::MailCatcher) -> Self {
        let smtp = catcher.smtp_url();
        Self::spawn_with(move |config| config.smtp_url = Some(smtp)).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post(&self, client: &Client, path: &str, body: Value) -> Response {
        client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// The JSON body of a GET that must succeed.
    pub async fn get_json(&self, client: &Client, path: &str) -> Value {
        let response = self.get(client, path).await;
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    /// Posts as a well-behaved client does where passwords are hashed: a 503 (the process's
    /// hashing queue full, e.g. while another test's burst runs) is tried again after its
    /// `Retry-After`.
    pub async fn post_patiently(&self, client: &Client, path: &str, body: Value) -> Response {
        for _ in 0..20 {
            let response = self.post(client, path, body.clone()).await;
            if response.status() != StatusCode::SERVICE_UNAVAILABLE {
                return response;
            }
            tokio::time::sleep(retry_after(&response)).await;
        }
        panic!("{path} stayed unavailable");
    }

    /// Calls a page's server function the way its form does (URL-encoded body).
    pub async fn server_fn(&self, client: &Client, path: &str, form: &str) -> Response {
        client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// Registers an organiser on `client` (which is then logged in as them).
    pub async fn organizer(&self, client: &Client, email: &str) -> Value {
        let response = self
            .post_patiently(
                client,
                "/api/auth/organizer/register",
                json!({ "email": email, "password": "password123", "name": "Olga Organiser" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// Creates an event as the organiser logged in on `client`.
    pub async fn event(&self, client: &Client, max_attendees: Option<i64>) -> Value {
        let response = self
            .post(
                client,
                "/api/events",
                json!({
                    "name": "RustConf Meetup",
                    "start_time": "2030-05-04T09:00:00",
                    "end_time": "2030-05-04T17:00:00",
                    "location": "Hall A",
                    "max_attendees": max_attendees,
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// Registers (RSVPs) an attendee for an event on `client`.
    pub async fn attendee(
        &self,
        client: &Client,
        event_id: i64,
        email: &str,
        first_name: &str,
    ) -> Value {
        let response = self
            .post_patiently(
                client,
                "/api/auth/attendee/register",
                json!({ "event_id": event_id, "email": email, "password": "password123", "first_name": first_name, "last_name": "Tester" }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            response.text().await
        );
        response.json().await.unwrap()
    }

    /// A new attendee of the event: (their id, the token their ticket's QR code holds).
    pub async fn ticket_holder(
        &self,
        event_id: i64,
        email: &str,
        first_name: &str,
    ) -> (i64, String) {
        let attendee = self
            .attendee(&self.client(), event_id, email, first_name)
            .await;
        (
            attendee["id"].as_i64().unwrap(),
            attendee["checkin_token"].as_str().unwrap().to_owned(),
        )
    }
}

impl TestApp {
    pub async fn put(&self, client: &Client, path: &str, body: Value) -> Response {
        client.put(self.url(path)).json(&body).send().await.unwrap()
    }

    pub async fn delete(&self, client: &Client, path: &str) -> Response {
        client.delete(self.url(path)).send().await.unwrap()
    }

    /// A logged-in attendee of `event_id` on a client of their own: (client, id).
    pub async fn person(&self, event_id: i64, first_name: &str) -> (Client, i64) {
        let client = self.client();
        let email = format!("{}@example.com", first_name.to_lowercase());
        let attendee = self.attendee(&client, event_id, &email, first_name).await;
        (client, attendee["id"].as_i64().unwrap())
    }

    /// An organiser with an event in UTC that began an hour ago and ends in eight hours, so
    /// its door is open: (organiser's client, event id).
    pub async fn organizer_with_event_on_now(&self, email: &str) -> (Client, i64) {
        let client = self.client();
        self.organizer(&client, email).await;
        let at = hours_from_now;
        let response = self
            .post(
                &client,
                "/api/events",
                json!({ "name": "Door day", "start_time": at(-1), "end_time": at(8),
                        "timezone": "UTC" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let event: Value = response.json().await.unwrap();
        (client, event["id"].as_i64().unwrap())
    }

    /// A logged-in door phone with a new staff link of `body` (`{name, role?, list_id?}`)
    /// for the event: (the phone's client, the link as created).
    pub async fn door_link(&self, organizer: &Client, event: i64, body: Value) -> (Client, Value) {
        let created = self
            .post(
                organizer,
                &format!("/api/organizer/events/{event}/staff"),
                body,
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let access: Value = created.json().await.unwrap();
        let door = self.client();
        let login = self
            .post_patiently(
                &door,
                "/api/auth/staff/login",
                json!({ "token": access["token"] }),
            )
            .await;
        assert_eq!(login.status(), StatusCode::OK);
        (door, access)
    }

    /// An organiser with an event of `max_attendees` seats: (organiser's client, event id).
    pub async fn organizer_with_event(
        &self,
        email: &str,
        max_attendees: Option<i64>,
    ) -> (Client, i64) {
        let client = self.client();
        self.organizer(&client, email).await;
        let event = self.event(&client, max_attendees).await;
        (client, event["id"].as_i64().unwrap())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.mail_worker.abort();
        let database = self.database.clone();
        let _ = std::fs::remove_dir_all(&self.config.upload_dir);
        // Drop runs outside async context guarantees: use a private runtime on a thread.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(drop_database(&database));
        })
        .join();
    }
}

/// Removes test databases of test processes that no longer run (left by a killed run).
async fn drop_stale_databases(admin: &mut AsyncMysqlConnection) {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let Ok(names) = diesel::sql_query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'netevent\\_t%'").load::<Name>(admin).await else { return };
    for Name { name } in names {
        let pid = name
            .trim_start_matches("netevent_t")
            .split('_')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS `{name}`"))
                    .execute(admin)
                    .await;
            }
        }
    }
}

/// The wall-clock time `hours` from now in UTC, as the API takes event times.
pub fn hours_from_now(hours: i64) -> String {
    (chrono::Utc::now().naive_utc() + chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A `width`×`height` PNG of 1-bit black pixels: tiny on the wire, whatever it claims.
pub fn one_bit_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; width.div_ceil(8) as usize];
        for _ in 0..height {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
        writer.finish().unwrap();
    }
    out
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

impl TestApp {
    /// `asker` asks attendee `asked_id` to connect; answers the request's id.
    pub async fn ask_to_connect(&self, asker: &Client, asked_id: i64) -> i64 {
        let response = self
            .post(
                asker,
                "/api/connections",
                json!({ "connected_attendee_id": asked_id }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// The person asked accepts connection request `request_id`.
    pub async fn accept_connection(&self, asked: &Client, request_id: i64) {
        let response = self
            .put(
                asked,
                &format!("/api/connections/{request_id}"),
                json!({ "status": "accepted" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// Uploads `bytes` as the multipart field `photo` of attendee `id`.
    pub async fn upload_photo(
        &self,
        client: &Client,
        id: i64,
        bytes: Vec<u8>,
        filename: &str,
    ) -> Response {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
        );
        client
            .post(self.url(&format!("/api/attendees/{id}/photo")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// A 503's `Retry-After`, which it must carry.
pub fn retry_after(response: &Response) -> std::time::Duration {
    let seconds: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&seconds), "Retry-After {seconds}");
    std::time::Duration::from_secs(seconds)
}

/// Reads a raw HTTP/1.1 answer from `stream` until the server closes it or its JSON body is
/// complete (at most 10 s).
pub async fn read_answer(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer);
            let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
            if n == 0 || serde_json::from_str::<Value>(body).is_ok() {
                break;
            }
        }
    })
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// Asserts the API.md error shape and returns the error's code.
pub async fn error_code(response: Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("error body is JSON");
    let error = &body["error"];
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error has a message: {body}"
    );
    error["code"].as_str().expect("error has a code").to_owned()
}
