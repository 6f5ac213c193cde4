//! One JSON line per repository, schema version 1 (`docs/audit-line.schema.json`). Lines are
//! written whole and flushed one at a time, so a killed run leaves only complete lines, and
//! `--resume` finds what is done by reading them back.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use super::scorecard::{Next, RuleOutcome, Scorecard};
use super::Source;
use crate::finding::Counts;
use crate::policy::metadata::Level;

pub const SCHEMA: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Line {
    pub schema: u32,
    pub repository: String,
    pub source: Source,
    pub path: String,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub started: String,
    pub duration_ms: u64,
    pub files: usize,
    pub owner: Option<String>,
    pub level: Option<Level>,
    pub next: Option<Next>,
    pub rules: BTreeMap<String, RuleOutcome>,
    pub counts: Counts,
    pub units: Vec<UnitLine>,
    pub findings: Vec<FindingLine>,
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UnitLine {
    pub root: String,
    pub kind: Vec<String>,
    pub owner: Option<String>,
    pub level: Option<Level>,
    pub next: Option<Next>,
    pub rules: BTreeMap<String, RuleOutcome>,
    pub counts: Counts,
}

impl UnitLine {
    pub fn new(unit: super::units::Unit, card: Scorecard) -> UnitLine {
        UnitLine {
            root: unit.root,
            kind: unit.kinds,
            owner: unit.owner,
            level: card.level,
            next: card.next,
            rules: card.rules,
            counts: card.counts,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FindingLine {
    pub rule: String,
    pub severity: crate::finding::Severity,
    /// Relative to the repository's root; `"."` for the repository as a whole.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub fingerprint: String,
    pub unit: String,
}

/// The one writer every worker hands its lines to.
pub struct Writer {
    out: Mutex<Box<dyn Write + Send>>,
}

impl Writer {
    pub fn new(out: Box<dyn Write + Send>) -> Writer {
        Writer {
            out: Mutex::new(out),
        }
    }

    /// Writes the line and its newline in one write, then flushes. A reader that closed
    /// the pipe (`paved audit | head`) only silences the lines, as with `paved lint`.
    pub fn write(&self, line: &Line) -> std::io::Result<()> {
        let mut text = serde_json::to_string(line)?;
        text.push('\n');
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// The repositories an earlier run's output already has a line for. A last line cut short
/// by a kill is removed, so the lines appended after it stay readable.
pub fn done(output: &Path) -> anyhow::Result<HashSet<String>> {
    let mut file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(output)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => anyhow::bail!("{}: cannot read for --resume: {e}", output.display()),
    };
    let mut text = Vec::new();
    file.read_to_end(&mut text)?;
    let complete = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if complete < text.len() {
        file.set_len(complete as u64)?;
        file.seek(SeekFrom::End(0))?;
    }
    let mut done = HashSet::new();
    for (number, line) in text[..complete].split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: not an audit line: {e}",
                output.display(),
                number + 1
            )
        })?;
        match value["repository"].as_str() {
            Some(id) => done.insert(id.to_string()),
            None => anyhow::bail!(
                "{}:{}: an audit line without `repository`",
                output.display(),
                number + 1
            ),
        };
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_reads_complete_lines_and_drops_a_cut_one() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("audit.jsonl");
        std::fs::write(
            &output,
            "{\"repository\":\"a\"}\n{\"repository\":\"b/c\"}\n{\"repository\":\"d",
        )
        .unwrap();
        let done = done(&output).unwrap();
        let mut ids: Vec<&str> = done.iter().map(String::as_str).collect();
        ids.sort();
        assert_eq!(ids, ["a", "b/c"]);
        assert_eq!(
            std::fs::read_to_string(&output).unwrap(),
            "{\"repository\":\"a\"}\n{\"repository\":\"b/c\"}\n"
        );
        assert!(super::done(&dir.path().join("none")).unwrap().is_empty());
        std::fs::write(&output, "not json\n").unwrap();
        let error = super::done(&output).unwrap_err().to_string();
        assert!(
            error.ends_with("audit.jsonl:1: not an audit line: expected ident at line 1 column 2"),
            "{error}"
        );
    }
}
