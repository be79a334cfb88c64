//! Event time zones. An event's times are wall-clock times in its IANA zone (API.md), so
//! "now" for anything about an event is the event's now, never the server's clock: a server
//! in UTC (or Auckland) running a Berlin event must stamp check-ins and decide "past" in
//! Berlin time.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::LazyLock;

/// The zone of new events when none is given: `NETEVENT_DEFAULT_TIMEZONE`, else UTC.
static DEFAULT: LazyLock<Tz> = LazyLock::new(|| {
    std::env::var("NETEVENT_DEFAULT_TIMEZONE")
        .ok()
        .and_then(|name| parse(&name).ok())
        .unwrap_or(Tz::UTC)
});

pub fn default_zone() -> Tz {
    *DEFAULT
}

/// Checks `NETEVENT_DEFAULT_TIMEZONE` at start-up, so a typo stops the server instead of
/// silently giving every new event UTC.
pub fn check_default_setting() -> Result<(), String> {
    match std::env::var("NETEVENT_DEFAULT_TIMEZONE") {
        Ok(name) if !name.trim().is_empty() => parse(&name)
            .map(|_| ())
            .map_err(|problem| format!("NETEVENT_DEFAULT_TIMEZONE: {problem}")),
        _ => Ok(()),
    }
}

/// An IANA zone name such as `Europe/Berlin` (exact spelling, or any case).
pub fn parse(raw: &str) -> Result<Tz, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Time zone is required.".into());
    }
    raw.parse::<Tz>()
        .or_else(|_| Tz::from_str_insensitive(raw))
        .map_err(|_| format!("{raw:?} is not a time zone; use a name like Europe/Berlin."))
}

/// The zone an event row names; a row written before zones existed reads as the default.
pub fn of_event(name: &str) -> Tz {
    parse(name).unwrap_or_else(|_| default_zone())
}

/// The wall-clock time in `zone` right now.
pub fn now_in(zone: Tz) -> NaiveDateTime {
    Utc::now().with_timezone(&zone).naive_local()
}

/// The instant of a wall-clock time in `zone`. A time that happens twice (the hour the
/// clocks go back) is its first occurrence; one that never happens (the hour they go
/// forward) is read as the same clock reading before the jump, i.e. an hour later in effect.
pub fn to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Offsets around a gap: the offset before the jump applies to the skipped time.
            let before = zone.offset_from_utc_datetime(&(local - chrono::Duration::hours(3)));
            use chrono::Offset;
            let offset = before.fix();
            DateTime::<Utc>::from_naive_utc_and_offset(
                local - chrono::Duration::seconds(i64::from(offset.local_minus_utc())),
                Utc,
            )
        }
    }
}

/// The wall-clock time in `zone` of an instant.
pub fn from_utc(at: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

/// The zone's abbreviation at that wall-clock time ("CEST", "PST"; "+0530" where the zone
/// has none), for showing next to a time.
pub fn abbreviation(local: NaiveDateTime, zone: Tz) -> String {
    to_utc(local, zone)
        .with_timezone(&zone)
        .format("%Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn names_parse_and_typos_do_not() {
        assert_eq!(parse("Europe/Berlin").unwrap(), Tz::Europe__Berlin);
        assert_eq!(parse("europe/berlin").unwrap(), Tz::Europe__Berlin);
        assert!(parse("Europe/Berln").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn wall_clock_times_become_the_right_instants_across_dst() {
        let berlin = Tz::Europe__Berlin;
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            to_utc(at(2030, 1, 10, 9, 0), berlin).naive_utc(),
            at(2030, 1, 10, 8, 0)
        );
        assert_eq!(
            to_utc(at(2030, 7, 10, 9, 0), berlin).naive_utc(),
            at(2030, 7, 10, 7, 0)
        );
        // 2030-03-31 02:30 does not exist in Berlin: read as 03:30 CEST = 01:30 UTC.
        assert_eq!(
            to_utc(at(2030, 3, 31, 2, 30), berlin).naive_utc(),
            at(2030, 3, 31, 1, 30)
        );
        // 2030-10-27 02:30 happens twice: the first (CEST) is 00:30 UTC.
        assert_eq!(
            to_utc(at(2030, 10, 27, 2, 30), berlin).naive_utc(),
            at(2030, 10, 27, 0, 30)
        );
        assert_eq!(
            from_utc(to_utc(at(2030, 7, 10, 9, 0), berlin), berlin),
            at(2030, 7, 10, 9, 0)
        );
        assert_eq!(abbreviation(at(2030, 7, 10, 9, 0), berlin), "CEST");
        assert_eq!(
            abbreviation(at(2030, 1, 10, 9, 0), Tz::America__Los_Angeles),
            "PST"
        );
    }
}
