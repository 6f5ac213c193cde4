//! Reports: one renderer per format behind one `match`. Renderers only read findings,
//! run errors and the rule catalogue.

mod concise;
mod json;
mod text;

use std::io::Write;

use crate::lint::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated source snippets with the rule's help (the default).
    Text,
    /// One line per finding: `path:line:col: severity [rule] message`.
    Concise,
    /// Everything, machine-readable.
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

pub fn render(
    format: Format,
    outcome: &Outcome,
    style: Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(outcome, style, out),
        Format::Concise => concise::render(outcome, out),
        Format::Json => json::render(outcome, out),
    }
}

/// The closing line of the human formats: what was checked, what was found, how long it took.
pub fn summary(outcome: &Outcome) -> String {
    let counts = crate::finding::Counts::of(&outcome.findings);
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "Checked {} and {} in {:.2}s: {}, {}, {} info",
        plural(outcome.files, "file"),
        plural(outcome.documents, "document"),
        outcome.duration.as_secs_f64(),
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        counts.info,
    );
    if !outcome.errors.is_empty() {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(outcome.errors.len(), "problem")
        ));
    }
    line
}
