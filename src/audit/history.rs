//! The audit history: a SQLite file (`--history paved-history.db`) that records every
//! merged run, so a report can say what changed since the previous run (findings new,
//! fixed, still failing, by fingerprint) and how levels and rule pass rates moved over
//! time. A run is keyed by when it started and a hash of its content: recording the same
//! results twice keeps one run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::report::results::{Level, Line};
use crate::audit::report::summary::{HistorySummary, LevelCounts, Summary};

/// The layout of the file; a file with a newer one is refused rather than misread.
const VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,            -- UTC, RFC 3339 with milliseconds: sorts as text
    hash TEXT NOT NULL,
    UNIQUE (started, hash)
);
CREATE TABLE IF NOT EXISTS repositories (
    run INTEGER NOT NULL REFERENCES runs (id),
    repository TEXT NOT NULL,
    owner TEXT,
    level TEXT,                       -- NULL: below bronze, or not audited
    error TEXT,
    PRIMARY KEY (run, repository)
);
CREATE TABLE IF NOT EXISTS rules (
    run INTEGER NOT NULL REFERENCES runs (id),
    repository TEXT NOT NULL,
    rule TEXT NOT NULL,
    pass INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    PRIMARY KEY (run, repository, rule)
);
CREATE TABLE IF NOT EXISTS findings (
    run INTEGER NOT NULL REFERENCES runs (id),
    repository TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL,
    PRIMARY KEY (run, repository, fingerprint)
);
";

/// A run in the history file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: i64,
    pub started: String,
}

/// A finding as the history remembers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub rule: String,
    pub file: String,
    /// None for a finding about a whole file or unit.
    pub line: Option<u64>,
    pub message: String,
    pub fingerprint: String,
}

/// One repository's findings against the previous run's, by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub new: Vec<Change>,
    pub fixed: Vec<Change>,
    /// Fingerprints failing in both runs.
    pub still_failing: Vec<String>,
}

/// One rule's pass count in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RulePass {
    pub passing: u64,
    pub repositories: u64,
}

/// One recorded run, as the trend shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub started: String,
    /// Repositories audited (not those that failed).
    pub audited: u64,
    pub levels: LevelCounts,
    pub rules: BTreeMap<String, RulePass>,
}

pub struct History {
    connection: Connection,
}

impl History {
    /// Opens (or creates) the history file.
    pub fn open(path: &Path) -> anyhow::Result<History> {
        let connection = Connection::open(path)?;
        let version: i64 = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > VERSION {
            anyhow::bail!("history layout {version} is newer than this paved reads ({VERSION})");
        }
        connection.execute_batch(SCHEMA)?;
        connection.pragma_update(None, "user_version", VERSION)?;
        Ok(History { connection })
    }

