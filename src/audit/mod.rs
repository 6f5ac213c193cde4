//! `paved audit`: every repository of an organisation linted as `paved lint` would, scored
//! against the maturity levels, and streamed as one JSON line per repository
//! (`docs/audit-line.schema.json`), so memory stays flat however many there are.
//! The orchestration is `commands::audit`; these modules are its parts, and `report` and
//! `history` turn the lines into reports and trends (`paved audit report`).

pub mod clone;
pub mod history;
pub mod line;
pub mod progress;
pub mod report;
pub mod scorecard;
pub mod shard;
pub mod targets;
pub mod units;

use std::path::PathBuf;

/// Where a repository comes from, as its line says (`"source"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Path,
    Url,
}

/// A repository to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What its line calls it: the path below the root (or as listed), or the URL. Shards
    /// and `--resume` go by it.
    pub id: String,
    pub source: Source,
    /// Its checkout: where it is, or where it is cloned to.
    pub path: PathBuf,
    /// Why it cannot be audited, known before it is read (a directory that cannot be listed).
    pub problem: Option<String>,
}
