//! NetEvent's application: pages, server functions and, under the `ssr` feature, the domain.
// The async hydration of split pages (`split.rs`) computes the layout of a whole page's view
// type at once; the attendee table's is deeper than the default limit.
#![recursion_limit = "256"]

pub mod error;
pub mod form_flash;
pub mod inputs;
pub mod models;
mod split;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod badge_html;
#[cfg(feature = "ssr")]
pub mod badge_pdf;
#[cfg(feature = "ssr")]
pub mod cpu;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "hydrate")]
pub mod door_store;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "hydrate")]
mod uploads;
#[cfg(feature = "ssr")]
pub mod zone;

mod components;
pub mod pages;

use components::Header;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

pub use pages::session::SessionActions;

/// The site's own address (`NETEVENT_PUBLIC_URL`), given by the server to pages and server
/// functions that need a whole link.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

/// Where pictures are stored, given by the server to server functions that delete one.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct Photos(pub std::sync::Arc<dyn photos::PhotoStore>);

/// This code's build (see `build.rs`): a page names it, and the wasm hydrates only a page of
/// its own build.
pub const BUILD_ID: &str = env!("NETEVENT_BUILD_ID");

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#4338ca"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <meta name="netevent-build" content=BUILD_ID/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
pub mod security {
    //! The Content-Security-Policy of pages: scripts only from this site or carrying the
    //! nonce Leptos puts on its hydration and resource scripts, nothing framed.

