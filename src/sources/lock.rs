//! `paved.lock`: every remote policy source pinned to what it resolved to (OCI manifest
//! digest, git commit, sha256 of a tarball). TOML, sorted, so it diffs well in review.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SourceError;

pub const FILE_NAME: &str = "paved.lock";

const HEADER: &str = "# paved.lock: the digest each remote policy source resolved to.\n\
# Written by `paved lock`; runs refuse a source that no longer matches.\n";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Source string, exactly as written → digest.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
}

/// The lock at `path`, or `None` when there is none.
pub fn read(path: &Path) -> Result<Option<Lock>, SourceError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SourceError::io(path, e)),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| SourceError::io(path, format!("not a paved.lock: {}", e.message())))
}

pub fn write(path: &Path, lock: &Lock) -> Result<(), SourceError> {
    let body = toml::to_string(lock).map_err(|e| SourceError::io(path, e))?;
    let text = format!("{HEADER}\n{body}");
    crate::report::write_atomically(path, |out| out.write_all(text.as_bytes()))
        .map_err(|e| SourceError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(read(&path).unwrap(), None);
        let mut lock = Lock::default();
        lock.sources
            .insert("oci://r/b:v1".into(), format!("sha256:{}", "b".repeat(64)));
        lock.sources.insert("git::file:///a".into(), "a".repeat(40));
        write(&path, &lock).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!(
                "{HEADER}\n[sources]\n\"git::file:///a\" = \"{}\"\n\"oci://r/b:v1\" = \"sha256:{}\"\n",
                "a".repeat(40),
                "b".repeat(64)
            )
        );
        assert_eq!(read(&path).unwrap(), Some(lock));
    }

    #[test]
    fn a_broken_lock_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "sources = 3\n").unwrap();
        let error = read(&path).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: not a paved.lock: ", path.display())),
            "{error}"
        );
    }
}
