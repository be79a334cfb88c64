use crate::components::{spots_text, ErrorNote};
use crate::error::AppError;
use crate::models::{Event, Page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn upcoming_events() -> Result<Page<Event>, AppError> {
    let (_, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::events::list_upcoming(&mut conn, crate::inputs::PageParams::default()).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    let events = Resource::new(|| (), |_| upcoming_events());
    view! {
        <Title text="Events"/>
        <section class="hero">
            <h1>"Meet the right people at your event."</h1>
            <p class="lead">
                "RSVP with one link, build a profile, connect with other attendees and book 1:1 meetings — all from your phone."
            </p>
            <div class="hero-actions">
                <A href="/organizer/register" attr:class="button">"Organise an event"</A>
                <a href="#upcoming" class="button secondary">"Browse events"</a>
            </div>
        </section>
        <section id="upcoming" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">"Upcoming events"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="empty">"No upcoming events yet. Organisers: create the first one!"</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <ul class="event-grid">
                                {page.items.into_iter().map(|event| view! { <EventCard event/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EventCard(event: Event) -> impl IntoView {
    let href = format!("/e/{}", event.code);
    let full = event.is_full();
    view! {
        <li class="card event-card">
            <p class="event-date">{event.when()}</p>
            <h3><A href=href>{event.name.clone()}</A></h3>
            {event.location.clone().map(|place| view! { <p class="muted">{place}</p> })}
            <p class="spots" class:full=full>{spots_text(event.spots_left, event.attendee_count)}</p>
        </li>
    }
}
