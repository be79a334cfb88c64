//! Configuration from environment variables, each with a working default.

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// Where cargo-leptos put the wasm, JS, CSS and public assets.
    pub site_root: String,
    pub db_pool_size: u32,
    pub secure_cookies: bool,
    pub login_attempts_per_minute: u32,
    pub seed_demo: bool,
    /// Where profile photos are kept.
    pub upload_dir: String,
    /// How long one request may take before it is answered 503.
    pub request_timeout: std::time::Duration,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str, default: bool) -> bool {
    var(name)
        .map(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
        .unwrap_or(default)
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let addr = var("NETEVENT_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Self {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "mysql://root@127.0.0.1:3306/netevent".into()),
            addr: addr
                .parse()
                .map_err(|e| format!("NETEVENT_ADDR {addr:?}: {e}"))?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            db_pool_size: var("DB_POOL_SIZE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(16),
            secure_cookies: flag("NETEVENT_SECURE_COOKIES", false),
            login_attempts_per_minute: var("LOGIN_ATTEMPTS_PER_MINUTE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(10),
            seed_demo: flag("NETEVENT_SEED_DEMO", true),
            upload_dir: var("NETEVENT_UPLOAD_DIR").unwrap_or_else(|| "data/uploads".into()),
            request_timeout: std::time::Duration::from_secs(
                var("NETEVENT_REQUEST_TIMEOUT_SECS")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(30),
            ),
        })
    }
}
