//! `--format gitlab`: the Code Quality report GitLab shows on merge requests
//! (a JSON array of issues with a unique fingerprint each). A run error is an issue too
//! (`paved/run-error`, critical): a merge request must not look clean when a file or a rule
//! could not be checked.

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use super::place;

use crate::finding::{self, Finding, Severity};
use crate::lint::{Outcome, RunError};

/// The `check_name` of a file or rule paved could not check.
const RUN_ERROR: &str = "paved/run-error";

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let run_errors: Vec<Finding> = outcome.errors.iter().map(as_finding).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = outcome
        .findings
        .iter()
        .map(|finding| (finding, severity(finding.severity)))
        .chain(run_errors.iter().map(|error| (error, "critical")))
        .map(|(finding, severity)| {
            // GitLab drops issues whose fingerprints repeat; number identical ones.
            let count = seen.entry(finding.fingerprint.as_str()).or_insert(0);
            let fingerprint = if *count == 0 {
                finding.fingerprint.clone()
            } else {
                format!("{}-{count}", finding.fingerprint)
            };
            *count += 1;
            let line = finding.location.start.map_or(1, |p| p.line);
            json!({
                "description": finding.shown_message(),
                "check_name": finding.rule,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {"path": place::relative(&finding.location), "lines": {"begin": line}},
            })
        })
        .collect();
    super::write_json(out, &issues)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// A run error as an issue on its file's first line, with a fingerprint that stays while
/// the error does.
fn as_finding(error: &RunError) -> Finding {
    let mut issue = Finding::own(
        RUN_ERROR,
        Severity::Error,
        error.message.clone(),
        place::of_error(error),
    );
    issue.fingerprint = finding::fingerprint(&issue, None);
    issue
}
