//! saphyr-parser, patched to read runs of characters at once from a `&str`
//! (vendor/saphyr-parser.patch), against itself reading the same text a character at a time:
//! the same events, spans and errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = paved_fuzz::text(data) else {
        return;
    };
    let (from_str, from_chars) = paved::parse::scanner_events(text);
    assert_eq!(from_str, from_chars);
});
