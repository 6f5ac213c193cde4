//! `paved test`'s direct YAML reader (regorus values built from the events) against the
//! `serde_json` documents of `parse::parse` converted: wherever the direct reader answers,
//! the text has no error and the values are the same (the first byte picks the dialect and
//! whether a repeated key replaces the first). Read with a projection (keys the fuzzer's
//! YAML tends to use; bits 2 and 3 pick one), the reader gives that projection of the same
//! values, and refuses exactly the texts it refuses whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{self, Format, Kind, Options, Projection};

fuzz_target!(|data: &[u8]| {
    let Some((first, text)) = paved_fuzz::chosen_text(data) else {
        return;
    };
    let options = Options {
        dialect: paved_fuzz::dialect(first),
        source_map: false,
        last_duplicate_wins: first & 2 != 0,
    };
    let projection = projection(first >> 2);
    let projected = parse::regorus_documents(text, options, Some(&projection));
    let Some(direct) = parse::regorus_documents(text, options, None) else {
        assert_eq!(projected, None);
        return;
    };
    let expected: Vec<_> = direct.iter().map(|d| projection.document(d)).collect();
    assert_eq!(projected, Some(expected));
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, options);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let converted: Vec<_> = parsed
        .documents
        .iter()
        .map(|d| parse::to_regorus(&d.value))
        .collect();
    assert_eq!(direct, converted);
});

fn projection(choice: u8) -> Projection {
    let paths: &[&[&str]] = match choice % 4 {
        0 => &[&["a"], &["b", "c"]],
        1 => &[
            &["kind"],
            &["metadata", "name"],
            &["spec", "template", "spec"],
        ],
        2 => &[&["a", "a", "a"], &["1"], &["true"], &["null"]],
        _ => &[],
    };
    let mut projection = Projection::default();
    for path in paths {
        projection.read(&path.iter().map(|k| k.to_string()).collect::<Vec<_>>());
    }
    projection
}
