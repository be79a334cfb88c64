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
use crate::models::{Attendee, CheckinResult, DoorPerson, Page};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

#[server(prefix = "/rpc")]
pub async fn door(event_id: i32) -> Result<(String, i64, i64), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::checkin::door(&mut conn, &actor, event_id).await
}

/// A scan; `scanned_at` (RFC 3339) when it was made offline and is synced now.
#[server(prefix = "/rpc")]
pub async fn scan_ticket(
    event_id: i32,
    token: String,
    scanned_at: Option<String>,
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
    Refused(String),
}

impl Outcome {
    fn answered(result: Result<CheckinResult, AppError>) -> Self {
        match result {
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
            syncing: StoredValue::new(false),
        }
    }

    /// Checks a ticket: with the server while it answers, from this phone's list otherwise.
    async fn scan(self, token: String) -> Outcome {
        if self.online.get_untracked() {
            let result = scan_ticket(self.event_id.get_untracked(), token.clone(), None).await;
            match result {
                Err(AppError::Transport(_)) => {
                    self.online.try_set(false);
                }
                result => {
                    if let Ok(r) = &result {
                        self.remember(&token, r.checked_in_at);
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
            // A buzz the person at the door feels without looking: short for yes, long for no.
            let pattern = match next {
                Outcome::CheckedIn { .. } => 80,
                Outcome::Already { .. } => 250,
                Outcome::Refused(_) => 600,
            };
            let _ = window().navigator().vibrate_with_duration(pattern);
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

#[cfg(feature = "hydrate")]
mod offline {
    //! The parts of the door that run only in the browser: the list and queue in IndexedDB.
    use super::{door, door_roster, scan_ticket, Outcome, Scanner, Seen};
    use crate::door_store::{DoorStore, QueuedScan, SavedRoster};
    use crate::error::AppError;
    use crate::models::{normalise_ticket, ticket_hash};
    use chrono::{NaiveDate, NaiveDateTime};
    use leptos::prelude::*;

    /// The phone's clock as event-local time (the phone is at the venue).
    fn phone_now() -> NaiveDateTime {
        let now = js_sys::Date::new_0();
        NaiveDate::from_ymd_opt(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .and_then(|day| day.and_hms_opt(now.get_hours(), now.get_minutes(), now.get_seconds()))
        .unwrap_or_default()
    }

    fn browser_online() -> bool {
        window().navigator().on_line()
    }

    impl Scanner {
        /// The list saved earlier and the scans still queued, so the door works at once.
        pub(super) async fn load_saved(self) {
            self.online.set(browser_online());
            let Ok(store) = DoorStore::open().await else {
                return;
            };
            let id = self.event_id.get_untracked();
            if let Ok(Some(saved)) = store.roster(id).await {
                self.keep(saved, &store).await;
            }
            if let Ok(queued) = store.queued(id).await {
                self.waiting.try_set(queued.len());
            }
        }

        /// Puts a list into memory, with the scans still queued marked as checked in.
        async fn keep(self, saved: SavedRoster, store: &DoorStore) {
            let mut roster: std::collections::HashMap<_, _> = saved
                .people
                .into_iter()
                .map(|person| (person.token_hash.clone(), person))
                .collect();
            for scan in store
                .queued(self.event_id.get_untracked())
                .await
                .unwrap_or_default()
            {
                if let Some(person) = roster.get_mut(&ticket_hash(&scan.token)) {
                    person.checked_in_at.get_or_insert(scan.local_time);
                }
            }
            self.saved.try_set(Some(roster.len()));
            self.event_name.try_set(Some(saved.event_name));
            self.roster.try_set_value(roster);
        }

        /// Loads the event's whole list from the server and saves it on the phone.
        pub(super) async fn refresh_roster(self) {
            let id = self.event_id.get_untracked();
            let event_name = match door(id).await {
                Ok((name, ..)) => name,
                Err(error) => return self.unreachable(&error),
            };
            let mut people = Vec::new();
            loop {
                match door_roster(id, people.len() as i64).await {
                    Ok(page) => {
                        let got = page.items.len();
                        people.extend(page.items);
                        if got == 0 || people.len() as i64 >= page.total {
                            break;
                        }
                    }
                    Err(error) => return self.unreachable(&error),
                }
            }
            let saved = SavedRoster { event_name, people };
            if let Ok(store) = DoorStore::open().await {
                let _ = store.save_roster(id, &saved).await;
                self.keep(saved, &store).await;
            }
        }

        fn unreachable(self, error: &AppError) {
            if matches!(error, AppError::Transport(_)) {
                self.online.try_set(false);
            }
        }

        /// Answers a scan from the list on this phone and queues it.
        pub(super) async fn scan_offline(self, token: String) -> Outcome {
            let hash = ticket_hash(&token);
            let found = self
                .roster
                .with_value(|roster| (roster.is_empty(), roster.get(&hash).cloned()));
            let person = match found {
                (_, Some(person)) => person,
                (true, None) => {
                    return Outcome::Refused(
                        "No connection, and this phone has not saved the event's list yet.".into(),
                    )
                }
                (false, None) => {
                    return Outcome::Refused(
                        "Unknown ticket, or a ticket for another event (checked against the list on this phone).".into(),
                    )
                }
            };
            if let Some(at) = person.checked_in_at {
                return Outcome::Already {
                    person: Seen::from(&person),
                    at,
                };
            }
            let scan = QueuedScan {
                id: window()
                    .crypto()
                    .map(|crypto| crypto.random_uuid())
                    .unwrap_or_else(|_| format!("{}-{hash}", js_sys::Date::now())),
                event_id: self.event_id.get_untracked(),
                token: normalise_ticket(&token),
                scanned_at: String::from(js_sys::Date::new_0().to_iso_string()),
                local_time: phone_now(),
            };
            let stored = match DoorStore::open().await {
                Ok(store) => store.queue(&scan).await,
                Err(problem) => Err(problem),
            };
            if let Err(problem) = stored {
                return Outcome::Refused(problem);
            }
            self.remember(&token, scan.local_time);
            self.waiting.try_update(|n| *n += 1);
            Outcome::CheckedIn {
                person: Seen::from(&person),
                queued: true,
            }
        }

        /// Sends the queued scans, oldest first; each leaves the queue once the server has
        /// answered it. Scanning the same ticket twice is harmless, so a scan whose answer
        /// was lost is simply sent again.
        pub(super) async fn sync(self) {
            if self.syncing.get_value() || !browser_online() {
                return;
            }
            self.syncing.set_value(true);
            let id = self.event_id.get_untracked();
            if let Ok(store) = DoorStore::open().await {
                let queued = store.queued(id).await.unwrap_or_default();
                let mut refused = Vec::new();
                for scan in queued {
                    let answer =
                        scan_ticket(id, scan.token.clone(), Some(scan.scanned_at.clone())).await;
                    match answer {
                        Ok(_) => {
                            self.online.try_set(true);
                            let _ = store.remove(&scan.id).await;
                        }
                        Err(AppError::Transport(_)) => {
                            self.online.try_set(false);
                            break;
                        }
                        // Kept for later: the server is struggling, or this phone must log in
                        // again before it may send them.
                        Err(error @ (AppError::Unauthenticated | AppError::Forbidden)) => {
                            self.sync_problem.try_set(Some(format!(
                                "Scans made offline are kept on this phone: {error}"
                            )));
                            break;
                        }
                        Err(AppError::Unavailable | AppError::Internal) => break,
                        Err(error) => {
                            refused.push(error.to_string());
                            let _ = store.remove(&scan.id).await;
                        }
                    }
                }
                if !refused.is_empty() {
                    self.sync_problem.try_set(Some(format!(
                        "{} offline scan(s) were refused when synced: {}",
                        refused.len(),
                        refused.join("; ")
                    )));
                }
                if let Ok(left) = store.queued(id).await {
                    self.waiting.try_set(left.len());
                }
            }
            self.syncing.set_value(false);
            self.scans.try_update(|n| *n += 1);
        }

        /// Follows the browser's online and offline events for as long as the page is open.
        pub(super) fn watch_network(self) {
            let on = window_event_listener(leptos::ev::online, move |_| {
                self.online.try_set(true);
                leptos::task::spawn_local(self.sync());
            });
            let off = window_event_listener(leptos::ev::offline, move |_| {
                self.online.try_set(false);
            });
            on_cleanup(move || {
                on.remove();
                off.remove();
            });
        }
    }
}

#[cfg(not(feature = "hydrate"))]
impl Scanner {
    async fn scan_offline(self, _token: String) -> Outcome {
        Outcome::Refused("Scanning needs the page to have loaded.".into())
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
    view! {
        <Title text="Check-in scanner"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Opening the scanner…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok((name, checked_in, registered)) => view! {
                        <DoorHead name checked_in registered/>
                    }.into_any(),
                    // Offline: the list on this phone tells the counts as this phone knows them.
                    Err(AppError::Transport(_)) => {
                        let (checked_in, registered) = scanner.roster.with_value(|roster| {
                            (roster.values().filter(|p| p.checked_in_at.is_some()).count() as i64, roster.len() as i64)
                        });
                        let name = scanner.event_name.get_untracked().unwrap_or_else(|| "Check-in".into());
                        view! { <DoorHead name checked_in registered/> }.into_any()
                    }
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
        <DoorStatus scanner/>
        <ResultPanel outcome=scanner.outcome/>
        <Camera on_code=submit/>
        <ManualEntry scanner on_token=submit/>
    }
}

#[component]
fn DoorHead(name: String, checked_in: i64, registered: i64) -> impl IntoView {
    view! {
        <div class="door-head">
            <h1>{name}</h1>
            <p class="door-count" aria-live="polite" data-testid="door-count">
                <strong>{checked_in}</strong>" / "{registered}" checked in"
            </p>
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
    on_token: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let event_id = scanner.event_id;
    let query = RwSignal::new(String::new());
    let found = Resource::new(
        move || (event_id.get(), query.get(), scanner.scans.get()),
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
            scanner.show(Outcome::answered(check_in_person(id, attendee_id).await));
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
                        Err(AppError::Transport(_)) => view! {
                            <p class="muted">"Searching by name needs a connection. Tickets scan offline, and so do typed codes."</p>
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
