//! Who is asking, by network address, and how often they may try to log in from there.
//!
//! The address is the TCP peer's, or, when that peer is one of `NETEVENT_TRUSTED_PROXIES`
//! (a load balancer), the nearest address in `X-Forwarded-For` that is not a trusted proxy.
//! A client can write anything into that header, so it is believed only from a proxy.
//!
//! Logins and password-reset requests are limited per address on top of the per-email limit
//! (`app::auth`): guessing many accounts' passwords from one address is slowed too. Venue
//! Wi-Fi puts hundreds of people behind one address, so the default allows 120 attempts a
//! minute from one address: a hall of 500 logging in over five minutes fits; registration
//! (the RSVP) is not limited per address at all (its cost is bounded by the hashing queue).

use crate::config::Config;
use app::error::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Parses `NETEVENT_TRUSTED_PROXIES`: addresses or networks, comma separated.
pub fn parse_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("NETEVENT_TRUSTED_PROXIES: {item:?} is no address or network"))
        })
        .collect()
}

/// The client's address: the peer, or through trusted proxies the first untrusted hop of
/// `X-Forwarded-For` read from the right.
pub fn address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !is_trusted(ip))
            .unwrap_or(peer),
    )
}

/// The per-address limit of logins and password-reset requests.
#[derive(Clone)]
pub struct LoginLimits {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted: Arc<Vec<IpNet>>,
    checks: Arc<AtomicU64>,
}

/// How often the limiter forgets addresses whose limit has fully recovered.
const PRUNE_EVERY: u64 = 1024;

impl LoginLimits {
    pub fn new(config: &Config) -> Self {
        let per_minute = NonZeroU32::new(config.login_attempts_per_address_per_minute.max(1))
            .unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(Duration::from_secs(60) / per_minute.get())
            .unwrap_or_else(|| Quota::per_minute(per_minute))
            .allow_burst(per_minute);
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trusted: Arc::new(config.trusted_proxies.clone()),
            checks: Arc::default(),
        }
    }
}

/// Requests that try a password or ask for a reset link: the JSON API's and the pages'.
fn is_login_attempt(method: &Method, path: &str) -> bool {
    method == Method::POST
        && (matches!(
            path,
            "/api/auth/organizer/login"
                | "/api/auth/attendee/login"
                | "/api/auth/password-reset"
                | "/api/auth/password-reset/confirm"
        ) || [
            "/rpc/login_organizer",
            "/rpc/login_attendee",
            "/rpc/request_password_reset",
            "/rpc/reset_password",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix)))
}

/// Answers 429 with `Retry-After` once an address has used its attempts.
pub async fn limit_logins(
    State(limits): State<LoginLimits>,
    request: Request,
    next: Next,
) -> Response {
    if !is_login_attempt(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    // Without a peer (a server embedded without connect info) everyone shares one key.
    let key =
        address(peer, request.headers(), &limits.trusted).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if limits.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
        limits.limiter.retain_recent();
        limits.limiter.shrink_to_fit();
    }
    match limits.limiter.check_key(&key) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            use governor::clock::{Clock, DefaultClock};
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let mut response = AppError::TooManyAttempts.into_response();
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxies = parse_proxies("10.0.0.0/8, 127.0.0.1").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7, 10.1.2.3".parse().unwrap(),
        );
        let from = |peer: &str| address(Some(peer.parse().unwrap()), &headers, &proxies);
        // Through the proxy: the nearest untrusted hop (the one the proxy saw).
        assert_eq!(from("10.0.0.1"), Some("198.51.100.7".parse().unwrap()));
        // Straight from the internet: the header is the client's own words.
        assert_eq!(from("192.0.2.1"), Some("192.0.2.1".parse().unwrap()));
        assert!(parse_proxies("not-an-ip").is_err());
    }
}
