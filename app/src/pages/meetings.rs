//! Meeting slots and tables on the pages: the organiser's meeting plan (Settings), and on a
//! person's page the slots we are both free in, each booked with one tap.

use crate::components::{action_error, FormError, Submit};
use crate::error::AppError;
use crate::models::{
    Appointment, MeetingPeriodInput, MeetingPlan, MeetingPlanInput, MeetingSlot, Page,
};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

/// Slots shown at once on a person's page.
const SLOTS_SHOWN: i64 = 12;

#[server(prefix = "/rpc")]
pub async fn event_meeting_plan(event_id: i32) -> Result<MeetingPlan, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::meeting_plan::plan(&mut conn, &actor, event_id).await
}

/// Period rows arrive as `starts[<n>]`, `ends[<n>]`; rows left empty are skipped. Places
/// are typed one per line.
#[server(prefix = "/rpc")]
pub async fn save_meeting_plan(
    event_id: i32,
    slot_minutes: String,
    starts: Option<Vec<String>>,
    ends: Option<Vec<String>>,
    places: String,
) -> Result<MeetingPlan, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let periods = starts
        .unwrap_or_default()
        .into_iter()
        .zip(ends.unwrap_or_default())
        .filter(|(from, to)| !from.trim().is_empty() || !to.trim().is_empty())
        .map(|(starts_at, ends_at)| MeetingPeriodInput { starts_at, ends_at })
        .collect();
    let slot_minutes =
        match slot_minutes.trim() {
            "" => None,
            n => Some(n.parse::<i64>().map_err(|_| {
                AppError::field("slot_minutes", "Enter the slot's length in minutes.")
            })?),
        };
    let places = places
        .lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let input = MeetingPlanInput {
        slot_minutes,
        periods,
        places,
    };
    crate::domain::meeting_plan::set_plan(&mut conn, &actor, event_id, input).await
}

#[server(prefix = "/rpc")]
pub async fn free_slots(with: i32, offset: i64) -> Result<Page<MeetingSlot>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: Some(SLOTS_SHOWN),
        offset: Some(offset),
    };
    crate::domain::meeting_slots::free_with(&mut conn, &actor, with, page).await
}

/// Asks for a meeting in one slot: its length is the slot's.
#[server(prefix = "/rpc")]
pub async fn book_slot(target_id: i64, appointment_time: String) -> Result<Appointment, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::AppointmentInput {
        target_id: Some(target_id),
        appointment_time,
        duration_minutes: None,
        location: None,
        notes: None,
    };
    crate::domain::appointments::request(&mut conn, &actor, input).await
}

