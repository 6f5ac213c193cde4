//! The content-addressed cache: one directory per digest, written whole into a temporary
//! directory and renamed into place, so a reader never sees half a bundle and two runs
//! filling the same entry do not clash.

use std::path::{Path, PathBuf};

use super::SourceError;

/// What a digest addresses: an OCI manifest, a git commit, or a tarball's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Oci,
    Git,
    Archive,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Oci => "oci",
            Kind::Git => "git",
            Kind::Archive => "archive",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// `--cache-dir`, else `$PAVED_CACHE_DIR`, else the user cache dir (`~/.cache/paved`).
pub fn root(flag: Option<&Path>) -> Result<PathBuf, SourceError> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("PAVED_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::cache_dir()
        .map(|d| d.join("paved"))
        .ok_or_else(|| SourceError::Io {
            path: "cache".into(),
            why: "no user cache directory: set PAVED_CACHE_DIR or pass --cache-dir".into(),
        })
}

/// `sha256:<64 hex>` or a git commit (40 or 64 hex): the only names an entry can have, so
/// a digest read from a lock file cannot point anywhere else.
fn entry_name(digest: &str) -> Option<String> {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    let valid = matches!(hex.len(), 40 | 64) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| hex.to_ascii_lowercase())
}

impl Cache {
    pub fn new(root: PathBuf) -> Cache {
        Cache { root }
    }

    fn entry(&self, kind: Kind, digest: &str) -> Option<PathBuf> {
        Some(self.root.join(kind.dir()).join(entry_name(digest)?))
    }

    /// The entry for `digest`, when it has been fetched before.
    pub fn get(&self, kind: Kind, digest: &str) -> Option<PathBuf> {
        self.entry(kind, digest)
            .filter(|dir| std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()))
    }

    /// A fresh directory to fill, inside the cache (so the final rename stays on one
    /// file system).
    pub fn staging(&self) -> Result<tempfile::TempDir, SourceError> {
        let dir = self.root.join("tmp");
        std::fs::create_dir_all(&dir).map_err(|e| SourceError::io(&dir, e))?;
        tempfile::tempdir_in(&dir).map_err(|e| SourceError::io(&dir, e))
    }

    /// Moves a filled staging directory into place as the entry for `digest`.
    pub fn store(
        &self,
        kind: Kind,
        digest: &str,
        staged: tempfile::TempDir,
    ) -> Result<PathBuf, SourceError> {
        let entry = self.entry(kind, digest).ok_or_else(|| SourceError::Io {
            path: digest.into(),
            why: "not a digest paved can cache".into(),
        })?;
        if self.get(kind, digest).is_some() {
            return Ok(entry);
        }
        let parent = entry.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(parent).map_err(|e| SourceError::io(parent, e))?;
        let staged = staged.keep();
        if let Err(e) = std::fs::rename(&staged, &entry) {
            let _ = std::fs::remove_dir_all(&staged);
            // Another run stored the same content first: its entry is as good as ours.
            if self.get(kind, digest).is_none() {
                return Err(SourceError::io(&entry, e));
            }
        }
        Ok(entry)
    }
}

/// An entry name inside a bundle (archive entry or OCI layer title), as a relative path:
/// `/data.json` and `./x.rego` are the bundle root's (OPA writes both); `..`, backslashes
/// and empty names are refused.
pub fn inside_bundle(name: &str) -> Option<String> {
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let safe = !parts.is_empty() && !name.contains('\\') && !parts.contains(&"..");
    safe.then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_by_digest_only() {
        let hex = "ab".repeat(32);
        assert_eq!(entry_name(&format!("sha256:{hex}")), Some(hex.clone()));
        assert_eq!(entry_name(&"c".repeat(40)), Some("c".repeat(40)));
        assert_eq!(entry_name("sha256:../../etc"), None);
        assert_eq!(entry_name("v1"), None);
    }

    #[test]
    fn bundle_names_stay_inside() {
        assert_eq!(inside_bundle("/data.json").as_deref(), Some("data.json"));
        assert_eq!(inside_bundle("./a/b.rego").as_deref(), Some("a/b.rego"));
        assert_eq!(inside_bundle("a/../../x"), None);
        assert_eq!(inside_bundle("a\\b"), None);
        assert_eq!(inside_bundle("/"), None);
    }

    #[test]
    fn stores_once_and_finds_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::new(root.path().to_path_buf());
        let digest = format!("sha256:{}", "0".repeat(64));
        assert_eq!(cache.get(Kind::Oci, &digest), None);
        let staged = cache.staging().unwrap();
        std::fs::write(staged.path().join("a.rego"), "package a\n").unwrap();
        let entry = cache.store(Kind::Oci, &digest, staged).unwrap();
        assert_eq!(entry, root.path().join("oci").join("0".repeat(64)));
        assert_eq!(cache.get(Kind::Oci, &digest), Some(entry.clone()));
        assert_eq!(
            std::fs::read_to_string(entry.join("a.rego")).unwrap(),
            "package a\n"
        );
        assert_eq!(cache.get(Kind::Git, &digest), None);
    }
}
