//! The attendee's ticket: their check-in QR code, big and bright, to show at the door.

use super::network::AttendeeGate;
use crate::error::AppError;
use crate::models::{Attendee, Event};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The ticket for the event of `code`, or (empty) of the event the attendee is logged in to.
#[server(prefix = "/rpc")]
pub async fn my_ticket(code: String) -> Result<(Attendee, Event, String), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let code = Some(code.trim()).filter(|c| !c.is_empty());
    let (attendee, event) = crate::domain::attendees::ticket(&mut conn, &actor, code).await?;
    let svg = crate::badge_html::qr_svg(attendee.checkin_token.as_deref().unwrap_or_default());
    Ok((attendee, event, svg))
}

/// `/e/<code>/ticket`, and `/me/ticket` (the tab bar's: the event logged in to).
#[component]
pub fn TicketPage() -> impl IntoView {
    let code = super::code_param();
    let ticket = Resource::new(move || code.get(), my_ticket);
    view! {
        <Title text="My ticket"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your ticket…"</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok((me, event, svg)) => view! {
                        <section class="ticket" aria-labelledby="ticket-name" data-event=event.code.clone()>
                            <p class="event-date">{event.when()}</p>
                            <h1>{event.name.clone()}</h1>
                            <div class="ticket-qr" role="img" aria-label="Your check-in QR code" inner_html=svg></div>
                            <p class="ticket-name" id="ticket-name">{me.full_name()}</p>
                            {me.organisation.clone().map(|org| view! { <p class="muted">{org}</p> })}
                            <p class="muted">"Show this code at the door. Turn your screen brightness up if it does not scan at once."</p>
                            // Shown only in the copy the service worker keeps for offline use.
                            <p class="offline-note" data-offline-note hidden>"Saved on this phone: your ticket opens here without a network."</p>
                        </section>
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <section class="card narrow">
                            <h1>"Not your event"</h1>
                            <p>"You are logged in for another event. Log in to this one to see its ticket."</p>
                            <A href=move || format!("/e/{}/login", code.get()) attr:class="button">"Log in"</A>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
