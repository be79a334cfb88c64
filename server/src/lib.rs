//! The NetEvent server: configuration, pools, sessions, the `/api` router and the Leptos
//! pages, assembled into one axum `Router`.

pub mod api;
pub mod calendar;
pub mod client;
pub mod conference;
pub mod config;
pub mod csrf;
pub mod downloads;
pub mod form_posts;
pub mod mail;
pub mod seed;
pub mod server_fn_status;
pub mod session_store;
pub mod static_files;

use app::auth::Backend;
use app::db::{self, DbPool};
use app::error::AppError;
use app::photos::{DatabasePhotoStore, LocalPhotoStore, PhotoStore};
use app::{shell, App};
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use axum_login::AuthManagerLayerBuilder;
use config::Config;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use session_store::MySqlSessionStore;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub leptos_options: LeptosOptions,
    pub photos: Arc<dyn PhotoStore>,
    /// This build's script, wasm and style names.
    pub assets: Arc<static_files::Assets>,
}

impl AppState {
    pub fn new(pool: DbPool, config: &Config) -> Self {
        let leptos_options = leptos_options(config);
        let photos: Arc<dyn PhotoStore> = if config.photos_in_database {
            Arc::new(DatabasePhotoStore::new(pool.clone()))
        } else {
            Arc::new(LocalPhotoStore::new(&config.upload_dir))
        };
        Self {
            pool,
            assets: Arc::new(static_files::Assets::of_this_build(&leptos_options)),
            leptos_options,
            photos,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("netevent")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        // cargo-leptos names the files by their content (`hash-files`) and says how beside
        // the binary; a binary built otherwise (the integration tests) uses plain names.
        .hash_files(static_files::hash_file().is_some())
        .build()
}

/// Migrates the database, opens the pool and builds the application router.
pub async fn build(config: &Config) -> Result<(Router, AppState), String> {
    db::migrate(&config.database_url).await?;
    let pool = db::connect(&config.database_url, config.db_pool_size).await?;
    {
        let mut conn = pool.get().await.map_err(|e| e.to_string())?;
        let adopted = app::domain::events::adopt_default_zone(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        if adopted > 0 {
            tracing::info!(events = adopted, zone = %app::zone::default_zone(), "events given the default time zone");
        }
    }
    let state = AppState::new(pool, config);
    Ok((router(state.clone(), config), state))
}

pub fn router(state: AppState, config: &Config) -> Router {
    let session_layer = SessionManagerLayer::new(MySqlSessionStore::new(state.pool.clone()))
        .with_name("netevent_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.cookies_secure())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));
    let backend = Backend::new(state.pool.clone(), config.login_attempts_per_minute);
    let auth_layer = AuthManagerLayerBuilder::new(backend, session_layer).build();
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();

    let app = Router::new()
        .route(
            "/healthz",
            get(|| async { Json(serde_json::json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(readyz))
        .nest("/api", api::router())
        .merge(downloads::routes())
        .merge(static_files::routes(
            &config.site_root,
            state.assets.clone(),
        ))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let site = app::PublicUrl(config.public_url.clone());
                let photos = app::Photos(state.photos.clone());
                move || {
                    provide_context(site.clone());
                    provide_context(photos.clone());
                }
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_fn_status::use_app_error_status))
        .layer(middleware::from_fn(form_posts::keep_failed_forms))
        .layer(middleware::from_fn(renew_sessions_daily))
        .layer(middleware::from_fn(no_store_when_logged_in))
        .layer(auth_layer)
        .layer(middleware::from_fn(session_failures_as_503))
        .layer(middleware::from_fn(csrf::refuse_cross_site))
        .layer(middleware::from_fn_with_state(
            client::LoginLimits::new(config),
            client::limit_logins,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            run_to_completion,
        ))
        .with_state(state);
    with_security_headers(app)
        .layer(compression())
        .layer(TraceLayer::new_for_http())
}

/// Pages and JSON of more than 1 KB go compressed (brotli, else gzip) to browsers that take
/// it, at a quality that costs little CPU per response; the app's files come precompressed
/// at the highest quality (`static_files`), images and PDFs as they are.
fn compression(
) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4))
        .compress_when(
            SizeAbove::new(1024)
                .and(NotForContentType::IMAGES)
                .and(NotForContentType::SSE)
                .and(NotForContentType::const_new("application/pdf")),
        )
}

/// Headers every response carries; pages set their own Content-Security-Policy (with the
/// nonce of their scripts), everything else gets the default one.
fn with_security_headers(router: Router) -> Router {
    let fixed = HeaderValue::from_static;
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            fixed(app::security::DEFAULT_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            fixed("nosniff"),
        ))
        // Invite links carry the event's code: it never leaves in a Referer.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            fixed("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            fixed("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("permissions-policy"),
            fixed("camera=(self), microphone=(), geolocation=(), payment=()"),
        ))
}

