//! `--format gitlab`: the Code Quality report GitLab shows on merge requests
//! (a JSON array of issues with a unique fingerprint each).

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use crate::finding::Severity;
use crate::lint::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = outcome
        .findings
        .iter()
        .map(|finding| {
            // GitLab drops issues whose fingerprints repeat; number identical ones.
            let count = seen.entry(finding.fingerprint.as_str()).or_insert(0);
            let fingerprint = if *count == 0 {
                finding.fingerprint.clone()
            } else {
                format!("{}-{count}", finding.fingerprint)
            };
            *count += 1;
            let severity = match finding.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let line = finding.location.start.map_or(1, |p| p.line);
            json!({
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {"path": finding.location.file, "lines": {"begin": line}},
            })
        })
        .collect();
    super::write_json(out, &issues)
}
