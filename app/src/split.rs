//! The pages an attendee's first visit does not need, each in its own wasm file
//! (`cargo leptos build --split`): the organiser's tools, the door's scanner and kiosk (with
//! their QR decoder and IndexedDB code) and the attendee's own pages after the invitation.
//! The invite link's page, its login, the home page and what every page shows (header,
//! forms, session) stay in the main file. A split page is fetched when the router opens it;
//! a page the server rendered names its file in a `modulepreload` link, so the browser
//! fetches it beside the main wasm and hydration waits for neither in turn. On the server
//! (and without `--split`) the pages are ordinary.

use crate::pages;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// One route type per page: `Name => the page's component`.
macro_rules! split_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                leptos::component::component_view(
                    &$page,
                    leptos::component::component_props_builder(&$page).build(),
                )
                .into_any()
            }
        }
    )*};
}

split_pages! {
    OrganizerRegister => pages::organizer::RegisterPage,
    OrganizerLogin => pages::organizer::LoginPage,
    ForgotPassword => pages::password::ForgotPasswordPage,
    ResetPassword => pages::password::ResetPasswordPage,
    Dashboard => pages::organizer::DashboardPage,
    NewEvent => pages::manage::NewEventPage,
    Scan => pages::scan::ScanPage,
    Kiosk => pages::scan::kiosk::KioskPage,
    Workspace => pages::workspace::Workspace,
    Overview => pages::workspace::Overview,
    Attendees => pages::attendee_table::AttendeesSection,
    Checkin => pages::stats::CheckinSection,
    Badges => pages::workspace::BadgesSection,
    Staff => pages::workspace::StaffSection,
    EventSettings => pages::manage::SettingsSection,
    StaffLink => pages::staff::StaffLinkPage,
    AttendeeHome => pages::attendee_home::HomeTab,
    Ticket => pages::ticket::TicketPage,
    Profile => pages::profile::ProfilePage,
    Settings => pages::settings::SettingsPage,
    People => pages::people::PeoplePage,
    Person => pages::people::PersonPage,
    Connections => pages::requests::ConnectionsPage,
    Agenda => pages::agenda::AgendaPage,
}
