//! My profile: what other attendees see of me, and my photo; below it, my badge and my
//! settings (`settings`).

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
        <super::interests::InterestPicker/>
        <super::my_badge::YourBadge/>
        <super::settings::PrivacySettings/>
        <super::settings::MailSettings/>
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
