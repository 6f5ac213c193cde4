//! `--format concise`: one line per finding, for editors and grep.

use std::io::Write;

use super::escape::line;
use crate::lint::Outcome;

pub fn render(outcome: &Outcome, style: super::Style, out: &mut dyn Write) -> std::io::Result<()> {
    for finding in &outcome.findings {
        let location = &finding.location;
        let position = location.position_suffix();
        writeln!(
            out,
            "{}{position}: {} [{}] {}",
            line(&location.file),
            finding.severity,
            line(&finding.rule),
            line(&finding.shown_message())
        )?;
    }
    for error in &outcome.errors {
        writeln!(
            out,
            "{}: error [paved] {}",
            line(&error.file),
            line(&error.message)
        )?;
    }
    if style.show_suppressed {
        super::write_suppressed(outcome, out)?;
    }
    writeln!(out, "{}", super::summary(outcome))
}
