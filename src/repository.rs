//! The repository model: one `repository` document per repository root, a digest of what
//! repository-level rules read (files, CI and catalog documents, workloads, CODEOWNERS,
//! languages) rather than a copy of every document.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::finding::Location;
use crate::parse::{Document, Kind, Node, PathSegment};
use crate::source::{SourceFile, Span};

/// The kinds whose whole documents go into the model, by path.
pub fn keeps_document(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::GithubActions | Kind::GitlabCi | Kind::Backstage | Kind::Dockerfile
    )
}

/// What the file pass keeps of one file for its repository.
#[derive(Debug, Default)]
pub struct FileDigest {
    /// Path relative to the repository root.
    pub relative: String,
    /// Path as shown in findings.
    pub display: String,
    pub documents: Vec<Document>,
    /// Workload summaries, with where each one starts.
    pub workloads: Vec<(Value, Span)>,
}

impl FileDigest {
    pub fn add(&mut self, document: &Document) {
        if keeps_document(document.kind) {
            self.documents.push(document.clone());
        }
        if document.kind == Kind::Kubernetes {
            if let Some(workload) = workload(&self.relative, &document.value) {
                self.workloads.push((workload, document.anchor.clone()));
            }
        }
    }
}

/// The pod template of a workload object, and its metadata.
fn workload(file: &str, object: &Value) -> Option<Value> {
    let kind = object["kind"].as_str()?;
    let pod_spec = match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            &object["spec"]["template"]
        }
        "CronJob" => &object["spec"]["jobTemplate"]["spec"]["template"],
        "Pod" => object,
        _ => return None,
    };
    let mut labels = object["metadata"]["labels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut annotations = object["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if kind != "Pod" {
        labels.extend(
            pod_spec["metadata"]["labels"]
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        annotations.extend(
            pod_spec["metadata"]["annotations"]
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
    }
    let containers: Vec<Value> = ["initContainers", "containers"]
        .iter()
        .filter_map(|key| pod_spec["spec"][key].as_array())
        .flatten()
        .map(|c| {
            let env: Vec<&Value> = c["env"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("name"))
                .collect();
            json!({"name": c["name"], "image": c["image"], "env": env})
        })
        .collect();
    Some(json!({
        "file": file,
        "kind": kind,
        "name": object["metadata"]["name"],
        "namespace": object["metadata"]["namespace"],
        "labels": labels,
        "annotations": annotations,
        "containers": containers,
    }))
}

/// Where the parts of a repository document come from, to locate its findings.
#[derive(Default)]
pub struct Origins {
    root: String,
    /// Display path and source map of each kept document, by relative path.
    documents: BTreeMap<String, (String, Node)>,
    /// `(display path, span)` of each workload, codeowners entry and dependency.
    workloads: Vec<(String, Span)>,
    codeowners: Vec<(String, usize)>,
    files: Vec<String>,
}

/// Builds the repository document of one root from its files' digests.
pub fn build(root: &Path, root_display: &str, mut digests: Vec<FileDigest>) -> (Value, Origins) {
    digests.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut origins = Origins {
        root: root_display.to_string(),
        ..Origins::default()
    };
    let mut documents = Map::new();
    let mut workloads = Vec::new();
    let mut languages = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    for digest in digests {
        if let Some(language) = language_of(&digest.relative) {
            languages.insert(language);
        }
        files.push(Value::String(digest.relative.clone()));
        origins.files.push(digest.display.clone());
        for document in digest.documents {
            let key = if document.index == 0 {
                digest.relative.clone()
            } else {
                format!("{}#{}", digest.relative, document.index)
            };
            documents.insert(key.clone(), document.value);
            origins
                .documents
                .insert(key, (digest.display.clone(), document.map));
        }
        for (workload, span) in digest.workloads {
            workloads.push(workload);
            origins.workloads.push((digest.display.clone(), span));
        }
    }
    let codeowners = read_codeowners(root, root_display, &mut origins);
    let value = json!({
        "root": root_display,
        "files": files,
        "documents": documents,
        "workloads": workloads,
        "codeowners": codeowners,
        "dependencies": [],
        "languages": languages.into_iter().collect::<Vec<_>>(),
    });
    (value, origins)
}

const CODEOWNERS_PLACES: [&str; 3] = ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"];

/// GitHub reads the first CODEOWNERS it finds in `.github/`, the root, then `docs/`; every
/// present one is listed with its entries so rules can also flag the shadowed ones.
fn read_codeowners(root: &Path, root_display: &str, origins: &mut Origins) -> Vec<Value> {
    let mut entries = Vec::new();
    for place in CODEOWNERS_PLACES {
        let Ok(text) = std::fs::read_to_string(root.join(place)) else {
            continue;
        };
        let display = join_display(root_display, place);
        for (number, line) in text.lines().enumerate() {
            let content = line.split(" #").next().unwrap_or("").trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let mut parts = content.split_whitespace();
            let pattern = parts.next().unwrap_or_default();
            let owners: Vec<&str> = parts.collect();
            entries.push(
                json!({"file": place, "pattern": pattern, "owners": owners, "line": number + 1}),
            );
            origins.codeowners.push((display.clone(), number + 1));
        }
    }
    entries
}

fn join_display(root: &str, relative: &str) -> String {
    if root == "." || root.is_empty() {
        relative.to_string()
    } else {
        format!("{}/{relative}", root.trim_end_matches('/'))
    }
}

fn language_of(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1;
    Some(match extension {
        "py" => "python",
        "go" => "go",
        "rs" => "rust",
        "js" | "jsx" | "mjs" | "cjs" => "javascript",
        "ts" | "tsx" => "typescript",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "rb" => "ruby",
        "cs" => "csharp",
        "php" => "php",
        "scala" => "scala",
        "swift" => "swift",
        "c" | "h" => "c",
        "cc" | "cpp" | "hpp" => "cpp",
        _ => return None,
    })
}

impl Origins {
    /// The location of a path into the repository document: the file (and place in it)
    /// the path leads to, or the repository root.
    pub fn locate(&self, path: Option<&[PathSegment]>) -> (Location, Option<String>) {
        let root = || (Location::file_only(self.root.clone()), None);
        let Some(path) = path else { return root() };
        let index = |i: usize| match path.get(i) {
            Some(PathSegment::Index(n)) => Some(*n),
            _ => None,
        };
        match path.first() {
            Some(PathSegment::Key(k)) if k == "documents" => {
                let Some(PathSegment::Key(key)) = path.get(1) else {
                    return root();
                };
                let Some((display, map)) = self.documents.get(key) else {
                    return root();
                };
                let Ok(text) = std::fs::read_to_string(display) else {
                    return (Location::file_only(display.clone()), None);
                };
                let rest = &path[2..];
                let found = map.resolve(rest);
                let label =
                    (found.matched < rest.len()).then(|| missing_label(&rest[found.matched]));
                (
                    Location::at(display.clone(), &SourceFile::new(&text), found.span()),
                    label,
                )
            }
            Some(PathSegment::Key(k)) if k == "workloads" => {
                match index(1).and_then(|i| self.workloads.get(i)) {
                    Some((display, span)) => located(display, span.clone()),
                    None => root(),
                }
            }
            Some(PathSegment::Key(k)) if k == "codeowners" => {
                match index(1).and_then(|i| self.codeowners.get(i)) {
                    Some((display, line)) => match std::fs::read_to_string(display) {
                        Ok(text) => {
                            let source = SourceFile::new(&text);
                            (
                                Location::at(display.clone(), &source, source.line_span(*line)),
                                None,
                            )
                        }
                        Err(_) => (Location::file_only(display.clone()), None),
                    },
                    None => root(),
                }
            }
            Some(PathSegment::Key(k)) if k == "files" => {
                match index(1).and_then(|i| self.files.get(i)) {
                    Some(display) => (Location::file_only(display.clone()), None),
                    None => root(),
                }
            }
            _ => root(),
        }
    }
}

fn located(display: &str, span: Span) -> (Location, Option<String>) {
    match std::fs::read_to_string(display) {
        Ok(text) => (Location::at(display, &SourceFile::new(&text), span), None),
        Err(_) => (Location::file_only(display), None),
    }
}

/// The label of a finding whose path goes past what exists.
pub fn missing_label(segment: &PathSegment) -> String {
    format!("`{segment}` is missing here")
}
