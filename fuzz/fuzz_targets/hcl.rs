//! The hcl parser: no panic, and its errors point inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{Dialect, Format, Kind};

fuzz_target!(|data: &[u8]| {
    if let Some(text) = paved_fuzz::text(data) {
        paved_fuzz::parse_checked(text, Format::Hcl, Kind::Terraform, Dialect::Yaml12);
    }
});
