//! The inline-ignore scanner (`# paved:ignore rule -- reason`) over a YAML file with a
//! finding on every line: no panic, and no finding lost: each one is either still reported
//! or recorded as suppressed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::config::Suppressions;
use paved::finding::{Finding, Location, Severity};
use paved::parse::{self, Format, Kind};
use paved::source::SourceFile;

const RULE: &str = "fuzz/rule";

fuzz_target!(|data: &[u8]| {
    let Some(text) = paved_fuzz::text(data) else {
        return;
    };
    let source = SourceFile::new(text);
    let documents = parse::parse(text, Format::Yaml, Kind::Yaml, Default::default()).documents;
    let mut findings: Vec<Finding> = (1..=source.line_count())
        .map(|line| {
            let location = Location::at("f.yaml", &source, source.line_span(line));
            Finding::own(RULE, Severity::Error, "on every line".into(), location)
        })
        .collect();
    let before = findings.len();
    let mut suppressed = Vec::new();
    let settings = Suppressions {
        allow_inline: true,
        require_reason: data.len().is_multiple_of(2),
        forbid_inline: Vec::new(),
    };
    let in_file = paved::suppress::InlineFile {
        name: "f.yaml",
        source: &source,
        format: Format::Yaml,
        documents: &documents,
    };
    paved::suppress::apply_inline(&in_file, &mut findings, &mut suppressed, &settings, &|_| {
        paved::suppress::RuleId::Runs
    });
    let kept = findings.iter().filter(|f| f.rule == RULE).count();
    let hidden = suppressed.iter().filter(|s| s.finding.rule == RULE).count();
    assert_eq!(kept + hidden, before, "a finding was lost");
});