    /// Records the merged `lines` (sorted by repository) as one run, unless a run with the
    /// same start and content is there already; returns the run either way.
    pub fn record(&mut self, lines: &[Line]) -> anyhow::Result<Run> {
        let started = run_started(lines);
        let hash = content_hash(lines)?;
        let transaction = self.connection.transaction()?;
        let existing: Option<i64> = transaction
            .query_row(
                "SELECT id FROM runs WHERE started = ?1 AND hash = ?2",
                params![started, hash],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(Run { id, started });
        }
        transaction.execute(
            "INSERT INTO runs (started, hash) VALUES (?1, ?2)",
            params![started, hash],
        )?;
        let id = transaction.last_insert_rowid();
        {
            let mut repository = transaction.prepare(
                "INSERT INTO repositories (run, repository, owner, level, error)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut rule = transaction.prepare(
                "INSERT INTO rules (run, repository, rule, pass, findings)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            // One fingerprint is one finding; a repeat adds nothing to the diff.
            let mut finding = transaction.prepare(
                "INSERT OR IGNORE INTO findings (run, repository, fingerprint, rule, file, line, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for line in lines {
                repository.execute(params![
                    id,
                    line.repository,
                    line.owner,
                    line.level.map(Level::as_str),
                    line.error
                ])?;
                for (name, result) in &line.rules {
                    rule.execute(params![
                        id,
                        line.repository,
                        name,
                        result.pass,
                        sql_count(result.findings)
                    ])?;
                }
                for f in &line.findings {
                    finding.execute(params![
                        id,
                        line.repository,
                        f.fingerprint,
                        f.rule,
                        f.file,
                        f.line.map(sql_count),
                        f.message
                    ])?;
                }
            }
        }
        transaction.commit()?;
        Ok(Run { id, started })
    }

    /// Every run, oldest first (by start, then by when it was recorded).
    pub fn runs(&self) -> anyhow::Result<Vec<Run>> {
        let mut statement = self
            .connection
            .prepare("SELECT id, started FROM runs ORDER BY started, id")?;
        let runs = statement.query_map([], |r| {
            Ok(Run {
                id: r.get(0)?,
                started: r.get(1)?,
            })
        })?;
        Ok(runs.collect::<Result<_, _>>()?)
    }

    /// The run recorded before `run` in time order.
    pub fn previous(&self, run: &Run) -> anyhow::Result<Option<Run>> {
        let runs = self.runs()?;
        let at = runs.iter().position(|r| r.id == run.id);
        Ok(at.and_then(|i| i.checked_sub(1)).map(|i| runs[i].clone()))
    }

    /// Per repository audited in both runs: what `current` found that `previous` did not,
    /// what it no longer finds, and what both found.
    pub fn diff(&self, previous: &Run, current: &Run) -> anyhow::Result<BTreeMap<String, Changes>> {
        let audited = |run: &Run| -> anyhow::Result<BTreeSet<String>> {
            let mut statement = self
                .connection
                .prepare("SELECT repository FROM repositories WHERE run = ?1 AND error IS NULL")?;
            let names = statement.query_map([run.id], |r| r.get(0))?;
            Ok(names.collect::<Result<_, _>>()?)
        };
        let both: BTreeSet<String> = audited(previous)?
            .intersection(&audited(current)?)
            .cloned()
            .collect();
        let before = self.findings(previous)?;
        let after = self.findings(current)?;
        let mut diff = BTreeMap::new();
        for repository in both {
            let empty = BTreeMap::new();
            let before = before.get(&repository).unwrap_or(&empty);
            let after = after.get(&repository).unwrap_or(&empty);
            let changes = Changes {
                new: only_in(after, before),
                fixed: only_in(before, after),
                still_failing: after
                    .keys()
                    .filter(|k| before.contains_key(*k))
                    .cloned()
                    .collect(),
            };
            diff.insert(repository, changes);
        }
        Ok(diff)
    }

    /// Findings of a run: repository → fingerprint → finding.
    fn findings(&self, run: &Run) -> anyhow::Result<BTreeMap<String, BTreeMap<String, Change>>> {
        let mut statement = self.connection.prepare(
            "SELECT repository, fingerprint, rule, file, line, message FROM findings WHERE run = ?1",
        )?;
        let rows = statement.query_map([run.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Change {
                    fingerprint: r.get(1)?,
                    rule: r.get(2)?,
                    file: r.get(3)?,
                    line: r.get::<_, Option<i64>>(4)?.map(i64::unsigned_abs),
                    message: r.get(5)?,
                },
            ))
        })?;
        let mut findings: BTreeMap<String, BTreeMap<String, Change>> = BTreeMap::new();
        for row in rows {
            let (repository, change) = row?;
            findings
                .entry(repository)
                .or_default()
                .insert(change.fingerprint.clone(), change);
        }
        Ok(findings)
    }

    /// Levels and rule pass rates of every run up to and including `upto`, oldest first.
    pub fn trend(&self, upto: &Run) -> anyhow::Result<Vec<TrendPoint>> {
        let runs = self.runs()?;
        let end = runs
            .iter()
            .position(|r| r.id == upto.id)
            .map_or(0, |i| i + 1);
        let mut levels = self.connection.prepare(
            "SELECT level, count(*) FROM repositories WHERE run = ?1 AND error IS NULL GROUP BY level",
        )?;
        let mut rules = self
            .connection
            .prepare("SELECT rule, sum(pass), count(*) FROM rules WHERE run = ?1 GROUP BY rule")?;
        let mut trend = Vec::new();
        for run in &runs[..end] {
            let mut point = TrendPoint {
                started: run.started.clone(),
                audited: 0,
                levels: LevelCounts::default(),
                rules: BTreeMap::new(),
            };
            let counted = levels.query_map([run.id], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, i64>(1)?.unsigned_abs(),
                ))
            })?;
            for row in counted {
                let (level, count) = row?;
                let level = level.as_deref().and_then(Level::parse);
                for _ in 0..count {
                    point.levels.add(level);
                }
                point.audited += count;
            }
            let passes = rules.query_map([run.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?.unsigned_abs(),
                    r.get::<_, i64>(2)?.unsigned_abs(),
                ))
            })?;
            for row in passes {
                let (rule, passing, repositories) = row?;
                point.rules.insert(
                    rule,
                    RulePass {
                        passing,
                        repositories,
                    },
                );
            }
            trend.push(point);
        }
        Ok(trend)
    }
}

/// Records the merged `lines` and gives `summary` what the history knows: each
/// repository's changes since the previous run and the trend up to this one.
pub fn record_and_compare(
    history: &mut History,
    lines: &[Line],
    summary: &mut Summary,
) -> anyhow::Result<()> {
    let run = history.record(lines)?;
    let previous = history.previous(&run)?;
    if let Some(previous) = &previous {
        let mut diff = history.diff(previous, &run)?;
        for row in &mut summary.results {
            row.changes = diff.remove(&row.repository);
        }
    }
    summary.history = Some(HistorySummary {
        previous: previous.map(|r| r.started),
        trend: history.trend(&run)?,
    });
    Ok(())
}

fn only_in(these: &BTreeMap<String, Change>, those: &BTreeMap<String, Change>) -> Vec<Change> {
    let mut changes: Vec<Change> = these
        .iter()
        .filter(|(k, _)| !those.contains_key(*k))
        .map(|(_, c)| c.clone())
        .collect();
    changes.sort();
    changes
}

