//! What a scanner or a person types as a ticket code, and the offline scan's time.
#![no_main]

use app::models::{normalise_ticket, ticket_hash};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let hash = ticket_hash(raw);
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    // QR codes carry tickets upper-case; people type them in either case.
    assert_eq!(hash, ticket_hash(&raw.to_ascii_uppercase()));
    let normal = normalise_ticket(raw);
    assert_eq!(normal, normalise_ticket(&normal));
    // Never panics, whatever the phone sends as `scanned_at`.
    let _ = app::validate::parse_local_datetime(raw);
});
