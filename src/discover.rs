//! Discovery: the parallel walk (honouring `.gitignore`, `.ignore` and `--exclude`), and a
//! sorted candidate list so output order never depends on thread timing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::class::Class;
use crate::finding::RepositoryPath;
use crate::parse::{classify, Format, Kind};
use crate::read;
use crate::render::kustomize;

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
    /// The real directory the file may not leave when it is read.
    pub boundary: Arc<Path>,
    /// Not a regular file when it was found (a symlink, a FIFO, a device): checked when
    /// read, and reported when unsafe even if paved only lists it.
    pub special: bool,
    /// Named on the command line: a pipe given by name (`<(helm template ...)`) is read.
    pub named: bool,
    /// In a directory or among the files given: file rules run on it. A file of the
    /// repository above a directory given is read only for the repository model.
    pub in_scope: bool,
    /// What it is for, from its path below the directory given (a directory given is what
    /// the user asked for: `paved lint tests/fixtures` lints fixtures as deployable).
    pub class: Class,
    /// A chart's `Chart.yaml` that a kustomize overlay of the run renders (`helmCharts`):
    /// the chart is linted through the overlay, with its values, not again alone.
    pub rendered_by_overlay: bool,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    /// Repository roots: the directories given on the command line and every directory
    /// below them that holds a `.git`, in path order.
    pub roots: Vec<Root>,
    /// Paths that could not be walked: (path, why).
    pub errors: Vec<(String, String)>,
    /// Files and directories `.gitignore` and `.ignore` kept out (a directory counts once).
    pub ignored: usize,
}

#[derive(Debug, Clone)]
pub struct Root {
    pub path: PathBuf,
    pub display: String,
    /// Its real path, and the real directory nothing read under it may leave.
    pub real: PathBuf,
    pub boundary: Arc<Path>,
    /// What paths in findings are relative to: the repository's root (`in_git`), else the
    /// boundary.
    base: PathBuf,
    in_git: bool,
}

impl Root {
    pub fn new(path: PathBuf, boundary: Arc<Path>) -> Root {
        let real = read::canonical_dir(&path);
        let repository = real
            .ancestors()
            .take_while(|dir| dir.starts_with(&boundary))
            .find(|dir| read::is_repository_root(dir))
            .map(Path::to_path_buf);
        Root {
            display: display(&path),
            in_git: repository.is_some(),
            base: repository.unwrap_or_else(|| boundary.to_path_buf()),
            path,
            real,
            boundary,
        }
    }

    /// Where a file of this root is in its repository (see [`RepositoryPath`]).
    pub fn repository_path(&self, relative: &str) -> RepositoryPath {
        let real = if relative.is_empty() {
            self.real.clone()
        } else {
            self.real.join(relative)
        };
        match real.strip_prefix(&self.base) {
            Ok(path) => RepositoryPath {
                path: path.display().to_string(),
                in_git: self.in_git,
            },
            Err(_) => RepositoryPath::outside(relative),
        }
    }

    /// [`Root::repository_path`] of a path shown under this root.
    pub fn repository_path_of_display(&self, display: &str) -> RepositoryPath {
        if display == self.display {
            return self.repository_path("");
        }
        let rest = if self.display == "." {
            Some(display)
        } else {
            // `repo/` typed with its slash shows its files as `repo/k8s/pod.yaml`.
            display
                .strip_prefix(self.display.trim_end_matches('/'))
                .and_then(|r| r.strip_prefix('/'))
        };
        rest.map_or_else(
            || RepositoryPath::outside(display),
            |r| self.repository_path(r),
        )
    }
}

/// [`Root::repository_path`] for a file named on the command line.
pub fn named_repository_path(candidate: &Candidate) -> RepositoryPath {
    let real = candidate
        .path
        .canonicalize()
        .unwrap_or_else(|_| candidate.path.clone());
    RepositoryPath::of(&real, &candidate.boundary)
        .unwrap_or_else(|| RepositoryPath::outside(&candidate.display))
}

