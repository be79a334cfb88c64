//! The scanner page's panels: where the phone scans, the header, the network and queue,
//! the answer to the last scan, the camera, and the search for people without a ticket.

use super::rpc::{check_in_person, find_at_door};
use super::scanner::{Match, Outcome, Scanner};
use crate::components::{Avatar, ErrorNote};
use crate::error::AppError;
use crate::models::{CheckinList, DoorCounts, DoorDirection};
use leptos::prelude::*;

/// Where this phone scans: the event's doors and rooms to choose from (a link bound to one
/// shows just it), and in or out where the list counts who is inside.
#[component]
pub(super) fn ListPicker(scanner: Scanner, lists: Vec<CheckinList>) -> impl IntoView {
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
pub(super) fn DoorHead(
    name: String,
    counts: Option<DoorCounts>,
    /// The list this phone scans into (`None`: the default).
    chosen: RwSignal<Option<i32>>,
) -> impl IntoView {
    let lists = counts.as_ref().map(|c| c.lists.clone()).unwrap_or_default();
    // Who is inside the room this phone scans at, where it counts exits.
    let inside = move || {
        let id = chosen.get();
        lists
            .iter()
            .find(|l| id.map_or(true, |id| l.id == id))
            .and_then(|l| l.inside.map(|n| (n, l.name.clone())))
    };
    view! {
        <div class="door-head">
            <h1>{name}</h1>
            {counts.map(|counts| view! {
                <p class="door-count" aria-live="polite" data-testid="door-count">
                    <strong>{counts.checked_in}</strong>" / "{counts.registered}" checked in"
                </p>
            })}
            {move || inside().map(|(n, room)| view! {
                <p class="door-count" data-testid="door-inside">
                    <strong>{n}</strong>{format!(" inside {room} now")}
                </p>
            })}
        </div>
    }
}

/// Online or not, how many scans wait to be sent, and how much of the list the phone keeps.
#[component]
pub(super) fn DoorStatus(scanner: Scanner) -> impl IntoView {
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

/// The answer to the last scan, and after one outside the door's window, "Check in anyway"
/// for supervisors and the organiser.
#[component]
pub(super) fn ResultPanel(scanner: Scanner, supervises: Signal<bool>) -> impl IntoView {
    move || {
        scanner.outcome.get().map(|outcome| {
            let mut anyway = None;
            let (class, title, person, detail) = match outcome {
                Outcome::CheckedIn {
                    person,
                    queued,
                    note,
                } => {
                    let queued = queued.then(|| {
                        "Saved on this phone; it syncs when the connection is back.".to_owned()
                    });
                    (
                        "scan-result ok",
                        "Checked in ✓".to_owned(),
                        Some(person),
                        match (note, queued) {
                            (Some(note), Some(queued)) => Some(format!("{note} {queued}")),
                            (note, queued) => note.or(queued),
                        },
                    )
                }
                Outcome::OutsideWindow {
                    reason,
                    token,
                    person,
                } => {
                    anyway = Some(token);
                    (
                        "scan-result warn",
                        "Not checked in".to_owned(),
                        person,
                        Some(reason),
                    )
                }
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
            let anyway = anyway.map(|token| {
                if supervises.get_untracked() {
                    view! {
                        <button type="button" class="button"
                            on:click=move |_| scanner.submit_with(token.clone(), true)>
                            "Check in anyway"
                        </button>
                    }
                    .into_any()
                } else {
                    view! { <p>"Only a supervisor can check them in now."</p> }.into_any()
                }
            });
            // The whole screen in the answer's colour with the name, for a moment: read from
            // arm's length in a noisy hall (the panel below says it to screen readers).
            let flash = format!("scan-flash {}", class.trim_start_matches("scan-result "));
            let flash_text = person
                .as_ref()
                .map_or_else(|| title.clone(), |p| format!("{title}\n{}", p.name));
            view! {
                <div class=flash data-text=flash_text aria-hidden="true"></div>
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
                    {anyway}
                </section>
            }
        })
    }
}

/// The camera view; calls `on_code` with each new code it reads.
#[component]
pub(super) fn Camera(on_code: impl Fn(String) + Clone + Send + Sync + 'static) -> impl IntoView {
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
            super::camera::stop(&video);
        }
    });
    let start = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(video) = video.get_untracked() {
            let on_code = on_code.clone();
            leptos::task::spawn_local(async move {
                match super::camera::start(&video).await {
                    Ok(has_torch) => {
                        running.set(true);
                        if has_torch {
                            torch.set(Some(false));
                        }
                        scanning.set(super::camera::scan_loop(video, on_code));
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
            super::camera::set_torch(&video, on);
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
pub(super) fn ManualEntry(
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
