//! The self check-in kiosk: a tablet at the entrance, started by a supervisor or the
//! organiser from the scanner. An attendee shows their ticket (camera or hand-held scanner),
//! reads "Welcome, Ada", is checked in, and their badge prints through the browser on a
//! label printer (62 × 100 mm continuous labels or 4 × 3 in cards). The kiosk's session may
//! only check tickets in: no list, no search, no counts; leaving it takes the organiser's
//! email and password.

use super::panels::Camera;
use super::rpc::door;
use crate::components::{action_error, Field, FormError, Submit};
use crate::error::AppError;
use crate::models::{Attendee, BadgeLayout, CheckinResult};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A badge printer's stock the kiosk prints on (`BadgeLayout::PRINTERS`); the default is
/// the 62 × 100 mm label.
fn printer_stock(raw: &str) -> BadgeLayout {
    BadgeLayout::parse(Some(raw))
        .ok()
        .filter(|l| BadgeLayout::PRINTERS.contains(l))
        .unwrap_or(BadgeLayout::Label62x100)
}

/// The printed page: exactly one badge filling it, nothing else of the page.
fn page_css(layout: BadgeLayout) -> String {
    format!(
        "@page {{ size: {size}; margin: 0; }} \
         @media print {{ \
         html, body, main, .kiosk, .kiosk-screen {{ margin: 0 !important; padding: 0 !important; min-height: 0 !important; }} \
         .kiosk > :not(.kiosk-screen), .kiosk-screen > :not(.kiosk-badge) {{ display: none !important; }} \
         .kiosk-badge {{ box-sizing: border-box; width: 100vw; height: 100vh; max-width: none; margin: 0; \
         padding: 4mm; border: 0; border-radius: 0; display: flex; flex-direction: column; \
         justify-content: center; overflow: hidden; break-inside: avoid; }} }}",
        size = layout.css_page_size()
    )
}

/// Turns this device into the event's kiosk and opens it.
#[server(prefix = "/rpc")]
pub async fn start_kiosk(event_id: i32, label: String) -> Result<(), AppError> {
    let mut auth = crate::pages::server::auth_session().await?;
    crate::domain::accounts::start_kiosk(&mut auth, event_id).await?;
    leptos_axum::redirect(&format!(
        "/dashboard/events/{event_id}/kiosk?label={}",
        printer_stock(&label).name()
    ));
    Ok(())
}

/// Leaves the kiosk with the organiser's email and password, onto the event's page.
#[server(prefix = "/rpc")]
pub async fn exit_kiosk(event_id: i32, email: String, password: String) -> Result<(), AppError> {
    let mut auth = crate::pages::server::auth_session().await?;
    let input = crate::inputs::LoginInput {
        email,
        password,
        ..Default::default()
    };
    crate::domain::accounts::exit_kiosk(&mut auth, event_id, input).await?;
    leptos_axum::redirect(&format!("/dashboard/events/{event_id}"));
    Ok(())
}

/// A ticket shown to the kiosk.
#[server(prefix = "/rpc")]
pub async fn kiosk_check_in(event_id: i32, token: String) -> Result<CheckinResult, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::kiosk_check_in(&mut conn, &actor, event_id, token).await
}

/// What the kiosk shows.
#[derive(Clone)]
enum Screen {
    Ready,
    Checking,
    /// Checked in now: the badge prints.
    Welcome(Attendee),
    Already(Attendee),
    /// Outside check-in hours, an unknown ticket, or no network: why, and where to go.
    Sorry(String),
}