impl RepositoryPath {
    /// `real` relative to the git repository holding it, else to `boundary`.
    fn of(real: &Path, boundary: &Path) -> Option<RepositoryPath> {
        let repository = real
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(boundary))
            .find(|dir| read::is_repository_root(dir));
        let base = repository.unwrap_or(boundary);
        let path = real.strip_prefix(base).ok()?.display().to_string();
        Some(RepositoryPath {
            path,
            in_git: repository.is_some(),
        })
    }

    fn outside(shown: &str) -> RepositoryPath {
        RepositoryPath {
            path: shown.to_string(),
            in_git: false,
        }
    }
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

/// The path that names standard input.
pub const STDIN: &str = "-";

/// A stream's format: what its name says, else YAML (a superset of JSON), which is what
/// `helm template`, `kustomize build` and `kubectl get -o yaml` print.
fn stream_format(name: &Path) -> Option<(Format, Kind)> {
    classify(name).or(Some((Format::Yaml, Kind::Yaml)))
}

pub fn discover(
    paths: &[PathBuf],
    exclude: &GlobSet,
    threads: usize,
    stdin_name: Option<&str>,
) -> Discovery {
    let mut discovery = Discovery::default();
    let mut root_paths: Vec<(PathBuf, Arc<Path>)> = Vec::new();
    // The same directory or file given twice (`d $PWD/d`) is checked once: each walk's path
    // as walked and its real path.
    let mut walks: Vec<(PathBuf, PathBuf)> = Vec::new();
    // The real paths of the directories given: their files get file rules.
    let mut scopes: Vec<PathBuf> = Vec::new();
    let cwd = read::canonical_dir(Path::new("."));
    let mut keys: HashMap<PathBuf, PathBuf> = HashMap::new();
    for path in paths {
        if path.as_os_str() == STDIN {
            let name = stdin_name.unwrap_or(STDIN);
            discovery.files.push(Candidate {
                path: path.clone(),
                display: name.to_string(),
                relative: name.to_string(),
                format: stream_format(Path::new(name)),
                root: None,
                boundary: read::canonical_dir(Path::new(".")).into(),
                special: true,
                named: true,
                in_scope: true,
                class: Class::Deployable,
                rendered_by_overlay: false,
            });
            continue;
        }
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                discovery
                    .errors
                    .push((display(path), format!("cannot read: {e}")));
                continue;
            }
        };
        if metadata.is_dir() {
            let real = read::canonical_dir(path);
            scopes.push(real.clone());
            // A directory inside a git repository is checked as part of that repository:
            // its files get their file rules, the repository its repository rules.
            let repository = read::boundary_of_dir(path);
            let (walk_path, walk_real) =
                if repository != real && read::is_repository_root(&repository) {
                    (shown(&repository, path.is_absolute(), &cwd), repository)
                } else {
                    (path.clone(), real)
                };
            if walks.iter().any(|(_, w)| walk_real.starts_with(w)) {
                continue;
            }
            walks.push((walk_path.clone(), walk_real.clone()));
            let boundary: Arc<Path> = read::boundary_of_dir(path).into();
            root_paths.push((walk_path.clone(), Arc::clone(&boundary)));
            let first = discovery.files.len();
            let found = walk(
                &walk_path,
                &walk_real,
                exclude,
                threads,
                &boundary,
                &mut discovery,
            );
            root_paths.extend(found.into_iter().map(|p| (p, Arc::clone(&boundary))));
            show_from_here(&mut discovery.files[first..], &walk_path, &walk_real, &cwd);
        } else if metadata.is_file() || is_fifo(&metadata) {
            let real = path.canonicalize().unwrap_or_else(|_| path.clone());
            keys.insert(path.clone(), real);
            discovery.files.push(Candidate {
                path: path.clone(),
                display: display(path),
                relative: display(path),
                format: if metadata.is_file() {
                    classify(path)
                } else {
                    stream_format(path)
                },
                root: None,
                boundary: read::boundary_of(path).into(),
                special: !metadata.is_file(),
                named: true,
                in_scope: true,
                class: Class::Deployable,
                rendered_by_overlay: false,
            });
        } else {
            let what = read::file_type_name(&metadata.file_type());
            discovery.errors.push((
                display(path),
                format!("is a {what}, not a file or directory; paved does not read it"),
            ));
        }
    }
    add_kustomize_context(&mut discovery, &walks, exclude, threads, &cwd);
    add_module_context(&mut discovery);
    root_paths.sort();
    root_paths.dedup_by(|a, b| a.0 == b.0);
    assign_roots(&mut discovery, &root_paths);
    discovery.roots = root_paths
        .into_iter()
        .map(|(path, boundary)| Root::new(path, boundary))
        .collect();
    discovery.files.sort_by(|a, b| a.display.cmp(&b.display));
    dedup_by_real_path(&mut discovery.files, &keys, &walks, &scopes);
    mark_kustomize_patches(&mut discovery.files);
    mark_charts(&mut discovery.files);
    discovery
}

