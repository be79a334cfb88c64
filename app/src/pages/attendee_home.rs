//! The attendee's Home tab (`/me`): the event today — where it stands, my next meeting, the
//! requests waiting for my answer — and the ticket one tap away.

use super::network::AttendeeGate;
use crate::components::Avatar;
use crate::error::AppError;
use crate::models::{Appointment, AttendeeHome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn my_home() -> Result<AttendeeHome, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::accounts::home(&mut conn, &actor).await
}

#[component]
pub fn HomeTab() -> impl IntoView {
    let home = Resource::new(|| (), |_| my_home());
    view! {
        <Title text="Home"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your event…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <Home home/> }.into_any(),
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: AttendeeHome) -> impl IntoView {
    let moment = home.moment();
    let event = home.event;
    let place = event.location.clone().filter(|l| !l.trim().is_empty());
    view! {
        <div class="page-head home-head">
            <div>
                <p class="event-date">{event.when()}</p>
                <h1>{event.name.clone()}</h1>
                {place.map(|place| view! { <p class="event-place">{place}</p> })}
                <p class="moment" data-testid="moment">{moment}</p>
            </div>
            <A href="/me/ticket" attr:class="button">"Show my ticket"</A>
        </div>
        <div class="home-grid">
            <NextMeeting meeting=home.next_meeting/>
            <Waiting connections=home.inbox.connection_requests meetings=home.inbox.appointment_requests/>
        </div>
        <p><A href=format!("/e/{}", event.code)>"About the event"</A></p>
    }
}

#[component]
fn NextMeeting(meeting: Option<Appointment>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="next-meeting-title">
            <h2 id="next-meeting-title">"Your next meeting"</h2>
            {match meeting {
                Some(m) => {
                    let name = format!("{} {}", m.other.first_name, m.other.last_name);
                    let when = format!(
                        "{} · {}–{}",
                        m.appointment_time.format("%a %-d %b"),
                        m.appointment_time.format("%H:%M"),
                        m.end_time.format("%H:%M")
                    );
                    view! {
                        <div class="person-row" data-testid="next-meeting">
                            <Avatar name=name.clone() photo=m.other.profile_picture.clone()/>
                            <div>
                                <p class="person-name"><A href=format!("/me/people/{}", m.other.id)>{name}</A></p>
                                <p>{when}</p>
                                {m.venue().map(|place| view! { <p class="muted">{place}</p> })}
                            </div>
                        </div>
                        <A href="/me/agenda" attr:class="button secondary small">"Open my agenda"</A>
                    }.into_any()
                }
                None => view! {
                    <p class="empty">"No meeting booked yet. Find someone to meet and ask for a time."</p>
                    <A href="/me/people" attr:class="button small">"Browse people"</A>
                }.into_any(),
            }}
        </section>
    }
}

/// Requests waiting for my answer, each a link to where I answer it.
#[component]
fn Waiting(connections: i64, meetings: i64) -> impl IntoView {
    let plural = |n: i64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    view! {
        <section class="card" aria-labelledby="waiting-title">
            <h2 id="waiting-title">"Waiting for you"</h2>
            {if connections == 0 && meetings == 0 {
                view! {
                    <p class="empty">"Nothing waiting. People you meet can ask to connect; you answer here."</p>
                    <A href="/me/people" attr:class="button secondary small">"Browse people"</A>
                }.into_any()
            } else {
                view! {
                    <ul class="plain-list waiting" data-testid="waiting">
                        {(connections > 0).then(|| view! {
                            <li><A href="/me/connections">{plural(connections, "contact request", "contact requests")}</A></li>
                        })}
                        {(meetings > 0).then(|| view! {
                            <li><A href="/me/agenda">{plural(meetings, "meeting request", "meeting requests")}</A></li>
                        })}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
