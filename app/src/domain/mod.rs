//! Domain modules, one per resource: each owns its queries, rules and errors. Pages (server
//! functions) and REST handlers are thin callers of these.

pub mod accounts;
pub mod appointments;
pub mod attendee_lists;
pub mod attendees;
pub mod authorization;
pub mod badges;
pub mod blocks;
pub mod checkin;
pub mod checkin_lists;
pub mod connections;
pub mod deleted_events;
pub mod directory;
mod door_keeper;
pub mod event_page;
pub mod events;
pub mod interests;
pub mod letters;
pub mod meeting_plan;
pub mod meeting_slots;
pub mod my_data;
pub mod notifications;
pub mod organizers;
pub mod outbox;
pub mod password_reset;
pub mod privacy;
pub mod registrations;
pub mod retention;
mod seating;
pub mod staff;
pub mod stats;
pub mod waitlist;

pub use authorization::{Actor, Caller};

/// Random lowercase hex of `bytes` bytes from the OS generator.
pub(crate) fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