/// From inside the repository (`cd k8s && paved lint`), walked files show as they are
/// reached from here: `a.yaml`, not `../k8s/a.yaml`.
fn show_from_here(files: &mut [Candidate], walk_path: &Path, walk_real: &Path, cwd: &Path) {
    if !walk_path.starts_with("..") {
        return;
    }
    for file in files {
        if let Ok(rest) = file.path.strip_prefix(walk_path) {
            file.display = relative(&walk_real.join(rest), cwd).display().to_string();
        }
    }
}

/// The kustomizations of the git repositories of the YAML and JSON files named on the
/// command line (a pre-commit hook names the staged files): a named base is then linted
/// through the overlays that use it and a named patch is never judged as a whole object,
/// as when the repository is walked. They are context only: no file or repository rules run
/// on them, and an overlay is built only when it uses a named file.
fn add_kustomize_context(
    discovery: &mut Discovery,
    walks: &[(PathBuf, PathBuf)],
    exclude: &GlobSet,
    threads: usize,
    cwd: &Path,
) {
    let mut repositories: Vec<(PathBuf, bool)> = discovery
        .files
        .iter()
        .filter(|c| c.named && matches!(c.format, Some((Format::Yaml | Format::Json, _))))
        .map(|c| (c.boundary.to_path_buf(), c.path.is_absolute()))
        .filter(|(repository, _)| read::is_repository_root(repository))
        .filter(|(repository, _)| !walks.iter().any(|(_, w)| repository.starts_with(w)))
        .collect();
    repositories.sort();
    repositories.dedup_by(|a, b| a.0 == b.0);
    for (repository, absolute) in repositories {
        let walk_path = shown(&repository, absolute, cwd);
        let boundary: Arc<Path> = repository.clone().into();
        let is_kustomization = |c: &Candidate| matches!(c.format, Some((_, Kind::Kustomization)));
        // git's index lists them without reading every directory of a large monorepo (a
        // staged overlay is in it); a walk when there is no git.
        let mut kustomizations: Vec<Candidate> = match crate::git::tracked_files(&repository) {
            Ok(tracked) => tracked
                .into_iter()
                .filter(|relative| {
                    let name = relative.rsplit('/').next().unwrap_or_default();
                    name.to_ascii_lowercase().starts_with("kustomization")
                        && !exclude.is_match(relative)
                })
                .map(|relative| context_candidate(walk_path.join(&relative), relative, &boundary))
                .filter(is_kustomization)
                .collect(),
            Err(_) => {
                let mut walked = Discovery::default();
                walk(
                    &walk_path,
                    &repository,
                    exclude,
                    threads,
                    &boundary,
                    &mut walked,
                );
                walked
                    .files
                    .into_iter()
                    .filter(is_kustomization)
                    .map(|c| Candidate {
                        root: None,
                        in_scope: false,
                        ..c
                    })
                    .collect()
            }
        };
        show_from_here(&mut kustomizations, &walk_path, &repository, cwd);
        discovery.files.extend(kustomizations);
    }
}