fn minute(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// The organiser's meeting plan: slot length, periods (the ones set and two empty rows to
/// add more, so it works before the app loads) and places, one per line.
#[component]
pub fn MeetingPlanSettings(event_id: i32) -> impl IntoView {
    let save = ServerAction::<SaveMeetingPlan>::new();
    let plan = Resource::new(
        move || save.version().get(),
        move |_| event_meeting_plan(event_id),
    );
    let error = action_error(save);
    let problem = move |name: &'static str| move || error.get().and_then(|e| e.field_error(name));
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="meeting-plan-title">
            <h2 id="meeting-plan-title">"Meeting times and tables"</h2>
            <p class="muted">"Keep parts of the event for 1:1 meetings. Attendees book them in slots, and each accepted meeting gets a free table, never one already taken."</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(plan) = plan.await else { return ().into_any() };
                    let mut rows: Vec<(String, String)> = plan.periods.iter()
                        .map(|p| (minute(p.starts_at), minute(p.ends_at)))
                        .collect();
                    rows.extend([(String::new(), String::new()), (String::new(), String::new())]);
                    let places = plan.places.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("\n");
                    let periods_problem = problem("periods");
                    let minutes_problem = problem("slot_minutes");
                    let places_problem = problem("places");
                    view! {
                        <ActionForm action=save>
                            <FormError error/>
                            <input type="hidden" name="event_id" value=event_id/>
                            <div class="field" class:invalid=move || minutes_problem().is_some()>
                                <label for="field-slot_minutes">"Each meeting lasts (minutes)"</label>
                                <input id="field-slot_minutes" name="slot_minutes" type="number" min="5" max="240" inputmode="numeric"
                                    value=plan.slot_minutes.unwrap_or(20).to_string() aria-describedby="field-slot_minutes-note"/>
                                <p class="field-note" id="field-slot_minutes-note">{move || minutes_problem().unwrap_or_else(|| "Each period is cut into slots of this length from its start.".into())}</p>
                            </div>
                            <fieldset class="periods" class:invalid=move || periods_problem().is_some()>
                                <legend>"Meeting periods"</legend>
                                {rows.into_iter().enumerate().map(|(n, (from, to))| view! {
                                    <div class="row period">
                                        <div class="field">
                                            <label for=format!("period-{n}-starts")>{format!("Period {} starts", n + 1)}</label>
                                            <input id=format!("period-{n}-starts") name=format!("starts[{n}]") type="datetime-local" value=from/>
                                        </div>
                                        <div class="field">
                                            <label for=format!("period-{n}-ends")>"ends"</label>
                                            <input id=format!("period-{n}-ends") name=format!("ends[{n}]") type="datetime-local" value=to/>
                                        </div>
                                    </div>
                                }).collect_view()}
                                <p class="field-note" id="periods-note">{move || periods_problem().unwrap_or_else(|| "Leave a row empty to add none; empty a row to remove that period.".into())}</p>
                            </fieldset>
                            <div class="field" class:invalid=move || places_problem().is_some()>
                                <label for="field-places">"Tables and rooms, one per line"</label>
                                <textarea id="field-places" name="places" rows="5" placeholder="Table 1\nTable 2\nRoom Ada" aria-describedby="field-places-note">{places}</textarea>
                                <p class="field-note" id="field-places-note">{move || places_problem().unwrap_or_else(|| "Tables are given out in this order. Renaming one keeps its meetings only if the name stays the same apart from letter case.".into())}</p>
                            </div>
                            {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                            <Submit label="Save meeting plan" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The slots this person and I are both free in, one tap each to ask for it.
#[component]
pub fn FreeSlots(person_id: i32, first_name: String) -> impl IntoView {
    let book = ServerAction::<BookSlot>::new();
    let offset = RwSignal::new(0i64);
    let slots = Resource::new(
        move || (offset.get(), book.version().get()),
        move |(offset, _)| free_slots(person_id, offset),
    );
    let error = action_error(book);
    let booked = move || match book.value().get() {
        Some(Ok(meeting)) => Some(meeting.appointment_time),
        _ => None,
    };
    let title = format!("Free times for you and {first_name}");
    let asked = first_name.clone();
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Finding free times…"</p> }>
            {move || {
                let (title, asked) = (title.clone(), asked.clone());
                Suspend::new(async move {
                    // No plan (or nothing free, or they take no requests): the free-form form below.
                    let page = slots.await.ok().filter(|page| page.total > 0 || offset.get_untracked() > 0)?;
                    let total = page.total;
                    let items = page.items.into_iter().map(|slot| {
                        let label = slot.starts_at.format("%a %H:%M").to_string();
                        let spare = match slot.free_places {
                            Some(1) => "1 table left".to_owned(),
                            Some(n) => format!("{n} tables free"),
                            None => format!("until {}", slot.ends_at.format("%H:%M")),
                        };
                        view! {
                            <li>
                                <ActionForm action=book>
                                    <input type="hidden" name="target_id" value=person_id/>
                                    <input type="hidden" name="appointment_time" value=minute(slot.starts_at)/>
                                    <button type="submit" class="slot" data-testid="free-slot" disabled=move || book.pending().get()>
                                        <strong>{label}</strong>
                                        <span class="muted">{spare}</span>
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view();
                    let more = offset.get_untracked() + SLOTS_SHOWN < total;
                    let back = offset.get_untracked() > 0;
                    Some(view! {
                        <section class="card" id="meet" aria-labelledby="slots-title">
                            <h2 id="slots-title">{title}</h2>
                            <p class="muted">"Tap a time to ask for it. A table is given when they accept."</p>
                            <FormError error/>
                            {move || booked().map(|at| view! {
                                <p class="saved" role="status">
                                    {format!("Asked {} for {}. ", asked, at.format("%a %H:%M"))}
                                    <A href="/me/agenda">"Your agenda"</A>" shows it once they answer."
                                </p>
                            })}
                            <ul class="slots plain-list">{items}</ul>
                            <div class="answer-buttons">
                                {back.then(|| view! { <button type="button" class="button secondary small" on:click=move |_| offset.update(|o| *o = (*o - SLOTS_SHOWN).max(0))>"Earlier times"</button> })}
                                {more.then(|| view! { <button type="button" class="button secondary small" on:click=move |_| offset.update(|o| *o += SLOTS_SHOWN)>"Later times"</button> })}
                            </div>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}
