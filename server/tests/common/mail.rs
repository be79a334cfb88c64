//! A real SMTP server for the mail tests: maildev (npm, installed by `.ci/install-tools.sh`)
//! on loopback ports of its own, read back through its REST API.
#![allow(dead_code)]

use super::free_port;
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct MailCatcher {
    child: Option<Child>,
    pub smtp_port: u16,
    pub web_port: u16,
    directory: std::path::PathBuf,
    http: reqwest::Client,
}

fn maildev() -> std::path::PathBuf {
    let tools = std::env::var("NETEVENT_TOOLS_DIR").unwrap_or_else(|_| {
        format!(
            "{}/.cache/netevent/tools",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    std::path::Path::new(&tools).join("node_modules/.bin/maildev")
}

impl MailCatcher {
    pub async fn start() -> Self {
        let mut catcher = MailCatcher {
            child: None,
            smtp_port: free_port(),
            web_port: free_port(),
            directory: std::env::temp_dir().join(format!(
                "netevent-mail-{}-{}",
                std::process::id(),
                free_port()
            )),
            http: reqwest::Client::new(),
        };
        catcher.resume().await;
        catcher
    }

    /// Starts (again) on the same ports: the mail server coming back after an outage.
    pub async fn resume(&mut self) {
        let child = Command::new(maildev())
            .args([
                "--smtp",
                &self.smtp_port.to_string(),
                "--web",
                &self.web_port.to_string(),
                "--ip",
                "127.0.0.1",
                "--web-ip",
                "127.0.0.1",
                "--mail-directory",
                &self.directory.to_string_lossy(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("maildev is installed by .ci/install-tools.sh (make tools)");
        self.child = Some(child);
        let started = Instant::now();
        loop {
            let up = self.http.get(self.web("/api/email")).send().await;
            let smtp = tokio::net::TcpStream::connect(("127.0.0.1", self.smtp_port)).await;
            if up.is_ok_and(|r| r.status().is_success()) && smtp.is_ok() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "maildev did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the SMTP server (an outage); `resume` brings it back.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    fn web(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web_port)
    }

    /// Every mail received so far.
    pub async fn all(&self) -> Vec<Value> {
        self.http
            .get(self.web("/api/email"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The mails to `address`.
    pub async fn to(&self, address: &str) -> Vec<Value> {
        self.all()
            .await
            .into_iter()
            .filter(|mail| {
                mail["to"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|t| t["address"] == address))
            })
            .collect()
    }

    /// Waits (up to 20 s) for a mail to `address` whose subject contains `subject`.
    pub async fn wait_for(&self, address: &str, subject: &str) -> Value {
        let started = Instant::now();
        loop {
            if let Some(mail) = self.to(address).await.into_iter().find(|mail| {
                mail["subject"]
                    .as_str()
                    .is_some_and(|s| s.contains(subject))
            }) {
                return mail;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no mail to {address} about {subject:?}; received: {:#?}",
                self.all()
                    .await
                    .iter()
                    .map(|m| (m["to"][0]["address"].clone(), m["subject"].clone()))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The mail as it arrived (headers and MIME parts).
    pub async fn source(&self, mail: &Value) -> String {
        let id = mail["id"].as_str().unwrap();
        self.http
            .get(self.web(&format!("/api/email/{id}/source")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The bytes of the mail's first attachment whose type starts with `content_type`.
    pub async fn attachment(&self, mail: &Value, content_type: &str) -> Vec<u8> {
        let id = mail["id"].as_str().unwrap();
        let attachment = mail["attachments"]
            .as_array()
            .and_then(|all| {
                all.iter().find(|a| {
                    a["contentType"]
                        .as_str()
                        .is_some_and(|t| t.starts_with(content_type))
                })
            })
            .unwrap_or_else(|| panic!("no {content_type} attachment in {mail:#}"));
        let name = attachment["generatedFileName"].as_str().unwrap();
        self.http
            .get(self.web(&format!("/api/email/{id}/attachment/{name}")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    }

    /// A header's value, read from the raw message.
    pub async fn header(&self, mail: &Value, name: &str) -> Option<String> {
        let source = self.source(mail).await;
        let head = source.split("\r\n\r\n").next().unwrap_or(&source);
        let prefix = format!("{}:", name.to_ascii_lowercase());
        head.replace("\r\n ", " ")
            .replace("\r\n\t", " ")
            .lines()
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    }
}

impl Drop for MailCatcher {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// Outbox rows of the test's database by (kind, status), once none is pending any more.
pub async fn settled_outbox(app: &super::TestApp) -> Vec<(String, String, String)> {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        recipient: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
    }
    let mut conn = AsyncMysqlConnection::establish(&app.database_url)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT kind, recipient, CAST(status AS CHAR) AS status FROM outbox WHERE kind <> 'meeting_reminder' ORDER BY id",
        )
        .load(&mut conn)
        .await
        .unwrap();
        if rows.iter().all(|r| r.status != "pending") || started.elapsed().as_secs() > 20 {
            return rows
                .into_iter()
                .map(|r| (r.kind, r.recipient, r.status))
                .collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