    /// For every response that is not a page (JSON, files, the badge print view, the service
    /// worker, whose own requests `connect-src` must allow).
    pub const DEFAULT_POLICY: &str = "default-src 'self'; script-src 'self'; \
        style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; \
        base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// The policy of a page whose inline scripts carry `nonce`. WebAssembly needs
    /// 'wasm-unsafe-eval' (compiling the app's wasm, not evaluating strings); styles stay
    /// inline-capable for the avatar colours and chart.
    pub fn page_policy(nonce: &str) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
             media-src 'self' blob:; connect-src 'self'; worker-src 'self'; \
             manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        )
    }

    /// Sets the page's policy with the nonce leptos_axum made for this request.
    pub(crate) fn content_security_policy() {
        use leptos::prelude::use_context;
        let (Some(nonce), Some(response)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) else {
            return;
        };
        if let Ok(value) = axum::http::HeaderValue::from_str(&page_policy(&nonce)) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The browser's start: hydrate a page of this build only.
#[cfg(feature = "hydrate")]
pub mod boot {
    use leptos::prelude::{document, window};
    use wasm_bindgen::JsValue;

    const RELOADED: &str = "netevent-reloaded-for";

    /// The build the page names (`<meta name="netevent-build">`).
    fn page_build() -> Option<String> {
        document()
            .query_selector("meta[name=netevent-build]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
    }

    fn session_storage() -> Option<JsValue> {
        js_sys::Reflect::get(&window(), &"sessionStorage".into())
            .ok()
            .filter(|storage| !storage.is_undefined() && !storage.is_null())
    }

    fn call(target: &JsValue, method: &str, args: &[&str]) -> Option<JsValue> {
        use wasm_bindgen::JsCast;
        let function: js_sys::Function = js_sys::Reflect::get(target, &method.into())
            .ok()?
            .dyn_into()
            .ok()?;
        let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
        function.apply(target, &args).ok()
    }

    /// Whether this wasm may hydrate the page. A page of another build (an old copy, a
    /// deploy between the page and its script) is reloaded once to get a matching pair;
    /// if that does not help, the page stays as the server rendered it, working without
    /// the app, and says why in the console instead of hydrating half of it.
    pub fn page_is_of_this_build() -> bool {
        let Some(page) = page_build() else {
            return true;
        };
        if page == super::BUILD_ID {
            return true;
        }
        let storage = session_storage();
        let tried = storage
            .as_ref()
            .and_then(|s| call(s, "getItem", &[RELOADED]))
            .and_then(|v| v.as_string());
        if tried.as_deref() != Some(page.as_str()) {
            if let Some(storage) = &storage {
                call(storage, "setItem", &[RELOADED, &page]);
            }
            let _ = window().location().reload();
        } else {
            leptos::logging::error!(
                "NetEvent: this page (build {page}) and the app (build {}) differ; not hydrating",
                super::BUILD_ID
            );
        }
        false
    }

    /// Marks the page hydrated once hydration has returned: the browser tests wait for the
    /// attribute, and `performance` gets a `hydrated` mark for the first-visit measurement.
    pub fn mark_hydrated() {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        if let Ok(performance) = js_sys::Reflect::get(&window(), &"performance".into()) {
            call(&performance, "mark", &["hydrated"]);
        }
        // A form posted before the app ran came back with errors: start at the first one.
        if let Ok(Some(field)) = document().query_selector("[aria-invalid=true]") {
            call(&field, "focus", &[]);
        }
    }
}

/// Installs `/sw.js`, which keeps the app shell for offline use, where the browser can.
fn register_service_worker() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let navigator = window().navigator();
        let Ok(container) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) else {
            return;
        };
        if container.is_undefined() {
            return;
        }
        if let Ok(register) = js_sys::Reflect::get(&container, &"register".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>().map_err(Into::into))
        {
            let _ = register.call1(&container, &"/sw.js".into());
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    form_flash::provide();
    let session = SessionActions::provide();
    // Effects run only in the browser: this marks the page as hydrated (tests wait on it).
    Effect::new(move |_| register_service_worker());
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="NetEvent: RSVP, meet the right people and book 1:1 meetings at your event."/>
        <Title formatter=|text: String| if text.is_empty() { "NetEvent".to_owned() } else { format!("{text} · NetEvent") }/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header session/>
            <main id="main" class="container">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage/>
                    <Route path=path!("/organizer/register") view={Lazy::<split::OrganizerRegister>::new()}/>
                    <Route path=path!("/organizer/login") view={Lazy::<split::OrganizerLogin>::new()}/>
                    <Route path=path!("/forgot-password") view={Lazy::<split::ForgotPassword>::new()}/>
                    <Route path=path!("/reset-password/:token") view={Lazy::<split::ResetPassword>::new()}/>
                    <Route path=path!("/dashboard") view={Lazy::<split::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/events/new") view={Lazy::<split::NewEvent>::new()}/>
                    <Route path=path!("/dashboard/events/:id/scan") view={Lazy::<split::Scan>::new()}/>
                    <Route path=path!("/dashboard/events/:id/kiosk") view={Lazy::<split::Kiosk>::new()}/>
                    <ParentRoute path=path!("/dashboard/events/:id") view={Lazy::<split::Workspace>::new()}>
                        <Route path=path!("") view={Lazy::<split::Overview>::new()}/>
                        <Route path=path!("attendees") view={Lazy::<split::Attendees>::new()}/>
                        <Route path=path!("checkin") view={Lazy::<split::Checkin>::new()}/>
                        // The section's earlier address, kept for bookmarks.
                        <Route path=path!("stats") view={Lazy::<split::Checkin>::new()}/>
                        <Route path=path!("badges") view={Lazy::<split::Badges>::new()}/>
                        <Route path=path!("staff") view={Lazy::<split::Staff>::new()}/>
                        <Route path=path!("settings") view={Lazy::<split::EventSettings>::new()}/>
                    </ParentRoute>
                    <Route path=path!("/staff/:token") view={Lazy::<split::StaffLink>::new()}/>
                    // The invite link's page arrives whole, in one write: its title and description are in
                    // the head for link previews in chat apps, and the most-visited page pays
                    // for no streamed chunks (measured: see the README's load table).
                    <Route path=path!("/e/:code") view=pages::event::EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/e/:code/login") view=pages::event::AttendeeLoginPage/>
                    // The ticket arrives whole too: the service worker keeps a copy without
                    // scripts for offline use, which a streamed page could not be.
                    <Route path=path!("/e/:code/ticket") view={Lazy::<split::Ticket>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/me") view={Lazy::<split::AttendeeHome>::new()}/>
                    <Route path=path!("/me/ticket") view={Lazy::<split::Ticket>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/me/profile") view={Lazy::<split::Profile>::new()}/>
                    <Route path=path!("/me/settings") view={Lazy::<split::Settings>::new()}/>
                    <Route path=path!("/me/people") view={Lazy::<split::People>::new()}/>
                    <Route path=path!("/me/people/:id") view={Lazy::<split::Person>::new()}/>
                    <Route path=path!("/me/connections") view={Lazy::<split::Connections>::new()}/>
                    <Route path=path!("/me/agenda") view={Lazy::<split::Agenda>::new()}/>
                </Routes>
            </main>
            <footer class="site-footer container">
                <p>"NetEvent — open-source networking events."</p>
            </footer>
        </Router>
    }
}
