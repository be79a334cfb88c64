//! The scanner at the door: the phone's rear camera reads ticket QR codes continuously
//! (BarcodeDetector where the browser has it, the rqrr decoder compiled into this wasm where
//! it does not), each scan answers green / amber / red at once, and a name search covers
//! people without their ticket. For the organiser and the event's check-in staff.
//!
//! Without a network the door goes on: the phone keeps the event's list (ticket hashes, not
//! tokens) in IndexedDB, answers scans from it, and queues them until the server is back;
//! the server keeps the earliest time when two phones scanned the same person.

use super::network::AttendeeGate;
use crate::components::{Avatar, ErrorNote};
use crate::error::AppError;
use crate::models::{Attendee, CheckinList, CheckinResult, DoorDirection, DoorPerson, Page};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

/// The camera and its QR decoding, in the browser only.
#[cfg(feature = "hydrate")]
mod camera;
/// Tones and vibration after each scan, in the browser only.
#[cfg(feature = "hydrate")]
mod feedback;
/// USB and Bluetooth barcode scanners that type, in the browser only.
#[cfg(feature = "hydrate")]
mod hardware;
/// The door's list and queue in IndexedDB, in the browser only.
#[cfg(feature = "hydrate")]
mod offline;

#[server(prefix = "/rpc")]
/// The event's name and, for the organiser and supervisors, (checked in, registered).
pub async fn door(event_id: i32) -> Result<(String, Option<(i64, i64)>), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::door(&mut conn, &actor, event_id).await
}

/// The lists this door phone may scan into: only its own for a link bound to one.
#[server(prefix = "/rpc")]
pub async fn door_lists(event_id: i32) -> Result<Vec<CheckinList>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin_lists::for_door(&mut conn, &actor, event_id).await
}

/// A scan; `scanned_at` (RFC 3339) when it was made offline and is synced now; through
/// `list_id` (else the link's list or the default) in `direction` (else in). An empty token
/// with `attendee_id` is a check-in by hand queued offline.
#[server(prefix = "/rpc")]
pub async fn scan_ticket(
    event_id: i32,
    token: String,
    scanned_at: Option<String>,
    list_id: Option<i32>,
    direction: Option<DoorDirection>,
    attendee_id: Option<i32>,
) -> Result<CheckinResult, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let device = if scanned_at.is_some() {
        "scanner (offline)"
    } else {
        "scanner"
    };
    let input = crate::inputs::CheckinInput {
        token,
        scanned_at,
        device: Some(device.into()),
        attendee_id,
        list_id,
        direction: direction.map(|d| d.as_str().to_owned()),
    };
    crate::domain::checkin::check_in(&mut conn, &actor, event_id, input).await
}

/// One page of the list the phone keeps for scanning offline.
#[server(prefix = "/rpc")]
pub async fn door_roster(event_id: i32, offset: i64) -> Result<Page<DoorPerson>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: None,
        offset: Some(offset),
    };
    crate::domain::checkin::roster(&mut conn, &actor, event_id, page).await
}

#[server(prefix = "/rpc")]
pub async fn check_in_person(event_id: i32, attendee_id: i32) -> Result<CheckinResult, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::check_in_by_id(&mut conn, &actor, event_id, attendee_id).await
}

#[server(prefix = "/rpc")]
pub async fn find_at_door(event_id: i32, q: String) -> Result<Page<Attendee>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: Some(8),
        offset: Some(0),
    };
    use crate::domain::attendee_lists::{list_for_event, AttendeeSort};
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

/// The person a scan found, as the result panel shows them.
#[derive(Clone)]
struct Seen {
    name: String,
    organisation: Option<String>,
    photo: Option<String>,
}

impl From<&Attendee> for Seen {
    fn from(a: &Attendee) -> Self {
        Self {
            name: a.full_name(),
            organisation: a.organisation.clone(),
            photo: a.profile_picture.clone(),
        }
    }
}

impl From<&DoorPerson> for Seen {
    fn from(p: &DoorPerson) -> Self {
        Self {
            name: p.full_name(),
            organisation: p.organisation.clone(),
            photo: p.profile_picture.clone(),
        }
    }
}

/// Someone the name search found: from the server, or from the list on this phone.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Match {
    id: i32,
    name: String,
    organisation: Option<String>,
    photo: Option<String>,
    checked_in_at: Option<NaiveDateTime>,
    on_phone: bool,
}

