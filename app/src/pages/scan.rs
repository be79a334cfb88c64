//! The scanner at the door: the phone's rear camera reads ticket QR codes continuously
//! (BarcodeDetector where the browser has it, the rqrr decoder compiled into this wasm where
//! it does not), each scan answers green / amber / red at once, and a name search covers
//! people without their ticket. For the organiser and the event's check-in staff.

use super::network::AttendeeGate;
use crate::components::{Avatar, ErrorNote};
use crate::error::AppError;
use crate::models::{Attendee, CheckinResult, Page};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/rpc")]
pub async fn door(event_id: i32) -> Result<(String, i64, i64), AppError> {
    let (auth, actor) = super::server::actor().await?;
    let mut conn = super::server::conn(&auth).await?;
    crate::domain::checkin::door(&mut conn, &actor, event_id).await
}

#[server(prefix = "/rpc")]
pub async fn scan_ticket(event_id: i32, token: String) -> Result<CheckinResult, AppError> {
    let (auth, actor) = super::server::actor().await?;
    let mut conn = super::server::conn(&auth).await?;
    let input = crate::inputs::CheckinInput {
        token,
        scanned_at: None,
        device: Some("scanner".into()),
    };
    crate::domain::checkin::check_in(&mut conn, &actor, event_id, input).await
}

#[server(prefix = "/rpc")]
pub async fn check_in_person(event_id: i32, attendee_id: i32) -> Result<CheckinResult, AppError> {
    let (auth, actor) = super::server::actor().await?;
    let mut conn = super::server::conn(&auth).await?;
    crate::domain::checkin::check_in_by_id(&mut conn, &actor, event_id, attendee_id).await
}

#[server(prefix = "/rpc")]
pub async fn find_at_door(event_id: i32, q: String) -> Result<Page<Attendee>, AppError> {
    let (auth, actor) = super::server::actor().await?;
    let mut conn = super::server::conn(&auth).await?;
    let page = crate::inputs::PageParams {
        limit: Some(8),
        offset: Some(0),
    };
    use crate::domain::attendees::{list_for_event, AttendeeSort};
    list_for_event(
        &mut conn,
        &actor,
        event_id,
        Some(&q),
        AttendeeSort::Name,
        page,
    )
    .await
}

/// What the last scan said.
#[derive(Clone)]
enum Outcome {
    CheckedIn(CheckinResult),
    Already(CheckinResult),
    Refused(String),
}

#[component]
pub fn ScanPage() -> impl IntoView {
    let event_id = super::id_param();
    let outcome = RwSignal::new(None::<Outcome>);
    let scans = RwSignal::new(0u32);
    // Other doors check people in too: the counter refreshes every 5 seconds as well.
    let tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                tick.try_update(|t| *t += 1);
            },
            std::time::Duration::from_secs(5),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let info = Resource::new(
        move || (event_id.get(), scans.get(), tick.get()),
        |(id, ..)| door(id),
    );
    let submit = move |token: String| {
        let id = event_id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = scan_ticket(id, token).await;
            show(outcome, scans, result);
        });
    };
    view! {
        <Title text="Check-in scanner"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Opening the scanner…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok((name, checked_in, registered)) => view! {
                        <div class="door-head">
                            <h1>{name}</h1>
                            <p class="door-count" aria-live="polite" data-testid="door-count">
                                <strong>{checked_in}</strong>" / "{registered}" checked in"
                            </p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
        <ResultPanel outcome/>
        <Camera on_code=submit/>
        <ManualEntry event_id outcome scans on_token=submit/>
    }
}

fn show(
    outcome: RwSignal<Option<Outcome>>,
    scans: RwSignal<u32>,
    result: Result<CheckinResult, AppError>,
) {
    let next = match result {
        Ok(result) if result.already_checked_in => Outcome::Already(result),
        Ok(result) => Outcome::CheckedIn(result),
        Err(AppError::NotFound(_)) => {
            Outcome::Refused("Unknown ticket, or a ticket for another event.".into())
        }
        Err(error) => Outcome::Refused(error.to_string()),
    };
    #[cfg(feature = "hydrate")]
    {
        // A buzz the person at the door feels without looking: short for yes, long for no.
        let pattern = match next {
            Outcome::CheckedIn(_) => 80,
            Outcome::Already(_) => 250,
            Outcome::Refused(_) => 600,
        };
        let _ = window().navigator().vibrate_with_duration(pattern);
    }
    // The page may have been left while the answer was on its way.
    outcome.try_set(Some(next));
    scans.try_update(|n| *n += 1);
}

