//! The organiser's event forms: create, and in the workspace's Settings edit and delete;
//! the invite link card of its Overview.

use crate::components::{action_error, ErrorNote, Field, FormError, Submit};
use crate::error::AppError;
use crate::models::{Event, EventVisibility};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
fn capacity(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        AppError::field(
            "max_attendees",
            "Capacity must be a whole number, or empty for unlimited.",
        )
    })
}

/// The form's "Check-in opens": minutes before the start, or `any` for any time; absent, the
/// default (new events) or unchanged.
#[cfg(feature = "ssr")]
fn doors(raw: Option<String>) -> Result<Option<Option<i64>>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("any") => Ok(Some(None)),
        Some(minutes) => minutes.parse().map(|m| Some(Some(m))).map_err(|_| {
            AppError::field(
                "checkin_opens_minutes_before",
                "Choose when check-in opens.",
            )
        }),
    }
}

#[server(prefix = "/rpc")]
pub async fn create_event(
    name: String,
    description: String,
    start_time: String,
    end_time: String,
    location: String,
    max_attendees: String,
    timezone: String,
    visibility: String,
    checkin_opens: Option<String>,
) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::EventInput {
        name,
        description: Some(description),
        start_time,
        end_time,
        location: Some(location),
        max_attendees: capacity(&max_attendees)?,
        // Empty: the browser did not say (no script yet); the server's default zone.
        timezone: Some(timezone).filter(|zone| !zone.trim().is_empty()),
        visibility: Some(visibility),
        checkin_opens_minutes_before: doors(checkin_opens)?,
    };
    let event = crate::domain::events::create(&mut conn, &actor, input).await?;
    leptos_axum::redirect(&format!("/dashboard/events/{}", event.id));
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn update_event(
    id: i32,
    name: String,
    description: String,
    start_time: String,
    end_time: String,
    location: String,
    max_attendees: String,
    timezone: String,
    visibility: String,
    checkin_opens: Option<String>,
) -> Result<Event, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let patch = crate::inputs::EventPatch {
        name: Some(name),
        description: Some(Some(description)),
        start_time: Some(start_time),
        end_time: Some(end_time),
        location: Some(Some(location)),
        max_attendees: Some(capacity(&max_attendees)?),
        timezone: Some(timezone).filter(|zone| !zone.trim().is_empty()),
        visibility: Some(visibility),
        checkin_opens_minutes_before: doors(checkin_opens)?,
    };
    crate::domain::events::update(&mut conn, &actor, id, patch).await
}

#[server(prefix = "/rpc")]
pub async fn delete_event(id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::deleted_events::delete(&mut conn, &actor, id).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn owned_event(id: i32) -> Result<Event, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::events::get_owned(&mut conn, &actor, id).await
}

#[component]
pub fn NewEventPage() -> impl IntoView {
    let action = ServerAction::<CreateEvent>::new();
    let error = action_error(action);
    view! {
        <Title text="New event"/>
        <section class="card narrow wide">
            <h1>"New event"</h1>
            <ActionForm action>
                <FormError error/>
                <EventFields event=None error/>
                <Submit label="Create event" busy="Creating…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
        </section>
    }
}

/// The inputs of an event form, filled from `event` when editing.
#[component]
fn EventFields(event: Option<Event>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&Event) -> String| event.as_ref().map(f).unwrap_or_default();
    let description = crate::form_flash::typed("description")
        .unwrap_or_else(|| value(|e| e.description.clone().unwrap_or_default()));
    let description_problem = move || error.get().and_then(|e| e.field_error("description"));
    view! {
        <Field label="Name" name="name" required=true value=value(|e| e.name.clone()) error/>
        <div class="row">
            <Field label="Starts" name="start_time" kind="datetime-local" required=true value=value(|e| e.start_time.format("%Y-%m-%dT%H:%M").to_string()) error/>
            <Field label="Ends" name="end_time" kind="datetime-local" required=true value=value(|e| e.end_time.format("%Y-%m-%dT%H:%M").to_string()) error/>
        </div>
        <TimeZoneField value=value(|e| e.timezone.clone()) error/>
        <Field label="Location" name="location" value=value(|e| e.location.clone().unwrap_or_default()) error/>
        <VisibilityField value=event.as_ref().map(|e| e.visibility).unwrap_or_default() error/>
        <DoorsField value=event.as_ref().map_or(Some(crate::models::DOORS_OPEN_MINUTES_BEFORE), |e| e.checkin_opens_minutes_before) error/>
        <Field label="Capacity" name="max_attendees" kind="number" hint="Leave empty for unlimited." value=value(|e| e.max_attendees.map(|m| m.to_string()).unwrap_or_default()) error/>
        <div class="field" class:invalid=move || description_problem().is_some()>
            <label for="field-description">"Description"</label>
            <textarea id="field-description" name="description" rows="5">{description}</textarea>
            <p class="field-note">{move || description_problem().unwrap_or_default()}</p>
        </div>
    }
}

