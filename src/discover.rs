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
    /// Repository roots: the directories given on the command line and every directory
    /// below them that holds a `.git`, in path order.
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
    let mut root_paths = Vec::new();
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
                root_paths.push(path.clone());
                walk(path, exclude, threads, &mut discovery, &mut root_paths);
            }
        }
    }
    root_paths.sort();
    root_paths.dedup();
    assign_roots(&mut discovery, &root_paths);
    discovery.roots = root_paths
        .into_iter()
        .map(|path| Root {
            display: display(&path),
            path,
        })
        .collect();
    discovery.files.sort_by(|a, b| a.display.cmp(&b.display));
    discovery.files.dedup_by(|a, b| a.display == b.display);
    discovery
}

/// Each walked file belongs to the deepest root above it.
fn assign_roots(discovery: &mut Discovery, roots: &[PathBuf]) {
    let index: std::collections::HashMap<&Path, usize> = roots
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_path(), i))
        .collect();
    for file in discovery
        .files
        .iter_mut()
        .filter(|f| f.root == Some(WALKED))
    {
        let found = file
            .path
            .ancestors()
            .skip(1)
            .find_map(|dir| index.get(dir).map(|&i| (dir, i)));
        file.root = found.map(|(_, i)| i);
        if let Some((dir, _)) = found {
            file.relative = file
                .path
                .strip_prefix(dir)
                .unwrap_or(&file.path)
                .display()
                .to_string();
        }
    }
}

/// Marks a walked file until [`assign_roots`] gives it its repository.
const WALKED: usize = usize::MAX;

fn walk(
    dir: &Path,
    exclude: &GlobSet,
    threads: usize,
    discovery: &mut Discovery,
    roots: &mut Vec<PathBuf>,
) {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let nested_roots = Mutex::new(Vec::new());
    let walk_root = dir.to_path_buf();
    let excluded = exclude.clone();
    WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .threads(threads)
        .filter_entry(move |entry| {
            let relative = entry
                .path()
                .strip_prefix(&walk_root)
                .unwrap_or(entry.path());
            entry.file_name() != ".git"
                && (relative.as_os_str().is_empty() || !excluded.is_match(relative))
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        let path = entry.into_path();
                        found.lock().expect("walk results").push(Candidate {
                            relative: String::new(),
                            display: display(&path),
                            format: classify(&path),
                            root: Some(WALKED),
                            path,
                        });
                    }
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_dir()) => {
                        if entry.depth() > 0 && entry.path().join(".git").exists() {
                            nested_roots.lock().expect("roots").push(entry.into_path());
                        }
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
    roots.extend(nested_roots.into_inner().expect("roots"));
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
    fn directories_with_git_are_repositories_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "top.yaml",
            "team/svc/.git/HEAD",
            "team/svc/k8s/a.yaml",
            "team/other.yaml",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &GlobSet::empty(), 2);
        let roots: Vec<&Path> = found
            .roots
            .iter()
            .map(|r| r.path.strip_prefix(dir.path()).unwrap())
            .collect();
        assert_eq!(roots, [Path::new(""), Path::new("team/svc")]);
        let files: Vec<(&str, Option<usize>)> = found
            .files
            .iter()
            .map(|f| (f.relative.as_str(), f.root))
            .collect();
        assert_eq!(
            files,
            [
                ("team/other.yaml", Some(0)),
                ("k8s/a.yaml", Some(1)),
                ("top.yaml", Some(0))
            ]
        );
    }

    #[test]
    fn missing_paths_are_errors_not_panics() {
        let found = discover(&[PathBuf::from("/no/such/path")], &GlobSet::empty(), 1);
        assert_eq!(found.errors.len(), 1);
        assert!(found.files.is_empty());
    }
}
