//! `paved test`'s direct YAML reader (regorus values built from the events) against the
//! `serde_json` documents of `parse::parse` converted: wherever the direct reader answers,
//! the text has no error and the values are the same (the first byte picks the dialect and
//! whether a repeated key replaces the first).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{self, Format, Kind, Options};

fuzz_target!(|data: &[u8]| {
    let Some((first, text)) = paved_fuzz::chosen_text(data) else {
        return;
    };
    let options = Options {
        dialect: paved_fuzz::dialect(first),
        source_map: false,
        last_duplicate_wins: first & 2 != 0,
    };
    let Some(direct) = parse::regorus_documents(text, options) else {
        return;
    };
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, options);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let converted: Vec<_> = parsed
        .documents
        .iter()
        .map(|d| parse::to_regorus(&d.value))
        .collect();
    assert_eq!(direct, converted);
});