#[component]
fn ResultPanel(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    move || {
        outcome.get().map(|outcome| {
            let (class, title, person, detail) = match outcome {
                Outcome::CheckedIn(r) => (
                    "scan-result ok",
                    "Checked in ✓".to_owned(),
                    Some(r.attendee),
                    None,
                ),
                Outcome::Already(r) => (
                    "scan-result warn",
                    format!("Already checked in at {}", r.checked_in_at.format("%H:%M")),
                    Some(r.attendee),
                    None,
                ),
                Outcome::Refused(message) => (
                    "scan-result bad",
                    "Not valid ✗".to_owned(),
                    None,
                    Some(message),
                ),
            };
            view! {
                <section class=class role="status" aria-live="assertive" data-testid="scan-result">
                    <p class="scan-title">{title}</p>
                    {person.map(|p| view! {
                        <div class="person-row">
                            <Avatar name=p.full_name() photo=p.profile_picture.clone() size=64/>
                            <div class="person-text">
                                <p class="scan-name">{p.full_name()}</p>
                                {p.organisation.clone().map(|o| view! { <p>{o}</p> })}
                            </div>
                        </div>
                    })}
                    {detail.map(|d| view! { <p>{d}</p> })}
                </section>
            }
        })
    }
}

/// The camera view; calls `on_code` with each new code it reads.
#[component]
fn Camera(on_code: impl Fn(String) + Clone + Send + Sync + 'static) -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    let running = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    // Some(on) once the camera turns out to have a torch.
    let torch = RwSignal::new(None::<bool>);
    let scanning = RwSignal::new(None::<leptos::prelude::IntervalHandle>);
    // Leaving the page stops the scanning and gives the camera back.
    on_cleanup(move || {
        if let Some(Some(handle)) = scanning.try_get_untracked() {
            handle.clear();
        }
        #[cfg(feature = "hydrate")]
        if let Some(Some(video)) = video.try_get_untracked() {
            camera::stop(&video);
        }
    });
    let start = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(video) = video.get_untracked() {
            let on_code = on_code.clone();
            leptos::task::spawn_local(async move {
                match camera::start(&video).await {
                    Ok(has_torch) => {
                        running.set(true);
                        if has_torch {
                            torch.set(Some(false));
                        }
                        scanning.set(camera::scan_loop(video, on_code));
                    }
                    Err(message) => problem.set(Some(message)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&on_code, video);
    };
    let toggle_torch = move |_| {
        let on = !torch.get_untracked().unwrap_or(false);
        #[cfg(feature = "hydrate")]
        if let Some(video) = video.get_untracked() {
            camera::set_torch(&video, on);
        }
        torch.set(Some(on));
    };
    view! {
        <section class="camera card">
            <video node_ref=video class="camera-view" class:live=move || running.get() autoplay muted playsinline aria-label="Camera view"></video>
            <Show when=move || !running.get()>
                <button type="button" class="button block" on:click=start.clone()>"Start scanning"</button>
            </Show>
            {move || torch.get().map(|on| view! {
                <button type="button" class="button secondary small" aria-pressed=on.to_string() on:click=toggle_torch>
                    {if on { "Torch off" } else { "Torch on" }}
                </button>
            })}
            {move || problem.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        </section>
    }
}

#[component]
fn ManualEntry(
    event_id: Memo<i32>,
    outcome: RwSignal<Option<Outcome>>,
    scans: RwSignal<u32>,
    on_token: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = Resource::new(
        move || (event_id.get(), query.get(), scans.get()),
        |(id, q, _)| async move {
            if q.trim().len() < 2 {
                return Ok(None);
            }
            find_at_door(id, q).await.map(Some)
        },
    );
    let code = RwSignal::new(String::new());
    let check_in = move |attendee_id: i32| {
        let id = event_id.get_untracked();
        leptos::task::spawn_local(async move {
            show(outcome, scans, check_in_person(id, attendee_id).await);
        });
    };
    view! {
        <section class="card" aria-labelledby="manual-title">
            <h2 id="manual-title">"No ticket?"</h2>
            <div class="field">
                <label for="door-search">"Find by name"</label>
                <input id="door-search" type="search" autocomplete="off" on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(page)) => view! {
                            <ul class="person-list">
                                {page.items.into_iter().map(|a| {
                                    let id = a.id;
                                    let label = format!("Check in {}", a.full_name());
                                    view! {
                                        <li class="person-row">
                                            <Avatar name=a.full_name() photo=a.profile_picture.clone() size=40/>
                                            <div class="person-text">
                                                <p class="person-name">{a.full_name()}</p>
                                                {a.organisation.clone().map(|o| view! { <p class="muted">{o}</p> })}
                                            </div>
                                            {match a.checked_in_at {
                                                Some(at) => view! { <span class="tag ok">{format!("In at {}", at.format("%H:%M"))}</span> }.into_any(),
                                                None => view! { <button type="button" class="button small" aria-label=label on:click=move |_| check_in(id)>"Check in"</button> }.into_any(),
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
            <form class="code-entry" on:submit=move |ev| {
                ev.prevent_default();
                let token = code.get_untracked();
                if !token.trim().is_empty() {
                    on_token(token);
                    code.set(String::new());
                }
            }>
                <div class="field">
                    <label for="door-code">"Or type the ticket code"</label>
                    <input id="door-code" type="text" autocomplete="off" autocapitalize="characters" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button secondary">"Check code"</button>
            </form>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod camera {
    use js_sys::{Array, Function, Promise, Reflect, JSON};
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// Opens the rear camera into `video`; answers whether it has a torch.
    pub async fn start(video: &web_sys::HtmlVideoElement) -> Result<bool, String> {
        let refused = |_| {
            "The camera could not be opened. Allow camera access, or use the search below."
                .to_owned()
        };
        let devices = window().navigator().media_devices().map_err(refused)?;
        let constraints = web_sys::MediaStreamConstraints::new();
        let video_wish =
            JSON::parse(r#"{"facingMode":{"ideal":"environment"},"width":{"ideal":1280}}"#)
                .map_err(refused)?;
        constraints.set_video(&video_wish);
        constraints.set_audio(&JsValue::FALSE);
        let stream = JsFuture::from(
            devices
                .get_user_media_with_constraints(&constraints)
                .map_err(refused)?,
        )
        .await
        .map_err(refused)?
        .dyn_into::<web_sys::MediaStream>()
        .map_err(|_| "The camera gave no picture.".to_owned())?;
        video.set_src_object(Some(&stream));
        if let Ok(playing) = video.play() {
            let _ = JsFuture::from(playing).await;
        }
        let has_torch = video_track(video)
            .and_then(|track| {
                let capabilities: Function = Reflect::get(&track, &"getCapabilities".into())
                    .ok()?
                    .dyn_into()
                    .ok()?;
                let found = capabilities.call0(&track).ok()?;
                Reflect::get(&found, &"torch".into()).ok()?.as_bool()
            })
            .unwrap_or(false);
        Ok(has_torch)
    }

    fn video_track(video: &web_sys::HtmlVideoElement) -> Option<JsValue> {
        let stream: web_sys::MediaStream = video.src_object()?.dyn_into().ok()?;
        let track = stream.get_video_tracks().get(0);
        (!track.is_undefined()).then_some(track)
    }

    /// Switches the camera's light, where the phone lets the page.
    pub fn set_torch(video: &web_sys::HtmlVideoElement, on: bool) {
        let Some(track) = video_track(video) else {
            return;
        };
        let Ok(constraints) = JSON::parse(&format!(r#"{{"advanced":[{{"torch":{on}}}]}}"#)) else {
            return;
        };
        if let Some(apply) = Reflect::get(&track, &"applyConstraints".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = apply.call1(&track, &constraints);
        }
    }

    /// The browser's own QR reader, where it has one.
    fn barcode_detector() -> Option<JsValue> {
        let constructor: Function = Reflect::get(&window(), &"BarcodeDetector".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let options = JSON::parse(r#"{"formats":["qr_code"]}"#).ok()?;
        Reflect::construct(&constructor, &Array::of1(&options)).ok()
    }

    async fn detect_native(
        detector: &JsValue,
        video: &web_sys::HtmlVideoElement,
    ) -> Option<String> {
        let detect: Function = Reflect::get(detector, &"detect".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
        let codes: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let first = codes.get(0);
        if first.is_undefined() {
            return None;
        }
        Reflect::get(&first, &"rawValue".into()).ok()?.as_string()
    }

    /// Reads one frame with rqrr: drawn small on a canvas, turned grey, decoded in wasm.
    fn detect_wasm(
        video: &web_sys::HtmlVideoElement,
        canvas: &web_sys::HtmlCanvasElement,
    ) -> Option<String> {
        let (w, h) = (video.video_width(), video.video_height());
        if w == 0 || h == 0 {
            return None;
        }
        let scale = (640.0 / w.max(h) as f64).min(1.0);
        let (cw, ch) = ((w as f64 * scale) as u32, (h as f64 * scale) as u32);
        canvas.set_width(cw);
        canvas.set_height(ch);
        let context: web_sys::CanvasRenderingContext2d =
            canvas.get_context("2d").ok()??.dyn_into().ok()?;
        context
            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, cw as f64, ch as f64)
            .ok()?;
        let pixels = context
            .get_image_data(0.0, 0.0, cw as f64, ch as f64)
            .ok()?
            .data();
        let grey = |x: usize, y: usize| {
            let i = (y * cw as usize + x) * 4;
            ((pixels[i] as u32 * 299 + pixels[i + 1] as u32 * 587 + pixels[i + 2] as u32 * 114)
                / 1000) as u8
        };
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(cw as usize, ch as usize, grey);
        prepared
            .detect_grids()
            .into_iter()
            .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
    }

    /// Looks for a code a few times a second; the same code is ignored for 3 seconds so a
    /// ticket held in front of the camera counts once.
    pub fn scan_loop(
        video: web_sys::HtmlVideoElement,
        on_code: impl Fn(String) + 'static,
    ) -> Option<IntervalHandle> {
        let detector = barcode_detector();
        let canvas: web_sys::HtmlCanvasElement = document()
            .create_element("canvas")
            .expect("a canvas")
            .unchecked_into();
        let last: Rc<RefCell<(String, f64)>> = Rc::new(RefCell::new((String::new(), 0.0)));
        let busy = Rc::new(RefCell::new(false));
        let on_code = Rc::new(on_code);
        let tick = move || {
            if *busy.borrow() {
                return;
            }
            *busy.borrow_mut() = true;
            let (video, canvas, detector, last, busy, on_code) = (
                video.clone(),
                canvas.clone(),
                detector.clone(),
                last.clone(),
                busy.clone(),
                on_code.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let code = match &detector {
                    Some(detector) => detect_native(detector, &video).await,
                    None => detect_wasm(&video, &canvas),
                };
                if let Some(code) = code {
                    let now = js_sys::Date::now();
                    let repeat = {
                        let (previous, at) = &*last.borrow();
                        *previous == code && now - at < 3_000.0
                    };
                    if !repeat {
                        *last.borrow_mut() = (code.clone(), now);
                        on_code(code);
                    }
                }
                *busy.borrow_mut() = false;
            });
        };
        set_interval_with_handle(tick, std::time::Duration::from_millis(250)).ok()
    }

    /// Stops the camera.
    pub fn stop(video: &web_sys::HtmlVideoElement) {
        if let Some(stream) = video
            .src_object()
            .and_then(|s| s.dyn_into::<web_sys::MediaStream>().ok())
        {
            for track in stream.get_tracks().iter() {
                if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                    track.stop();
                }
            }
        }
        video.set_src_object(None);
    }
}
