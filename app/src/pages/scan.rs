//! The scanner at the door: the phone's rear camera reads ticket QR codes continuously
//! (BarcodeDetector where the browser has it, the rqrr decoder compiled into this wasm where
//! it does not), each scan answers green / amber / red at once, and a name search covers
//! people without their ticket. For the organiser and the event's check-in staff.
//!
//! Without a network the door goes on: the phone keeps the event's list (ticket hashes, not
//! tokens) in IndexedDB, answers scans from it, and queues them until the server is back;
//! the server keeps the earliest time when two phones scanned the same person.

use super::network::AttendeeGate;
use crate::error::AppError;
use crate::models::DoorCounts;
use leptos::prelude::*;
use leptos_meta::Title;
use panels::{Camera, DoorHead, DoorStatus, ListPicker, ManualEntry, ResultPanel};
use rpc::{door, door_lists};
use scanner::Scanner;

/// The self check-in kiosk, started from this page.
pub mod kiosk;
/// The page's parts on screen.
mod panels;
/// Its server functions.
pub mod rpc;
/// Its state, shared by the parts.
mod scanner;

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
        if let Some(Ok(header)) = info.get() {
            supervises.set(header.counts.is_some());
        }
    });
    let supervises: Signal<bool> = supervises.into();
    view! {
        <Title text="Check-in scanner"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Opening the scanner…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(header) => view! { <DoorHead name=header.event_name counts=header.counts chosen=scanner.list/> }.into_any(),
                    // Offline: the list on this phone tells the counts as this phone knows them.
                    Err(AppError::Transport(_)) => {
                        let counts = scanner.roster.with_value(|roster| DoorCounts {
                            checked_in: roster.values().filter(|p| p.checked_in_at.is_some()).count() as i64,
                            registered: roster.len() as i64,
                            lists: Vec::new(),
                        });
                        let name = scanner.event_name.get_untracked().unwrap_or_else(|| "Check-in".into());
                        let counts = supervises.get_untracked().then_some(counts);
                        view! { <DoorHead name counts chosen=scanner.list/> }.into_any()
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
        <ResultPanel scanner supervises/>
        <Camera on_code=submit/>
        <ManualEntry scanner supervises on_token=submit/>
        <Show when=move || supervises.get()>
            <kiosk::StartKiosk event_id/>
        </Show>
    }
}