/// Sessions end after 14 days without a visit, but tower-sessions pushes the end back only
/// when it saves a session, and it saves only a changed one: someone who RSVPs three weeks
/// ahead would be logged out at the door. The first answer of each day to a logged-in
/// session marks it, so it is saved and its cookie renewed once a day, not on every request.
async fn renew_sessions_daily(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    const RENEWED_ON: &str = "renewed_on";
    let response = next.run(request).await;
    // Empty: nobody is logged in (no session is made for anonymous visitors) or they just
    // logged out.
    if !session.is_empty().await {
        let today = chrono::Utc::now().date_naive().to_string();
        if session.get::<String>(RENEWED_ON).await.ok().flatten() != Some(today.clone()) {
            if let Err(error) = session.insert(RENEWED_ON, today).await {
                tracing::warn!(%error, "could not mark the session for renewal");
            }
        }
    }
    response
}

/// Shared phones keep nothing of a logged-in person: every answer to them is `no-store`, so
/// neither the browser's cache nor the service worker (which stores only what may be
/// stored) keeps it. An answer that says itself how it may be kept keeps that: the app's own
/// files (`static_files`), content-named photos, the event's public QR code.
async fn no_store_when_logged_in(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::CACHE_CONTROL) && !session.is_empty().await {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// tower-sessions answers a bare 500 when it cannot load or save a session, as when the
/// database goes away between a write and the session's save; the client gets the API.md
/// 503 instead, like every other database failure. NetEvent's own 500s always carry JSON.
async fn session_failures_as_503(
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() == axum::http::StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        tracing::warn!("the session store failed");
        return AppError::Unavailable.into_response();
    }
    response
}

/// Runs every request to its end in a task of its own, and answers 503 in the API.md shape
/// when it takes longer than the limit (a stuck database, an upload that never ends) instead
/// of holding a connection forever. The work goes on when its client leaves or its time is
/// up: dropped halfway, a query leaves its pooled connection mid-conversation with MariaDB,
/// and the next request to use it failed ("packet out of order", seen under the load test).
async fn run_to_completion(
    State(limit): State<std::time::Duration>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    use tracing::Instrument;
    let work = tokio::spawn(next.run(request).in_current_span());
    match tokio::time::timeout(limit, work).await {
        Ok(Ok(response)) => response,
        Ok(Err(failure)) => {
            tracing::error!(%failure, "request handler panicked");
            AppError::Internal.into_response()
        }
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            AppError::Unavailable.into_response()
        }
    }
}

/// Set once the process is told to stop: `/readyz` answers 503 from then on, while requests
/// are still served for the drain period, so that a load balancer sends elsewhere before
/// the listener closes.
pub static DRAINING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Ready when the database answers and the process is not stopping.
async fn readyz(State(state): State<AppState>) -> Response {
    use diesel_async::RunQueryDsl;
    // (Named in full: diesel's `RunQueryDsl::load` would be taken for the atomic's.)
    if std::sync::atomic::AtomicBool::load(&DRAINING, std::sync::atomic::Ordering::Relaxed) {
        let mut answer = Json(serde_json::json!({ "status": "draining" })).into_response();
        *answer.status_mut() = axum::http::StatusCode::SERVICE_UNAVAILABLE;
        return answer;
    }
    // In a task of its own, like every request: given up on, the check still ends cleanly.
    let check = tokio::spawn(async move {
        let mut conn = state.pool.get().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok::<_, AppError>(())
    });
    match tokio::time::timeout(std::time::Duration::from_secs(3), check).await {
        Ok(Ok(Ok(()))) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Ok(Ok(Err(error))) => error.into_response(),
        Ok(Err(_)) | Err(_) => AppError::Unavailable.into_response(),
    }
}

/// Starts this instance's mail worker (`mail`), sending through `config.smtp_url`. It has
/// a small pool of its own: a burst of mail (500 registrations' tickets) never takes the
/// connections requests need (the registration burst test saw a 503 when they shared one).
pub async fn spawn_mail_worker(config: &Config) -> Result<tokio::task::JoinHandle<()>, String> {
    let mailer = mail::Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        &config.public_url,
    )?;
    let pool = db::connect(&config.database_url, mail::POOL_SIZE).await?;
    Ok(mail::spawn_worker(pool, mailer))
}

/// Once an hour for as long as the server runs (and once at its start): deletes expired
/// sessions and removes for good the events deleted more than 30 days ago. Every instance
/// does it; the statements are safe to run side by side.
pub fn spawn_housekeeping(state: &AppState) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = MySqlSessionStore::new(state.pool.clone());
    let (pool, photos) = (state.pool.clone(), state.photos.clone());
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
            let purged = async {
                let mut conn = pool.get().await?;
                let now = app::domain::events::utc_now();
                app::domain::deleted_events::purge(&mut conn, photos.as_ref(), now).await
            };
            match purged.await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "removed events deleted 30 days ago"),
                Err(error) => tracing::warn!(%error, "could not remove deleted events"),
            }
            let erased = async {
                let mut conn = pool.get().await?;
                let now = app::domain::events::utc_now();
                app::domain::retention::erase_due(&mut conn, photos.as_ref(), now).await
            };
            if let Err(error) = erased.await {
                tracing::warn!(%error, "could not erase personal data past its retention");
            }
        }
    });
}
