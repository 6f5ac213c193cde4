//! git sources, through the system `git`: its transports, its credential helpers and its
//! configuration apply as they would to a `git clone` the user ran. The checkout is cached
//! by commit, without its `.git` directory.

use std::path::PathBuf;
use std::process::Command;

use super::cache::{Cache, Kind};
use super::spec::GitRef;

/// A full commit id: fetched as it is (a branch or tag is cloned by name).
fn is_commit(reference: &str) -> bool {
    matches!(reference.len(), 40 | 64) && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

fn git(args: &[&str], dir: Option<&std::path::Path>) -> Result<String, String> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    // No prompt can be answered in a lint run: fail instead of waiting for a password.
    let output = command
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {} failed: {}", args[0], stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Clones `reference` shallowly and caches the checkout under its commit.
pub fn fetch(reference: &GitRef, cache: &Cache) -> Result<(PathBuf, String), String> {
    let staged = cache.staging().map_err(|e| e.to_string())?;
    let checkout = staged.path().to_path_buf();
    let target = checkout.to_string_lossy().into_owned();
    match reference.reference.as_deref() {
        Some(commit) if is_commit(commit) => {
            git(&["init", "--quiet", &target], None)?;
            git(
                &[
                    "fetch",
                    "--quiet",
                    "--depth",
                    "1",
                    "--",
                    &reference.url,
                    commit,
                ],
                Some(&checkout),
            )?;
            git(&["checkout", "--quiet", "FETCH_HEAD"], Some(&checkout))?;
        }
        Some(name) => git(
            &[
                "clone",
                "--quiet",
                "--depth",
                "1",
                "--branch",
                name,
                "--",
                &reference.url,
                &target,
            ],
            None,
        )
        .map(drop)?,
        None => git(
            &[
                "clone",
                "--quiet",
                "--depth",
                "1",
                "--",
                &reference.url,
                &target,
            ],
            None,
        )
        .map(drop)?,
    }
    let commit = git(&["rev-parse", "HEAD"], Some(&checkout))?;
    if let Some(dir) = cache.get(Kind::Git, &commit) {
        return Ok((dir, commit));
    }
    let dot_git = checkout.join(".git");
    std::fs::remove_dir_all(&dot_git).map_err(|e| format!("{}: {e}", dot_git.display()))?;
    let dir = cache
        .store(Kind::Git, &commit, staged)
        .map_err(|e| e.to_string())?;
    Ok((dir, commit))
}