impl From<&Attendee> for Match {
    fn from(a: &Attendee) -> Self {
        Self {
            id: a.id,
            name: a.full_name(),
            organisation: a.organisation.clone(),
            photo: a.profile_picture.clone(),
            checked_in_at: a.checked_in_at,
            on_phone: false,
        }
    }
}

/// What the last scan said.
#[derive(Clone)]
enum Outcome {
    /// `queued`: answered from the list on this phone, sent when the network is back.
    CheckedIn {
        person: Seen,
        queued: bool,
    },
    Already {
        person: Seen,
        at: NaiveDateTime,
    },
    /// Scanned out of a list that counts who is inside; `was_inside` false: they were not.
    Left {
        person: Seen,
        was_inside: bool,
    },
    Refused(String),
}

impl Outcome {
    fn answered(result: Result<CheckinResult, AppError>) -> Self {
        match result {
            Ok(r) if r.direction == DoorDirection::Out => Self::Left {
                person: Seen::from(&r.attendee),
                was_inside: !r.already_checked_in,
            },
            Ok(r) if r.already_checked_in => Self::Already {
                person: Seen::from(&r.attendee),
                at: r.checked_in_at,
            },
            Ok(r) => Self::CheckedIn {
                person: Seen::from(&r.attendee),
                queued: false,
            },
            Err(AppError::NotFound(_)) => {
                Self::Refused("Unknown ticket, or a ticket for another event.".into())
            }
            Err(error) => Self::Refused(error.to_string()),
        }
    }
}

/// The scanner's state, shared by its parts.
#[derive(Clone, Copy)]
struct Scanner {
    event_id: Memo<i32>,
    outcome: RwSignal<Option<Outcome>>,
    /// Counts answers; the header's counter and the name search refresh on it.
    scans: RwSignal<u32>,
    /// The browser says it has a network and the last call reached the server.
    online: RwSignal<bool>,
    /// Scans made offline that the server has not taken yet.
    waiting: RwSignal<usize>,
    /// Offline scans the server refused when they were synced, or why syncing stopped.
    sync_problem: RwSignal<Option<String>>,
    /// The event's list kept on this phone, by ticket hash; `saved` counts it.
    roster: StoredValue<HashMap<String, DoorPerson>>,
    saved: RwSignal<Option<usize>>,
    event_name: RwSignal<Option<String>>,
    /// The list scans go to (`None`: the link's own or the event's default) and which way.
    list: RwSignal<Option<i32>>,
    direction: RwSignal<DoorDirection>,
    /// A sync is under way (browser only).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    syncing: StoredValue<bool>,
}

impl Scanner {
    fn new(event_id: Memo<i32>) -> Self {
        Self {
            event_id,
            outcome: RwSignal::new(None),
            scans: RwSignal::new(0),
            online: RwSignal::new(true),
            waiting: RwSignal::new(0),
            sync_problem: RwSignal::new(None),
            roster: StoredValue::new(HashMap::new()),
            saved: RwSignal::new(None),
            event_name: RwSignal::new(None),
            list: RwSignal::new(None),
            direction: RwSignal::new(DoorDirection::In),
            syncing: StoredValue::new(false),
        }
    }

    /// Checks a ticket: with the server while it answers, from this phone's list otherwise.
    async fn scan(self, token: String) -> Outcome {
        if self.online.get_untracked() {
            let result = scan_ticket(
                self.event_id.get_untracked(),
                token.clone(),
                None,
                self.list.get_untracked(),
                Some(self.direction.get_untracked()),
                None,
            )
            .await;
            match result {
                Err(AppError::Transport(_)) => {
                    self.online.try_set(false);
                }
                result => {
                    if let Ok(r) = &result {
                        if r.direction == DoorDirection::In {
                            self.remember(&token, r.checked_in_at);
                        }
                    }
                    return Outcome::answered(result);
                }
            }
        }
        self.scan_offline(token).await
    }

    /// Notes on this phone's list that a ticket is checked in, for answering repeats offline.
    fn remember(&self, token: &str, at: NaiveDateTime) {
        let hash = crate::models::ticket_hash(token);
        self.roster.try_update_value(|roster| {
            if let Some(person) = roster.get_mut(&hash) {
                person.checked_in_at.get_or_insert(at);
            }
        });
    }

