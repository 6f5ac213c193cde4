//! Which repositories an audit covers: every git repository under the roots, and those a
//! list file names (local paths, or git URLs cloned into the cache). Sorted by id, so shards
//! and runs see the same list.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Source, Target};

/// How deep below a root repositories are looked for; a directory tree deeper than this
/// (or a loop) is reported, not walked forever.
const MAX_DEPTH: usize = 32;

/// The URL schemes `--repos` clones; anything else on a line is a path.
const URL_SCHEMES: [&str; 3] = ["https://", "ssh://", "file://"];

/// Every directory holding a `.git` under `roots`. A found repository is one unit: paved
/// does not look inside it for others (nested repositories are linted with it, as
/// `paved lint` would). A directory that cannot be listed is a target with its problem,
/// since a repository may hide in it. With one root, ids are paths below it; with several,
/// each root's path comes first.
pub fn under_roots(roots: &[PathBuf]) -> anyhow::Result<Vec<Target>> {
    let mut targets = Vec::new();
    for root in roots {
        if !root.is_dir() {
            anyhow::bail!("{}: not a directory", root.display());
        }
        let prefix = (roots.len() > 1).then(|| crate::discover::display(root));
        let mut found = Vec::new();
        walk(root, "", 0, &mut found);
        for (relative, problem) in found {
            let id = match (&prefix, relative.as_str()) {
                (None, "") => crate::discover::display(root),
                (None, _) => relative.clone(),
                (Some(prefix), "") => prefix.clone(),
                (Some(prefix), _) => format!("{}/{relative}", prefix.trim_end_matches('/')),
            };
            targets.push(Target {
                id,
                source: Source::Path,
                path: absolute(&root.join(&relative)),
                problem,
            });
        }
    }
    Ok(targets)
}

/// Collects (path below the root, problem) of the repositories in `dir`.
fn walk(root: &Path, relative: &str, depth: usize, found: &mut Vec<(String, Option<String>)>) {
    let dir = root.join(relative);
    // A `.git` directory, or the `.git` file of a worktree or submodule.
    if dir.join(".git").exists() {
        found.push((relative.to_string(), None));
        return;
    }
    if depth > MAX_DEPTH {
        found.push((
            relative.to_string(),
            Some(format!(
                "more than {MAX_DEPTH} directories deep: not searched"
            )),
        ));
        return;
    }
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            found.push((
                relative.to_string(),
                Some(format!("cannot list this directory: {e}")),
            ));
            return;
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        // Symbolic links are not followed: they could lead out of the roots, or in a loop.
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let child = if relative.is_empty() {
            name
        } else {
            format!("{relative}/{name}")
        };
        walk(root, &child, depth + 1, found);
    }
}

/// The repositories a list file names, one a line (`#` starts a comment). A path is
/// relative to the list file's directory; a URL is cloned into `clone_dir`.
pub fn listed(file: &Path, clone_dir: &Path) -> anyhow::Result<Vec<Target>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
    let base = file.parent().unwrap_or(Path::new(""));
    let mut targets = Vec::new();
    for line in text.lines() {
        let entry = line
            .split_once('#')
            .map_or(line, |(before, _)| before)
            .trim();
        if entry.is_empty() {
            continue;
        }
        targets.push(if URL_SCHEMES.iter().any(|s| entry.starts_with(s)) {
            Target {
                id: entry.to_string(),
                source: Source::Url,
                path: absolute(&clone_dir.join(checkout_name(entry))),
                problem: None,
            }
        } else {
            let path = absolute(&base.join(entry));
            let problem = (!path.is_dir()).then(|| "not a directory".to_string());
            Target {
                id: entry.to_string(),
                source: Source::Path,
                path,
                problem,
            }
        });
    }
    Ok(targets)
}

/// A URL's checkout directory: its last segment, readable, and a hash of the whole URL, so
/// two `api.git` of different owners do not share one.
fn checkout_name(url: &str) -> String {
    let last = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".git");
    let readable: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let digest = Sha256::digest(url.as_bytes());
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{readable}-{hash}")
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Sorts by id and keeps one target per id (a repository both found and listed).
pub fn sorted(mut targets: Vec<Target>) -> Vec<Target> {
    targets.sort_by(|a, b| a.id.cmp(&b.id));
    targets.dedup_by(|a, b| a.id == b.id);
    targets
}

/// Where URLs are cloned unless `--clone-dir` says: the user's cache directory.
pub fn default_clone_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("paved").join("repositories")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkouts_are_named_after_the_url_and_never_shared() {
        let a = checkout_name("https://github.com/a/api.git");
        let b = checkout_name("https://github.com/b/api.git");
        assert!(a.starts_with("api-") && b.starts_with("api-"), "{a} {b}");
        assert_eq!(a.len(), "api-".len() + 12);
        assert_ne!(a, b);
        assert!(checkout_name("file:///srv/x y/../repo/").starts_with("repo-"));
        assert!(checkout_name("ssh://host/we ird$name").starts_with("we_ird_name-"));
    }

    #[test]
    fn lists_have_comments_paths_and_urls() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("here")).unwrap();
        let list = dir.path().join("repos.txt");
        std::fs::write(
            &list,
            "# the org\nhere\n\nfile:///srv/git/api.git  # cloned\nmissing\n",
        )
        .unwrap();
        let targets = listed(&list, Path::new("/cache")).unwrap();
        let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["here", "file:///srv/git/api.git", "missing"]);
        assert_eq!(targets[0].path, dir.path().join("here"));
        assert_eq!(targets[0].problem, None);
        assert_eq!(targets[1].source, Source::Url);
        assert!(targets[1].path.to_string_lossy().starts_with("/cache/api-"));
        assert_eq!(targets[2].problem.as_deref(), Some("not a directory"));
    }
}
