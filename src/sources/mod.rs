//! Policy bundles from elsewhere: OCI registries, git repositories and https tarballs
//! (and `.tar.gz` bundles on disk), fetched into a content-addressed cache and checked
//! against `paved.lock`. Everything downstream only ever sees a local directory.
//!
//! The rule for the network: a source pinned in the lock and already in the cache is used
//! as it is, with no network access; anything else is fetched, and what was fetched must
//! match the lock's digest.

pub mod cache;
pub mod credentials;
pub mod git;
pub mod https;
pub mod lock;
pub mod oci;
pub mod spec;

use std::path::{Path, PathBuf};

pub use lock::Lock;
pub use spec::Source;

/// Why a source could not be used. Messages name the source as written, never a
/// credential.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("policy source `{spec}`: {why}")]
    Invalid { spec: String, why: String },
    #[error("policy source `{spec}`: {why}")]
    Fetch { spec: String, why: String },
    #[error(
        "policy source `{spec}` does not match {lock}: locked {locked}, found {found}; \
         if the change is intended, run `paved lock`"
    )]
    Mismatch {
        spec: String,
        lock: String,
        locked: String,
        found: String,
    },
    #[error("policy source `{spec}` is not pinned in {lock}: run `paved lock` to pin it")]
    NotLocked { spec: String, lock: String },
    #[error("{path}: {why}")]
    Io { path: String, why: String },
}

impl SourceError {
    pub(crate) fn io(path: &Path, error: impl std::fmt::Display) -> SourceError {
        SourceError::Io {
            path: path.display().to_string(),
            why: error.to_string(),
        }
    }
}

/// How a run fetches: where the cache is, and what the lock pins.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub cache: cache::Cache,
    /// The lock and the file it was read from; `None` fetches whatever the source names
    /// now (`paved lock`, `paved pull`, or a run with no lock outside CI).
    pub lock: Option<(PathBuf, Lock)>,
    /// A remote source the lock does not pin is an error (a lock file exists, or CI).
    pub require_pinned: bool,
}

impl FetchOptions {
    /// For a run: the cache from `--cache-dir`, `$PAVED_CACHE_DIR` or the user cache dir;
    /// the lock from `lock_dir/paved.lock`. Without a lock file, unpinned sources are
    /// fetched (with a warning) except in CI (`$CI` set), where they are an error.
    pub fn for_run(cache_dir: Option<&Path>, lock_dir: &Path) -> Result<FetchOptions, SourceError> {
        let file = lock_dir.join(lock::FILE_NAME);
        let lock = lock::read(&file)?;
        let require_pinned = lock.is_some() || in_ci();
        Ok(FetchOptions {
            cache: cache::Cache::new(cache::root(cache_dir)?),
            lock: Some((file.clone(), lock.unwrap_or_default())),
            require_pinned,
        })
    }

    /// For `paved lock` and `paved pull`: fetch what each source names now.
    pub fn unpinned(cache_dir: Option<&Path>) -> Result<FetchOptions, SourceError> {
        Ok(FetchOptions {
            cache: cache::Cache::new(cache::root(cache_dir)?),
            lock: None,
            require_pinned: false,
        })
    }
}

/// CI systems set `CI` (GitHub Actions, GitLab, CircleCI, Buildkite, ...).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A source on disk: the bundle's directory and the digest it was resolved to (empty for a
/// local directory). `pinned` is false when the lock did not name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub dir: PathBuf,
    pub digest: String,
    pub pinned: bool,
}

