//! The workspace's Attendees section: the table of everyone registered, searched, filtered
//! (checked in or not, organisation) and sorted, with each row's actions (check in or undo,
//! send the ticket again, cancel the registration) and bulk actions on a selection. On a
//! phone each row is a card; nothing is cut off.

use super::workspace::workspace_event;
use crate::components::{ErrorNote, FormError, Pager};
use crate::error::AppError;
use crate::models::{Attendee, BulkOutcome, NameCount, Page};
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeSet;

/// Rows per page of the table.
const ATTENDEES_PER_PAGE: i64 = 50;

#[server(prefix = "/rpc")]
pub async fn event_attendees(
    id: i32,
    q: String,
    sort: String,
    checked_in: String,
    organisation: String,
    offset: i64,
) -> Result<Page<Attendee>, AppError> {
    use crate::domain::attendee_lists::{list_for_event, AttendeeFilter, AttendeeSort};
    let filter = AttendeeFilter::parse(Some(&checked_in), Some(&organisation))?;
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: Some(ATTENDEES_PER_PAGE),
        offset: Some(offset),
    };
    let sort = AttendeeSort::parse(Some(&sort));
    list_for_event(&mut conn, &actor, id, Some(&q), sort, filter, page).await
}

#[server(prefix = "/rpc")]
pub async fn event_organisations(id: i32) -> Result<Vec<NameCount>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::attendee_lists::organisations(&mut conn, &actor, id).await
}

/// One row's action; answers what happened, in words, for the status line.
#[server(prefix = "/rpc")]
pub async fn attendee_action(
    event_id: i32,
    attendee_id: i32,
    name: String,
    action: String,
) -> Result<String, AppError> {
    use crate::domain::{checkin, registrations};
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let conn = &mut conn;
    match action.as_str() {
        "check_in" => {
            let result = checkin::check_in_by_id(conn, &actor, event_id, attendee_id).await?;
            Ok(if result.already_checked_in {
                format!("{name} was already checked in.")
            } else {
                format!("{name} is checked in.")
            })
        }
        "undo" => {
            checkin::undo(conn, &actor, event_id, attendee_id).await?;
            Ok(format!("{name}'s check-in is undone."))
        }
        "resend" => {
            registrations::resend_ticket(conn, &actor, event_id, attendee_id).await?;
            Ok(format!("{name}'s ticket is on its way by mail."))
        }
        "cancel" => {
            registrations::cancel(conn, &actor, event_id, attendee_id).await?;
            Ok(format!(
                "{name}'s registration is cancelled; they are told by mail."
            ))
        }
        _ => Err(AppError::field("action", "Unknown action.")),
    }
}

/// A bulk action on the selected rows (`attendee_ids` comma-separated).
#[server(prefix = "/rpc")]
pub async fn bulk_attendee_action(
    event_id: i32,
    action: String,
    attendee_ids: String,
) -> Result<BulkOutcome, AppError> {
    use crate::domain::registrations;
    let ids: Vec<i32> = attendee_ids
        .split(',')
        .filter(|id| !id.trim().is_empty())
        .map(|id| id.trim().parse())
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::field("attendee_ids", "Select attendees from the list."))?;
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    match action.as_str() {
        "check_in" => registrations::check_in_many(&mut conn, &actor, event_id, &ids).await,
        "resend" => registrations::resend_tickets(&mut conn, &actor, event_id, &ids).await,
        _ => Err(AppError::field("action", "Unknown action.")),
    }
}

/// The table's query: what is typed and chosen above it.
#[derive(Clone, Copy)]
struct Query {
    text: RwSignal<String>,
    sort: RwSignal<String>,
    checked_in: RwSignal<String>,
    organisation: RwSignal<String>,
    offset: RwSignal<i64>,
}

impl Query {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            sort: RwSignal::new("name".to_owned()),
            checked_in: RwSignal::new(String::new()),
            organisation: RwSignal::new(String::new()),
            offset: RwSignal::new(0),
        }
    }

    /// Sets one of the filters and goes back to the first page.
    fn set(self, signal: RwSignal<String>, value: String) {
        self.offset.set(0);
        signal.set(value);
    }

    fn narrowed(self) -> bool {
        !self.text.get_untracked().trim().is_empty()
            || !self.checked_in.get_untracked().is_empty()
            || !self.organisation.get_untracked().is_empty()
    }
}

#[component]
pub fn AttendeesSection() -> impl IntoView {
    let id = workspace_event().id;
    view! {
        <Title text="Attendees"/>
        {move || view! { <AttendeeTable event_id=id.get()/> }}
    }
}

