//! Shallow checkouts of the repositories a list names by URL: cloned once into the cache,
//! fetched and reset on the next run. git runs as `crate::git` runs it (no fsmonitor, no
//! prompts), and a URL never reaches git as an option.

use std::path::Path;

use crate::git::git;

/// Makes `checkout` a shallow copy of the default branch of `url`, trying twice (a network
/// hiccup should not cost a repository its line). The error says what git said.
pub fn checkout(url: &str, checkout: &Path) -> Result<(), String> {
    update(url, checkout).or_else(|first| {
        // Whatever the first attempt left is not to be trusted: start again from nothing.
        let _ = std::fs::remove_dir_all(checkout);
        update(url, checkout).map_err(|second| {
            if second == first {
                second
            } else {
                format!("{first}; then {second}")
            }
        })
    })
}

fn update(url: &str, checkout: &Path) -> Result<(), String> {
    if checkout.join(".git").is_dir() {
        let origin = git(checkout, &["config", "--get", "remote.origin.url"]).unwrap_or_default();
        if origin.trim() == url {
            return fetch(checkout).map_err(|e| format!("{e:#}"));
        }
        // Another repository took this directory: clone afresh.
        std::fs::remove_dir_all(checkout)
            .map_err(|e| format!("cannot clear {}: {e}", checkout.display()))?;
    }
    clone(url, checkout).map_err(|e| format!("{e:#}"))
}

fn clone(url: &str, checkout: &Path) -> anyhow::Result<()> {
    let parent = checkout.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let target = checkout.to_string_lossy();
    git(
        parent,
        &[
            "-c",
            "core.hooksPath=/dev/null",
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-recurse-submodules",
            "--",
            url,
            &target,
        ],
    )?;
    Ok(())
}

fn fetch(checkout: &Path) -> anyhow::Result<()> {
    git(checkout, &["fetch", "--quiet", "--depth", "1", "origin"])?;
    git(
        checkout,
        &[
            "-c",
            "core.hooksPath=/dev/null",
            "reset",
            "--quiet",
            "--hard",
            "FETCH_HEAD",
        ],
    )?;
    Ok(())
}

/// The commit checked out and its branch, when git can tell (`None` outside git, or on a
/// detached head).
pub fn head(repository: &Path) -> (Option<String>, Option<String>) {
    let commit = git(repository, &["rev-parse", "--verify", "--quiet", "HEAD"])
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()));
    let branch = git(repository, &["symbolic-ref", "--quiet", "--short", "HEAD"])
        .ok()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty());
    (commit, branch)
}
