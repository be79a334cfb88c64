//! My agenda: every meeting I asked for or was asked to, in time order, with answers,
//! cancellations and calendar files.

use super::network::AttendeeGate;
use crate::components::{action_error, either_error, AnswerButtons, Avatar, FormError, Pager};
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{Appointment, Direction, Page, RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn my_appointments(offset: i64) -> Result<(Page<Appointment>, String), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (_, event_id) = actor.attendee()?;
    let page = PageParams {
        limit: Some(PageParams::MAX_LIMIT),
        offset: Some(offset),
    };
    let meetings = crate::domain::appointments::list_mine(&mut conn, &actor, None, page).await?;
    // Every meeting is at my event: its times are that event's wall clock.
    let zone = crate::domain::events::get(&mut conn, event_id)
        .await?
        .timezone;
    Ok((meetings, zone))
}

#[server(prefix = "/rpc")]
pub async fn answer_appointment(id: i32, status: String) -> Result<Appointment, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::StatusInput { status };
    crate::domain::appointments::respond(&mut conn, &actor, id, input).await
}

#[server(prefix = "/rpc")]
pub async fn cancel_appointment(id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::appointments::cancel(&mut conn, &actor, id).await
}

#[component]
pub fn AgendaPage() -> impl IntoView {
    let answer = ServerAction::<AnswerAppointment>::new();
    let cancel = ServerAction::<CancelAppointment>::new();
    let offset = RwSignal::new(0i64);
    let agenda = Resource::new(
        move || (offset.get(), answer.version().get(), cancel.version().get()),
        |(offset, _, _)| my_appointments(offset),
    );
    let error = either_error(action_error(answer), action_error(cancel));
    view! {
        <Title text="My agenda"/>
        <div class="page-head">
            <h1>"My agenda"</h1>
            <a class="button secondary small" href="/api/appointments/agenda.ics" download="netevent-agenda.ics">"Add all to calendar (.ics)"</a>
        </div>
        <FormError error/>
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading your agenda…"</p> }>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok((page, _)) if page.items.is_empty() => view! {
                        <section class="card empty-state">
                            <p>"No meetings yet. Open someone's profile from "<A href="/me/people">"People"</A>" to ask for one."</p>
                        </section>
                    }.into_any(),
                    Ok((page, zone)) => {
                        let total = page.total;
                        let mut days: Vec<(chrono::NaiveDate, Vec<Appointment>)> = Vec::new();
                        for meeting in page.items.into_iter().filter(|m| m.status != RequestStatus::Rejected || m.direction == Direction::Outgoing) {
                            let day = meeting.appointment_time.date();
                            match days.last_mut() {
                                Some((last, list)) if *last == day => list.push(meeting),
                                _ => days.push((day, vec![meeting])),
                            }
                        }
                        view! {
                            <p class="muted agenda-zone">{format!("Times are the event's local time ({zone}).")}</p>
                            {days.into_iter().map(|(day, meetings)| view! {
                                <section class="card agenda-day" aria-label=day.format("%A %-d %B").to_string()>
                                    <h2>{day.format("%A %-d %B").to_string()}</h2>
                                    <ol class="agenda">
                                        {meetings.into_iter().map(|meeting| view! { <AgendaItem meeting answer cancel/> }).collect_view()}
                                    </ol>
                                </section>
                            }).collect_view()}
                            {(total > PageParams::MAX_LIMIT).then(|| view! {
                                <Pager offset page_size=PageParams::MAX_LIMIT total/>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AgendaItem(
    meeting: Appointment,
    answer: ServerAction<AnswerAppointment>,
    cancel: ServerAction<CancelAppointment>,
) -> impl IntoView {
    let other = meeting.other.clone();
    let name = other.full_name();
    let id = meeting.id;
    let (label, class) = match (meeting.status, meeting.direction) {
        (RequestStatus::Accepted, _) => ("Confirmed", "tag ok"),
        (RequestStatus::Pending, Direction::Incoming) => ("Asks to meet you", "tag warn"),
        (RequestStatus::Pending, Direction::Outgoing) => ("Waiting for an answer", "tag"),
        (RequestStatus::Rejected, _) => ("Declined", "tag danger"),
    };
    let accept_label = format!("Accept the meeting with {name}");
    let decline_label = format!("Decline the meeting with {name}");
    let actions = match (meeting.status, meeting.direction) {
        (RequestStatus::Pending, Direction::Incoming) => view! {
            <ActionForm action=answer>
                <input type="hidden" name="id" value=id/>
                <AnswerButtons accept_label decline_label/>
            </ActionForm>
        }
        .into_any(),
        (RequestStatus::Accepted, _) => view! {
            <a class="button secondary small" href=format!("/api/appointments/{id}/event.ics") download=format!("meeting-{id}.ics")>"Add to calendar"</a>
            <ActionForm action=cancel>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="link-button">"Cancel meeting"</button>
            </ActionForm>
        }
        .into_any(),
        _ => view! {
            <ActionForm action=cancel>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="link-button">{if meeting.direction == Direction::Outgoing { "Withdraw" } else { "Remove" }}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li class="agenda-item" data-testid="agenda-item">
            <p class="agenda-time">
                <time datetime=meeting.appointment_time.format("%Y-%m-%dT%H:%M").to_string()>{meeting.appointment_time.format("%H:%M").to_string()}</time>
                "–"{meeting.end_time.format("%H:%M").to_string()}
            </p>
            <div class="agenda-body">
                <span class=class>{label}</span>
                <div class="person-row">
                    <Avatar name=name.clone() photo=other.profile_picture.clone() size=40/>
                    <div class="person-text">
                        <A href=format!("/me/people/{}", other.id) attr:class="person-name">{name.clone()}</A>
                        {other.organisation.clone().map(|org| view! { <p class="muted">{org}</p> })}
                    </div>
                </div>
                {meeting.venue().map(|place| view! { <p data-testid="meeting-place"><span class="muted">"Where: "</span><strong>{place}</strong></p> })}
                {meeting.notes.clone().map(|notes| view! { <p class="muted notes">{notes}</p> })}
                <div class="answer-buttons">{actions}</div>
            </div>
        </li>
    }
}