/// SQLite integers are signed; no count or line number comes near the limit.
fn sql_count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// When a run started: its earliest audit, in UTC so runs sort as text.
fn run_started(lines: &[Line]) -> String {
    lines
        .iter()
        .filter_map(Line::started_at)
        .min()
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .unwrap_or_default()
}

fn content_hash(lines: &[Line]) -> anyhow::Result<String> {
    let bytes = serde_json::to_vec(lines).context("hashing the results")?;
    Ok(format!("{:x}", Sha256::digest(bytes)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::report::summary::tests::fixture;
    use crate::audit::report::summary::tests::fixture_lines as lines;

    /// The summary of the last of the fixtures `names`, recorded in order in a new history.
    pub(crate) fn recorded(names: &[&str]) -> Summary {
        let directory = tempfile::tempdir().unwrap();
        let mut history = History::open(&directory.path().join("h.db")).unwrap();
        let mut last = None;
        for name in names {
            let mut summary = fixture(name);
            record_and_compare(&mut history, &lines(name), &mut summary).unwrap();
            last = Some(summary);
        }
        last.expect("at least one fixture")
    }

    fn fingerprints(changes: &[Change]) -> Vec<&str> {
        changes.iter().map(|c| c.fingerprint.as_str()).collect()
    }

    #[test]
    fn two_recorded_runs_diff_into_new_fixed_and_still_failing() {
        let directory = tempfile::tempdir().unwrap();
        let mut history = History::open(&directory.path().join("h.db")).unwrap();
        let first = history.record(&lines("small.jsonl")).unwrap();
        let second = history.record(&lines("small-next.jsonl")).unwrap();
        assert_eq!(first.started, "2026-11-27T16:00:00.000Z");
        assert_eq!(history.previous(&second).unwrap(), Some(first.clone()));
        assert_eq!(history.previous(&first).unwrap(), None);
        let diff = history.diff(&first, &second).unwrap();
        // infra could not be cloned the first time: it has no diff.
        assert_eq!(
            diff.keys().collect::<Vec<_>>(),
            ["checkout", "legacy", "payments"]
        );
        let legacy = &diff["legacy"];
        assert_eq!(fingerprints(&legacy.new), ["f-leg-4"]);
        assert_eq!(fingerprints(&legacy.fixed), ["f-leg-2"]);
        assert_eq!(legacy.still_failing, ["f-leg-1", "f-leg-3"]);
        assert_eq!(legacy.fixed[0].message, "no CODEOWNERS file");
        let payments = &diff["payments"];
        // Sorted by rule, file and line.
        assert_eq!(fingerprints(&payments.fixed), ["f-pay-2", "f-pay-1"]);
        assert!(payments.new.is_empty() && payments.still_failing.is_empty());
        assert_eq!(diff["checkout"], Changes::default());
    }

    #[test]
    fn recording_the_same_results_twice_keeps_one_run() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("h.db");
        let first = History::open(&path)
            .unwrap()
            .record(&lines("small.jsonl"))
            .unwrap();
        let mut history = History::open(&path).unwrap();
        let again = history.record(&lines("small.jsonl")).unwrap();
        assert_eq!(again, first);
        assert_eq!(history.runs().unwrap(), [first]);
    }

    #[test]
    fn the_trend_counts_levels_and_rule_passes_per_run() {
        let directory = tempfile::tempdir().unwrap();
        let mut history = History::open(&directory.path().join("h.db")).unwrap();
        // Recorded out of order: the trend still runs by start time.
        let second = history.record(&lines("small-next.jsonl")).unwrap();
        let first = history.record(&lines("small.jsonl")).unwrap();
        let trend = history.trend(&second).unwrap();
        let shown: Vec<(&str, u64, LevelCounts)> = trend
            .iter()
            .map(|p| (p.started.as_str(), p.audited, p.levels))
            .collect();
        let levels = |none, bronze, silver, gold| LevelCounts {
            none,
            bronze,
            silver,
            gold,
        };
        assert_eq!(
            shown,
            [
                ("2026-11-27T16:00:00.000Z", 3, levels(1, 0, 1, 1)),
                ("2026-12-04T16:00:00.000Z", 4, levels(0, 2, 0, 2)),
            ]
        );
        let codeowners: Vec<RulePass> = trend
            .iter()
            .map(|p| p.rules["repository/codeowners"])
            .collect();
        assert_eq!(
            codeowners,
            [
                RulePass {
                    passing: 2,
                    repositories: 3
                },
                RulePass {
                    passing: 4,
                    repositories: 4
                }
            ]
        );
        assert_eq!(history.trend(&first).unwrap().len(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_history_is_an_error() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("h.db");
        std::fs::write(
            &path,
            "not a database, just text that is long enough to have a header",
        )
        .unwrap();
        let error = History::open(&path).err().expect("refused");
        assert!(error.to_string().contains("not a database"), "{error}");
    }
}
