//! The directory of my event: find people, connect, and ask for a meeting.

use super::network::{AttendeeGate, ConnectButton};
use crate::components::{action_error, either_error, Avatar, FormError, Pager, Submit};
use crate::error::AppError;
use crate::models::{Appointment, Attendee, Connection, Event, Page, RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub const PAGE_SIZE: i64 = 24;

#[server(prefix = "/rpc")]
pub async fn directory(
    q: String,
    offset: i64,
    tag: Option<i32>,
) -> Result<(Page<Attendee>, i32), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let page = crate::inputs::PageParams {
        limit: Some(PAGE_SIZE),
        offset: Some(offset),
    };
    let people =
        crate::domain::attendee_lists::search(&mut conn, &actor, None, Some(&q), tag, page).await?;
    Ok((people, me))
}

#[server(prefix = "/rpc")]
pub async fn person(id: i32) -> Result<(Attendee, Event), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (_, event_id) = actor.attendee()?;
    let attendee = crate::domain::attendees::get(&mut conn, &actor, id).await?;
    let event = crate::domain::events::get(&mut conn, event_id).await?;
    Ok((attendee, event))
}

#[server(prefix = "/rpc")]
pub async fn connect(connected_attendee_id: i64) -> Result<Connection, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::ConnectionInput {
        connected_attendee_id: Some(connected_attendee_id),
    };
    crate::domain::connections::request(&mut conn, &actor, input).await
}

#[server(prefix = "/rpc")]
pub async fn request_meeting(
    target_id: i64,
    appointment_time: String,
    duration_minutes: i64,
    location: String,
    notes: String,
) -> Result<Appointment, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::AppointmentInput {
        target_id: Some(target_id),
        appointment_time,
        duration_minutes: Some(duration_minutes),
        location: Some(location),
        notes: Some(notes),
    };
    crate::domain::appointments::request(&mut conn, &actor, input).await
}

/// The interests of my event, for the directory's filter.
#[server(prefix = "/rpc")]
pub async fn my_event_tags() -> Result<Vec<crate::models::Tag>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (_, event_id) = actor.attendee()?;
    crate::domain::interests::tags(&mut conn, &actor, event_id).await
}