/// When the door takes entries: scans before then or after the end answer amber at the
/// door, and only a supervisor or the organiser checks in anyway.
#[component]
fn DoorsField(value: Option<i32>, error: Signal<Option<AppError>>) -> impl IntoView {
    let chosen = crate::form_flash::typed("checkin_opens")
        .unwrap_or_else(|| value.map_or_else(|| "any".to_owned(), |minutes| minutes.to_string()));
    let mut options: Vec<(String, String)> = [
        (30, "30 minutes before the start"),
        (60, "1 hour before the start"),
        (120, "2 hours before the start"),
        (240, "4 hours before the start"),
        (1440, "The day before"),
    ]
    .into_iter()
    .map(|(m, label)| (m.to_string(), label.to_owned()))
    .collect();
    if let Some(other) = value.filter(|m| !options.iter().any(|(v, _)| *v == m.to_string())) {
        options.push((
            other.to_string(),
            format!("{other} minutes before the start"),
        ));
    }
    options.push(("any".into(), "Any time (no check-in hours)".into()));
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field_error("checkin_opens_minutes_before"))
    };
    view! {
        <div class="field" class:invalid=move || problem().is_some()>
            <label for="field-checkin_opens">"Check-in opens"</label>
            <select id="field-checkin_opens" name="checkin_opens" aria-describedby="field-checkin_opens-note">
                {options.into_iter().map(|(v, label)| {
                    let selected = v == chosen;
                    view! { <option value=v selected=selected>{label}</option> }
                }).collect_view()}
            </select>
            <p class="field-note" id="field-checkin_opens-note">
                {move || problem().unwrap_or_else(|| "Until the event ends. Scans outside these hours need a supervisor.".to_owned())}
            </p>
        </div>
    }
}

/// Who finds the event: listed on the home page, or reached only by its link.
#[component]
fn VisibilityField(value: EventVisibility, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = crate::form_flash::typed("visibility")
        .and_then(|typed| EventVisibility::parse(&typed))
        .unwrap_or(value);
    let problem = move || error.get().and_then(|e| e.field_error("visibility"));
    let choice = move |option: EventVisibility, label: &'static str, note: &'static str| {
        let id = format!("field-visibility-{}", option.as_str());
        let note_id = format!("{id}-note");
        view! {
            <div class="choice">
                <input type="radio" name="visibility" id=id.clone() value=option.as_str()
                    checked=value == option aria-describedby=note_id.clone()/>
                <label for=id>{label}</label>
                <p class="field-note" id=note_id>{note}</p>
            </div>
        }
    };
    view! {
        <fieldset class="choices" class:invalid=move || problem().is_some()>
            <legend>"Who can find it"</legend>
            {choice(EventVisibility::Public, "Public", "Listed on NetEvent's home page and in search.")}
            {choice(EventVisibility::Unlisted, "Unlisted", "Only people with the link can see it and register.")}
            <p class="field-note" role="alert">{move || problem().unwrap_or_default()}</p>
        </fieldset>
    }
}

/// The event's IANA zone. A new event starts in the browser's own zone once the page's
/// script runs (empty before: the server's default); the browser's list of zones is offered
/// as suggestions, and the server checks the name.
#[component]
fn TimeZoneField(value: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let zones = NodeRef::<leptos::html::Datalist>::new();
    let value = crate::form_flash::typed("timezone").unwrap_or(value);
    let problem = move || error.get().and_then(|e| e.field_error("timezone"));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let (Some(input), Some(zones)) = (input.get(), zones.get()) else {
            return;
        };
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok();
        let names = intl
            .as_ref()
            .and_then(|intl| js_sys::Reflect::get(intl, &"supportedValuesOf".into()).ok())
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(intl.as_ref().unwrap(), &"timeZone".into()).ok())
            .map(|list| js_sys::Array::from(&list));
        if let Some(names) = names {
            for name in names.iter().filter_map(|n| n.as_string()) {
                if let Ok(option) = document().create_element("option") {
                    let _ = option.set_attribute("value", &name);
                    let _ = zones.append_child(&option);
                }
            }
        }
        if input.value().is_empty() {
            let own =
                js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                    .resolved_options();
            if let Some(zone) = js_sys::Reflect::get(&own, &"timeZone".into())
                .ok()
                .and_then(|z| z.as_string())
            {
                input.set_value(&zone);
            }
        }
    });
    view! {
        <div class="field" class:invalid=move || problem().is_some()>
            <label for="field-timezone">"Time zone"</label>
            <input id="field-timezone" name="timezone" type="text" list="timezones" node_ref=input
                value=value autocomplete="off" spellcheck="false" placeholder="Europe/Berlin"
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby="field-timezone-note"/>
            <datalist id="timezones" node_ref=zones></datalist>
            <p class="field-note" id="field-timezone-note">
                {move || problem().unwrap_or_else(|| "Every time of the event is in this zone.".to_owned())}
            </p>
        </div>
    }
}

