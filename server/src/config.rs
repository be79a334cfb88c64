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
    /// Logins and reset requests per client address and minute (`client`).
    pub login_attempts_per_address_per_minute: u32,
    /// Load balancers whose `X-Forwarded-For` is believed (`NETEVENT_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub seed_demo: bool,
    /// Where profile photos are kept (`NETEVENT_PHOTOS`): files in `upload_dir`
    /// (`directory`, the default) or rows of the database (`database`, for several
    /// instances without a shared file system).
    pub photos_in_database: bool,
    /// The photo directory (`NETEVENT_UPLOAD_DIR`).
    pub upload_dir: String,
    /// How long one request may take before it is answered 503.
    pub request_timeout: std::time::Duration,
    /// After SIGTERM, how long `/readyz` answers 503 while requests are still served, before
    /// the listener closes: the load balancer's checks see it first (`NETEVENT_DRAIN_SECS`).
    pub drain: std::time::Duration,
    /// Where mail goes (`SMTP_URL`); none: mail is not sent.
    pub smtp_url: Option<String>,
    /// The From of every mail (`NETEVENT_MAIL_FROM`).
    pub mail_from: String,
    /// The address people reach the site at, for links in mail (`NETEVENT_PUBLIC_URL`).
    pub public_url: String,
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
    /// Session cookies are `Secure` when asked, and always when people reach the site over
    /// HTTPS (as `NETEVENT_PUBLIC_URL` says): a browser then never sends them in the clear.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.public_url.starts_with("https://")
    }

    pub fn from_env() -> Result<Self, String> {
        let addr = var("NETEVENT_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        app::zone::check_default_setting()?;
        let public_url = var("NETEVENT_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
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
            // A production start never makes the demo accounts; `make run` asks for them.
            login_attempts_per_address_per_minute: var("LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(120),
            trusted_proxies: crate::client::parse_proxies(
                &var("NETEVENT_TRUSTED_PROXIES").unwrap_or_default(),
            )?,
            seed_demo: flag("NETEVENT_SEED_DEMO", false),
            photos_in_database: match var("NETEVENT_PHOTOS").as_deref() {
                None | Some("directory") => false,
                Some("database") => true,
                Some(other) => {
                    return Err(format!(
                        "NETEVENT_PHOTOS {other:?}: use `directory` (the default) or `database`"
                    ))
                }
            },
            upload_dir: var("NETEVENT_UPLOAD_DIR").unwrap_or_else(|| "data/uploads".into()),
            request_timeout: std::time::Duration::from_secs(
                var("NETEVENT_REQUEST_TIMEOUT_SECS")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(30),
            ),
            drain: std::time::Duration::from_secs(
                var("NETEVENT_DRAIN_SECS")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(3),
            ),
            smtp_url: var("SMTP_URL"),
            mail_from: var("NETEVENT_MAIL_FROM")
                .unwrap_or_else(|| "NetEvent <netevent@localhost>".into()),
            public_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    /// Issue 14, item 3: a production start (no settings) makes no demo accounts.
    #[test]
    fn production_defaults_are_safe() {
        std::env::remove_var("NETEVENT_SEED_DEMO");
        std::env::remove_var("NETEVENT_SECURE_COOKIES");
        std::env::remove_var("NETEVENT_PUBLIC_URL");
        let config = Config::from_env().unwrap();
        assert!(!config.seed_demo);
        assert!(
            !config.cookies_secure(),
            "plain http on a developer's machine"
        );
        let behind_https = Config {
            public_url: "https://events.example.org".into(),
            ..config
        };
        assert!(behind_https.cookies_secure());
    }
}
