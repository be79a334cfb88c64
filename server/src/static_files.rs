//! The app's own files. `/pkg` (script, wasm, styles) is served from the site cargo-leptos
//! built: with content-hashed names (`hash-files`) each is cached for a year as immutable,
//! and precompressed brotli or gzip copies (`--precompress`, release builds) go to browsers
//! that take them; unhashed names (a build without hashing) are revalidated, answered 304
//! when unchanged, as are the icons, favicon and manifest. `/sw.js` is the service worker with this build's file names written in,
//! so it keeps exactly the files the pages load, and a new build is a new worker.

use crate::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

/// The names this build gave its script, wasm and styles, and an id that changes with them.
#[derive(Debug, Clone)]
pub struct Assets {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub build: String,
}

/// Where cargo-leptos writes the hashes of a build: beside the server binary, as leptos reads
/// it (`None` for a binary built without hashing, such as the integration tests').
pub fn hash_file() -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join("hash.txt");
    path.exists().then_some(path)
}

impl Assets {
    pub fn of_this_build(options: &LeptosOptions) -> Self {
        let name = options.output_name.to_string();
        let pkg = format!("/{}", options.site_pkg_dir);
        let hashes = hash_file()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        let hash = |kind: &str| {
            hashes.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                (file.trim() == kind).then(|| hash.trim().to_owned())
            })
        };
        let file = |kind: &str, unhashed: &str| match hash(kind) {
            Some(hash) => format!("{pkg}/{name}.{hash}.{kind}"),
            None => format!("{pkg}/{name}{unhashed}.{kind}"),
        };
        let build = [hash("js"), hash("wasm"), hash("css")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("-");
        Self {
            js: file("js", ""),
            wasm: file("wasm", ""),
            css: file("css", ""),
            build: if build.is_empty() {
                app::BUILD_ID.to_owned()
            } else {
                build
            },
        }
    }
}

/// `/pkg/…` and `/sw.js`.
pub fn routes(site_root: &str, assets: Arc<Assets>) -> Router<AppState> {
    let pkg = ServeDir::new(Path::new(site_root).join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let source = Path::new(site_root).join("sw.js");
    let worker = std::fs::read_to_string(&source).unwrap_or_else(|error| {
        // Without its source the worker only names the files: pages still work, offline not.
        tracing::warn!(%error, path = %source.display(), "no service worker source");
        String::new()
    });
    let worker = Arc::new(service_worker(&worker, &assets));
    let public = |name: &str| ServeFile::new(Path::new(site_root).join(name));
    Router::new()
        .nest_service("/pkg", pkg)
        .nest_service("/icons", ServeDir::new(Path::new(site_root).join("icons")))
        .route_service("/favicon.svg", public("favicon.svg"))
        .route_service("/manifest.webmanifest", public("manifest.webmanifest"))
        .layer(middleware::from_fn(cache_by_name))
        .route(
            "/sw.js",
            get(move || {
                let worker = worker.clone();
                async move { worker_response(&worker) }
            }),
        )
}

/// A name with a content hash (`netevent.<22 characters>.wasm`) never changes content.
fn is_content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() >= 16
        && parts[parts.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn cache_by_name(request: Request, next: Next) -> Response {
    let content_named = is_content_named(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status().as_u16() == 304 {
        let cache = if content_named {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// The worker's source with this build's names: `self.__NETEVENT_BUILD__` and
/// `self.__NETEVENT_SHELL__` set before the rest runs.
fn service_worker(source: &str, assets: &Assets) -> String {
    let shell = serde_json::json!([assets.js, assets.wasm, assets.css]);
    format!(
        "self.__NETEVENT_BUILD__ = {};\nself.__NETEVENT_SHELL__ = {shell};\n{source}",
        serde_json::Value::String(assets.build.clone())
    )
}

fn worker_response(worker: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser checks for a new worker on each visit; a new build is a new file.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        worker.to_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_names_are_content_named() {
        assert!(is_content_named(
            "/pkg/netevent.AbC-_1234567890abcdefgh.wasm"
        ));
        assert!(!is_content_named("/pkg/netevent.wasm"));
        assert!(!is_content_named("/pkg/netevent_bg.wasm"));
    }
}
