//! `--format json`: the full-fidelity report, serialised straight from the findings.

use std::io::Write;

use serde::Serialize;

use crate::finding::{Counts, Finding};
use crate::lint::{Outcome, RunError};

#[derive(Serialize)]
struct Report<'a> {
    version: &'static str,
    findings: &'a [Finding],
    errors: &'a [RunError],
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Summary<'a> {
    files: usize,
    documents: usize,
    /// Paths `.gitignore`/`.ignore` kept out of the walk.
    ignored: usize,
    /// Inputs file rules did not run on, by class.
    skipped: &'a std::collections::BTreeMap<crate::class::Class, usize>,
    findings: Counts,
    duration_ms: u64,
}

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let report = Report {
        version: env!("CARGO_PKG_VERSION"),
        findings: &outcome.findings,
        errors: &outcome.errors,
        summary: Summary {
            files: outcome.files,
            documents: outcome.documents,
            ignored: outcome.ignored,
            skipped: &outcome.skipped,
            findings: Counts::of(&outcome.findings),
            duration_ms: outcome.duration.as_millis() as u64,
        },
    };
    super::write_json(out, &report)
}
