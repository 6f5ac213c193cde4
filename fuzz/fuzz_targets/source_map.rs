//! The source map of every span-mapped format (the first byte picks it): every span inside
//! the text on character boundaries, and a node for every path into the value (an ancestor
//! for a Dockerfile instruction's fields).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::parse::{Dialect, Format, Kind};

const FORMATS: [(Format, Kind); 6] = [
    (Format::Yaml, Kind::Yaml),
    (Format::Json, Kind::Json),
    (Format::Hcl, Kind::Terraform),
    (Format::Dockerfile, Kind::Dockerfile),
    (Format::Toml, Kind::Toml),
    (Format::Yaml, Kind::GithubActions),
];

fuzz_target!(|data: &[u8]| {
    let Some((first, text)) = paved_fuzz::chosen_text(data) else {
        return;
    };
    let (format, kind) = FORMATS[usize::from(first) % FORMATS.len()];
    let parsed = paved_fuzz::parse_checked(text, format, kind, Dialect::Yaml12);
    paved_fuzz::map_fits_value(text, &parsed, format != Format::Dockerfile);
});
