//! The scanner's state, shared by the page and its panels: what the last scan said, the list
//! kept on the phone, the network and the queue. Its offline half is `offline.rs`.

use super::rpc::scan_ticket;
use crate::error::AppError;
use crate::models::{Attendee, CheckinResult, DoorDirection, DoorPerson, DoorWindow};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use std::collections::HashMap;

/// The person a scan found, as the result panel shows them.
#[derive(Clone)]
pub(super) struct Seen {
    pub(super) name: String,
    pub(super) organisation: Option<String>,
    pub(super) photo: Option<String>,
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
pub(super) struct Match {
    pub(super) id: i32,
    pub(super) name: String,
    pub(super) organisation: Option<String>,
    pub(super) photo: Option<String>,
    pub(super) checked_in_at: Option<NaiveDateTime>,
    pub(super) on_phone: bool,
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
pub(super) enum Outcome {
    /// `queued`: answered from the list on this phone, sent when the network is back.
    CheckedIn {
        person: Seen,
        queued: bool,
        /// Checked in outside the door's window (by a supervisor): why it was early or late.
        note: Option<String>,
    },
    /// Outside the door's window: nobody checked in. `token` for checking in anyway.
    OutsideWindow {
        reason: String,
        token: String,
        person: Option<Seen>,
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
    pub(super) fn answered(result: Result<CheckinResult, AppError>) -> Self {
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
                note: r.outside_window,
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
pub(super) struct Scanner {
    pub(super) event_id: Memo<i32>,
    pub(super) outcome: RwSignal<Option<Outcome>>,
    /// Counts answers; the header's counter and the name search refresh on it.
    pub(super) scans: RwSignal<u32>,
    /// The browser says it has a network and the last call reached the server.
    pub(super) online: RwSignal<bool>,
    /// Scans made offline that the server has not taken yet.
    pub(super) waiting: RwSignal<usize>,
    /// Offline scans the server refused when they were synced, or why syncing stopped.
    pub(super) sync_problem: RwSignal<Option<String>>,
    /// The event's list kept on this phone, by ticket hash; `saved` counts it.
    pub(super) roster: StoredValue<HashMap<String, DoorPerson>>,
    pub(super) saved: RwSignal<Option<usize>>,
    pub(super) event_name: RwSignal<Option<String>>,
    /// When the door takes entries, as last told by the server (for scanning offline).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub(super) window: StoredValue<Option<DoorWindow>>,
    /// The list scans go to (`None`: the link's own or the event's default) and which way.
    pub(super) list: RwSignal<Option<i32>>,
    pub(super) direction: RwSignal<DoorDirection>,
    /// A sync is under way (browser only).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub(super) syncing: StoredValue<bool>,
}

impl Scanner {
    pub(super) fn new(event_id: Memo<i32>) -> Self {
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
            window: StoredValue::new(None),
            list: RwSignal::new(None),
            direction: RwSignal::new(DoorDirection::In),
            syncing: StoredValue::new(false),
        }
    }

    /// Checks a ticket: with the server while it answers, from this phone's list otherwise.
    /// Outside the door's window it answers why, unless told to check in `anyway` (for
    /// supervisors and the organiser).
    pub(super) async fn scan(self, token: String, anyway: bool) -> Outcome {
        if self.online.get_untracked() {
            let result = scan_ticket(
                self.event_id.get_untracked(),
                token.clone(),
                None,
                self.list.get_untracked(),
                Some(self.direction.get_untracked()),
                None,
                Some(anyway),
            )
            .await;
            match result {
                Err(AppError::Transport(_)) => {
                    self.online.try_set(false);
                }
                Err(AppError::Conflict { code, message }) if code == "outside_checkin_window" => {
                    return Outcome::OutsideWindow {
                        reason: message,
                        token,
                        person: None,
                    };
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
        self.scan_offline(token, anyway).await
    }

    /// Notes on this phone's list that a ticket is checked in, for answering repeats offline.
    pub(super) fn remember(&self, token: &str, at: NaiveDateTime) {
        let hash = crate::models::ticket_hash(token);
        self.roster.try_update_value(|roster| {
            if let Some(person) = roster.get_mut(&hash) {
                person.checked_in_at.get_or_insert(at);
            }
        });
    }

    pub(super) fn show(self, next: Outcome) {
        #[cfg(feature = "hydrate")]
        {
            // What the person at the door hears and feels without looking.
            use super::feedback::Signal;
            super::feedback::play(match next {
                Outcome::CheckedIn { .. }
                | Outcome::Left {
                    was_inside: true, ..
                } => Signal::Yes,
                Outcome::Already { .. } | Outcome::Left { .. } | Outcome::OutsideWindow { .. } => {
                    Signal::Already
                }
                Outcome::Refused(_) => Signal::No,
            });
        }
        // The page may have been left while the answer was on its way.
        self.outcome.try_set(Some(next));
        self.scans.try_update(|n| *n += 1);
    }

    pub(super) fn submit(self, token: String) {
        self.submit_with(token, false);
    }

    /// A supervisor's "check in anyway" after a scan outside the door's window.
    pub(super) fn submit_with(self, token: String, anyway: bool) {
        leptos::task::spawn_local(async move {
            let outcome = self.scan(token, anyway).await;
            self.show(outcome);
        });
    }
}

impl Scanner {
    pub(super) fn has_list(self) -> bool {
        self.roster.with_value(|roster| !roster.is_empty())
    }

    /// The people on this phone's list whose name or organisation holds every word of `q`
    /// (case ignored), at most 8, by name.
    pub(super) fn find_on_phone(self, q: &str) -> Vec<Match> {
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
    pub(super) async fn scan_offline(self, _token: String, _anyway: bool) -> Outcome {
        Outcome::Refused("Scanning needs the page to have loaded.".into())
    }

    pub(super) async fn check_in_by_hand_offline(self, _attendee_id: i32) -> Outcome {
        Outcome::Refused("Checking in needs the page to have loaded.".into())
    }
}
