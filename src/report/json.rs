//! `--format json`: the full-fidelity report.

use std::io::Write;

use serde_json::json;

use crate::finding::Counts;
use crate::lint::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let report = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": outcome.findings,
        "errors": outcome.errors,
        "summary": {
            "files": outcome.files,
            "documents": outcome.documents,
            "findings": Counts::of(&outcome.findings),
            "duration_ms": outcome.duration.as_millis() as u64,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
