use crate::components::{spots_text, ErrorNote, Pager};
use crate::error::AppError;
use crate::models::{Event, Page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// Events a page of the home page shows.
const EVENTS_PER_PAGE: i64 = 24;

#[server(prefix = "/rpc")]
pub async fn upcoming_events(q: String, offset: i64) -> Result<Page<Event>, AppError> {
    let (_, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::inputs::PageParams {
        limit: Some(EVENTS_PER_PAGE),
        offset: Some(offset),
    };
    crate::domain::events::list_upcoming(&mut conn, Some(&q), page).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|map| map.get("q").unwrap_or_default()));
    let offset = RwSignal::new(0_i64);
    // A new search starts at its first page (not the first run, after hydration: that
    // would fetch the page the server just sent again).
    Effect::new(move |previous: Option<String>| {
        let now = q.get();
        if previous.is_some_and(|previous| previous != now) {
            offset.set(0);
        }
        now
    });
    let events = Resource::new(
        move || (q.get(), offset.get()),
        |(q, offset)| upcoming_events(q, offset),
    );
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
            <Form method="GET" action="/" attr:class="search-row" attr:role="search">
                <label for="event-search" class="visually-hidden">"Search events"</label>
                <input id="event-search" type="search" name="q" maxlength="100"
                    placeholder="Search by name or place" prop:value=move || q.get()/>
                <button type="submit" class="button secondary">"Search"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(page) if page.items.is_empty() && !q.get_untracked().trim().is_empty() => view! {
                            <p class="empty" role="status">"No upcoming event matches “" {q.get_untracked()} "”."</p>
                        }.into_any(),
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="empty">"No upcoming events yet. Organisers: create the first one!"</p>
                        }.into_any(),
                        Ok(page) => {
                            let total = page.total;
                            view! {
                                <ul class="event-grid">
                                    {page.items.into_iter().map(|event| view! { <EventCard event/> }).collect_view()}
                                </ul>
                                {(total > EVENTS_PER_PAGE).then(|| view! { <Pager offset page_size=EVENTS_PER_PAGE total/> })}
                            }.into_any()
                        }
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