/// The scanner's button that turns this device into a kiosk (supervisors and the organiser).
#[component]
pub fn StartKiosk(event_id: Memo<i32>) -> impl IntoView {
    let action = ServerAction::<StartKiosk>::new();
    let error = action_error(action);
    view! {
        <details class="card">
            <summary>"Self check-in kiosk"</summary>
            <p class="muted">"Turns this device into a kiosk: attendees scan their own ticket and their badge prints. Leaving it needs the organiser's password."</p>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="event_id" value=move || event_id.get()/>
                <div class="field">
                    <label for="kiosk-label">"Badge printer"</label>
                    <select id="kiosk-label" name="label">
                        {BadgeLayout::PRINTERS.into_iter().map(|l| view! { <option value=l.name()>{l.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Submit label="Start the kiosk" busy="Starting…" pending=Signal::from(action.pending())/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let event_id = crate::pages::id_param();
    let query = use_query_map();
    let layout = Memo::new(move |_| printer_stock(&query.read().get("label").unwrap_or_default()));
    let header = Resource::new(move || event_id.get(), door);
    let screen = RwSignal::new(Screen::Ready);
    // Back to "show your ticket" a while after each answer.
    let shown = StoredValue::new(0u32);
    let on_code = move |token: String| {
        if matches!(screen.get_untracked(), Screen::Checking) {
            return;
        }
        screen.set(Screen::Checking);
        leptos::task::spawn_local(async move {
            let next = match kiosk_check_in(event_id.get_untracked(), token).await {
                Ok(r) if r.already_checked_in => Screen::Already(r.attendee),
                Ok(r) => Screen::Welcome(r.attendee),
                Err(AppError::Conflict { message, .. }) => {
                    Screen::Sorry(format!("{message} Please see the desk."))
                }
                Err(AppError::Forbidden) => Screen::Sorry(
                    "This device is not a kiosk. Start the kiosk from the door scanner.".into(),
                ),
                Err(AppError::NotFound(_)) => Screen::Sorry(
                    "We do not know this ticket here. Is it for this event? Please see the desk."
                        .into(),
                ),
                Err(error) => Screen::Sorry(format!("{error} Please see the desk.")),
            };
            let printing = matches!(next, Screen::Welcome(_));
            screen.try_set(next);
            shown.update_value(|n| *n += 1);
            let this = shown.get_value();
            #[cfg(feature = "hydrate")]
            if printing {
                // Once the badge is on the page.
                request_animation_frame(|| {
                    if let Err(error) = window().print() {
                        leptos::logging::error!("the badge did not print: {error:?}");
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = printing;
            set_timeout(
                move || {
                    if shown.try_get_value() == Some(this) {
                        screen.try_set(Screen::Ready);
                    }
                },
                std::time::Duration::from_secs(10),
            );
        });
    };
    #[cfg(feature = "hydrate")]
    super::hardware::listen(on_code);
    // Set once the header's answer is in, after hydration (both renders start alike).
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(h)) = header.get() {
            name.set(h.event_name);
        }
    });
    let event_name = move || name.get();
    view! {
        <Title text="Self check-in"/>
        <style>{move || page_css(layout.get())}</style>
        <div class="kiosk">
            <h1 class="kiosk-title">"Welcome to " {event_name}</h1>
            <section class="kiosk-screen" role="status" aria-live="assertive" data-testid="kiosk-screen">
                {move || match screen.get() {
                    Screen::Ready => view! {
                        <p class="kiosk-big">"Show the QR code of your ticket to the camera"</p>
                        <p class="muted">"It is in your confirmation email and under Ticket in the NetEvent app."</p>
                    }.into_any(),
                    Screen::Checking => view! { <p class="kiosk-big" aria-busy="true">"Checking your ticket…"</p> }.into_any(),
                    Screen::Welcome(a) => view! {
                        <div class="scan-result ok">
                            <p class="kiosk-big">{format!("Welcome, {}!", a.first_name)}</p>
                            <p>"You are checked in. Your badge is printing."</p>
                        </div>
                        <Badge attendee=a event=event_name()/>
                    }.into_any(),
                    Screen::Already(a) => view! {
                        <div class="scan-result warn">
                            <p class="kiosk-big">{format!("Welcome back, {}", a.first_name)}</p>
                            <p>"You are already checked in. Need a new badge? Please see the desk."</p>
                        </div>
                    }.into_any(),
                    Screen::Sorry(why) => view! {
                        <div class="scan-result bad">
                            <p class="kiosk-big">"Not checked in"</p>
                            <p>{why}</p>
                        </div>
                    }.into_any(),
                }}
            </section>
            <Camera on_code=on_code/>
            <ExitKiosk event_id/>
        </div>
    }
}

/// A name's type size on the badge: as large as `cap`, smaller as the name grows, so that it
/// fits the badge's width on one line (bold letters average about 0.65 em).
fn fitted(name: &str, cap_rem: f32) -> String {
    let letters = name.chars().count().max(1) as f32;
    format!(
        "font-size: min({cap_rem}rem, {:.1}cqw)",
        90.0 / (0.65 * letters)
    )
}

/// The badge as it prints: only it is on the printed page.
#[component]
fn Badge(attendee: Attendee, event: String) -> impl IntoView {
    view! {
        <article class="kiosk-badge" aria-label="Your badge">
            <p class="kiosk-badge-event">{event}</p>
            <p class="kiosk-badge-first" style=fitted(&attendee.first_name, 2.6)>{attendee.first_name.clone()}</p>
            <p class="kiosk-badge-last" style=fitted(&attendee.last_name, 1.6)>{attendee.last_name.clone()}</p>
            {attendee.organisation.clone().map(|o| view! { <p class="kiosk-badge-org">{o}</p> })}
            {attendee.role.clone().map(|r| view! { <p class="kiosk-badge-role">{r}</p> })}
        </article>
    }
}

/// Leaving the kiosk: the organiser's email and password.
#[component]
fn ExitKiosk(event_id: Memo<i32>) -> impl IntoView {
    let action = ServerAction::<ExitKiosk>::new();
    let error = action_error(action);
    view! {
        <details class="kiosk-exit">
            <summary>"Organiser: leave the kiosk"</summary>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="event_id" value=move || event_id.get()/>
                <Field label="Organiser's email" name="email" kind="email" required=true error/>
                <Field label="Password" name="password" kind="password" required=true error/>
                <Submit label="Leave the kiosk" busy="Checking…" pending=Signal::from(action.pending())/>
            </ActionForm>
        </details>
    }
}
