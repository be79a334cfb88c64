//! Pieces shared by the attendee's networking pages.

use super::people::Connect;
use super::requests::AnswerConnection;
use crate::components::{AnswerButtons, ErrorNote};
use crate::error::AppError;
use crate::models::{Attendee, Direction, RequestStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// What a networking page shows instead of its content when the visitor may not see it.
#[component]
pub fn AttendeeGate(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => view! {
            <section class="card narrow">
                <h1>"Log in to your event"</h1>
                <p>"People, requests and your agenda are for the attendees of an event. Open your event's link and log in or RSVP."</p>
                <A href="/" attr:class="button">"Find your event"</A>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="card narrow">
                <h1>"For attendees"</h1>
                <p>"This page is for attendees. Organisers see their attendees on the dashboard."</p>
                <A href="/dashboard" attr:class="button">"Go to the dashboard"</A>
            </section>
        }
        .into_any(),
        AppError::NotFound(_) => view! { <super::NotFound/> }.into_any(),
        error => view! { <ErrorNote error/> }.into_any(),
    }
}

/// Connect, or where a request stands, for one person.
#[component]
pub fn ConnectButton(
    person: Attendee,
    connect: ServerAction<Connect>,
    answer: ServerAction<AnswerConnection>,
) -> impl IntoView {
    let first = person.first_name.clone();
    match person.connection.map(|c| (c.id, c.status, c.direction)) {
        Some((_, RequestStatus::Accepted, _)) => {
            view! { <span class="tag ok">"Connected ✓"</span> }.into_any()
        }
        Some((_, RequestStatus::Pending, Direction::Outgoing)) => {
            view! { <span class="tag">"Request sent"</span> }.into_any()
        }
        Some((id, RequestStatus::Pending, Direction::Incoming)) => view! {
            <ActionForm action=answer>
                <input type="hidden" name="id" value=id/>
                <AnswerButtons accept_label=format!("Accept {first}'s request") decline_label=format!("Decline {first}'s request")/>
            </ActionForm>
        }
        .into_any(),
        // Nothing yet, or declined earlier: either may ask (again).
        _ => view! {
            <ActionForm action=connect>
                <input type="hidden" name="connected_attendee_id" value=person.id/>
                <button type="submit" class="button small" aria-label=format!("Connect with {first}")
                    disabled=move || connect.pending().get()>"Connect"</button>
            </ActionForm>
        }
        .into_any(),
    }
}
