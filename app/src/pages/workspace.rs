//! The organiser's workspace for one event: a header with the event, a sidebar of sections
//! (Overview, Attendees, Check-in, Badges, Staff, Settings), each its own route under
//! `/dashboard/events/:id`. The event is read once for the header; each section reads what
//! it shows itself, fresh when opened.

use super::id_param;
use crate::components::ErrorNote;
use crate::error::AppError;
use crate::models::{Event, EventStats};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

/// The workspace's event, for its sections.
#[derive(Clone, Copy)]
pub(crate) struct WorkspaceEvent {
    pub id: Memo<i32>,
    pub event: Resource<Result<Event, AppError>>,
    /// The event as last saved in Settings: the header follows it without reloading the
    /// section that saved it.
    pub saved: RwSignal<Option<Event>>,
}

pub(crate) fn workspace_event() -> WorkspaceEvent {
    expect_context::<WorkspaceEvent>()
}

/// The sections, in the sidebar's order: (path under the event, label).
const SECTIONS: [(&str, &str); 6] = [
    ("", "Overview"),
    ("/attendees", "Attendees"),
    ("/checkin", "Check-in"),
    ("/badges", "Badges"),
    ("/staff", "Staff"),
    ("/settings", "Settings"),
];

#[component]
pub fn Workspace() -> impl IntoView {
    let id = id_param();
    let event = Resource::new(move || id.get(), super::manage::owned_event);
    let saved = RwSignal::new(None::<Event>);
    provide_context(WorkspaceEvent { id, event, saved });
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading event…"</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <Shell event saved/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <section class="card narrow"><p>"Please log in as the event's organiser."</p><A href="/organizer/login" attr:class="button">"Log in"</A></section>
                    }.into_any(),
                    Err(AppError::NotFound(_)) | Err(AppError::Forbidden) => view! { <super::NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The header and the sidebar around the open section.
#[component]
fn Shell(event: Event, saved: RwSignal<Option<Event>>) -> impl IntoView {
    let base = format!("/dashboard/events/{}", event.id);
    let shown = move || saved.get().unwrap_or_else(|| event.clone());
    let name = {
        let shown = shown.clone();
        move || shown().name
    };
    let when = {
        let shown = shown.clone();
        move || shown().when()
    };
    let visibility = move || shown().visibility;
    view! {
        <header class="workspace-head">
            <p class="event-date">{when}</p>
            <h1>{name}</h1>
            {move || view! { <crate::components::VisibilityTag visibility=visibility()/> }}
        </header>
        <div class="workspace">
            <nav class="workspace-nav" aria-label="Event sections">
                <ul>
                    {SECTIONS.into_iter().map(|(path, label)| view! {
                        <li><A href=format!("{base}{path}") exact=true>{label}</A></li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="workspace-main">
                <Outlet/>
            </div>
        </div>
    }
}

/// What matters now: who is coming, who came, where seats stand, and the next steps.
#[component]
pub fn Overview() -> impl IntoView {
    let workspace = workspace_event();
    let id = workspace.id;
    let stats = Resource::new(move || id.get(), super::stats::live_stats);
    let base = move || format!("/dashboard/events/{}", id.get());
    view! {
        <Title text="Overview"/>
        <section aria-labelledby="overview-title">
            <h2 id="overview-title">"Overview"</h2>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading figures…"</p> }>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(stats) => view! { <Numbers stats/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                workspace.event.await.ok().map(|event| view! {
                    <super::manage::InviteLink link=format!("/e/{}", event.code)/>
                })
            })}
        </Suspense>
        <section class="card" aria-labelledby="next-title">
            <h2 id="next-title">"Next steps"</h2>
            <ul class="next-steps">
                <li><A href=move || format!("{}/attendees", base())>"See who is coming"</A>" — check people in by hand, send a ticket again, export the list."</li>
                <li><A href=move || format!("{}/badges", base())>"Print badges"</A>" — sheets or labels, with each person's QR code."</li>
                <li><A href=move || format!("{}/staff", base())>"Add door staff"</A>" — a link per person that opens the scanner for this event only."</li>
                <li><A href=move || format!("{}/scan", base())>"Open the scanner"</A>" — check tickets in with this phone's camera."</li>
            </ul>
        </section>
    }
}

/// The figures that matter now: before the doors open, registrations and seats; once
/// people arrive, who is in and who is still to come.
#[component]
fn Numbers(stats: EventStats) -> impl IntoView {
    let (seats, of) = match (stats.capacity, stats.spots_left) {
        (Some(capacity), Some(left)) => (left.to_string(), Some(format!("of {capacity}"))),
        _ => ("Unlimited".to_owned(), None),
    };
    let to_come = (stats.registered - stats.checked_in).max(0);
    view! {
        <dl class="figures" aria-live="polite">
            <div class="figure"><dt>"Registered"</dt><dd data-testid="overview-registered">{stats.registered}</dd></div>
            <div class="figure"><dt>"Seats left"</dt><dd>{seats}{of.map(|of| view! { " " <span class="figure-note">{of}</span> })}</dd></div>
            <div class="figure"><dt>"Checked in"</dt><dd data-testid="overview-checked-in">{stats.checked_in}</dd></div>
            {match stats.no_shows {
                Some(no_shows) => view! { <div class="figure"><dt>"No-shows"</dt><dd>{no_shows}</dd></div> }.into_any(),
                None => view! { <div class="figure"><dt>"Still to come"</dt><dd>{to_come}</dd></div> }.into_any(),
            }}
        </dl>
        <section class="card" aria-labelledby="registrations-title">
            <h3 id="registrations-title">"Registrations over time"</h3>
            <super::stats::TimeChart buckets=stats.registrations_over_time minutes=stats.registration_bucket_days * 1440
                noun="registrations" empty="No registrations yet. Share the invite link below."/>
        </section>
    }
}

/// Badges: the sheets and labels to print, for everyone registered by now.
#[component]
pub fn BadgesSection() -> impl IntoView {
    let id = workspace_event().id;
    let event = Resource::new(move || id.get(), super::manage::owned_event);
    view! {
        <Title text="Badges"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <super::badges::PrintBadges event_id=event.id attendees=event.attendee_count/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Staff: the links of the people at the door.
#[component]
pub fn StaffSection() -> impl IntoView {
    let id = workspace_event().id;
    view! {
        <Title text="Staff"/>
        {move || view! { <super::door_team::DoorStaff event_id=id.get()/> }}
    }
}
