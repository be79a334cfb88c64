//! Small pieces used by several pages.

use crate::error::AppError;
use crate::models::{Inbox, Me};
use crate::pages::session::SessionActions;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header(session: SessionActions) -> impl IntoView {
    let user = session.user;
    // On an event's pages the visitor is an attendee: their login, no organiser's call.
    let location = leptos_router::hooks::use_location();
    let event_code = Memo::new(move |_| {
        location.pathname.with(|path| {
            path.strip_prefix("/e/")
                .and_then(|rest| rest.split('/').next())
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
        })
    });
    view! {
        <header class="site-header">
            <nav class="container nav" aria-label="Main">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"N"</span>
                    "NetEvent"
                </A>
                <Transition fallback=|| ()>
                    {move || {
                        let event_code = event_code.get();
                        Suspend::new(async move {
                        match user.await {
                            Ok(Some(me)) => view! { <UserMenu me session/> }.into_any(),
                            _ => match event_code {
                                Some(code) => view! {
                                    <div class="nav-links">
                                        <A href=format!("/e/{code}/login") attr:class="button small secondary">"Attendee log in"</A>
                                    </div>
                                }
                                .into_any(),
                                None => view! {
                                    <div class="nav-links">
                                        <A href="/organizer/login">"Log in"</A>
                                        <A href="/organizer/register" attr:class="button small">"Organise an event"</A>
                                    </div>
                                }
                                .into_any(),
                            },
                        }
                    })}}
                </Transition>
            </nav>
        </header>
    }
}

#[component]
fn UserMenu(me: Me, session: SessionActions) -> impl IntoView {
    let name = me.display_name();
    let link = match &me {
        Me::Organizer(_) => view! { <A href="/dashboard">"Dashboard"</A> }.into_any(),
        Me::Attendee(_) => view! { <AttendeeTabs/> }.into_any(),
        Me::Staff(staff) => {
            view! { <A href=format!("/dashboard/events/{}/scan", staff.event_id)>"Scanner"</A> }
                .into_any()
        }
    };
    let role = match &me {
        Me::Organizer(_) => "Organiser",
        Me::Attendee(_) => "Attendee",
        Me::Staff(_) => "Check-in staff",
    };
    view! {
        <div class="nav-links">
            {link}
            {match me {
                // An attendee's own name opens their profile.
                Me::Attendee(_) => view! {
                    <A href="/me/profile" attr:class="who" attr:data-testid="current-user" attr:title="My profile">
                        <span class="who-role">{role}</span>
                        <span class="who-name">{name}</span>
                    </A>
                }.into_any(),
                _ => view! {
                    <span class="who" data-testid="current-user">
                        <span class="who-role">{role}</span>
                        <span class="who-name">{name}</span>
                    </span>
                }.into_any(),
            }}
            <ActionForm action=session.logout>
                <button type="submit" class="link-button">"Log out"</button>
            </ActionForm>
        </div>
    }
}

/// The attendee's sections: a tab bar at the bottom of a phone screen, links on a wide one.
/// The counts of requests waiting for an answer are fetched in the browser only (the server
/// renders the bar without them) and refresh on every navigation.
#[component]
fn AttendeeTabs() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let inbox = LocalResource::new(move || {
        location.pathname.track();
        crate::pages::session::inbox()
    });
    let count = move |pick: fn(&Inbox) -> i64| {
        move || {
            // The header outlives a page rendered on the server: once it is gone, no count.
            inbox
                .try_get()
                .flatten()
                .and_then(Result::ok)
                .map(|i| pick(&i))
                .filter(|n| *n > 0)
                .map(|n| view! { <span class="badge" aria-label=format!("{n} waiting")>{n}</span> })
        }
    };
    view! {
        <nav class="tabbar" aria-label="Networking">
            <A href="/me" exact=true><TabIcon path=ICON_HOME/>"Home"</A>
            <A href="/me/people"><TabIcon path=ICON_PEOPLE/>"People"</A>
            <A href="/me/connections"><TabIcon path=ICON_CONNECTIONS/>"Contacts" {count(|i| i.connection_requests)}</A>
            <A href="/me/agenda"><TabIcon path=ICON_AGENDA/>"Agenda" {count(|i| i.appointment_requests)}</A>
            <A href="/me/ticket"><TabIcon path=ICON_TICKET/>"Ticket"</A>
        </nav>
    }
}

/// Outline icons of the tab bar, drawn in the page (24 × 24, stroked in the text colour).
const ICON_HOME: &str = "M4 11l8-7 8 7M6 9.5V20h12V9.5M10 20v-5h4v5";
const ICON_PEOPLE: &str = "M16 19v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 4 17.5V19M10 10.5a3 3 0 1 0 0-6 3 3 0 0 0 0 6M20 19v-1.5a3.5 3.5 0 0 0-2.5-3.35M15 4.6a3 3 0 0 1 0 5.8";
const ICON_CONNECTIONS: &str = "M9 15l6-6M10.5 6.5l1.8-1.8a3.8 3.8 0 0 1 5.4 5.4l-1.8 1.8M13.5 17.5l-1.8 1.8a3.8 3.8 0 0 1-5.4-5.4l1.8-1.8";
const ICON_AGENDA: &str = "M5 6h14v14H5zM5 10h14M9 4v4M15 4v4";
const ICON_TICKET: &str = "M4 5h6v6H4zM14 5h6v6h-6zM4 15h6v5H4zM14 15h2M14 18h2v2M18 15h2v5";

