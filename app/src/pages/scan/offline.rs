//! The parts of the door that run only in the browser: the list and queue in IndexedDB.

use super::rpc::{door, door_roster, scan_ticket};
use super::scanner::{Outcome, Scanner, Seen};
use crate::door_store::{DoorStore, QueuedScan, SavedRoster};
use crate::error::AppError;
use crate::models::{normalise_ticket, ticket_hash, DoorDirection};
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
        let queued = match store.queued(id).await {
            Ok(queued) => {
                self.waiting.try_set(queued.len());
                queued
            }
            Err(_) => Vec::new(),
        };
        if let Ok(Some(saved)) = store.roster(id).await {
            self.keep(saved, &queued);
        }
    }

    /// Puts a list into memory, with the scans still queued marked as checked in.
    fn keep(self, saved: SavedRoster, queued: &[QueuedScan]) {
        let mut roster: std::collections::HashMap<_, _> = saved
            .people
            .into_iter()
            .map(|person| (person.token_hash.clone(), person))
            .collect();
        for scan in queued {
            if let Some(person) = roster.get_mut(&ticket_hash(&scan.token)) {
                person.checked_in_at.get_or_insert(scan.local_time);
            }
        }
        self.saved.try_set(Some(roster.len()));
        self.event_name.try_set(Some(saved.event_name));
        self.window.set_value(saved.window);
        self.roster.try_set_value(roster);
    }

    /// Loads the event's whole list from the server and saves it on the phone.
    pub(super) async fn refresh_roster(self) {
        let id = self.event_id.get_untracked();
        let (event_name, window) = match door(id).await {
            Ok(header) => (header.event_name, header.window),
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
        let saved = SavedRoster {
            event_name,
            people,
            window,
        };
        let queued = match DoorStore::open().await {
            Ok(store) => {
                // A full quota or a private window: the list works until the page closes.
                if let Err(error) = store.save_roster(id, &saved).await {
                    leptos::logging::error!("the door's list was not saved on this phone: {error}");
                }
                store.queued(id).await.unwrap_or_default()
            }
            Err(error) => {
                leptos::logging::error!("the door's list was not saved on this phone: {error}");
                Vec::new()
            }
        };
        self.keep(saved, &queued);
    }

    fn unreachable(self, error: &AppError) {
        match error {
            AppError::Transport(_) => {
                self.online.try_set(false);
            }
            // Logged out, or no longer allowed at this door: the list does not stay here.
            AppError::Unauthenticated | AppError::Forbidden | AppError::NotFound(_) => {
                let id = self.event_id.get_untracked();
                self.roster.update_value(|roster| roster.clear());
                self.saved.try_set(None);
                leptos::task::spawn_local(async move {
                    if let Ok(store) = DoorStore::open().await {
                        let _ = store.forget_roster(id).await;
                    }
                });
            }
            _ => {}
        }
    }

    /// Answers a scan from the list on this phone and queues it.
    pub(super) async fn scan_offline(self, token: String, anyway: bool) -> Outcome {
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
        let list_id = self.list.get_untracked();
        let direction = self.direction.get_untracked();
        // The phone's list knows the event-wide check-in only: a repeat is told offline on
        // the default list going in; other scans are queued for the server to count.
        if let (None, DoorDirection::In, Some(at)) = (list_id, direction, person.checked_in_at) {
            return Outcome::Already {
                person: Seen::from(&person),
                at,
            };
        }
        // The door's window by the phone's clock, as the server would tell it (after "already
        // in": someone inside is told so, not turned away).
        let outside = self
            .window
            .get_value()
            .and_then(|window| window.refusal(phone_now()));
        if let (Some(reason), DoorDirection::In, false) = (outside, direction, anyway) {
            return Outcome::OutsideWindow {
                reason,
                token,
                person: Some(Seen::from(&person)),
            };
        }
        let made = match self
            .queue(normalise_ticket(&token), None, list_id, direction)
            .await
        {
            Ok(made) => made,
            Err(problem) => return Outcome::Refused(problem),
        };
        if direction == DoorDirection::In {
            self.remember(&token, made);
        }
        match direction {
            DoorDirection::In => Outcome::CheckedIn {
                person: Seen::from(&person),
                queued: true,
                note: None,
            },
            DoorDirection::Out => Outcome::Left {
                person: Seen::from(&person),
                was_inside: true,
            },
        }
    }

    /// Checks in someone found by name on this phone's list, queued until the network is
    /// back (sent with their id: the phone has no ticket of theirs, only its hash).
    pub(super) async fn check_in_by_hand_offline(self, attendee_id: i32) -> Outcome {
        let found = self
            .roster
            .with_value(|roster| roster.values().find(|p| p.id == attendee_id).cloned());
        let Some(person) = found else {
            return Outcome::Refused("This person is not on the list on this phone.".into());
        };
        let list_id = self.list.get_untracked();
        if let (None, Some(at)) = (list_id, person.checked_in_at) {
            return Outcome::Already {
                person: Seen::from(&person),
                at,
            };
        }
        let at = match self
            .queue(String::new(), Some(attendee_id), list_id, DoorDirection::In)
            .await
        {
            Ok(made) => made,
            Err(problem) => return Outcome::Refused(problem),
        };
        self.roster.try_update_value(|roster| {
            if let Some(kept) = roster.values_mut().find(|p| p.id == attendee_id) {
                kept.checked_in_at.get_or_insert(at);
            }
        });
        Outcome::CheckedIn {
            person: Seen::from(&person),
            queued: true,
            note: None,
        }
    }

    /// Keeps a scan made now in the phone's queue (a ticket's `token`, or an `attendee_id`
    /// checked in by hand) and counts it as waiting; answers when it was made.
    async fn queue(
        self,
        token: String,
        attendee_id: Option<i32>,
        list_id: Option<i32>,
        direction: DoorDirection,
    ) -> Result<NaiveDateTime, String> {
        let scan = QueuedScan {
            id: window()
                .crypto()
                .map(|crypto| crypto.random_uuid())
                .unwrap_or_else(|_| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random())),
            event_id: self.event_id.get_untracked(),
            token,
            scanned_at: String::from(js_sys::Date::new_0().to_iso_string()),
            local_time: phone_now(),
            list_id,
            direction: Some(direction),
            attendee_id,
        };
        DoorStore::open().await?.queue(&scan).await?;
        self.waiting.try_update(|n| *n += 1);
        Ok(scan.local_time)
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
                let answer = scan_ticket(
                    id,
                    scan.token.clone(),
                    Some(scan.scanned_at.clone()),
                    scan.list_id,
                    scan.direction,
                    scan.attendee_id,
                    // The phone told the window when the scan was made.
                    None,
                )
                .await;
                match answer {
                    Ok(_) => {
                        self.online.try_set(true);
                        let _ = store.remove(&scan.id).await;
                    }
                    Err(AppError::Transport(_)) => {
                        self.online.try_set(false);
                        break;
                    }
                    // A check-in by hand this link may not make (a steward's): refused,
                    // and the scans behind it still go.
                    Err(error @ AppError::Forbidden) if scan.attendee_id.is_some() => {
                        refused.push(error.to_string());
                        let _ = store.remove(&scan.id).await;
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