#[component]
fn AttendeeTable(event_id: i32) -> impl IntoView {
    let query = Query::new();
    let row_action = ServerAction::<AttendeeAction>::new();
    let bulk = ServerAction::<BulkAttendeeAction>::new();
    let selected = RwSignal::new(BTreeSet::<i32>::new());
    let attendees = Resource::new(
        move || {
            (
                query.text.get(),
                query.sort.get(),
                query.checked_in.get(),
                query.organisation.get(),
                query.offset.get(),
                row_action.version().get() + bulk.version().get(),
            )
        },
        move |(q, sort, checked_in, organisation, offset, _)| {
            event_attendees(event_id, q, sort, checked_in, organisation, offset)
        },
    );
    let organisations = Resource::new(
        move || row_action.version().get(),
        move |_| event_organisations(event_id),
    );
    // A bulk action done: its rows are no longer selected.
    Effect::new(move |_| {
        if let Some(Ok(_)) = bulk.value().get() {
            selected.set(BTreeSet::new());
        }
    });
    view! {
        <section class="card" aria-labelledby="attendees-title">
            <div class="section-head">
                <h2 id="attendees-title">"Attendees"</h2>
                <a href=format!("/api/organizer/events/{event_id}/attendees.csv") class="button secondary small" download>"Export CSV"</a>
            </div>
            <div class="filters">
                <div class="field">
                    <label for="attendee-search">"Search by name, organisation or role"</label>
                    <input id="attendee-search" type="search" on:input=move |ev| query.set(query.text, event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="attendee-status">"Show"</label>
                    <select id="attendee-status" on:change=move |ev| query.set(query.checked_in, event_target_value(&ev))>
                        <option value="">"Everyone"</option>
                        <option value="false">"Not checked in yet"</option>
                        <option value="true">"Checked in"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="attendee-organisation">"Organisation"</label>
                    <select id="attendee-organisation" on:change=move |ev| query.set(query.organisation, event_target_value(&ev))>
                        <option value="">"All organisations"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                organisations.await.unwrap_or_default().into_iter().map(|o| {
                                    let label = format!("{} ({})", o.name, o.count);
                                    view! { <option value=o.name>{label}</option> }
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </div>
                <div class="field">
                    <label for="attendee-sort">"Sort by"</label>
                    <select id="attendee-sort" on:change=move |ev| query.set(query.sort, event_target_value(&ev))>
                        <option value="name">"Last name"</option>
                        <option value="organisation">"Organisation"</option>
                        <option value="registered">"Newest registration"</option>
                    </select>
                </div>
            </div>
            <Outcomes row_action bulk/>
            <BulkBar event_id selected bulk/>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading attendees…"</p> }>
                {move || Suspend::new(async move {
                    match attendees.await {
                        Ok(page) if page.items.is_empty() && !query.narrowed() => view! { <p class="empty">"No attendees yet. Share the invite link!"</p> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">"No attendees match."</p> }.into_any(),
                        Ok(page) => view! { <Rows event_id page query selected row_action/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the last action did, or why it failed, announced.
#[component]
fn Outcomes(
    row_action: ServerAction<AttendeeAction>,
    bulk: ServerAction<BulkAttendeeAction>,
) -> impl IntoView {
    // Whichever answered last speaks.
    let last = RwSignal::new(None::<Result<String, AppError>>);
    Effect::new(move |_| {
        if let Some(answer) = row_action.value().get() {
            last.set(Some(answer));
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = bulk.value().get() {
            last.set(Some(answer.map(bulk_message)));
        }
    });
    let error = Signal::derive(move || last.get().and_then(Result::err));
    let done = move || last.get().and_then(Result::ok);
    view! {
        <FormError error/>
        <p class="saved" role="status">{done}</p>
    }
}

fn bulk_message(outcome: BulkOutcome) -> String {
    let people = |n: i64| {
        if n == 1 {
            "1 person".to_owned()
        } else {
            format!("{n} people")
        }
    };
    if outcome.unchanged == 0 {
        format!("Done for {}.", people(outcome.done))
    } else {
        format!(
            "Done for {}; {} already had it.",
            people(outcome.done),
            people(outcome.unchanged)
        )
    }
}

/// The actions on the selected rows, shown once something is selected.
#[component]
fn BulkBar(
    event_id: i32,
    selected: RwSignal<BTreeSet<i32>>,
    bulk: ServerAction<BulkAttendeeAction>,
) -> impl IntoView {
    let run = move |action: &'static str| {
        let ids = selected
            .get_untracked()
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        bulk.dispatch(BulkAttendeeAction {
            event_id,
            action: action.to_owned(),
            attendee_ids: ids,
        });
    };
    let count = move || selected.with(BTreeSet::len);
    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="group" aria-label="Selected attendees">
                <span>{move || if count() == 1 { "1 selected".to_owned() } else { format!("{} selected", count()) }}</span>
                <button type="button" class="button small" disabled=move || bulk.pending().get() on:click=move |_| run("check_in")>"Check in"</button>
                <button type="button" class="button secondary small" disabled=move || bulk.pending().get() on:click=move |_| run("resend")>"Send tickets again"</button>
                <button type="button" class="button secondary small" on:click=move |_| selected.set(BTreeSet::new())>"Clear selection"</button>
            </div>
        </Show>
    }
}

/// The page of rows: a table on a laptop, a card per person on a phone.
#[component]
fn Rows(
    event_id: i32,
    page: Page<Attendee>,
    query: Query,
    selected: RwSignal<BTreeSet<i32>>,
    row_action: ServerAction<AttendeeAction>,
) -> impl IntoView {
    let total = page.total;
    let offset = query.offset;
    let shown_from = offset.get_untracked() + 1;
    let shown_to = offset.get_untracked() + page.items.len() as i64;
    let ids: Vec<i32> = page.items.iter().map(|a| a.id).collect();
    let items = page.items;
    let all_ids = ids.clone();
    let all_selected = move || {
        selected.with(|chosen| !all_ids.is_empty() && all_ids.iter().all(|id| chosen.contains(id)))
    };
    let select_all = move |on: bool| {
        selected.update(|chosen| {
            for id in &ids {
                if on {
                    chosen.insert(*id);
                } else {
                    chosen.remove(id);
                }
            }
        })
    };
    view! {
        <div class="table-tools">
            <p class="muted" aria-live="polite">{format!("{shown_from}–{shown_to} of {total}")}</p>
            <label class="pick-all">
                <input type="checkbox" prop:checked=all_selected on:change=move |ev| select_all(event_target_checked(&ev))/>
                " Select all on this page"
            </label>
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Attendee table">
            <table class="attendees">
                <thead>
                    <tr>
                        <th scope="col" class="pick"><span class="visually-hidden">"Selected"</span></th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Checked in"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    // Keyed by person and check-in: a row whose person or state changed is
                    // drawn anew (an open confirmation never moves to the next person).
                    <For each=move || items.clone() key=|a| (a.id, a.checked_in_at) let:attendee>
                        <Row event_id attendee selected row_action/>
                    </For>
                </tbody>
            </table>
        </div>
        <Pager offset page_size=ATTENDEES_PER_PAGE total/>
    }
}

#[component]
fn Row(
    event_id: i32,
    attendee: Attendee,
    selected: RwSignal<BTreeSet<i32>>,
    row_action: ServerAction<AttendeeAction>,
) -> impl IntoView {
    let id = attendee.id;
    let name = format!("{} {}", attendee.first_name, attendee.last_name);
    let about = [attendee.role.clone(), attendee.organisation.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let checked_in = attendee.checked_in_at;
    let action = {
        let name = name.clone();
        move |what: &'static str, label: String, class: &'static str| {
            let name = name.clone();
            view! {
                <ActionForm action=row_action>
                    <input type="hidden" name="event_id" value=event_id/>
                    <input type="hidden" name="attendee_id" value=id/>
                    <input type="hidden" name="name" value=name/>
                    <input type="hidden" name="action" value=what/>
                    <button type="submit" class=format!("button small {class}")>{label}</button>
                </ActionForm>
            }
        }
    };
    let check = if checked_in.is_some() {
        action("undo", "Undo check-in".into(), "secondary")
    } else {
        action("check_in", "Check in".into(), "")
    };
    let resend = action("resend", "Resend ticket".into(), "secondary");
    let cancel = action(
        "cancel",
        format!("Yes, cancel {}", attendee.first_name),
        "danger",
    );
    let pick_label = format!("Select {name}");
    view! {
        <tr>
            <td class="pick">
                <input type="checkbox" aria-label=pick_label
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }/>
            </td>
            <td class="who-cell">
                <strong>{name.clone()}</strong>
                {(!about.is_empty()).then(|| view! { <span class="muted">{about}</span> })}
            </td>
            <td class="email" data-label="Email">{attendee.email.unwrap_or_default()}</td>
            <td data-label="Checked in">
                {match checked_in {
                    Some(t) => view! { <span class="tag ok">{t.format("%-d %b %H:%M").to_string()}</span> }.into_any(),
                    None => view! { <span class="muted">"Not yet"</span> }.into_any(),
                }}
            </td>
            <td class="row-actions">
                {check}
                {resend}
                <details class="confirm">
                    <summary class="button small secondary">"Cancel registration…"</summary>
                    <p class="confirm-text">{format!("Cancel {name}'s registration? Their seat is freed and they are told by mail.")}</p>
                    {cancel}
                </details>
            </td>
        </tr>
    }
}