/// Resolves a source string to a local directory (or file), fetching it when it is remote
/// and not already cached under the digest the lock pins.
pub fn fetch(spec: &str, options: &FetchOptions) -> Result<Fetched, SourceError> {
    let source = Source::parse(spec)?;
    let fetch_error = |why: String| SourceError::Fetch {
        spec: spec.to_string(),
        why,
    };
    let kind = match &source {
        Source::Local(path) if https::is_tarball(path) => {
            let bytes = std::fs::read(path).map_err(|e| SourceError::io(path, e))?;
            let (dir, digest) = https::unpack(&bytes, &options.cache).map_err(fetch_error)?;
            return Ok(Fetched {
                dir,
                digest,
                pinned: true,
            });
        }
        Source::Local(path) => {
            return Ok(Fetched {
                dir: path.clone(),
                digest: String::new(),
                pinned: true,
            })
        }
        Source::Oci(_) => cache::Kind::Oci,
        Source::Git(_) => cache::Kind::Git,
        Source::Tarball(_) => cache::Kind::Archive,
    };
    let locked = options
        .lock
        .as_ref()
        .and_then(|(_, lock)| lock.sources.get(spec).cloned());
    if let Some(digest) = &locked {
        if let Some(dir) = options.cache.get(kind, digest) {
            return Ok(Fetched {
                dir: subdir(&source, dir, spec)?,
                digest: digest.clone(),
                pinned: true,
            });
        }
    } else if options.require_pinned {
        let lock = options.lock.as_ref().map_or_else(
            || lock::FILE_NAME.into(),
            |(file, _)| file.display().to_string(),
        );
        return Err(SourceError::NotLocked {
            spec: spec.to_string(),
            lock,
        });
    }
    let (dir, digest) = match &source {
        Source::Oci(reference) => oci::pull(reference, &options.cache).map_err(fetch_error)?,
        Source::Git(reference) => git::fetch(reference, &options.cache).map_err(fetch_error)?,
        Source::Tarball(url) => https::fetch(url, &options.cache).map_err(fetch_error)?,
        // Returned above: a local path is never fetched.
        Source::Local(path) => (path.clone(), String::new()),
    };
    if let (Some((file, _)), Some(locked)) = (&options.lock, &locked) {
        if *locked != digest {
            return Err(SourceError::Mismatch {
                spec: spec.to_string(),
                lock: file.display().to_string(),
                locked: locked.clone(),
                found: digest,
            });
        }
    }
    Ok(Fetched {
        dir: subdir(&source, dir, spec)?,
        digest,
        pinned: locked.is_some(),
    })
}

/// A git source's `//subdir`, which must be a directory of the checkout.
fn subdir(source: &Source, dir: PathBuf, spec: &str) -> Result<PathBuf, SourceError> {
    let Source::Git(spec::GitRef {
        subdir: Some(sub), ..
    }) = source
    else {
        return Ok(dir);
    };
    let path = dir.join(sub);
    let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
    if is_dir {
        Ok(path)
    } else {
        Err(SourceError::Fetch {
            spec: spec.to_string(),
            why: format!("the repository has no directory `{sub}`"),
        })
    }
}

/// The local paths of a run's policy sources (`-p` and `policies`), with the lock read from
/// `lock_dir`. Without a remote source nothing else is read: a run of local bundles does not
/// depend on the cache or the lock.
pub fn resolve_policies(
    specs: &[PathBuf],
    cache_dir: Option<&Path>,
    lock_dir: &Path,
) -> Result<Vec<PathBuf>, SourceError> {
    let fetched =
        |given: &PathBuf| given.to_str().is_some_and(spec::is_remote) || https::is_tarball(given);
    if specs.iter().any(fetched) {
        return local_paths(specs, &FetchOptions::for_run(cache_dir, lock_dir)?);
    }
    for text in specs.iter().filter_map(|s| s.to_str()) {
        Source::parse(text)?;
    }
    Ok(specs.to_vec())
}

/// The local paths of a run's policy sources, in order: local paths as they are, remote
/// ones fetched (or taken from the cache). An unpinned source fetched anyway is warned
/// about on standard error.
pub fn local_paths(specs: &[PathBuf], options: &FetchOptions) -> Result<Vec<PathBuf>, SourceError> {
    specs
        .iter()
        .map(|given| {
            let Some(text) = given
                .to_str()
                .filter(|t| spec::is_remote(t) || https::is_tarball(given))
            else {
                // Not a source string paved fetches (maybe not UTF-8): a path as given.
                return match given.to_str().map(Source::parse) {
                    Some(Err(e)) => Err(e),
                    _ => Ok(given.clone()),
                };
            };
            let fetched = fetch(text, options)?;
            if !fetched.pinned {
                eprintln!(
                    "warning: policy source `{text}` is not pinned in {}: run `paved lock` to pin it to {}",
                    lock::FILE_NAME,
                    fetched.digest
                );
            }
            Ok(fetched.dir)
        })
        .collect()
}

/// Writes `files` (relative path → bytes, already checked) under `dir`.
pub(crate) fn write_tree(
    dir: &Path,
    files: &crate::render::helm::chart::FileTree,
) -> Result<(), SourceError> {
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| SourceError::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| SourceError::io(&path, e))?;
    }
    Ok(())
}
