use crate::components::{action_error, spots_text, ErrorNote, Field, FormError, Submit};
use crate::error::AppError;
use crate::models::{DeletedEvent, Event, Page};
use crate::pages::session::SessionActions;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = SessionActions::get().register_organizer;
    let error = action_error(action);
    view! {
        <Title text="Create an organiser account"/>
        <section class="card narrow">
            <h1>"Create an organiser account"</h1>
            <p class="muted">"Run events, print badges and watch check-in live."</p>
            <ActionForm action>
                <FormError error/>
                <Field label="Your name" name="name" autocomplete="name" required=true error/>
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true hint="At least 8 characters." error/>
                <Submit label="Create account" busy="Creating account…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <p class="switch">"Already have an account? " <A href="/organizer/login">"Log in"</A></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = SessionActions::get().login_organizer;
    let error = action_error(action);
    view! {
        <Title text="Organiser login"/>
        <section class="card narrow">
            <h1>"Organiser login"</h1>
            <ActionForm action>
                <FormError error/>
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error/>
                <Submit label="Log in" busy="Logging in…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <p class="switch"><A href="/forgot-password?role=organizer">"Forgot your password?"</A></p>
            <p class="switch">"New to NetEvent? " <A href="/organizer/register">"Create an organiser account"</A></p>
            <p class="switch muted">"Attending an event? Use the link your organiser sent you."</p>
        </section>
    }
}

#[server(prefix = "/rpc")]
pub async fn my_events() -> Result<Page<Event>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::events::list_mine(
        &mut conn,
        &actor,
        crate::inputs::PageParams {
            limit: Some(200),
            offset: None,
        },
    )
    .await
}

#[server(prefix = "/rpc")]
pub async fn my_deleted_events() -> Result<Page<DeletedEvent>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::deleted_events::list(
        &mut conn,
        &actor,
        crate::inputs::PageParams {
            limit: Some(50),
            offset: None,
        },
    )
    .await
}

#[server(prefix = "/rpc")]
pub async fn restore_event(id: i32) -> Result<Event, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::deleted_events::restore(&mut conn, &actor, id).await
}

/// The organiser's deleted events with Restore; nothing when there are none.
#[component]
fn DeletedEvents(restore: ServerAction<RestoreEvent>) -> impl IntoView {
    let session = SessionActions::get();
    let deleted = Resource::new(
        move || {
            (
                session.user.get().map(|u| u.ok().flatten().is_some()),
                restore.version().get(),
            )
        },
        |_| my_deleted_events(),
    );
    let error = action_error(restore);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match deleted.await {
                    Ok(page) if !page.items.is_empty() => view! {
                        <section class="card" aria-labelledby="deleted-title">
                            <h2 id="deleted-title">"Deleted events"</h2>
                            <p class="muted">"Restore one to bring it back with its attendees. Each is removed for good on the date shown."</p>
                            <FormError error/>
                            <ul class="person-list deleted-events">
                                {page.items.into_iter().map(|event| view! {
                                    <li class="person-row">
                                        <div class="person-text">
                                            <strong>{event.name.clone()}</strong>
                                            <p class="muted">{format!(
                                                "{} · {} · removed on {}",
                                                crate::components::format_when(event.start_time, event.end_time),
                                                match event.attendee_count { 1 => "1 attendee".to_owned(), n => format!("{n} attendees") },
                                                event.purge_at.format("%-d %b %Y"),
                                            )}</p>
                                        </div>
                                        <ActionForm action=restore>
                                            <input type="hidden" name="id" value=event.id/>
                                            <button type="submit" class="button secondary small" aria-label=format!("Restore {}", event.name)>"Restore"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = SessionActions::get();
    let restore = ServerAction::<RestoreEvent>::new();
    let events = Resource::new(
        move || {
            (
                session.user.get().map(|u| u.ok().flatten().is_some()),
                restore.version().get(),
            )
        },
        |_| my_events(),
    );
    view! {
        <Title text="Dashboard"/>
        <div class="page-head">
            <h1>"Your events"</h1>
            <A href="/dashboard/events/new" attr:class="button">"New event"</A>
        </div>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your events…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Err(AppError::Unauthenticated) | Err(AppError::Forbidden) => view! {
                        <section class="card narrow">
                            <p>"Please log in as an organiser to see your dashboard."</p>
                            <A href="/organizer/login" attr:class="button">"Log in"</A>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"No events yet"</h2>
                            <p>"Create your first event, share its link, and watch the RSVPs arrive."</p>
                        </section>
                    }.into_any(),
                    Ok(page) => view! {
                        <ul class="event-grid">
                            {page.items.into_iter().map(|event| view! {
                                <li class="card event-card">
                                    <p class="event-date">{event.when()}</p>
                                    <h3><A href=format!("/dashboard/events/{}", event.id)>{event.name.clone()}</A></h3>
                                    <crate::components::VisibilityTag visibility=event.visibility/>
                                    <p class="spots">{spots_text(event.spots_left, event.attendee_count)}</p>
                                    <p class="muted" data-testid="checked-in">{format!("{} checked in", event.checked_in.unwrap_or(0))}</p>
                                    <p class="muted">"Link: " <code>{format!("/e/{}", event.code)}</code></p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <DeletedEvents restore/>
    }
}
