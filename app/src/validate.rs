//! Validated input types: once constructed they are known good ("parse, don't validate").

use crate::error::{AppError, FieldErrors};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A trimmed, lower-cased email address of plausible shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Email is required.".into());
        }
        if email.len() > 255 {
            return Err("Email must be at most 255 characters.".into());
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Email must look like name@example.com.".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || email.chars().any(|c| c.is_whitespace() || is_hidden(c))
            || domain.contains('@')
        {
            return Err("Email must look like name@example.com.".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy. Never displayed or serialised.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(format!(
                "Password must be at least {} characters.",
                Self::MIN_CHARS
            ));
        }
        // Hashing cost grows with length; refuse absurd inputs instead of burning CPU.
        if raw.len() > Self::MAX_BYTES {
            return Err("Password is too long.".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The 10-character public code of an event, used in deep links `/e/<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventCode(String);

impl EventCode {
    pub const LEN: usize = 10;
    /// Easy to read aloud: no 0/O, 1/I/l.
    pub const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() != Self::LEN || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err("An event code is 10 letters and digits.".into());
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Event-local date and time as API.md writes it: `2026-05-04T09:30:00` (seconds optional).
pub fn parse_local_datetime(raw: &str) -> Result<NaiveDateTime, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("A date and time is required.".into());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(value) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(value);
        }
    }
    Err("Use the form 2026-05-04T09:30:00.".into())
}

/// A character nobody sees: a control character (CR, LF, TAB, NUL …) or an invisible format
/// character (zero-width space, bidirectional overrides, BOM, soft hyphen …). Such
/// characters let two names look alike, reorder what a badge or mail shows, or start a new
/// header or calendar line. The zero-width joiner and non-joiner stay allowed: Persian,
/// Indic scripts and emoji need them inside ordinary names.
pub fn is_hidden(c: char) -> bool {
    if c.is_control() {
        return true;
    }
    #[cfg(feature = "ssr")]
    {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        c.general_category() == GeneralCategory::Format && c != '\u{200C}' && c != '\u{200D}'
    }
    #[cfg(not(feature = "ssr"))]
    false
}

/// A list of names (an event's interests, its tables): each a required line of at most
/// `max_chars`, no name twice (letter case aside), at most `max_count` of them. The problem
/// is a sentence for the field.
pub fn name_list(
    raw: &[String],
    max_count: usize,
    max_chars: usize,
    each: &str,
    too_many: &str,
) -> Result<Vec<String>, String> {
    if raw.len() > max_count {
        return Err(too_many.to_owned());
    }
    let mut names: Vec<String> = Vec::with_capacity(raw.len());
    for raw in raw {
        let name = required_text(raw, max_chars, each)?;
        if names
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            return Err(format!("\"{name}\" is there twice."));
        }
        names.push(name);
    }
    Ok(names)
}

/// A required single-line text of at most `max` characters, trimmed.
pub fn required_text(raw: &str, max: usize, label: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("{label} is required."));
    }
    optional_text(value, max, label).map(|v| v.unwrap_or_default())
}

/// An optional single-line text (a name, organisation, place): blank becomes `None`;
/// longer than `max` characters, or with a hidden character (`is_hidden`: a line break,
/// a tab, a bidi override …), is an error.
pub fn optional_text(raw: &str, max: usize, label: &str) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value.chars().count() > max {
        return Err(format!("{label} must be at most {max} characters."));
    }
    if value.chars().any(is_hidden) {
        return Err(format!(
            "{label} must be one line of visible text (no line breaks, tabs or invisible characters)."
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// An optional text of several lines (a description, an introduction, notes): line breaks
/// are kept as LF (a CR is dropped), tabs are kept; any other hidden character is an error.
pub fn optional_paragraphs(raw: &str, max: usize, label: &str) -> Result<Option<String>, String> {
    let value: String = raw.trim().chars().filter(|c| *c != '\r').collect();
    if value.chars().count() > max {
        return Err(format!("{label} must be at most {max} characters."));
    }
    if value
        .chars()
        .any(|c| c != '\n' && c != '\t' && is_hidden(c))
    {
        return Err(format!("{label} contains characters that are not allowed."));
    }
    Ok((!value.is_empty()).then_some(value))
}

/// Collects field problems so a form reports all of them at once.
#[derive(Default)]
pub struct Checker {
    fields: FieldErrors,
}

impl Checker {
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.fields.entry(field.to_owned()).or_insert(problem);
                None
            }
        }
    }

    pub fn fail(&mut self, field: &str, problem: impl Into<String>) {
        self.fields
            .entry(field.to_owned())
            .or_insert(problem.into());
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::invalid(self.fields))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "a@b@c.com",
            "ada@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_needs_eight_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(
            Password::parse("ñññññññ").is_err(),
            "counts characters, not bytes"
        );
        assert_eq!(
            format!("{:?}", Password::parse("secret-password").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn event_code_is_ten_alphanumerics() {
        assert_eq!(
            EventCode::parse("abcdef2345").unwrap().as_str(),
            "ABCDEF2345"
        );
        assert!(EventCode::parse("ABCDEF234").is_err());
        assert!(EventCode::parse("ABCDEF234-").is_err());
    }

    #[test]
    fn datetimes_accept_seconds_or_minutes() {
        assert_eq!(
            parse_local_datetime("2026-05-04T09:30:00")
                .unwrap()
                .to_string(),
            "2026-05-04 09:30:00"
        );
        assert_eq!(
            parse_local_datetime("2026-05-04T09:30")
                .unwrap()
                .to_string(),
            "2026-05-04 09:30:00"
        );
        assert!(parse_local_datetime("04/05/2026").is_err());
        assert!(parse_local_datetime("2026-02-30T09:30").is_err());
    }

    #[test]
    fn single_lines_refuse_hidden_characters_and_paragraphs_keep_lines() {
        assert_eq!(required_text(" Ada ", 10, "Name").unwrap(), "Ada");
        for hidden in [
            "Ada\nLovelace",
            "Ada\rX",
            "Ada\tX",
            "A\u{202E}da",
            "A\u{200B}da",
            "\u{FEFF}Ada",
            "A\u{0}da",
        ] {
            assert!(optional_text(hidden, 100, "Name").is_err(), "{hidden:?}");
        }
        // Joiners belong to ordinary names (Persian) and emoji.
        assert!(optional_text("می\u{200C}خواهم", 100, "Name").is_ok());
        assert!(optional_text("👩\u{200D}💻 Ada", 100, "Name").is_ok());
        assert_eq!(
            optional_paragraphs("one\r\ntwo\tthree\n", 100, "Notes")
                .unwrap()
                .as_deref(),
            Some("one\ntwo\tthree")
        );
        assert!(optional_paragraphs("one\u{202E}two", 100, "Notes").is_err());
        assert!(Email::parse("ada\u{200B}@example.com").is_err());
    }

    #[test]
    fn checker_reports_every_field() {
        let mut checker = Checker::default();
        checker.check("email", Email::parse("nope"));
        checker.check("password", Password::parse("short"));
        let error = checker.finish().unwrap_err();
        assert_eq!(error.status(), 400);
        assert_eq!(error.fields().unwrap().len(), 2);
    }
}