/// The other `.tf` files of the directories of Terraform files named on the command line: a
/// module spans its files (a provider's `default_tags` in `providers.tf` tags the resources
/// of a staged `main.tf`), as when the directory is walked. Context only: not linted.
fn add_module_context(discovery: &mut Discovery) {
    let is_module_file = crate::modules::is_module_file;
    let named: Vec<(PathBuf, Arc<Path>)> = discovery
        .files
        .iter()
        .filter(|c| c.named && c.format == Some((Format::Hcl, Kind::Terraform)))
        .filter(|c| is_module_file(&c.path))
        .map(|c| (c.path.clone(), Arc::clone(&c.boundary)))
        .collect();
    let given: HashSet<PathBuf> = named.iter().map(|(path, _)| kustomize::key(path)).collect();
    let mut directories: Vec<(PathBuf, Arc<Path>)> = named
        .into_iter()
        .map(|(path, boundary)| {
            (
                path.parent().unwrap_or(Path::new("")).to_path_buf(),
                boundary,
            )
        })
        .collect();
    directories.sort();
    directories.dedup_by(|a, b| a.0 == b.0);
    for (directory, boundary) in directories {
        let Ok(entries) = std::fs::read_dir(if directory.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &directory
        }) else {
            continue;
        };
        let mut siblings: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| directory.join(entry.file_name()))
            .filter(|path| is_module_file(path) && !given.contains(&kustomize::key(path)))
            .collect();
        siblings.sort();
        discovery.files.extend(siblings.into_iter().map(|path| {
            let relative = display(&path);
            context_candidate(path, relative, &boundary)
        }));
    }
}

/// A file read for context only (a named file's kustomizations or module): not linted, in no
/// repository, and read with every check, since nothing here looked at what it is (a link,
/// a FIFO).
fn context_candidate(path: PathBuf, relative: String, boundary: &Arc<Path>) -> Candidate {
    Candidate {
        display: display(&path),
        format: classify(&path),
        root: None,
        boundary: Arc::clone(boundary),
        special: true,
        named: false,
        in_scope: false,
        class: Class::Deployable,
        rendered_by_overlay: false,
        relative,
        path,
    }
}

/// Gives the files a kustomization uses as patches the kind `kustomize-patch`, so that no
/// rule judges a fragment as a whole object. A kustomization that cannot be read or parsed
/// marks nothing here; the file pass reports it.
fn mark_kustomize_patches(files: &mut [Candidate]) {
    let patches: HashSet<PathBuf> = files
        .iter()
        .filter(|c| matches!(c.format, Some((_, Kind::Kustomization))))
        .filter_map(|c| {
            let bytes = read::read(&c.path, &c.boundary).ok()?;
            let text = crate::parse::decode(&bytes).ok()?;
            let parsed = crate::parse::parse(
                text,
                Format::Yaml,
                Kind::Kustomization,
                crate::parse::Options::default(),
            );
            let document = parsed.documents.into_iter().next()?;
            Some(kustomize::patch_files(
                c.path.parent().unwrap_or(Path::new("")),
                &document.value,
            ))
        })
        .flatten()
        .collect();
    if patches.is_empty() {
        return;
    }
    for candidate in files.iter_mut() {
        if let Some((format @ (Format::Yaml | Format::Json), Kind::Yaml | Kind::Json)) =
            candidate.format
        {
            if patches.contains(&kustomize::key(&candidate.path)) {
                candidate.format = Some((format, Kind::KustomizePatch));
            }
        }
    }
}

/// A directory with `Chart.yaml` is a Helm chart: its `Chart.yaml` is a `helm-chart`
/// document (which renders the chart), its `values*.yaml` and `ci/*-values.yaml` are
/// `helm-values`, and its `templates/`, `charts/` and `crds/` are inputs of the chart, read
/// when it renders, never parsed as plain YAML.
fn mark_charts(files: &mut [Candidate]) {
    let charts: HashSet<PathBuf> = files
        .iter()
        .filter(|c| c.path.file_name().is_some_and(|n| n == "Chart.yaml"))
        .filter_map(|c| c.path.parent().map(Path::to_path_buf))
        .collect();
    if charts.is_empty() {
        return;
    }
    for file in files.iter_mut() {
        // The outermost chart decides: a chart in another's charts/ is part of it.
        let role = file
            .path
            .ancestors()
            .skip(1)
            .filter(|dir| charts.contains(*dir))
            .last()
            .and_then(|chart| chart_role(file.path.strip_prefix(chart).ok()?));
        match role {
            Some(ChartRole::Rendered) => file.format = None,
            Some(ChartRole::Kind(kind)) => file.format = Some((crate::parse::Format::Yaml, kind)),
            None => {}
        }
    }
}

pub(crate) enum ChartRole {
    /// Read when the chart renders.
    Rendered,
    Kind(Kind),
}

