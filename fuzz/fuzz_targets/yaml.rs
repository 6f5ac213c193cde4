//! The YAML parser, in both dialects (YAML 1.2 for `paved lint`, 1.1 for `paved test`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{self, Format, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = paved_fuzz::text(rest) else {
        return;
    };
    let dialect = if first.is_multiple_of(2) {
        parse::Dialect::Yaml12
    } else {
        parse::Dialect::Yaml11
    };
    paved_fuzz::parse_checked(text, Format::Yaml, Kind::Yaml, dialect);
});
