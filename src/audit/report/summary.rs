//! What every report format shows, computed once from the merged results: headline
//! numbers, the level distribution, pass rates per rule and per team, the worst
//! repositories and one row per repository. Everything is sorted here, so the renderers
//! only lay it out and two runs over the same results give the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::merge::Merged;
use super::results::{Counts, Level, Line, Next, Problem, Source};
use crate::audit::history::{Changes, TrendPoint};

/// How many repositories the "worst" list names.
pub const WORST: usize = 10;

/// Repositories (or units) per level; `none` is below bronze.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    pub none: u64,
    pub bronze: u64,
    pub silver: u64,
    pub gold: u64,
}

impl LevelCounts {
    pub fn add(&mut self, level: Option<Level>) {
        *self.get_mut(level) += 1;
    }

    fn get_mut(&mut self, level: Option<Level>) -> &mut u64 {
        match level {
            None => &mut self.none,
            Some(Level::Bronze) => &mut self.bronze,
            Some(Level::Silver) => &mut self.silver,
            Some(Level::Gold) => &mut self.gold,
        }
    }

    /// Each level with its count, lowest first.
    pub fn entries(&self) -> [(Option<Level>, u64); 4] {
        [
            (None, self.none),
            (Some(Level::Bronze), self.bronze),
            (Some(Level::Silver), self.silver),
            (Some(Level::Gold), self.gold),
        ]
    }

    pub fn total(&self) -> u64 {
        self.none + self.bronze + self.silver + self.gold
    }
}

/// One rule across the audited repositories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSummary {
    pub rule: String,
    pub level: Option<Level>,
    pub severity: String,
    /// Repositories the rule ran on, and those where it passed.
    pub repositories: u64,
    pub passing: u64,
    pub findings: u64,
}

impl RuleSummary {
    pub fn pass_rate(&self) -> f64 {
        ratio(self.passing, self.repositories)
    }
}

/// `part / whole`, 0 for an empty whole.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One team: the repositories whose owner it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamSummary {
    /// `None`: repositories no CODEOWNERS or catalog entity claims.
    pub owner: Option<String>,
    pub repositories: u64,
    pub failed: u64,
    pub levels: LevelCounts,
    pub counts: Counts,
    /// Rule checks run in its repositories, and those that passed.
    pub checks: u64,
    pub passing: u64,
}

/// A service unit of a monorepo, as the tables show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub root: String,
    pub owner: Option<String>,
    pub level: Option<Level>,
    pub next: Option<Next>,
    pub counts: Counts,
}

/// One repository's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepositoryRow {
    pub repository: String,
    pub source: Source,
    pub owner: Option<String>,
    pub level: Option<Level>,
    pub next: Option<Next>,
    pub counts: Counts,
    pub files: u64,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub started: String,
    pub error: Option<String>,
    pub units: Vec<UnitRow>,
    /// What changed since the previous recorded run; `None` without history or when the
    /// repository was not audited then.
    pub changes: Option<Changes>,
}

/// The trend over recorded runs, when a history file is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistorySummary {
    /// When the run this one is compared with started.
    pub previous: Option<String>,
    /// Every recorded run up to this one, oldest first.
    pub trend: Vec<TrendPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// When the earliest audit in the results started.
    pub started: Option<String>,
    pub repositories: u64,
    pub audited: u64,
    /// Repositories that could not be audited.
    pub failed: u64,
    pub files: u64,
    pub counts: Counts,
    pub levels: LevelCounts,
    /// Sorted by rule id.
    pub rules: Vec<RuleSummary>,
    /// Sorted by owner; repositories without one last.
    pub teams: Vec<TeamSummary>,
    /// The lowest-ranked repositories, worst first (see [`worst`]).
    pub worst: Vec<String>,
    /// Sorted by repository.
    pub results: Vec<RepositoryRow>,
    /// Repositories that appeared in more than one input.
    pub notes: Vec<String>,
    /// Input lines that could not be read.
    pub problems: Vec<Problem>,
    pub history: Option<HistorySummary>,
}

impl Summary {
    pub fn of(merged: &Merged, problems: Vec<Problem>) -> Summary {
        let lines = &merged.lines;
        let audited: Vec<&Line> = lines.iter().filter(|l| l.error.is_none()).collect();
        let mut counts = Counts::default();
        let mut levels = LevelCounts::default();
        for line in &audited {
            counts.add(&line.counts);
            levels.add(line.level);
        }
        Summary {
            started: lines
                .iter()
                .min_by_key(|l| l.started_at())
                .map(|l| l.started.clone()),
            repositories: lines.len() as u64,
            audited: audited.len() as u64,
            failed: (lines.len() - audited.len()) as u64,
            files: audited.iter().map(|l| l.files).sum(),
            counts,
            levels,
            rules: rules(&audited),
            teams: teams(lines),
            worst: worst(&audited),
            results: lines.iter().map(row).collect(),
            notes: merged.notes.clone(),
            problems,
            history: None,
        }
    }

    /// The rules sorted for reading: lowest pass rate first, then by id.
    pub fn rules_by_pass_rate(&self) -> Vec<&RuleSummary> {
        let mut rules: Vec<&RuleSummary> = self.rules.iter().collect();
        rules.sort_by(|a, b| {
            a.pass_rate()
                .total_cmp(&b.pass_rate())
                .then_with(|| a.rule.cmp(&b.rule))
        });
        rules
    }

    pub fn row(&self, repository: &str) -> Option<&RepositoryRow> {
        self.results
            .binary_search_by(|r| r.repository.as_str().cmp(repository))
            .ok()
            .map(|i| &self.results[i])
    }
}