/// What a file is to the chart it is in, by its path in the chart.
pub(crate) fn chart_role(inside: &Path) -> Option<ChartRole> {
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let yaml = |name: &str| name.ends_with(".yaml") || name.ends_with(".yml");
    match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["templates" | "charts" | "crds", ..] => Some(ChartRole::Rendered),
        ["Chart.yaml"] => Some(ChartRole::Kind(Kind::HelmChart)),
        [name] if name.starts_with("values") && yaml(name) => {
            Some(ChartRole::Kind(Kind::HelmValues))
        }
        ["ci", name] if name.ends_with("-values.yaml") || name.ends_with("-values.yml") => {
            Some(ChartRole::Kind(Kind::HelmValues))
        }
        _ => None,
    }
}

/// How to show a repository found above a directory given: relative to the working
/// directory when the directory was given relative (`..`, `../..`), else absolute.
fn shown(repository: &Path, absolute: bool, cwd: &Path) -> PathBuf {
    if absolute {
        repository.to_path_buf()
    } else {
        relative(repository, cwd)
    }
}

/// `path` relative to `base` (both real paths), with `..` where it lies above.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let common = base
        .ancestors()
        .find(|a| path.starts_with(a))
        .unwrap_or(Path::new("/"));
    let up = base.components().count() - common.components().count();
    let mut shown: PathBuf = std::iter::repeat_n("..", up).collect();
    let below = path.strip_prefix(common).unwrap_or(path);
    if !below.as_os_str().is_empty() {
        shown.push(below);
    }
    if shown.as_os_str().is_empty() {
        shown.push(".");
    }
    shown
}

/// Keeps the first of the candidates that are one file (by display, then by real path: a
/// file named on the command line that a walk also found), marks the walked files outside
/// every directory given (a walk from the repository root above them) as read for the
/// repository model only, and classes each walked file by its path below the one given.
fn dedup_by_real_path(
    files: &mut Vec<Candidate>,
    named: &HashMap<PathBuf, PathBuf>,
    walks: &[(PathBuf, PathBuf)],
    scopes: &[PathBuf],
) {
    files.dedup_by(|a, b| a.display == b.display);
    // A walked file's real path is its walk's real path and the rest as walked (the walk
    // follows no symlinks): no system call per file.
    let real = |candidate: &Candidate| -> PathBuf {
        if let Some(real) = named.get(&candidate.path) {
            return real.clone();
        }
        walks
            .iter()
            .find_map(|(given, real)| {
                candidate
                    .path
                    .strip_prefix(given)
                    .ok()
                    .map(|rest| real.join(rest))
            })
            .unwrap_or_else(|| candidate.path.clone())
    };
    let mut seen = HashSet::new();
    files.retain_mut(|candidate| {
        let real = real(candidate);
        if !candidate.named {
            let scope = scopes.iter().find(|scope| real.starts_with(scope));
            candidate.in_scope = scope.is_some();
            // Below the directory given, and below its repository: the shorter path is
            // the one the user's choice and the repository's layout both allow.
            if let Some(below) = scope.and_then(|s| real.strip_prefix(s).ok()) {
                let below = below.to_string_lossy();
                candidate.class = Class::of_path(if below.len() < candidate.relative.len() {
                    &below
                } else {
                    &candidate.relative
                });
            }
        }
        seen.insert(real)
    });
}

#[cfg(unix)]
fn is_fifo(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    metadata.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Each walked file belongs to the deepest root above it.
fn assign_roots(discovery: &mut Discovery, roots: &[(PathBuf, Arc<Path>)]) {
    let index: HashMap<&Path, usize> = roots
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.as_path(), i))
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

