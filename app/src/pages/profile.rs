//! My profile: what other attendees see of me, and my photo.

use super::network::AttendeeGate;
use crate::components::{action_error, Avatar, Field, FormError, Submit, UploadStatus};
use crate::error::AppError;
use crate::models::Attendee;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/rpc")]
pub async fn my_profile() -> Result<Attendee, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::attendees::get(&mut conn, &actor, me).await
}

#[server(prefix = "/rpc")]
pub async fn save_profile(
    first_name: String,
    last_name: String,
    organisation: String,
    role: String,
    introduction: String,
) -> Result<Attendee, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let patch = crate::inputs::ProfilePatch {
        first_name: Some(first_name),
        last_name: Some(last_name),
        organisation: Some(Some(organisation)),
        role: Some(Some(role)),
        introduction: Some(Some(introduction)),
    };
    crate::domain::attendees::update_profile(&mut conn, &actor, me, patch).await
}

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

/// Whether other attendees find me, and who may ask me for a meeting.
#[component]
fn MeetingSettings() -> impl IntoView {
    use crate::models::MeetingsFrom;
    let save = ServerAction::<SavePrivacy>::new();
    let settings = Resource::new(|| (), |_| my_privacy());
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="meetings-title">
            <h2 id="meetings-title">"Privacy"</h2>
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

/// `/me/settings`: which mails I get, and who may ask me for meetings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings"/>
        <div class="page-head"><h1>"Settings"</h1></div>
        <MeetingSettings/>
        <MailSettings/>
    }
}

/// Which mails I get; the ticket and password links always come.
#[component]
fn MailSettings() -> impl IntoView {
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

#[component]
pub fn ProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(|| (), |_| my_profile());
    view! {
        <Title text="My profile"/>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your profile…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(me) => view! { <ProfileForm me save/> }.into_any(),
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileForm(me: Attendee, save: ServerAction<SaveProfile>) -> impl IntoView {
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let intro_problem = move || error.get().and_then(|e| e.field_error("introduction"));
    let name = me.full_name();
    view! {
        <div class="page-head"><h1>"My profile"</h1></div>
        <PhotoUpload id=me.id name=name photo=me.profile_picture.clone()/>
        <section class="card" aria-labelledby="about-title">
            <h2 id="about-title">"About you"</h2>
            <p class="muted">"Attendees of your event see this. Your email stays private until you accept a connection."</p>
            <ActionForm action=save>
                <FormError error/>
                <div class="row">
                    <Field label="First name" name="first_name" autocomplete="given-name" required=true value=me.first_name.clone() error/>
                    <Field label="Last name" name="last_name" autocomplete="family-name" required=true value=me.last_name.clone() error/>
                </div>
                <div class="row">
                    <Field label="Organisation" name="organisation" autocomplete="organization" value=me.organisation.clone().unwrap_or_default() error/>
                    <Field label="Role" name="role" autocomplete="organization-title" value=me.role.clone().unwrap_or_default() error/>
                </div>
                <div class="field" class:invalid=move || intro_problem().is_some()>
                    <label for="field-introduction">"Introduction"</label>
                    <textarea id="field-introduction" name="introduction" rows="4" maxlength="2000"
                        placeholder="What you do, and whom you would like to meet"
                        aria-describedby="field-introduction-note">{crate::form_flash::typed("introduction").unwrap_or_else(|| me.introduction.clone().unwrap_or_default())}</textarea>
                    <p class="field-note" id="field-introduction-note">{move || intro_problem().unwrap_or_else(|| "Up to 2,000 characters.".into())}</p>
                </div>
                {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                <Submit label="Save profile" busy="Saving…" pending=Signal::from(save.pending())/>
            </ActionForm>
        </section>
        <super::my_badge::BadgeChoice/>
        <MeetingSettings/>
        <MailSettings/>
    }
}

/// Picks a photo and uploads it to `POST /api/attendees/<id>/photo`, showing the progress.
#[component]
fn PhotoUpload(id: i32, name: String, photo: Option<String>) -> impl IntoView {
    let current = RwSignal::new(photo);
    let progress = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        crate::uploads::send_picked(
            &ev,
            &format!("/api/attendees/{id}/photo"),
            "photo",
            progress,
            problem,
            move |body| current.set(body["profile_picture"].as_str().map(str::to_owned)),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, id);
    };
    // The file input stays focusable (visually hidden); its label is the visible button.
    view! {
        <section class="card photo-upload" aria-labelledby="photo-title">
            <h2 id="photo-title">"Photo"</h2>
            <div class="profile-head">
                {move || view! { <Avatar name=name.clone() photo=current.get() size=96/> }}
                <div class="field">
                    <input id="photo-input" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp"
                        on:change=on_change aria-describedby="photo-note"/>
                    <label for="photo-input" class="button secondary small">"Choose a photo"</label>
                    <p class="field-note" id="photo-note">"JPEG, PNG or WebP, up to 5 MB. We crop it square and remove its location data."</p>
                </div>
            </div>
            <UploadStatus progress problem label="Uploading photo"/>
        </section>
    }
}
