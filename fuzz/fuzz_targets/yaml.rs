//! The YAML parser, in both dialects (YAML 1.2 for `paved lint`, 1.1 for `paved test`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{Format, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((first, text)) = paved_fuzz::chosen_text(data) else {
        return;
    };
    paved_fuzz::parse_checked(text, Format::Yaml, Kind::Yaml, paved_fuzz::dialect(first));
});