fn rules(audited: &[&Line]) -> Vec<RuleSummary> {
    let mut rules: BTreeMap<&str, RuleSummary> = BTreeMap::new();
    for line in audited {
        for (id, result) in &line.rules {
            let rule = rules.entry(id).or_insert_with(|| RuleSummary {
                rule: id.clone(),
                level: result.level,
                severity: result.severity.clone(),
                repositories: 0,
                passing: 0,
                findings: 0,
            });
            rule.repositories += 1;
            rule.passing += u64::from(result.pass);
            rule.findings += result.findings;
        }
    }
    rules.into_values().collect()
}

fn teams(lines: &[Line]) -> Vec<TeamSummary> {
    // `Option`'s order puts `None` first; the team-less repositories read best last.
    let mut teams: BTreeMap<(bool, Option<&str>), TeamSummary> = BTreeMap::new();
    for line in lines {
        let owner = line.owner.as_deref();
        let team = teams
            .entry((owner.is_none(), owner))
            .or_insert_with(|| TeamSummary {
                owner: line.owner.clone(),
                repositories: 0,
                failed: 0,
                levels: LevelCounts::default(),
                counts: Counts::default(),
                checks: 0,
                passing: 0,
            });
        team.repositories += 1;
        if line.error.is_some() {
            team.failed += 1;
            continue;
        }
        team.levels.add(line.level);
        team.counts.add(&line.counts);
        team.checks += line.rules.len() as u64;
        team.passing += line.rules.values().filter(|r| r.pass).count() as u64;
    }
    teams.into_values().collect()
}

/// The repositories furthest from the standards: lowest level first, then most errors,
/// warnings and findings; a gold repository without findings is never among them.
fn worst(audited: &[&Line]) -> Vec<String> {
    let mut ranked: Vec<&&Line> = audited
        .iter()
        .filter(|l| l.level != Some(Level::Gold) || l.counts.total() > 0)
        .collect();
    ranked.sort_by(|a, b| {
        a.level
            .cmp(&b.level)
            .then(b.counts.error.cmp(&a.counts.error))
            .then(b.counts.warning.cmp(&a.counts.warning))
            .then(b.counts.total().cmp(&a.counts.total()))
            .then(a.repository.cmp(&b.repository))
    });
    ranked
        .into_iter()
        .take(WORST)
        .map(|l| l.repository.clone())
        .collect()
}

fn row(line: &Line) -> RepositoryRow {
    let mut units: Vec<UnitRow> = line
        .units
        .iter()
        .map(|u| UnitRow {
            root: u.root.clone(),
            owner: u.owner.clone(),
            level: u.level,
            next: u.next.clone(),
            counts: u.counts,
        })
        .collect();
    units.sort_by(|a, b| a.root.cmp(&b.root));
    RepositoryRow {
        repository: line.repository.clone(),
        source: line.source,
        owner: line.owner.clone(),
        level: line.level,
        next: line.next.clone(),
        counts: line.counts,
        files: line.files,
        commit: line.commit.clone(),
        branch: line.branch.clone(),
        started: line.started.clone(),
        error: line.error.clone(),
        units,
        changes: None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::report::merge::merge;
    use crate::audit::report::results::{read_lines, Read};

    /// The merged lines of `fixtures/audit/NAME`, which read without a problem.
    pub(crate) fn fixture_lines(name: &str) -> Vec<Line> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/audit")
            .join(name);
        let mut read = Read::default();
        super::super::results::read_file(&path, &mut read).unwrap();
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        merge(read.lines).lines
    }

    pub(crate) fn fixture(name: &str) -> Summary {
        let merged = crate::audit::report::merge::Merged {
            lines: fixture_lines(name),
            notes: Vec::new(),
        };
        Summary::of(&merged, Vec::new())
    }

    #[test]
    fn the_small_organisation_adds_up() {
        let summary = fixture("small.jsonl");
        assert_eq!(
            (summary.repositories, summary.audited, summary.failed),
            (4, 3, 1)
        );
        assert_eq!(summary.files, 143 + 20 + 61);
        assert_eq!(
            summary.levels,
            LevelCounts {
                none: 1,
                bronze: 0,
                silver: 1,
                gold: 1
            }
        );
        let rates: Vec<(&str, u64, u64)> = summary
            .rules_by_pass_rate()
            .iter()
            .map(|r| (r.rule.as_str(), r.passing, r.repositories))
            .collect();
        assert_eq!(
            rates,
            [
                ("containers/healthcheck", 1, 3),
                ("kubernetes/resource-limits", 2, 3),
                ("repository/codeowners", 2, 3),
                ("repository/readme", 3, 3),
            ]
        );
        let teams: Vec<(Option<&str>, u64, u64)> = summary
            .teams
            .iter()
            .map(|t| (t.owner.as_deref(), t.repositories, t.failed))
            .collect();
        assert_eq!(
            teams,
            [
                (Some("@org/payments"), 2, 0),
                (Some("@org/platform"), 1, 1),
                (None, 1, 0)
            ]
        );
        assert_eq!(summary.worst, ["legacy", "payments"]);
    }

    #[test]
    fn an_empty_input_gives_an_empty_summary() {
        let mut read = Read::default();
        read_lines("empty", &b""[..], &mut read).unwrap();
        let summary = Summary::of(&merge(read.lines), read.problems);
        assert_eq!((summary.repositories, summary.started), (0, None));
        assert!(summary.rules.is_empty() && summary.worst.is_empty());
    }
}