/// Blocks this person for the attendee logged in (`blocks::block`).
#[server(prefix = "/rpc")]
pub async fn block_person(attendee_id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::blocks::block(&mut conn, &actor, me, attendee_id).await
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let offset = RwSignal::new(0i64);
    let tag = RwSignal::new(None::<i32>);
    let tags = Resource::new(|| (), |_| my_event_tags());
    let connect = ServerAction::<Connect>::new();
    let answer = ServerAction::<super::requests::AnswerConnection>::new();
    let people = Resource::new(
        move || {
            (
                query.get(),
                offset.get(),
                tag.get(),
                connect.version().get(),
                answer.version().get(),
            )
        },
        |(q, offset, tag, _, _)| directory(q, offset, tag),
    );
    let error = either_error(action_error(connect), action_error(answer));
    view! {
        <Title text="People"/>
        <div class="page-head"><h1>"People at the event"</h1></div>
        <div class="field search">
            <label for="people-search">"Search by name, organisation or role"</label>
            <input id="people-search" type="search" placeholder="e.g. Rust, Acme, designer"
                on:input=move |ev| { offset.set(0); query.set(event_target_value(&ev)); }/>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let tags = tags.await.unwrap_or_default();
                (!tags.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="people-tag">"Interest"</label>
                        <select id="people-tag" on:change=move |ev| {
                            offset.set(0);
                            tag.set(event_target_value(&ev).parse().ok());
                        }>
                            <option value="">"Any interest"</option>
                            {tags.into_iter().map(|t| view! { <option value=t.id>{t.name}</option> }).collect_view()}
                        </select>
                    </div>
                })
            })}
        </Transition>
        {move || (query.get().is_empty() && tag.get().is_none()).then(|| view! {
            <super::interests::SuggestedPeople connect answer/>
        })}
        <FormError error/>
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading people…"</p> }>
            {move || Suspend::new(async move {
                match people.await {
                    Ok((page, _)) if page.items.is_empty() => view! {
                        <p class="empty">"Nobody matches your search yet."</p>
                    }.into_any(),
                    Ok((page, me)) => {
                        let total = page.total;
                        let from = offset.get_untracked() + 1;
                        let to = offset.get_untracked() + page.items.len() as i64;
                        view! {
                            <p class="muted" aria-live="polite">{format!("{from}–{to} of {total}")}</p>
                            <ul class="people-grid">
                                {page.items.into_iter().map(|person| {
                                    let is_me = person.id == me;
                                    view! { <PersonCard person is_me connect answer/> }
                                }).collect_view()}
                            </ul>
                            <Pager offset page_size=PAGE_SIZE total/>
                        }.into_any()
                    }
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PersonCard(
    person: Attendee,
    is_me: bool,
    connect: ServerAction<Connect>,
    answer: ServerAction<super::requests::AnswerConnection>,
) -> impl IntoView {
    let name = person.full_name();
    let href = format!("/me/people/{}", person.id);
    view! {
        <li class="card person-card" data-testid="person-card">
            <Avatar name=name.clone() photo=person.profile_picture.clone() size=56/>
            <div class="person-text">
                <h2 class="person-name"><A href=href>{name.clone()}</A></h2>
                {person.role.clone().map(|role| view! { <p class="person-role">{role}</p> })}
                {person.organisation.clone().map(|org| view! { <p class="muted person-org">{org}</p> })}
            </div>
            <div class="person-action">
                {if is_me {
                    view! { <span class="tag">"You"</span> }.into_any()
                } else {
                    view! { <ConnectButton person connect answer/> }.into_any()
                }}
            </div>
        </li>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let id = super::id_param();
    let connect = ServerAction::<Connect>::new();
    let answer = ServerAction::<super::requests::AnswerConnection>::new();
    let data = Resource::new(
        move || (id.get(), connect.version().get(), answer.version().get()),
        |(id, _, _)| person(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading profile…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((person, event)) => view! { <PersonDetails person event connect answer/> }.into_any(),
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonDetails(
    person: Attendee,
    event: Event,
    connect: ServerAction<Connect>,
    answer: ServerAction<super::requests::AnswerConnection>,
) -> impl IntoView {
    let name = person.full_name();
    let me = person.checkin_token.is_some();
    let connected = person
        .connection
        .as_ref()
        .is_some_and(|c| c.status == RequestStatus::Accepted);
    let error = either_error(action_error(connect), action_error(answer));
    view! {
        <Title text=name.clone()/>
        <p><A href="/me/people">"← All people"</A></p>
        <article class="card profile">
            <div class="profile-head">
                <Avatar name=name.clone() photo=person.profile_picture.clone() size=96/>
                <div>
                    <h1>{name.clone()}</h1>
                    {person.role.clone().map(|role| view! { <p class="person-role">{role}</p> })}
                    {person.organisation.clone().map(|org| view! { <p class="muted">{org}</p> })}
                    {person.email.clone().filter(|_| !me).map(|email| view! {
                        <p>"Email: " <a href=format!("mailto:{email}")>{email.clone()}</a></p>
                    })}
                </div>
            </div>
            {person.introduction.clone().map(|intro| view! { <p class="introduction">{intro}</p> })}
            <FormError error/>
            {if me {
                view! { <A href="/me/profile" attr:class="button secondary">"Edit my profile"</A> }.into_any()
            } else {
                view! { <ConnectButton person=person.clone() connect answer/> }.into_any()
            }}
            {(!me && !connected).then(|| view! {
                <p class="muted">"Their email appears here once you are connected."</p>
            })}
        </article>
        {(!me).then(|| view! {
            <super::meetings::FreeSlots person_id=person.id first_name=person.first_name.clone()/>
            <MeetingRequest person=person.clone() event/>
            <BlockCard person/>
        })}
    }
}

/// Blocking, behind a second step that says what it does.
#[component]
fn BlockCard(person: Attendee) -> impl IntoView {
    let action = ServerAction::<BlockPerson>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let first = person.first_name;
    let (id, summary, button) = (
        person.id,
        format!("Block {first}…"),
        format!("Block {first}"),
    );
    let explained = format!("You and {first} will no longer find each other, and neither may ask the other to connect or meet. Your connection and meetings with them are removed. They are not told. You can unblock them in Settings.");
    view! {
        <section class="card">
            <FormError error/>
            <Show when=done fallback=move || { let button = button.clone(); view! {
                <details class="leave">
                    <summary>{summary.clone()}</summary>
                    <p>{explained.clone()}</p>
                    <ActionForm action>
                        <input type="hidden" name="attendee_id" value=id/>
                        <button type="submit" class="button danger">{button}</button>
                    </ActionForm>
                </details>
            }}>
                <p class="saved" role="status">"Blocked. " <A href="/me/people">"Back to all people"</A></p>
            </Show>
        </section>
    }
}

/// Asks for a 1:1 meeting, with the times limited to the event's hours.
#[component]
fn MeetingRequest(person: Attendee, event: Event) -> impl IntoView {
    let action = ServerAction::<RequestMeeting>::new();
    let error = action_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(_)));
    let field_error =
        move |name: &'static str| move || error.get().and_then(|e| e.field_error(name));
    let minute = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    let time_problem = field_error("appointment_time");
    let hint = format!(
        "During the event: {} – {}, {} time.",
        event.start_time.format("%a %-d %b %H:%M"),
        event.end_time.format("%H:%M"),
        event.timezone
    );
    // What was typed before a request posted without the app came back with an error.
    let typed = crate::form_flash::typed;
    let when = typed("appointment_time").unwrap_or_else(|| minute(event.start_time));
    let duration = typed("duration_minutes").unwrap_or_else(|| "30".into());
    let durations = [("15", "15 minutes"), ("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour")]
        .map(|(minutes, label)| view! { <option value=minutes selected=duration == minutes>{label}</option> });
    view! {
        <section class="card" aria-labelledby="meet-title">
            <h2 id="meet-title">{format!("Meet {}", person.first_name)}</h2>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="target_id" value=person.id/>
                <div class="row">
                    <div class="field" class:invalid=move || time_problem().is_some()>
                        <label for="field-appointment_time">"When"<span class="req" aria-hidden="true">" *"</span></label>
                        <input id="field-appointment_time" name="appointment_time" type="datetime-local" required
                            min=minute(event.start_time) max=minute(event.end_time) value=when
                            aria-describedby="field-appointment_time-note"/>
                        <p class="field-note" id="field-appointment_time-note">{move || time_problem().unwrap_or_else(|| hint.clone())}</p>
                    </div>
                    <div class="field">
                        <label for="field-duration_minutes">"How long"</label>
                        <select id="field-duration_minutes" name="duration_minutes">{durations}</select>
                        <p class="field-note"></p>
                    </div>
                </div>
                <div class="field">
                    <label for="field-location">"Where"</label>
                    <input id="field-location" name="location" type="text" placeholder="e.g. Coffee bar, table 4" value=typed("location").unwrap_or_default()/>
                    <p class="field-note">{move || field_error("location")().unwrap_or_default()}</p>
                </div>
                <div class="field">
                    <label for="field-notes">"Note"</label>
                    <textarea id="field-notes" name="notes" rows="3" placeholder="What would you like to talk about?">{typed("notes").unwrap_or_default()}</textarea>
                    <p class="field-note">{move || field_error("notes")().unwrap_or_default()}</p>
                </div>
                {move || sent().then(|| view! {
                    <p class="saved" role="status">"Request sent. It appears in " <A href="/me/agenda">"your agenda"</A> " once they answer."</p>
                })}
                <Submit label="Request meeting" busy="Sending…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
        </section>
    }
}
