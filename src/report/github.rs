//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations
//! on the changed lines of a pull request.

use std::io::Write;

use super::escape::{workflow_data as data, workflow_property as property};
use super::{place, plural};
use crate::finding::{Counts, Severity};
use crate::lint::Outcome;

/// Annotations of one kind (error, warning, notice) GitHub shows a step; it drops the rest
/// without a word, and at most 50 a job.
const SHOWN_PER_KIND: usize = 10;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let counts = Counts::of(&outcome.findings);
    let errors = counts.error + outcome.errors.len();
    // Said first, as a notice, so that it is one of those shown.
    if errors > SHOWN_PER_KIND || counts.warning > SHOWN_PER_KIND || counts.info >= SHOWN_PER_KIND {
        writeln!(
            out,
            "::notice title=paved::{}",
            data(&format!(
                "{}, {} and {}: GitHub shows {SHOWN_PER_KIND} annotations of each kind a step, \
                 so some are not shown here. Every finding is in this step's log, and counted \
                 by rule in the job summary.",
                plural(errors, "error"),
                plural(counts.warning, "warning"),
                plural(counts.info, "notice")
            ))
        )?;
    }
    for finding in &outcome.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let location = &finding.location;
        let mut properties = vec![format!("file={}", property(&place::relative(location)))];
        if let (Some(start), Some(end)) = (location.start, location.end) {
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", end.line));
            if start.line == end.line {
                properties.push(format!("endColumn={}", end.column));
            }
        }
        properties.push(format!("title={}", property(&finding.rule)));
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(&finding.shown_message())
        )?;
    }
    for error in &outcome.errors {
        writeln!(
            out,
            "::error file={},title=paved::{}",
            property(&place::relative(&place::of_error(error))),
            data(&error.message)
        )?;
    }
    Ok(())
}
