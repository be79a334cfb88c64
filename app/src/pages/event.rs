use super::code_param;
use crate::components::{action_error, spots_text, Avatar, ErrorNote, Field, FormError, Submit};
use crate::error::AppError;
use crate::models::{Event, EventInvite, Face, Me};
use crate::pages::session::SessionActions;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn event_by_code(code: String) -> Result<Event, AppError> {
    let (_, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::events::get_by_code(&mut conn, &code).await
}

/// The invite page's event, who hosts it and who is going; the cover's address made whole
/// for the link previews of chat apps (they need the site's own address).
#[server(prefix = "/rpc")]
pub async fn event_page(code: String) -> Result<(EventInvite, Option<String>), AppError> {
    let (_, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = crate::domain::event_page::page(&mut conn, &code).await?;
    let site = use_context::<crate::PublicUrl>().map(|url| url.0);
    let cover = page
        .event
        .cover_image
        .as_ref()
        .zip(site)
        .map(|(cover, site)| format!("{}{cover}", site.trim_end_matches('/')));
    Ok((page, cover))
}

#[component]
pub fn EventPage() -> impl IntoView {
    let code = code_param();
    let session = SessionActions::get();
    // Refetch after an RSVP so the spots left update.
    let event = Resource::new(
        move || {
            (
                code.get(),
                session.register_attendee.version().get(),
                session.rsvp.version().get(),
                session.cancel_rsvp.version().get(),
            )
        },
        |(code, ..)| event_page(code),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading event…"</p> }>
            {move || Suspend::new(async move {
                let me = session.user.await.ok().flatten();
                match event.await {
                    Ok((page, share_image)) => view! { <EventDetails page share_image me/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <super::NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventDetails(page: EventInvite, share_image: Option<String>, me: Option<Me>) -> impl IntoView {
    let EventInvite { event, host, going } = page;
    let full = event.is_full();
    let registered_here = matches!(&me, Some(Me::Attendee(a)) if a.event_id == event.id);
    let rsvp = if registered_here {
        let name = me.as_ref().map(|m| m.display_name()).unwrap_or_default();
        view! {
            <section class="card success" aria-live="polite">
                <h2>"You're in, " {name} "!"</h2>
                <p>"You are registered for this event. Meet people before you arrive:"</p>
                <nav class="next-steps" aria-label="Your event">
                    <A href=format!("/e/{}/ticket", event.code) attr:class="button">"My ticket (QR)"</A>
                    <A href="/me/profile" attr:class="button secondary">"Complete your profile"</A>
                    <A href="/me/people" attr:class="button secondary">"See who's coming"</A>
                    <A href="/me/agenda" attr:class="button secondary">"My agenda"</A>
                </nav>
            </section>
            <CancelRsvp event_id=event.id/>
        }
        .into_any()
    } else if event.is_full() && event.waitlist {
        view! { <super::waitlist::WaitlistForm code=event.code.clone()/> }.into_any()
    } else if event.is_full() {
        view! {
            <section class="card">
                <h2>"This event is full"</h2>
                <p>"All spots are taken. " <A href=format!("/e/{}/login", event.code)>"Already registered? Log in"</A></p>
            </section>
        }
        .into_any()
    } else if let Some(Me::Attendee(attendee)) = &me {
        view! { <OneClickRsvp event_id=event.id code=event.code.clone() name=attendee.full_name()/> }.into_any()
    } else {
        view! { <RsvpForm code=event.code.clone()/> }.into_any()
    };
    view! {
        <Title text=event.name.clone()/>
        <Meta property="og:title" content=event.name.clone()/>
        <Meta property="og:description" content=preview_text(&event)/>
        {share_image.map(|image| view! {
            <Meta property="og:image" content=image/>
            <Meta name="twitter:card" content="summary_large_image"/>
        })}
        <article class="event">
            {event.cover_image.clone().map(|src| view! {
                <img class="event-cover" src=src alt="" width="1200" height="630" fetchpriority="high"/>
            })}
            <header class="event-head">
                <p class="event-date">{event.when()}</p>
                <h1>{event.name.clone()}</h1>
                <p class="event-host" data-testid="event-host">"Hosted by " <strong>{host}</strong></p>
                {event.location.clone().map(|place| view! {
                    <p class="event-place">
                        {place.clone()} " · "
                        <a href=map_link(&place) rel="noopener" target="_blank">"Map"<span class="visually-hidden">" (opens OpenStreetMap)"</span></a>
                    </p>
                })}
                <p class="spots" class:full=full>{spots_text(event.spots_left, event.attendee_count)}</p>
                <CalendarChoices event=event.clone()/>
            </header>
            <Going going count=event.attendee_count/>
            {event.description.clone().map(|text| view! { <p class="event-description">{text}</p> })}
            {rsvp}
        </article>
    }
}

/// A row of faces and "Ada L., Alan T. and 23 others are going": a picture of the people
/// one will meet, which says more than a count.
#[component]
fn Going(going: Vec<Face>, count: i64) -> impl IntoView {
    if going.is_empty() {
        return None;
    }
    let named: Vec<&str> = going
        .iter()
        .take(2)
        .map(|face| face.name.as_str())
        .collect();
    let others = count - named.len() as i64;
    let said = match (named.as_slice(), others) {
        ([one], _) if others <= 0 => format!("{one} is going"),
        ([one, two], _) if others <= 0 => format!("{one} and {two} are going"),
        (names, 1) => format!("{} and 1 other are going", names.join(", ")),
        (names, _) => format!("{} and {others} others are going", names.join(", ")),
    };
    Some(view! {
        <section class="going" aria-label="Who's going">
            <ul class="faces" aria-hidden="true">
                {going.into_iter().map(|face| view! {
                    <li><Avatar name=face.name photo=face.photo size=40/></li>
                }).collect_view()}
            </ul>
            <p data-testid="going">{said}</p>
        </section>
    })
}

fn escaped(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The place on OpenStreetMap's search: open data, and phones offer their map app from it.
fn map_link(place: &str) -> String {
    format!(
        "https://www.openstreetmap.org/search?query={}",
        escaped(place)
    )
}

/// The event in Google Calendar's form, its wall-clock times in its own zone (`ctz`).
fn google_calendar_link(event: &Event) -> String {
    let stamp = |at: chrono::NaiveDateTime| at.format("%Y%m%dT%H%M%S").to_string();
    let mut link = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&ctz={}",
        escaped(&event.name),
        stamp(event.start_time),
        stamp(event.end_time),
        escaped(&event.timezone),
    );
    if let Some(place) = &event.location {
        link.push_str("&location=");
        link.push_str(&escaped(place));
    }
    link
}

/// "Add to calendar" as a button opening the choices people have: Google's web calendar,
/// and the .ics file (with its zone) that Apple Calendar and Outlook open.
#[component]
fn CalendarChoices(event: Event) -> impl IntoView {
    let ics = format!("/e/{}/event.ics", event.code);
    view! {
        <details class="menu calendar-menu">
            <summary class="button secondary small">"Add to calendar"</summary>
            <ul class="menu-list">
                <li><a href=google_calendar_link(&event) rel="noopener" target="_blank">"Google Calendar"</a></li>
                <li><a href=ics.clone() download>"Apple Calendar"</a></li>
                <li><a href=ics download>"Outlook"</a></li>
            </ul>
        </details>
    }
}

/// What a chat app shows under the invite link: when, where and the start of the description.
fn preview_text(event: &Event) -> String {
    let mut text = event.when();
    if let Some(place) = &event.location {
        text.push_str(" · ");
        text.push_str(place);
    }
    if let Some(description) = &event.description {
        let start: String = description.chars().take(160).collect();
        text.push_str(" — ");
        text.push_str(start.trim_end());
        if start.len() < description.len() {
            text.push('…');
        }
    }
    text
}

/// An attendee of another event RSVPs with the profile they already have.
#[component]
fn OneClickRsvp(event_id: i32, code: String, name: String) -> impl IntoView {
    let action = SessionActions::get().rsvp;
    let error = action_error(action);
    let other_email = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="rsvp-title">
            <h2 id="rsvp-title">"RSVP"</h2>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="event_id" value=event_id/>
                <p>"Register with your NetEvent profile: your name, organisation, role, introduction and photo come along."</p>
                <Submit label="RSVP with my profile" busy="Registering…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <p class="muted switch">{format!("Logged in as {name}. ")}
                <button type="button" class="link-button" on:click=move |_| other_email.set(true)>"Use another email"</button>
            </p>
        </section>
        <Show when=move || other_email.get()>
            <RsvpForm code=code.clone()/>
        </Show>
    }
}

/// Gives the seat back, after a confirmation.
#[component]
fn CancelRsvp(event_id: i32) -> impl IntoView {
    let action = SessionActions::get().cancel_rsvp;
    let error = action_error(action);
    let confirming = RwSignal::new(false);
    view! {
        <section class="card">
            <FormError error/>
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="link-button" on:click=move |_| confirming.set(true)>"Can't make it? Cancel my RSVP…"</button>
            }>
                <p role="alert" class="confirm-text">"Cancel your RSVP? Your seat goes to someone else, and your connections and meetings at this event are removed."</p>
                <ActionForm action>
                    <input type="hidden" name="event_id" value=event_id/>
                    <div class="hero-actions">
                        <button type="submit" class="button danger">"Yes, cancel my RSVP"</button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>"Keep my seat"</button>
                    </div>
                </ActionForm>
            </Show>
        </section>
    }
}

/// What registering asks of a person (the RSVP and the waitlist alike).
#[component]
pub(super) fn PersonFields(
    error: Signal<Option<AppError>>,
    password_hint: &'static str,
) -> impl IntoView {
    view! {
        <div class="row">
            <Field label="First name" name="first_name" autocomplete="given-name" required=true error/>
            <Field label="Last name" name="last_name" autocomplete="family-name" required=true error/>
        </div>
        <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
        <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true hint=password_hint error/>
        <div class="row">
            <Field label="Organisation" name="organisation" autocomplete="organization" error/>
            <Field label="Role" name="role" autocomplete="organization-title" error/>
        </div>
    }
}

#[component]
fn RsvpForm(code: String) -> impl IntoView {
    let action = SessionActions::get().register_attendee;
    let error = action_error(action);
    let login_href = format!("/e/{code}/login");
    view! {
        <section class="card" aria-labelledby="rsvp-title">
            <h2 id="rsvp-title">"RSVP"</h2>
            <p class="muted">"Create your attendee profile to register. Others at the event will see your name, organisation and role."</p>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="event_code" value=code/>
                <PersonFields error password_hint="At least 8 characters, to log in again later."/>
                <Submit label="Register" busy="Registering…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <p class="switch">"Already registered? " <A href=login_href>"Log in"</A></p>
        </section>
    }
}

#[component]
pub fn AttendeeLoginPage() -> impl IntoView {
    let code = code_param();
    let action = SessionActions::get().login_attendee;
    let error = action_error(action);
    let event = Resource::new(move || code.get(), event_by_code);
    view! {
        <Title text="Attendee login"/>
        <section class="card narrow">
            <h1>"Log in to your event"</h1>
            // Which event this login is for: a person registered for several must know.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    event.await.ok().map(|event| view! {
                        <p class="lead" data-testid="login-event">
                            <strong>{event.name.clone()}</strong>
                            <span class="muted">" · " {event.when()}</span>
                        </p>
                    })
                })}
            </Suspense>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="event_code" value=move || code.get()/>
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error/>
                <Submit label="Log in" busy="Logging in…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <p class="switch"><A href=move || format!("/forgot-password?role=attendee&event={}", code.get())>"Forgot your password?"</A></p>
            <p class="switch">"Not registered yet? " <A href=move || format!("/e/{}", code.get())>"RSVP to the event"</A></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{google_calendar_link, map_link};
    use crate::models::{Event, EventVisibility};

    #[test]
    fn calendar_and_map_links_carry_the_event_escaped_and_in_its_zone() {
        let at = |h| {
            chrono::NaiveDate::from_ymd_opt(2030, 5, 4)
                .unwrap()
                .and_hms_opt(h, 30, 0)
                .unwrap()
        };
        let event = Event {
            id: 1,
            organizer_id: 1,
            code: "ABCDEFGHJK".into(),
            name: "Rust & Friends #3".into(),
            description: None,
            start_time: at(9),
            end_time: at(17),
            location: Some("Café Zoë, Hall B".into()),
            max_attendees: None,
            timezone: "Europe/Berlin".into(),
            visibility: EventVisibility::Public,
            checkin_opens_minutes_before: Some(120),
            cover_image: None,
            created_at: at(8),
            attendee_count: 0,
            spots_left: None,
            checked_in: None,
            waitlist: false,
        };
        assert_eq!(
            google_calendar_link(&event),
            "https://calendar.google.com/calendar/render?action=TEMPLATE\
             &text=Rust%20%26%20Friends%20%233&dates=20300504T093000/20300504T173000\
             &ctz=Europe%2FBerlin&location=Caf%C3%A9%20Zo%C3%AB%2C%20Hall%20B"
        );
        assert_eq!(
            map_link("Café Zoë, Hall B"),
            "https://www.openstreetmap.org/search?query=Caf%C3%A9%20Zo%C3%AB%2C%20Hall%20B"
        );
    }
}