#[component]
fn TabIcon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="tab-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// Accept and Decline for a request, inside the request's form: the button pressed sends
/// `status`.
#[component]
pub fn AnswerButtons(
    #[prop(into)] accept_label: String,
    #[prop(into)] decline_label: String,
) -> impl IntoView {
    view! {
        <div class="answer-buttons">
            <button type="submit" name="status" value="accepted" class="button small" aria-label=accept_label>"Accept"</button>
            <button type="submit" name="status" value="rejected" class="button secondary small" aria-label=decline_label>"Decline"</button>
        </div>
    }
}

/// "Unlisted" beside an event its organiser sees, so nobody wonders why it is not on the
/// home page; nothing for public events.
#[component]
pub fn VisibilityTag(visibility: crate::models::EventVisibility) -> impl IntoView {
    (visibility == crate::models::EventVisibility::Unlisted).then(|| {
        view! { <p><span class="tag" title="Only people with the link can find it">"Unlisted"</span></p> }
    })
}

/// Previous / Next through `total` items shown `page_size` at a time from `offset`.
#[component]
pub fn Pager(offset: RwSignal<i64>, page_size: i64, total: i64) -> impl IntoView {
    view! {
        <div class="pager">
            <button type="button" class="button secondary small" disabled=move || { offset.get() == 0 }
                on:click=move |_| offset.update(|o| *o = (*o - page_size).max(0))>"Previous"</button>
            <button type="button" class="button secondary small" disabled=move || { offset.get() + page_size >= total }
                on:click=move |_| offset.update(|o| *o += page_size)>"Next"</button>
        </div>
    }
}

/// The error of whichever of two actions failed last, for a page showing both in one place.
pub fn either_error(
    first: Signal<Option<AppError>>,
    second: Signal<Option<AppError>>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || first.get().or_else(|| second.get()))
}

/// The form-wide error of an action's last result, announced to screen readers.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|error| view! { <ErrorNote error/> })
}

/// An error in place of content that could not be loaded.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    view! { <p class="form-error" role="alert">{error.to_string()}</p> }
}

/// A labelled input with its field error beneath.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: &'static str,
    #[prop(optional, into)] value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    // What was typed before a form posted without the app came back (never a password).
    let value = crate::form_flash::typed(name).unwrap_or(value);
    let problem = move || error.get().and_then(|e| e.field_error(name));
    let described = format!("{id}-note");
    view! {
        <div class="field" class:invalid=move || problem().is_some()>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=described.clone()
            />
            <p class="field-note" id=described>
                {move || problem().unwrap_or_else(|| hint.to_owned())}
            </p>
        </div>
    }
}

/// A form's submit button that says what is happening while the action runs.
#[component]
pub fn Submit(
    label: &'static str,
    busy: &'static str,
    pending: Signal<bool>,
    #[prop(optional)] block: bool,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" class:block=block disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
}

/// The error of an action's latest run, if it failed.
/// Before it has run here, the error of the same form posted without the app
/// (`form_flash`).
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let posted = crate::form_flash::for_function(S::PATH).map(|flash| flash.error);
    Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => posted.clone(),
    })
}

pub fn format_when(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!(
            "{} – {}",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{} – {}",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%a %-d %b %Y, %H:%M")
        )
    }
}

pub fn spots_text(spots_left: Option<i64>, attendee_count: i64) -> String {
    match spots_left {
        None => format!("{attendee_count} going · open registration"),
        Some(0) => format!("{attendee_count} going · full"),
        Some(1) => format!("{attendee_count} going · 1 spot left"),
        Some(n) => format!("{attendee_count} going · {n} spots left"),
    }
}

/// A person's photo, or their initials on a colour picked from their name when they have none.
#[component]
pub fn Avatar(
    #[prop(into)] name: String,
    photo: Option<String>,
    #[prop(default = 48)] size: u32,
) -> impl IntoView {
    let style = format!(
        "width:{size}px;height:{size}px;font-size:{}px",
        size * 2 / 5
    );
    match photo {
        Some(src) => view! {
            <img class="avatar" src=src alt="" width=size height=size style=style loading="lazy"/>
        }
        .into_any(),
        None => view! {
            <span class="avatar initials" style=format!("{style};background:{}", avatar_colour(&name)) aria-hidden="true">
                {initials(&name)}
            </span>
        }
        .into_any(),
    }
}

/// Up to two initials: "Zoë Łukasz" → "ZŁ", "山田" → "山".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A dark colour (white text on it passes WCAG AA), the same for the same name everywhere.
fn avatar_colour(name: &str) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#4338ca", "#0f766e", "#b45309", "#be123c", "#6d28d9", "#1d4ed8", "#15803d", "#9d174d",
    ];
    let hash = name
        .bytes()
        .fold(5381u32, |h, b| h.wrapping_mul(33) ^ u32::from(b));
    PALETTE[hash as usize % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letter_of_two_words() {
        assert_eq!(initials("Zoë Łukasz"), "ZŁ");
        assert_eq!(initials("ada lovelace byron"), "AL");
        assert_eq!(initials("山田"), "山");
        assert_eq!(initials(""), "");
    }
}

/// An upload's progress bar, then "Processing…" while the server works on it, and the
/// problem if it failed.
#[component]
pub fn UploadStatus(
    progress: RwSignal<Option<u32>>,
    problem: RwSignal<Option<String>>,
    label: &'static str,
) -> impl IntoView {
    view! {
        {move || progress.get().map(|percent| view! {
            <div class="progress" role="progressbar" aria-label=label aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent>
                <span style=format!("width:{percent}%")></span>
            </div>
            <p class="muted" aria-live="polite">{if percent < 100 { format!("Uploading… {percent}%") } else { "Processing…".to_owned() }}</p>
        })}
        {move || problem.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
    }
}
