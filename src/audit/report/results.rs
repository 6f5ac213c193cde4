//! The read side of `paved audit`'s JSON lines (schema 1): one [`Line`] per repository.
//! Shards are written by other machines and may be cut short or edited by hand, so a line
//! that does not read is reported with its file and line number and the others still count.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The line format this reader understands.
pub const SCHEMA: u32 = 1;

pub use crate::audit::Source;
pub use crate::policy::metadata::Level;

/// The name shown for an optional level: a repository below bronze has `none`.
pub fn level_name(level: Option<Level>) -> &'static str {
    level.map_or("none", Level::as_str)
}

/// The level a repository or unit reaches next, and the rules standing in the way.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Next {
    pub level: Level,
    #[serde(default)]
    pub blocking: Vec<String>,
}

/// One rule's result in one repository or unit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct RuleResult {
    #[serde(default)]
    pub level: Option<Level>,
    pub severity: String,
    pub findings: u64,
    pub pass: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Counts {
    pub error: u64,
    pub warning: u64,
    pub info: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.error + self.warning + self.info
    }

    pub fn add(&mut self, other: &Counts) {
        self.error += other.error;
        self.warning += other.warning;
        self.info += other.info;
    }
}

/// A service unit of a monorepo.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Unit {
    pub root: String,
    #[serde(default)]
    pub kind: Vec<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub next: Option<Next>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleResult>,
    #[serde(default)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub file: String,
    /// None for a finding about a whole file or unit.
    #[serde(default)]
    pub line: Option<u64>,
    #[serde(default)]
    pub column: Option<u64>,
    pub message: String,
    pub fingerprint: String,
    #[serde(default = "whole_repository")]
    pub unit: String,
}

fn whole_repository() -> String {
    ".".into()
}

/// One repository's audit. A line with `error` set could not be audited and may lack the
/// rest, hence the defaults.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Line {
    pub schema: u32,
    pub repository: String,
    pub source: Source,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default)]
    pub branch: Option<String>,
    pub started: String,
    #[serde(default)]
    pub duration_ms: u64,
    #[serde(default)]
    pub files: u64,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub next: Option<Next>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleResult>,
    #[serde(default)]
    pub counts: Counts,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub error: Option<String>,
}

impl Line {
    /// When the audit of this repository started, for ordering; `None` when the text is
    /// not an RFC 3339 time (such a line is refused on reading).
    pub fn started_at(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        chrono::DateTime::parse_from_rfc3339(&self.started).ok()
    }
}

/// A line that could not be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The lines of one results file read so far, and the ones that did not read.
#[derive(Debug, Default)]
pub struct Read {
    pub lines: Vec<Line>,
    pub problems: Vec<Problem>,
}

/// Reads one results file line by line (it may be far larger than memory would like as a
/// whole string). Blank lines are skipped; a file that cannot be opened is an error.
pub fn read_file(path: &Path, into: &mut Read) -> std::io::Result<()> {
    let file = std::fs::File::open(path)?;
    read_lines(
        &path.display().to_string(),
        std::io::BufReader::new(file),
        into,
    )
}

/// Reads JSON lines from `reader`, naming them `name` in problems.
pub fn read_lines(name: &str, reader: impl BufRead, into: &mut Read) -> std::io::Result<()> {
    for (index, text) in reader.split(b'\n').enumerate() {
        let text = text?;
        let problem = |message: String| Problem {
            file: name.to_string(),
            line: index + 1,
            message,
        };
        let Ok(text) = std::str::from_utf8(&text) else {
            into.problems.push(problem("not UTF-8".into()));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_line(text) {
            Ok(line) => into.lines.push(line),
            Err(message) => into.problems.push(problem(message)),
        }
    }
    Ok(())
}

fn parse_line(text: &str) -> Result<Line, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(schema) if schema == u64::from(SCHEMA) => {}
        Some(other) => {
            return Err(format!(
                "schema {other}, but this paved reads schema {SCHEMA}"
            ))
        }
        None => return Err("not an audit result line: no `schema`".into()),
    }
    let line: Line =
        serde_json::from_value(value).map_err(|e| format!("not an audit result line: {e}"))?;
    if line.started_at().is_none() {
        return Err(format!(
            "`started` is not an RFC 3339 time: {:?}",
            line.started
        ));
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_with_their_place_and_the_rest_are_read() {
        let text = concat!(
            r#"{"schema":1,"repository":"a","source":"path","started":"2026-11-27T16:00:00Z","error":"clone failed: timeout"}"#,
            "\n\n{not json\n",
            r#"{"schema":2,"repository":"b"}"#,
            "\n",
            r#"{"schema":1,"repository":"c","source":"path","started":"yesterday"}"#,
            "\n",
            r#"{"schema":1,"repository":"d","source":"ftp","started":"2026-11-27T16:00:00Z"}"#,
            "\n"
        );
        let mut read = Read::default();
        read_lines("shard.jsonl", text.as_bytes(), &mut read).unwrap();
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].repository, "a");
        assert_eq!(
            read.lines[0].error.as_deref(),
            Some("clone failed: timeout")
        );
        let shown: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 4);
        assert!(
            shown[0].starts_with("shard.jsonl:3: not JSON: "),
            "{}",
            shown[0]
        );
        assert_eq!(
            shown[1],
            "shard.jsonl:4: schema 2, but this paved reads schema 1"
        );
        assert_eq!(
            shown[2],
            "shard.jsonl:5: `started` is not an RFC 3339 time: \"yesterday\""
        );
        assert!(
            shown[3].starts_with("shard.jsonl:6: not an audit result line: unknown variant `ftp`"),
            "{}",
            shown[3]
        );
    }

    #[test]
    fn levels_order_as_they_accumulate() {
        assert!(Level::Bronze < Level::Silver && Level::Silver < Level::Gold);
        assert!(None < Some(Level::Bronze));
        assert_eq!(Level::parse("silver"), Some(Level::Silver));
        assert_eq!(level_name(None), "none");
    }
}
