//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations
//! on the changed lines of a pull request.

use std::io::Write;

use super::escape::{workflow_data as data, workflow_property as property};
use super::place;
use crate::finding::Severity;
use crate::lint::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
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
