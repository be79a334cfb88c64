//! Who is logged in, and the login/logout actions whose completion refreshes it.

use crate::error::AppError;
use crate::models::Me;
use leptos::prelude::*;

#[server(prefix = "/rpc")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let auth = super::server::auth_session().await?;
    if auth.user.is_none() {
        return Ok(None);
    }
    crate::domain::accounts::me(&auth).await.map(Some)
}

#[server(prefix = "/rpc")]
pub async fn logout() -> Result<(), AppError> {
    let mut auth = super::server::auth_session().await?;
    crate::domain::accounts::logout(&mut auth).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn login_organizer(email: String, password: String) -> Result<(), AppError> {
    use crate::domain::accounts::{login, Role};
    let mut auth = super::server::auth_session().await?;
    let input = crate::inputs::LoginInput {
        email,
        password,
        ..Default::default()
    };
    login(&mut auth, Role::Organizer, input).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn register_organizer(
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let mut auth = super::server::auth_session().await?;
    let input = crate::inputs::OrganizerRegistration {
        email,
        password,
        name,
    };
    crate::domain::accounts::register_organizer(&mut auth, input).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn login_attendee(
    event_code: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::domain::accounts::{login, Role};
    let mut auth = super::server::auth_session().await?;
    let input = crate::inputs::LoginInput {
        email,
        password,
        event_code: Some(event_code.clone()),
        event_id: None,
    };
    login(&mut auth, Role::Attendee, input).await?;
    leptos_axum::redirect(&format!("/e/{}", event_code.trim().to_ascii_uppercase()));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/rpc")]
pub async fn register_attendee(
    event_code: String,
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    organisation: Option<String>,
    role: Option<String>,
) -> Result<(), AppError> {
    let mut auth = super::server::auth_session().await?;
    let input = crate::inputs::AttendeeRegistration {
        event_id: None,
        event_code: Some(event_code.clone()),
        email,
        password,
        first_name,
        last_name,
        organisation,
        role,
        introduction: None,
    };
    crate::domain::accounts::register_attendee(&mut auth, input).await?;
    leptos_axum::redirect(&format!("/e/{}", event_code.trim().to_ascii_uppercase()));
    Ok(())
}

/// One-click RSVP to another event with the profile of the attendee logged in.
#[server(prefix = "/rpc")]
pub async fn rsvp_with_profile(event_id: i32) -> Result<(), AppError> {
    let mut auth = super::server::auth_session().await?;
    crate::domain::accounts::rsvp(&mut auth, event_id).await?;
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn cancel_rsvp(event_id: i32) -> Result<(), AppError> {
    let mut auth = super::server::auth_session().await?;
    let photos = leptos::prelude::use_context::<crate::Photos>().ok_or(AppError::Internal)?;
    crate::domain::accounts::cancel_rsvp(&mut auth, photos.0.as_ref(), event_id).await?;
    Ok(())
}

/// What waits for the attendee's answer; nothing for anyone else.
#[server(prefix = "/rpc")]
pub async fn inbox() -> Result<crate::models::Inbox, AppError> {
    let caller = crate::domain::Caller::current().await?;
    if caller.actor.attendee().is_err() {
        return Ok(Default::default());
    }
    let (actor, mut conn) = caller.open().await?;
    crate::domain::accounts::inbox(&mut conn, &actor).await
}

/// The session's actions, shared through context so any page can log in or out and the
/// header follows.
#[derive(Clone, Copy)]
pub struct SessionActions {
    pub login_organizer: ServerAction<LoginOrganizer>,
    pub register_organizer: ServerAction<RegisterOrganizer>,
    pub login_attendee: ServerAction<LoginAttendee>,
    pub register_attendee: ServerAction<RegisterAttendee>,
    pub logout: ServerAction<Logout>,
    pub rsvp: ServerAction<RsvpWithProfile>,
    pub cancel_rsvp: ServerAction<CancelRsvp>,
    /// Setting a new password from a reset link also logs the person in.
    pub reset_password: ServerAction<super::password::ResetPassword>,
    pub user: Resource<Result<Option<Me>, AppError>>,
}

impl SessionActions {
    pub fn provide() -> Self {
        let login_organizer = ServerAction::<LoginOrganizer>::new();
        let register_organizer = ServerAction::<RegisterOrganizer>::new();
        let login_attendee = ServerAction::<LoginAttendee>::new();
        let register_attendee = ServerAction::<RegisterAttendee>::new();
        let logout = ServerAction::<Logout>::new();
        let rsvp = ServerAction::<RsvpWithProfile>::new();
        let cancel_rsvp = ServerAction::<CancelRsvp>::new();
        let reset_password = ServerAction::<super::password::ResetPassword>::new();
        // Logged out: this browser keeps nothing of the person (pages cached by the service
        // worker, the door's offline list).
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            if let Some(Ok(())) = logout.value().get() {
                leptos::task::spawn_local(crate::door_store::forget_this_browser());
            }
        });
        let user = Resource::new(
            move || {
                (
                    login_organizer.version().get(),
                    register_organizer.version().get(),
                    login_attendee.version().get(),
                    register_attendee.version().get(),
                    logout.version().get(),
                    rsvp.version().get(),
                    cancel_rsvp.version().get(),
                    reset_password.version().get(),
                )
            },
            |_| current_user(),
        );
        let actions = Self {
            login_organizer,
            register_organizer,
            login_attendee,
            register_attendee,
            logout,
            rsvp,
            cancel_rsvp,
            reset_password,
            user,
        };
        provide_context(actions);
        actions
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }
}
