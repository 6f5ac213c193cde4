//! `--format text`: each finding as an annotated source snippet (miette), with the rule's
//! remediation as help and its documentation link. Files are re-read here, only those with
//! findings, so the run itself never holds file contents.

use std::io::Write;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

use super::escape;
use super::excerpt::Excerpt;
use crate::finding::{Finding, Severity};
use crate::lint::Outcome;
use crate::source::Span;

pub fn render(outcome: &Outcome, style: super::Style, out: &mut dyn Write) -> std::io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_links(style.color);
    let mut current: Option<(String, Option<String>)> = None;
    for finding in &outcome.findings {
        let file = &finding.location.file;
        let spanned = finding.location.span.is_some();
        if spanned && current.as_ref().is_none_or(|(f, _)| f != file) {
            current = Some((file.clone(), snippet_source(file)));
        }
        let text = current
            .as_ref()
            .filter(|(f, _)| spanned && f == file)
            .and_then(|(_, t)| t.as_deref());
        let excerpt = match (text, &finding.location.span, finding.location.start) {
            (Some(text), Some(span), Some(start)) => Some(Excerpt::around(
                escape::line(file).into_owned(),
                text,
                &first_line(text, span),
                start.line,
                start.column,
            )),
            _ => None,
        };
        let diagnostic = diagnostic(finding, outcome, excerpt.as_ref().map(|(_, span)| span));
        let report = match excerpt {
            Some((excerpt, _)) => miette::Report::new(diagnostic).with_source_code(excerpt),
            None => miette::Report::new(diagnostic),
        };
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, report.as_ref())
            .map_err(std::io::Error::other)?;
        writeln!(out, "{rendered}")?;
        if finding.location.span.is_none() {
            writeln!(out, "  at {}\n", escape::line(file))?;
        }
    }
    for error in &outcome.errors {
        writeln!(
            out,
            "error: {}: {}",
            escape::line(&error.file),
            escape::line(&error.message)
        )?;
    }
    if style.show_suppressed {
        super::write_suppressed(outcome, out)?;
    }
    writeln!(out, "{}", super::summary(outcome))
}

/// The text of a file for its snippets, shown safely (see [`escape::snippet`]). Only files
/// with a span in them are read, which the run read before, and read as the run did: a file
/// replaced since by a FIFO, a device or a link out of its repository gets no snippet.
fn snippet_source(file: &str) -> Option<String> {
    let path = std::path::Path::new(file);
    let bytes = crate::read::read(path, &crate::read::boundary_of(path)).ok()?;
    Some(escape::snippet(&String::from_utf8_lossy(&bytes)).into_owned())
}

fn diagnostic(finding: &Finding, outcome: &Outcome, span: Option<&Span>) -> MietteDiagnostic {
    let rule = outcome.catalogue.get(&finding.rule);
    let mut diagnostic = MietteDiagnostic::new(escape::line(&finding.shown_message()))
        .with_code(escape::line(&finding.rule))
        .with_severity(match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
    if let Some(help) = rule.and_then(|r| r.remediation.as_deref()) {
        diagnostic = diagnostic.with_help(escape::line(help));
    }
    if let Some(url) = rule.and_then(|r| r.related.first()) {
        diagnostic = diagnostic.with_url(escape::line(url));
    }
    if let Some(span) = span {
        // Only a missing field needs words under the span; the message says the rest.
        let label = finding
            .label
            .as_deref()
            .map(|l| escape::line(l).into_owned());
        diagnostic = diagnostic.with_label(LabeledSpan::new_with_span(label, span.clone()));
    }
    diagnostic
}

/// A label over many lines buries the snippet; underline the span's first line only.
fn first_line(text: &str, span: &Span) -> Span {
    let start = span.start.min(text.len());
    let line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    start..span.end.min(line_end).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn snippets_come_only_from_regular_files() {
        assert_eq!(snippet_source("/dev/zero"), None);
        let directory = tempfile::tempdir().unwrap();
        let fifo = directory.path().join("fifo.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert_eq!(snippet_source(fifo.to_str().unwrap()), None);
        let file = directory.path().join("a.yaml");
        std::fs::write(&file, "a: 1 # \u{1b}[2J\n").unwrap();
        assert_eq!(
            snippet_source(file.to_str().unwrap()).as_deref(),
            Some("a: 1 # ?[2J\n")
        );
    }
}
