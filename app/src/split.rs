//! The pages an attendee's first visit does not need, in three wasm files of their own
//! (`cargo leptos build --split`): the attendee's pages after the invitation (with the
//! password reset pages, which organisers use too, rarely), the
//! organiser's tools, and the door's scanner and kiosk (with their QR decoder and IndexedDB
//! code). The invite link's page, its login, the home page and what every page shows
//! (header, forms, session) stay in the main file.
//!
//! Three groups rather than a file per page: every split point makes files of the code it
//! shares with each other one, and a page per split point made 124 files for the scanner
//! alone, each a request. A group is fetched when the router first opens one of its pages;
//! a page the server rendered names its group's files in `preload` links, so they come
//! beside the main wasm, and the app hydrates once they are there (asynchronously). On the
//! server (and without `--split`) the pages are ordinary.

use crate::pages;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `split_group!(render, __preload_render, Enum { Route => the page's component, … })`: one
/// lazy function renders the group's pages (its wasm file), one route type per page calls
/// it. `#[lazy]` names the function that fetches the file `__preload_<render>`; the router
/// awaits it before hydrating a page of the group.
macro_rules! split_group {
    ($render:ident, $preload:ident, $which:ident { $($route:ident => $page:path),* $(,)? }) => {
        #[derive(Clone, Copy)]
        pub enum $which {
            $($route),*
        }

        #[leptos::lazy]
        fn $render(which: $which) -> AnyView {
            match which {
                $($which::$route => leptos::component::component_view(
                    &$page,
                    leptos::component::component_props_builder(&$page).build(),
                )
                .into_any()),*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $render($which::$route).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

split_group!(attendee_page, __preload_attendee_page, AttendeePage {
    AttendeeHome => pages::attendee_home::HomeTab,
    Ticket => pages::ticket::TicketPage,
    Profile => pages::profile::ProfilePage,
    Settings => pages::settings::SettingsPage,
    People => pages::people::PeoplePage,
    Person => pages::people::PersonPage,
    Connections => pages::requests::ConnectionsPage,
    Agenda => pages::agenda::AgendaPage,
    ForgotPassword => pages::password::ForgotPasswordPage,
    ResetPassword => pages::password::ResetPasswordPage,
});

split_group!(organizer_page, __preload_organizer_page, OrganizerPage {
    OrganizerRegister => pages::organizer::RegisterPage,
    OrganizerLogin => pages::organizer::LoginPage,
    Dashboard => pages::organizer::DashboardPage,
    NewEvent => pages::manage::NewEventPage,
    Workspace => pages::workspace::Workspace,
    Overview => pages::workspace::Overview,
    Attendees => pages::attendee_table::AttendeesSection,
    Checkin => pages::stats::CheckinSection,
    Badges => pages::workspace::BadgesSection,
    Staff => pages::workspace::StaffSection,
    EventSettings => pages::manage::SettingsSection,
});

split_group!(door_page, __preload_door_page, DoorPage {
    Scan => pages::scan::ScanPage,
    Kiosk => pages::scan::kiosk::KioskPage,
    StaffLink => pages::staff::StaffLinkPage,
});