/// Settings: the event's details, its interests, waitlist and data retention, and deleting
/// it. Read afresh when opened, so the delete question counts everyone registered by now.
/// The cards that load their own data sit beside the event's Suspense, not inside it.
#[component]
pub fn SettingsSection() -> impl IntoView {
    let workspace = super::workspace::workspace_event();
    let event = Resource::new(move || workspace.id.get(), owned_event);
    view! {
        <Title text="Settings"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading event…"</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <Settings event saved=workspace.saved/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
        {move || {
            let id = workspace.id.get();
            view! {
                <super::interests::InterestsEditor event_id=id/>
                <super::waitlist::WaitlistSettings event_id=id/>
                <super::meetings::MeetingPlanSettings event_id=id/>
                <super::retention::RetentionSettings event_id=id/>
            }
        }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                event.await.ok().map(|event| view! { <DeleteEvent event/> })
            })}
        </Suspense>
    }
}

#[component]
fn Settings(event: Event, saved: RwSignal<Option<Event>>) -> impl IntoView {
    let update = ServerAction::<UpdateEvent>::new();
    let error = action_error(update);
    // The header follows what was saved; the form keeps what was typed.
    Effect::new(move |_| {
        if let Some(Ok(event)) = update.value().get() {
            saved.set(Some(event));
        }
    });
    let done = move || matches!(update.value().get(), Some(Ok(_)));
    let id = event.id;
    let fields = event.clone();
    view! {
        <section class="card" aria-labelledby="edit-title">
            <h2 id="edit-title">"Edit event"</h2>
            <ActionForm action=update>
                <FormError error/>
                <input type="hidden" name="id" value=id/>
                <EventFields event=Some(fields) error/>
                {move || done().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                <Submit label="Save changes" busy="Saving…" pending=Signal::from(update.pending())/>
            </ActionForm>
        </section>
        <super::event_cover::CoverUpload event saved/>
    }
}

/// The invite link with a copy button, a QR code for slides and posters, and the calendar entry.
#[component]
pub fn InviteLink(link: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let path = link.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let full = format!(
                "{}{}",
                window().location().origin().unwrap_or_default(),
                path
            );
            let _ = window().navigator().clipboard().write_text(&full);
            copied.set(true);
        }
        // Clicks only happen in the browser; the server renders the button.
        #[cfg(not(feature = "hydrate"))]
        let _ = (&path, copied);
    };
    view! {
        <section class="card invite">
            <div>
                <h2>"Invite link"</h2>
                <p class="muted">"Attendees RSVP through this link. Put the QR code on slides and posters."</p>
                <p><a href=link.clone() data-testid="deep-link">{link.clone()}</a></p>
                <div class="hero-actions">
                    <button type="button" class="button small" on:click=copy>
                        {move || if copied.get() { "Copied ✓" } else { "Copy link" }}
                    </button>
                    <a class="button secondary small" href=format!("{link}/qr.svg") download="invite-qr.svg">"Download QR"</a>
                    <a class="button secondary small" href=format!("{link}/event.ics")>"Add to calendar"</a>
                </div>
            </div>
            <img class="qr" src=format!("{link}/qr.svg") alt="QR code of the invite link" width="160" height="160"/>
        </section>
    }
}

#[component]
fn DeleteEvent(event: Event) -> impl IntoView {
    let delete = ServerAction::<DeleteEvent>::new();
    let error = action_error(delete);
    let confirming = RwSignal::new(false);
    let question = match event.attendee_count {
        0 => format!("Delete “{}”?", event.name),
        1 => format!("Delete “{}” and its 1 attendee?", event.name),
        n => format!("Delete “{}” and its {n} attendees?", event.name),
    };
    let keep_days = crate::models::DELETED_EVENTS_KEPT_DAYS;
    let consequences = if event.attendee_count == 0 {
        format!("You can restore it from your dashboard for {keep_days} days.")
    } else {
        format!(
            "Its attendees are told by mail that it is cancelled, unless you restore it within \
             {} minutes. You can restore it from your dashboard for {keep_days} days.",
            crate::models::CANCELLATION_MAIL_DELAY_MINUTES
        )
    };
    view! {
        <section class="card danger-zone">
            <h2>"Delete event"</h2>
            <FormError error/>
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>"Delete this event…"</button>
            }>
                <p role="alert" class="confirm-text">{question.clone()}</p>
                <p class="muted">{consequences.clone()}</p>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=event.id/>
                    <div class="hero-actions">
                        <button type="submit" class="button danger">"Yes, delete it"</button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </div>
                </ActionForm>
            </Show>
        </section>
    }
}
