//! Reports: one renderer per format behind one `match`. Renderers only read findings,
//! run errors and the rule catalogue.

mod atomic;
pub mod catalogue;
mod concise;
pub(crate) mod escape;
mod excerpt;
mod github;
mod gitlab;
mod json;
mod junit;
mod markdown;
mod place;
mod sarif;
mod stdout;
mod text;

use std::io::Write;

pub use atomic::write_atomically;
pub use stdout::{stdout, Stdout};

use crate::lint::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated source snippets with the rule's help (the default).
    Text,
    /// One line per finding: `path:line:col: severity [rule] message`.
    Concise,
    /// Everything, machine-readable.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, ...).
    Sarif,
    /// JUnit XML: one test suite per file, one failure per finding (GitLab, Jenkins).
    Junit,
    /// GitHub Actions workflow commands (annotations), plus a job summary.
    Github,
    /// GitLab Code Quality JSON, shown on merge requests.
    Gitlab,
    /// A markdown summary for pull-request comments.
    Markdown,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// List what was suppressed, by what and why (text and concise).
    pub show_suppressed: bool,
}

pub fn render(
    format: Format,
    outcome: &Outcome,
    style: Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(outcome, style, out),
        Format::Concise => concise::render(outcome, style, out),
        Format::Json => json::render(outcome, out),
        Format::Sarif => sarif::render(outcome, out),
        Format::Junit => junit::render(outcome, out),
        Format::Github => github::render(outcome, out),
        Format::Gitlab => gitlab::render(outcome, out),
        Format::Markdown => markdown::render(outcome, out),
    }
}

/// Pretty JSON and a final newline. serde_json writes in small pieces: through a buffer of
/// a concrete type they are inlined copies, not a virtual call each.
fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// Appends the markdown summary to `$GITHUB_STEP_SUMMARY` when GitHub Actions sets it.
pub fn write_step_summary(outcome: &Outcome) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    markdown::render(outcome, &mut file)
}

/// The suppressed findings, one line each, for the human formats.
fn write_suppressed(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    if outcome.suppressed.is_empty() {
        return Ok(());
    }
    writeln!(out, "Suppressed ({}):", outcome.suppressed.len())?;
    for s in &outcome.suppressed {
        let location = &s.finding.location;
        let position = location.position_suffix();
        let mut why = s.by.to_string();
        if let Some(at) = &s.at {
            why.push_str(&format!(" at {at}"));
        }
        if let Some(owner) = &s.owner {
            why.push_str(&format!(", owner {owner}"));
        }
        if let Some(expires) = &s.expires {
            why.push_str(&format!(", expires {expires}"));
        }
        if let Some(reason) = &s.reason {
            why.push_str(&format!(": {reason}"));
        }
        writeln!(
            out,
            "  {}{position}: [{}] {} — {}",
            escape::line(&location.file),
            escape::line(&s.finding.rule),
            escape::line(&s.finding.message),
            escape::line(&why)
        )?;
    }
    Ok(())
}

/// The closing line of the human formats: what was checked, what was found, how long it took.
/// `1 error`, `2 errors`; `1 repository`, `2 repositories`.
pub fn plural(n: impl std::fmt::Display, word: &str) -> String {
    let n = n.to_string();
    match (n.as_str(), word.strip_suffix('y')) {
        ("1", _) => format!("{n} {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {word}s"),
    }
}

pub fn summary(outcome: &Outcome) -> String {
    let counts = crate::finding::Counts::of(&outcome.findings);
    let mut line = format!(
        "Checked {} and {} in {:.2}s: {}, {}, {} info",
        plural(outcome.files, "file"),
        plural(outcome.documents, "document"),
        outcome.duration.as_secs_f64(),
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        counts.info,
    );
    if !outcome.suppressed.is_empty() {
        line.push_str(&format!("; {} suppressed", outcome.suppressed.len()));
    }
    if !outcome.fixed.is_empty() {
        line.push_str(&format!(
            "; {} fixed since the baseline",
            outcome.fixed.len()
        ));
    }
    if !outcome.skipped.is_empty() {
        let by_class: Vec<String> = outcome
            .skipped
            .iter()
            .map(|(class, count)| format!("{count} {class}"))
            .collect();
        line.push_str(&format!(
            "; {} not checked ({}: --classes includes them)",
            plural(outcome.skipped.values().sum::<usize>(), "input"),
            by_class.join(", ")
        ));
    }
    if outcome.files_only {
        line.push_str(
            "; repository rules not run (files named, not a repository: `paved lint DIR` runs them)",
        );
    }
    if outcome.ignored > 0 {
        line.push_str(&format!(
            "; {} skipped by .gitignore/.ignore",
            plural(outcome.ignored, "path")
        ));
    }
    if !outcome.errors.is_empty() {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(outcome.errors.len(), "problem")
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn counts_are_written_as_english_has_them() {
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(0, "error"), "0 errors");
        assert_eq!(plural(1u64, "repository"), "1 repository");
        assert_eq!(plural(4u64, "repository"), "4 repositories");
    }
}
