//! The little paved needs from git, called as a subprocess: which files changed, which are
//! tracked. The repository is untrusted: a revision never reaches git as an option, and git
//! runs no fsmonitor hook.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Absolute paths of the files changed since `rev` in the repositories holding `paths`:
/// modified, added or renamed in the working tree or index, and untracked (not ignored).
pub fn changed_since(paths: &[PathBuf], rev: &str) -> anyhow::Result<HashSet<PathBuf>> {
    let mut changed = HashSet::new();
    let starts: Vec<&Path> = if paths.is_empty() {
        vec![Path::new(".")]
    } else {
        paths.iter().map(PathBuf::as_path).collect()
    };
    if rev.is_empty() || rev.starts_with('-') {
        anyhow::bail!("--changed-since: `{rev}` is not a revision");
    }
    for start in starts {
        let dir = if start.is_dir() {
            start
        } else {
            start
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim());
        let commit = format!("{rev}^{{commit}}");
        git(
            dir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &commit,
            ],
        )
        .map_err(|_| {
            anyhow::anyhow!(
                "--changed-since: `{rev}` is not a commit in the repository at {}",
                dir.display()
            )
        })?;
        let diff = git(
            dir,
            &[
                "diff",
                "--name-only",
                "-z",
                "--diff-filter=d",
                "--end-of-options",
                rev,
                "--",
            ],
        )?;
        let untracked = git(
            dir,
            &[
                "ls-files",
                "--others",
                "--exclude-standard",
                "--full-name",
                "-z",
            ],
        )?;
        for name in diff
            .split('\0')
            .chain(untracked.split('\0'))
            .filter(|n| !n.is_empty())
        {
            changed.insert(top.join(name));
        }
    }
    Ok(changed)
}

/// The files git tracks in `repository`, relative to it.
pub fn tracked_files(repository: &Path) -> anyhow::Result<Vec<String>> {
    let listed = git(repository, &["ls-files", "-z"])?;
    Ok(listed
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect())
}

/// Runs git in `dir` and returns what it printed; an error says what failed and why.
pub(crate) fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        // A repository's own configuration could name a command to run as its monitor.
        .args(["-c", "core.fsmonitor=false"])
        // Nobody is there to answer a credentials prompt: fail instead of waiting.
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(args)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::anyhow!("paved needs git here, and git is not installed (or not on PATH)")
            } else {
                anyhow::anyhow!("cannot run git: {e}")
            }
        })?;
    if !output.status.success() {
        anyhow::bail!(
            "git {} failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
