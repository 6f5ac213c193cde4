//! `--format markdown`: a summary for pull-request comments and the GitHub job summary —
//! counts, the rules that fired, then the findings (the first hundred).

use std::collections::BTreeMap;
use std::io::Write;

use super::escape::{markdown_code as code, markdown_text as escape};
use super::plural;
use crate::finding::{Counts, Severity};
use crate::lint::Outcome;

const MAX_ROWS: usize = 100;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let counts = Counts::of(&outcome.findings);
    let verdict = if outcome.findings.is_empty() && outcome.errors.is_empty() {
        "✅"
    } else {
        "❌"
    };
    writeln!(
        out,
        "## {verdict} paved: {}, {}, {} info\n",
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        counts.info
    )?;
    writeln!(out, "{}\n", super::summary(outcome))?;
    if !outcome.findings.is_empty() {
        let mut by_rule: BTreeMap<&str, (Severity, usize, Option<&str>)> = BTreeMap::new();
        for finding in &outcome.findings {
            let title = outcome
                .catalogue
                .get(&finding.rule)
                .and_then(|r| r.title.as_deref());
            let entry = by_rule
                .entry(&finding.rule)
                .or_insert((finding.severity, 0, title));
            entry.0 = entry.0.max(finding.severity);
            entry.1 += 1;
        }
        writeln!(
            out,
            "| Rule | Severity | Findings | What it checks |\n|---|---|---:|---|"
        )?;
        for (rule, (severity, count, title)) in &by_rule {
            writeln!(
                out,
                "| {} | {} | {count} | {} |",
                code(rule, true),
                badge(*severity),
                escape(title.unwrap_or(""))
            )?;
        }
        writeln!(out, "\n<details><summary>Findings</summary>\n")?;
        writeln!(
            out,
            "| Severity | Location | Rule | Message |\n|---|---|---|---|"
        )?;
        for finding in outcome.findings.iter().take(MAX_ROWS) {
            let location = &finding.location;
            let position = location.position_suffix();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                badge(finding.severity),
                code(&format!("{}{position}", location.file), true),
                code(&finding.rule, true),
                escape(&finding.shown_message())
            )?;
        }
        if outcome.findings.len() > MAX_ROWS {
            writeln!(out, "\n…and {} more.", outcome.findings.len() - MAX_ROWS)?;
        }
        writeln!(out, "\n</details>")?;
    }
    if !outcome.errors.is_empty() {
        writeln!(out, "\n### Could not be checked\n")?;
        for error in &outcome.errors {
            writeln!(
                out,
                "- {}: {}",
                code(&error.file, false),
                escape(&error.message)
            )?;
        }
    }
    Ok(())
}

fn badge(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟡 warning",
        Severity::Info => "🔵 info",
    }
}
