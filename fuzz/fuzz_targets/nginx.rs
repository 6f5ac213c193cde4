//! The conftest nginx parser (`paved test`): no panic, and its errors point inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::nginx;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = paved_fuzz::text(data) {
        paved_fuzz::errors_inside(text, &nginx::parse(text));
    }
});