    fn show(self, next: Outcome) {
        #[cfg(feature = "hydrate")]
        {
            // What the person at the door hears and feels without looking.
            use feedback::Signal;
            feedback::play(match next {
                Outcome::CheckedIn { .. }
                | Outcome::Left {
                    was_inside: true, ..
                } => Signal::Yes,
                Outcome::Already { .. } | Outcome::Left { .. } => Signal::Already,
                Outcome::Refused(_) => Signal::No,
            });
        }
        // The page may have been left while the answer was on its way.
        self.outcome.try_set(Some(next));
        self.scans.try_update(|n| *n += 1);
    }

    fn submit(self, token: String) {
        leptos::task::spawn_local(async move {
            let outcome = self.scan(token).await;
            self.show(outcome);
        });
    }
}

impl Scanner {
    fn has_list(self) -> bool {
        self.roster.with_value(|roster| !roster.is_empty())
    }

    /// The people on this phone's list whose name or organisation holds every word of `q`
    /// (case ignored), at most 8, by name.
    fn find_on_phone(self, q: &str) -> Vec<Match> {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let mut found: Vec<Match> = self.roster.with_value(|roster| {
            roster
                .values()
                .filter(|p| {
                    let text = format!(
                        "{} {}",
                        p.full_name(),
                        p.organisation.as_deref().unwrap_or("")
                    )
                    .to_lowercase();
                    words.iter().all(|w| text.contains(w.as_str()))
                })
                .map(|p| Match {
                    id: p.id,
                    name: p.full_name(),
                    organisation: p.organisation.clone(),
                    photo: p.profile_picture.clone(),
                    checked_in_at: p.checked_in_at,
                    on_phone: true,
                })
                .collect()
        });
        found.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        found.truncate(8);
        found
    }
}

#[cfg(not(feature = "hydrate"))]
impl Scanner {
    async fn scan_offline(self, _token: String) -> Outcome {
        Outcome::Refused("Scanning needs the page to have loaded.".into())
    }

    async fn check_in_by_hand_offline(self, _attendee_id: i32) -> Outcome {
        Outcome::Refused("Checking in needs the page to have loaded.".into())
    }
}

#[component]
pub fn ScanPage() -> impl IntoView {
    let event_id = super::id_param();
    let scanner = Scanner::new(event_id);
    // Other doors check people in too: the counter refreshes every 5 seconds, queued scans
    // are sent as soon as the server answers, and the saved list is renewed every minute.
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
    #[cfg(feature = "hydrate")]
    {
        scanner.watch_network();
        Effect::new(move |_| {
            event_id.track();
            leptos::task::spawn_local(async move {
                scanner.load_saved().await;
                scanner.refresh_roster().await;
                scanner.sync().await;
            });
        });
        Effect::new(move |first: Option<()>| {
            let tick = tick.get();
            if first.is_some() {
                leptos::task::spawn_local(async move {
                    if scanner.waiting.get_untracked() > 0 || !scanner.online.get_untracked() {
                        scanner.sync().await;
                    }
                    if tick % 12 == 0 || scanner.saved.get_untracked().is_none() {
                        scanner.refresh_roster().await;
                    }
                });
            }
        });
    }
    let info = Resource::new(
        move || (event_id.get(), scanner.scans.get(), tick.get()),
        move |(id, ..)| async move {
            let answer = door(id).await;
            if let Err(AppError::Transport(_)) = &answer {
                scanner.online.try_set(false);
            }
            answer
        },
    );
    let submit = move |token: String| scanner.submit(token);
    #[cfg(feature = "hydrate")]
    hardware::listen(submit);
    let lists = Resource::new(move || event_id.get(), door_lists);
    // A link bound to one room scans there: named on every scan, so that offline the phone
    // does not answer "already in" from the main entrance's check-in.
    Effect::new(move |_| {
        if let Some(Ok(lists)) = lists.get() {
            if let [only] = lists.as_slice() {
                if !only.is_default {
                    scanner.list.set(Some(only.id));
                }
            }
        }
    });
    // Stewards scan only: no counts and no search by name (the server refuses both). Told
    // once the header's answer is in, after hydration, so both renders start alike.
    let supervises = RwSignal::new(true);
    Effect::new(move |_| {
        // Only the server's answer tells; offline the phone keeps what it last knew.
        if let Some(Ok((_, counts))) = info.get() {
            supervises.set(counts.is_some());
        }
    });
    let supervises: Signal<bool> = supervises.into();
    view! {
        <Title text="Check-in scanner"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Opening the scanner…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok((name, counts)) => view! { <DoorHead name counts/> }.into_any(),
                    // Offline: the list on this phone tells the counts as this phone knows them.
                    Err(AppError::Transport(_)) => {
                        let (checked_in, registered) = scanner.roster.with_value(|roster| {
                            (roster.values().filter(|p| p.checked_in_at.is_some()).count() as i64, roster.len() as i64)
                        });
                        let name = scanner.event_name.get_untracked().unwrap_or_else(|| "Check-in".into());
                        let counts = supervises.get_untracked().then_some((checked_in, registered));
                        view! { <DoorHead name counts/> }.into_any()
                    }
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
        <DoorStatus scanner/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                // Offline the phone scans where it was; the choice needs the server.
                lists.await.ok().map(|lists| view! { <ListPicker scanner lists/> })
            })}
        </Transition>
        <ResultPanel outcome=scanner.outcome/>
        <Camera on_code=submit/>
        <ManualEntry scanner supervises on_token=submit/>
    }
}

