//! My settings: whether other attendees find me and who may ask me for meetings, whom I
//! blocked, which mails I get, and my data (download it, or delete my registration). On my
//! profile page and on `/me/settings`.

use super::network::AttendeeGate;
use crate::components::{action_error, FormError, Submit};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/rpc")]
pub async fn my_notifications() -> Result<crate::models::NotificationSettings, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::notifications::get(&mut conn, &actor, me).await
}

/// A ticked box arrives as `on`; an unticked one not at all.
#[server(prefix = "/rpc")]
pub async fn save_notifications(
    connection_requests: Option<String>,
    meeting_requests: Option<String>,
    meeting_updates: Option<String>,
    reminders: Option<String>,
) -> Result<crate::models::NotificationSettings, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let patch = crate::inputs::NotificationPatch {
        connection_requests: Some(connection_requests.is_some()),
        meeting_requests: Some(meeting_requests.is_some()),
        meeting_updates: Some(meeting_updates.is_some()),
        reminders: Some(reminders.is_some()),
    };
    crate::domain::notifications::put(&mut conn, &actor, me, patch).await
}

#[server(prefix = "/rpc")]
pub async fn my_privacy() -> Result<crate::models::Privacy, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::privacy::get(&mut conn, &actor, me).await
}

/// A ticked box arrives as `on`; an unticked one not at all.
#[server(prefix = "/rpc")]
pub async fn save_privacy(
    meetings_from: String,
    hidden: Option<String>,
) -> Result<crate::models::Privacy, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let meetings_from = crate::models::MeetingsFrom::parse(&meetings_from).ok_or_else(|| {
        AppError::field("meetings_from", "Choose everyone, connections or nobody.")
    })?;
    let patch = crate::models::PrivacyPatch {
        meetings_from: Some(meetings_from),
        hidden: Some(hidden.is_some()),
    };
    crate::domain::privacy::put(&mut conn, &actor, me, patch).await
}

/// Whom I blocked, newest first (at most a page: `blocks::MAX_BLOCKS` is more than anyone
/// scrolls through here).
#[server(prefix = "/rpc")]
pub async fn blocked_people() -> Result<crate::models::Page<crate::models::BlockedPerson>, AppError>
{
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let page = crate::inputs::PageParams {
        limit: Some(crate::inputs::PageParams::MAX_LIMIT),
        offset: None,
    };
    crate::domain::blocks::list(&mut conn, &actor, me, page).await
}

#[server(prefix = "/rpc")]
pub async fn unblock_person(attendee_id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::blocks::unblock(&mut conn, &actor, me, attendee_id).await
}

/// Whether other attendees find me, and who may ask me for a meeting.
#[component]
pub fn PrivacySettings() -> impl IntoView {
    use crate::models::MeetingsFrom;
    let save = ServerAction::<SavePrivacy>::new();
    let settings = Resource::new(|| (), |_| my_privacy());
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="privacy-title">
            <h2 id="privacy-title">"Privacy"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                        Ok(now) => view! {
                        <ActionForm action=save>
                            <FormError error/>
                            <fieldset class="choices">
                                <legend>"Who may ask me for a 1:1 meeting"</legend>
                                {[
                                    (MeetingsFrom::Everyone, "Everyone at the event"),
                                    (MeetingsFrom::Connections, "Only my connections"),
                                    (MeetingsFrom::Nobody, "Nobody"),
                                ].into_iter().map(|(choice, label)| view! {
                                    <label class="check">
                                        <input type="radio" name="meetings_from" value=choice.as_str() checked=now.meetings_from == choice/>
                                        " " {label}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label class="check">
                                <input type="checkbox" name="hidden" checked=now.hidden aria-describedby="hidden-note"/>
                                " Hide me from the people directory"
                            </label>
                            <p class="field-note" id="hidden-note">"Other attendees will not find you in the directory, in search or on the event's page. Your connections still see you; the organiser always does."</p>
                            {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                            <Submit label="Save" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/me/settings`: whether I am in the directory, who may ask me for meetings, which mails
/// I get.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings"/>
        <div class="page-head"><h1>"Settings"</h1></div>
        <PrivacySettings/>
        <BlockedList/>
        <MailSettings/>
        <YourData/>
    }
}

/// The people I blocked, each with a button to unblock them.
#[component]
pub fn BlockedList() -> impl IntoView {
    let unblock = ServerAction::<UnblockPerson>::new();
    let blocked = Resource::new(move || unblock.version().get(), |_| blocked_people());
    let error = action_error(unblock);
    view! {
        <section class="card" aria-labelledby="blocked-title">
            <h2 id="blocked-title">"Blocked people"</h2>
            <FormError error/>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match blocked.await {
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="muted">"You have blocked nobody. To block someone, open their profile in People."</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <p class="muted">"You and they do not find each other, and neither may ask the other anything."</p>
                            <ul class="plain-list" data-testid="blocked-people">
                                {page.items.into_iter().map(|person| view! {
                                    <li class="blocked-row">
                                        <span>{format!("{} {}", person.first_name, person.last_name)}</span>
                                        <ActionForm action=unblock>
                                            <input type="hidden" name="attendee_id" value=person.id/>
                                            <button type="submit" class="button secondary small">
                                                "Unblock" <span class="visually-hidden">{format!(" {}", person.first_name)}</span>
                                            </button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// My data: everything NetEvent holds about me as a file, and deleting my registration with
/// all of it.
#[component]
pub fn YourData() -> impl IntoView {
    use crate::models::Me;
    let session = super::session::SessionActions::get();
    let leave = session.cancel_rsvp;
    let error = action_error(leave);
    view! {
        <section class="card" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(Me::Attendee(me))) => view! {
                            <p class="muted">"Everything we hold about you for this event, in one file: your profile and photo, settings, connections, meetings and the mail we sent you."</p>
                            <a class="button secondary" href=format!("/api/attendees/{}/export", me.id) download="">"Download my data"</a>
                            <details class="leave">
                                <summary>"Delete my registration…"</summary>
                                <p>"Your seat, profile, photo, connections and meetings at this event are deleted for good, and you are logged out. This cannot be undone."</p>
                                <FormError error/>
                                <ActionForm action=leave>
                                    <input type="hidden" name="event_id" value=me.event_id/>
                                    <button type="submit" class="button danger">"Delete my registration and data"</button>
                                </ActionForm>
                            </details>
                        }.into_any(),
                        Ok(_) => view! { <p class="muted">"Log in to see your data."</p> }.into_any(),
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Which mails I get; the ticket and password links always come.
#[component]
pub fn MailSettings() -> impl IntoView {
    let save = ServerAction::<SaveNotifications>::new();
    let settings = Resource::new(|| (), |_| my_notifications());
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="mail-title">
            <h2 id="mail-title">"Mail"</h2>
            <p class="muted">"Your ticket and password links always come. Choose what else we mail you:"</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                        Ok(now) => view! {
                        <ActionForm action=save>
                            <FormError error/>
                            <label class="check"><input type="checkbox" name="connection_requests" checked=now.connection_requests/>" Connection requests and answers"</label>
                            <label class="check"><input type="checkbox" name="meeting_requests" checked=now.meeting_requests/>" Meeting requests"</label>
                            <label class="check"><input type="checkbox" name="meeting_updates" checked=now.meeting_updates/>" Answers to my meeting requests"</label>
                            <label class="check"><input type="checkbox" name="reminders" checked=now.reminders/>" A reminder 15 minutes before each meeting"</label>
                            {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                            <Submit label="Save mail settings" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
