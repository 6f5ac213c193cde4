//! Discovery: the parallel walk (honouring `.gitignore`, `.ignore` and `--exclude`), and a
//! sorted candidate list so output order never depends on thread timing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::parse::{classify, Format, Kind};

/// A file to consider: its path, how it is shown, and its format when paved reads it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub display: String,
    /// Path relative to its repository root (the display path for files given by name).
    pub relative: String,
    /// `None` for files paved only lists in the repository model.
    pub format: Option<(Format, Kind)>,
    /// Index into [`Discovery::roots`] of the repository the file belongs to.
    pub root: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    /// Repository roots: the directories given on the command line.
    pub roots: Vec<Root>,
    /// Paths that could not be walked: (path, why).
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Root {
    pub path: PathBuf,
    pub display: String,
}

pub fn exclude_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob)?);
        // `vendor` also excludes everything below it.
        builder.add(Glob::new(&format!("{}/**", glob.trim_end_matches('/')))?);
    }
    builder.build()
}

/// Shows `./a/b` as `a/b`, and `.` stays `.`.
pub fn display(path: &Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

pub fn discover(paths: &[PathBuf], exclude: &GlobSet, threads: usize) -> Discovery {
    let mut discovery = Discovery::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => discovery
                .errors
                .push((display(path), format!("cannot read: {e}"))),
            Ok(m) if m.is_file() => discovery.files.push(Candidate {
                path: path.clone(),
                display: display(path),
                relative: display(path),
                format: classify(path),
                root: None,
            }),
            Ok(_) => {
                let root = discovery.roots.len();
                discovery.roots.push(Root {
                    path: path.clone(),
                    display: display(path),
                });
                walk(path, root, exclude, threads, &mut discovery);
            }
        }
    }
    discovery.files.sort_by(|a, b| a.display.cmp(&b.display));
    discovery.files.dedup_by(|a, b| a.display == b.display);
    discovery
}

fn walk(dir: &Path, root: usize, exclude: &GlobSet, threads: usize, discovery: &mut Discovery) {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let exclude_root = dir.to_path_buf();
    let excluded = exclude.clone();
    let root_path = dir.to_path_buf();
    WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .threads(threads)
        .filter_entry(move |entry| {
            if entry.file_name() == ".git" {
                return false;
            }
            let relative = entry
                .path()
                .strip_prefix(&exclude_root)
                .unwrap_or(entry.path());
            relative.as_os_str().is_empty() || !excluded.is_match(relative)
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        let path = entry.into_path();
                        let relative = path.strip_prefix(&root_path).unwrap_or(&path);
                        found.lock().expect("walk results").push(Candidate {
                            relative: relative.display().to_string(),
                            display: display(&path),
                            format: classify(&path),
                            root: Some(root),
                            path,
                        });
                    }
                    Ok(_) => {}
                    Err(e) => errors.lock().expect("walk errors").push(e.to_string()),
                }
                WalkState::Continue
            })
        });
    discovery
        .files
        .extend(found.into_inner().expect("walk results"));
    for error in errors.into_inner().expect("walk errors") {
        discovery.errors.push((display(dir), error));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_honouring_gitignore_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.yaml",
            "a/c.tf",
            ".github/workflows/ci.yml",
            "ignored/x.yaml",
            "vendor/y.yaml",
            "README.md",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let exclude = exclude_set(&["vendor".to_string()]).unwrap();
        let found = discover(&[root.to_path_buf()], &exclude, 2);
        let names: Vec<String> = found
            .files
            .iter()
            .map(|c| c.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                ".github/workflows/ci.yml",
                ".gitignore",
                "README.md",
                "a/c.tf",
                "b.yaml"
            ]
        );
        assert!(found.files.iter().all(|c| c.root == Some(0)));
        assert!(found.files[2].format.is_none());
    }

    #[test]
    fn missing_paths_are_errors_not_panics() {
        let found = discover(&[PathBuf::from("/no/such/path")], &GlobSet::empty(), 1);
        assert_eq!(found.errors.len(), 1);
        assert!(found.files.is_empty());
    }
}