/// Where this phone scans: the event's doors and rooms to choose from (a link bound to one
/// shows just it), and in or out where the list counts who is inside.
#[component]
fn ListPicker(scanner: Scanner, lists: Vec<CheckinList>) -> impl IntoView {
    if lists.len() < 2 && !lists.iter().any(|l| l.counts_exits) {
        // Only the main entrance: nothing to choose.
        return ().into_any();
    }
    let lists = StoredValue::new(lists);
    let current = move || {
        let chosen = scanner.list.get();
        lists.with_value(|all| {
            chosen
                .and_then(|id| all.iter().find(|l| l.id == id))
                .or_else(|| all.first())
                .cloned()
        })
    };
    let counts_exits = move || current().is_some_and(|l| l.counts_exits);
    let choose = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev).parse().ok();
        // Focus leaves the list: a barcode scanner's keys would be taken as typing into it.
        {
            use wasm_bindgen::JsCast;
            if let Some(select) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = select.blur();
            }
        }
        scanner.list.set(id);
        if !counts_exits() {
            scanner.direction.set(DoorDirection::In);
        }
    };
    let several = lists.with_value(|all| all.len() > 1);
    let going = move |direction: DoorDirection| scanner.direction.get() == direction;
    view! {
        <section class="card door-where" aria-label="Where this phone scans">
            {if several {
                view! {
                    <div class="field">
                        <label for="door-list">"Scanning at"</label>
                        <select id="door-list" on:change=choose>
                            {lists.get_value().into_iter().map(|l| {
                                let id = l.id;
                                view! {
                                    <option value=id selected=move || current().is_some_and(|c| c.id == id)>{l.name}</option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any()
            } else {
                view! { <p>"Scanning at " <strong>{move || current().map(|l| l.name).unwrap_or_default()}</strong></p> }.into_any()
            }}
            <Show when=counts_exits>
                <div class="segmented" role="group" aria-label="Direction">
                    <button type="button" aria-pressed=move || going(DoorDirection::In).to_string()
                        class:on=move || going(DoorDirection::In)
                        on:click=move |_| scanner.direction.set(DoorDirection::In)>"In"</button>
                    <button type="button" aria-pressed=move || going(DoorDirection::Out).to_string()
                        class:on=move || going(DoorDirection::Out)
                        on:click=move |_| scanner.direction.set(DoorDirection::Out)>"Out"</button>
                </div>
            </Show>
        </section>
    }
    .into_any()
}

#[component]
fn DoorHead(name: String, counts: Option<(i64, i64)>) -> impl IntoView {
    view! {
        <div class="door-head">
            <h1>{name}</h1>
            {counts.map(|(checked_in, registered)| view! {
                <p class="door-count" aria-live="polite" data-testid="door-count">
                    <strong>{checked_in}</strong>" / "{registered}" checked in"
                </p>
            })}
        </div>
    }
}

/// Online or not, how many scans wait to be sent, and how much of the list the phone keeps.
#[component]
fn DoorStatus(scanner: Scanner) -> impl IntoView {
    let waiting = move || match scanner.waiting.get() {
        0 => "All scans synced".to_owned(),
        1 => "1 scan waits to sync".to_owned(),
        n => format!("{n} scans wait to sync"),
    };
    let saved = move || match scanner.saved.get() {
        Some(n) => format!("{n} people saved for offline"),
        None => "Saving the list for offline…".to_owned(),
    };
    view! {
        <p class="door-status" role="status" aria-live="polite" data-testid="door-status">
            <span class="net" class:offline=move || !scanner.online.get() data-testid="door-network">
                {move || if scanner.online.get() { "Online" } else { "Offline" }}
            </span>
            <span data-testid="door-waiting">{waiting}</span>
            <span>{saved}</span>
        </p>
        {move || scanner.sync_problem.get().map(|problem| view! { <p class="form-error" role="alert">{problem}</p> })}
    }
}

#[component]
fn ResultPanel(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    move || {
        outcome.get().map(|outcome| {
            let (class, title, person, detail) = match outcome {
                Outcome::CheckedIn { person, queued } => (
                    "scan-result ok",
                    "Checked in ✓".to_owned(),
                    Some(person),
                    queued.then(|| {
                        "Saved on this phone; it syncs when the connection is back.".to_owned()
                    }),
                ),
                Outcome::Already { person, at } => (
                    "scan-result warn",
                    format!("Already checked in at {}", at.format("%H:%M")),
                    Some(person),
                    None,
                ),
                Outcome::Left { person, was_inside } => (
                    if was_inside {
                        "scan-result ok"
                    } else {
                        "scan-result warn"
                    },
                    if was_inside {
                        "Scanned out ✓".to_owned()
                    } else {
                        "Was not inside".to_owned()
                    },
                    Some(person),
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
                            <Avatar name=p.name.clone() photo=p.photo.clone() size=64/>
                            <div class="person-text">
                                <p class="scan-name">{p.name}</p>
                                {p.organisation.map(|o| view! { <p>{o}</p> })}
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
    scanner: Scanner,
    supervises: Signal<bool>,
    on_token: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let event_id = scanner.event_id;
    let query = RwSignal::new(String::new());
    let found = Resource::new(
        move || {
            (
                event_id.get(),
                query.get(),
                scanner.scans.get(),
                supervises.get(),
            )
        },
        move |(id, q, _, supervises)| async move {
            if !supervises || q.trim().len() < 2 {
                return Ok(None);
            }
            match find_at_door(id, q.clone()).await {
                Ok(page) => Ok(Some(page.items.iter().map(Match::from).collect::<Vec<_>>())),
                // Without a network, the list this phone keeps answers.
                Err(AppError::Transport(_)) if scanner.has_list() => {
                    Ok(Some(scanner.find_on_phone(&q)))
                }
                Err(error) => Err(error),
            }
        },
    );
    let code = RwSignal::new(String::new());
    let check_in = move |found: Match| {
        let id = event_id.get_untracked();
        leptos::task::spawn_local(async move {
            let outcome = match found.on_phone {
                false => match check_in_person(id, found.id).await {
                    Err(AppError::Transport(_)) => {
                        scanner.online.try_set(false);
                        scanner.check_in_by_hand_offline(found.id).await
                    }
                    answer => Outcome::answered(answer),
                },
                true => scanner.check_in_by_hand_offline(found.id).await,
            };
            scanner.show(outcome);
        });
    };
    view! {
        <section class="card" aria-labelledby="manual-title">
            <h2 id="manual-title">"No ticket?"</h2>
            <Show when=move || supervises.get() fallback=|| view! {
                <p class="muted">"Type the code under the ticket's QR below; for anything else, call a supervisor."</p>
            }>
                <div class="field">
                    <label for="door-search">"Find by name"</label>
                    <input id="door-search" type="search" autocomplete="off" on:input=move |ev| query.set(event_target_value(&ev))/>
                </div>
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(matches)) => view! {
                            {matches.first().is_some_and(|m| m.on_phone).then(|| view! {
                                <p class="muted">"Offline: found in the list on this phone."</p>
                            })}
                            <ul class="person-list">
                                {matches.into_iter().map(|found| {
                                    let label = format!("Check in {}", found.name);
                                    view! {
                                        <li class="person-row">
                                            <Avatar name=found.name.clone() photo=found.photo.clone() size=40/>
                                            <div class="person-text">
                                                <p class="person-name">{found.name.clone()}</p>
                                                {found.organisation.clone().map(|o| view! { <p class="muted">{o}</p> })}
                                            </div>
                                            {match found.checked_in_at {
                                                Some(at) => view! { <span class="tag ok">{format!("In at {}", at.format("%H:%M"))}</span> }.into_any(),
                                                None => view! { <button type="button" class="button small" aria-label=label on:click=move |_| check_in(found.clone())>"Check in"</button> }.into_any(),
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(AppError::Transport(_)) => view! {
                            <p class="muted">"No connection, and this phone has not saved the event's list yet. Tickets and typed codes still scan."</p>
                        }.into_any(),
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
