//! A cell of the attendee CSV export: a spreadsheet must never run it as a formula, and the
//! file must read back to exactly what was written.
#![no_main]

use app::domain::attendee_lists::spreadsheet_safe;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|cell: &str| {
    let safe = spreadsheet_safe(cell);
    assert!(!matches!(
        safe.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    ));
    assert!(safe.ends_with(cell), "only a prefix is ever added");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([safe.as_str(), "next"]).unwrap();
    let bytes = writer.into_inner().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[0], safe);
    assert_eq!(&record[1], "next");
});