/// Walks `dir`, adding its files to `discovery`; returns the repositories nested in it.
fn walk(
    dir: &Path,
    real: &Path,
    exclude: &GlobSet,
    threads: usize,
    boundary: &Arc<Path>,
    discovery: &mut Discovery,
) -> Vec<PathBuf> {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let nested_roots = Mutex::new(Vec::new());
    let walk_root = dir.to_path_buf();
    let excluded = exclude.clone();
    let ignores = Arc::new(IgnoreFiles::new(dir, real, boundary));
    let filter = Arc::clone(&ignores);
    // paved reads `.gitignore` and `.ignore` itself (see [`IgnoreFiles`]): the walker's
    // own reading would block on a FIFO and follow a symlink out of the repository.
    WalkBuilder::new(dir)
        .standard_filters(false)
        .threads(threads)
        .filter_entry(move |entry| {
            let relative = entry
                .path()
                .strip_prefix(&walk_root)
                .unwrap_or(entry.path());
            if relative.as_os_str().is_empty() {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            entry.file_name() != ".git"
                && !excluded.is_match(relative)
                && !filter.skips(entry.path(), is_dir)
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_dir()) => {
                        if entry.depth() > 0 && entry.path().join(".git").exists() {
                            nested_roots.lock().expect("roots").push(entry.into_path());
                        }
                    }
                    Ok(entry) if entry.depth() > 0 => {
                        let special = !entry.file_type().is_some_and(|t| t.is_file());
                        let path = entry.into_path();
                        found.lock().expect("walk results").push(Candidate {
                            relative: String::new(),
                            display: display(&path),
                            format: classify(&path),
                            root: Some(WALKED),
                            boundary: Arc::clone(boundary),
                            special,
                            named: false,
                            in_scope: true,
                            class: Class::Deployable,
                            rendered_by_overlay: false,
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
    discovery.ignored += ignores.ignored.load(Ordering::Relaxed);
    for error in errors.into_inner().expect("walk errors") {
        discovery.errors.push((display(dir), error));
    }
    nested_roots.into_inner().expect("roots")
}

/// `.gitignore`, `.ignore` and `.git/info/exclude`, read safely, with git's tracked files
/// kept: an ignore file in a pull request must not hide committed configuration from the
/// gate. Rules of directories above the walked one count up to its repository's root.
struct IgnoreFiles {
    /// The walked directory as given, and its real path: rules are matched on real paths.
    given: PathBuf,
    real: PathBuf,
    /// The highest directory whose rules apply: the repository root above the walk, or
    /// the walked directory.
    top: PathBuf,
    boundary: Arc<Path>,
    directories: Mutex<HashMap<PathBuf, Arc<DirectoryRules>>>,
    /// Per repository root, its tracked files and their directories, read on first need.
    tracked: Mutex<HashMap<PathBuf, Arc<HashSet<PathBuf>>>>,
    ignored: AtomicUsize,
}

struct DirectoryRules {
    rules: Option<Gitignore>,
    is_repository: bool,
}

impl IgnoreFiles {
    fn new(dir: &Path, real: &Path, boundary: &Arc<Path>) -> IgnoreFiles {
        let top = real
            .ancestors()
            .find(|a| a.join(".git").exists())
            .unwrap_or(real)
            .to_path_buf();
        IgnoreFiles {
            given: dir.to_path_buf(),
            real: real.to_path_buf(),
            top,
            boundary: Arc::clone(boundary),
            directories: Mutex::default(),
            tracked: Mutex::default(),
            ignored: AtomicUsize::new(0),
        }
    }

    /// Whether the walk leaves `path` out: ignored, and not tracked by git.
    fn skips(&self, path: &Path, is_dir: bool) -> bool {
        let path = self
            .real
            .join(path.strip_prefix(&self.given).unwrap_or(path));
        let Some(repository) = self.ignoring(&path, is_dir) else {
            return false;
        };
        if repository.is_some_and(|repo| self.is_tracked(&repo, &path)) {
            return false;
        }
        self.ignored.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// `Some(its repository root, if any)` when an ignore file ignores `path`: the deepest
    /// directory with a matching rule decides; no rule above a repository root applies.
    fn ignoring(&self, path: &Path, is_dir: bool) -> Option<Option<PathBuf>> {
        let mut verdict = None;
        for dir in path.ancestors().skip(1) {
            let rules = self.rules_of(dir);
            if let (None, Some(matcher)) = (verdict, &rules.rules) {
                verdict = match matcher.matched_path_or_any_parents(path, is_dir) {
                    ignore::Match::Ignore(_) => Some(true),
                    ignore::Match::Whitelist(_) => Some(false),
                    ignore::Match::None => None,
                };
            }
            if rules.is_repository || dir == self.top {
                let repository = rules.is_repository.then(|| dir.to_path_buf());
                return verdict.filter(|&ignored| ignored).map(|_| repository);
            }
        }
        verdict.filter(|&ignored| ignored).map(|_| None)
    }

    fn rules_of(&self, dir: &Path) -> Arc<DirectoryRules> {
        if let Some(rules) = self.directories.lock().expect("ignore rules").get(dir) {
            return Arc::clone(rules);
        }
        let is_repository = dir.join(".git").exists();
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        let mut sources = vec![dir.join(".gitignore"), dir.join(".ignore")];
        if is_repository {
            sources.insert(0, dir.join(".git/info/exclude"));
        }
        for source in sources {
            // An unsafe ignore file is reported where the walk lists it, and ignored here.
            let Some(Ok(text)) = read::read_text_if_present(&source, &self.boundary) else {
                continue;
            };
            for line in text.lines() {
                any |= builder.add_line(Some(source.clone()), line).is_ok();
            }
        }
        let rules = Arc::new(DirectoryRules {
            rules: any.then(|| builder.build().ok()).flatten(),
            is_repository,
        });
        self.directories
            .lock()
            .expect("ignore rules")
            .insert(dir.to_path_buf(), Arc::clone(&rules));
        rules
    }

    fn is_tracked(&self, repository: &Path, path: &Path) -> bool {
        let tracked = {
            let mut all = self.tracked.lock().expect("tracked files");
            Arc::clone(
                all.entry(repository.to_path_buf())
                    .or_insert_with(|| Arc::new(tracked_paths(repository))),
            )
        };
        tracked.contains(path)
    }
}

/// The files git tracks in `repository`, and every directory holding one, as paths under
/// `repository` as given. Empty when git is missing or refuses (the ignore files then
/// decide alone).
fn tracked_paths(repository: &Path) -> HashSet<PathBuf> {
    let mut paths = HashSet::new();
    let Ok(names) = crate::git::tracked_files(repository) else {
        return paths;
    };
    for name in names {
        let mut path = repository.join(name);
        while paths.insert(path.clone()) {
            match path.parent() {
                Some(parent) if parent != repository => path = parent.to_path_buf(),
                _ => break,
            }
        }
    }
    paths
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
        let found = discover(&[root.to_path_buf()], &exclude, 2, None);
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
        let found = discover(&[dir.path().to_path_buf()], &GlobSet::empty(), 2, None);
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
    fn chart_files_have_chart_kinds_and_templates_are_not_parsed() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "app/Chart.yaml",
            "app/values.yaml",
            "app/values-prod.yaml",
            "app/ci/small-values.yaml",
            "app/ci/notes.yaml",
            "app/templates/deploy.yaml",
            "app/crds/crd.yaml",
            "app/charts/db/Chart.yaml",
            "app/charts/db/values.yaml",
            "app/files/extra.yaml",
            "other/values.yaml",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &GlobSet::empty(), 1, None);
        let kinds: Vec<(String, Option<Kind>)> = found
            .files
            .iter()
            .map(|c| {
                let name = c
                    .path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string();
                (name, c.format.map(|(_, k)| k))
            })
            .collect();
        let expected = [
            ("app/Chart.yaml", Some(Kind::HelmChart)),
            ("app/charts/db/Chart.yaml", None),
            ("app/charts/db/values.yaml", None),
            ("app/ci/notes.yaml", Some(Kind::Yaml)),
            ("app/ci/small-values.yaml", Some(Kind::HelmValues)),
            ("app/crds/crd.yaml", None),
            ("app/files/extra.yaml", Some(Kind::Yaml)),
            ("app/templates/deploy.yaml", None),
            ("app/values-prod.yaml", Some(Kind::HelmValues)),
            ("app/values.yaml", Some(Kind::HelmValues)),
            ("other/values.yaml", Some(Kind::Yaml)),
        ];
        let expected: Vec<(String, Option<Kind>)> =
            expected.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        assert_eq!(kinds, expected);
    }

    #[test]
    fn missing_paths_are_errors_not_panics() {
        let found = discover(
            &[PathBuf::from("/no/such/path")],
            &GlobSet::empty(),
            1,
            None,
        );
        assert_eq!(found.errors.len(), 1);
        assert!(found.files.is_empty());
    }
}
