//! OPA's bundle format on disk, so bundles built for OPA or pulled by conftest load as they
//! are: `.rego` files; `data.json`/`data.yaml` at any depth, each the value of `data` at its
//! directory's path (`a/b/data.json` is `data.a.b`); and an optional `.manifest` whose
//! `roots` are the only package and data paths the bundle may define.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{read_data, read_path, PolicyError, PolicyFile};

const DATA_FILES: [&str; 2] = ["data.json", "data.yaml"];

/// What a bundle adds: its policy files and its data documents (each to merge into `data`).
#[derive(Debug, Default)]
pub struct Bundle {
    pub files: Vec<PolicyFile>,
    pub data: Vec<Value>,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    roots: Option<Vec<String>>,
}

/// Reads a bundle directory (or a single policy file).
pub fn read(path: &Path) -> Result<Bundle, PolicyError> {
    let files = read_path(path)?;
    if !path.is_dir() {
        return Ok(Bundle {
            files,
            data: Vec::new(),
        });
    }
    let roots = manifest_roots(path)?;
    let mut data = Vec::new();
    let mut data_files: Vec<_> = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| DATA_FILES.iter().any(|n| e.file_name() == *n))
        .map(|e| e.into_path())
        .collect();
    data_files.sort();
    for file in data_files {
        let dir = file
            .parent()
            .and_then(|p| p.strip_prefix(path).ok())
            .unwrap_or(Path::new(""));
        let segments: Vec<String> = dir
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        for value in read_data(&file)? {
            let defined: Vec<String> = if segments.is_empty() {
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone())
                    .collect()
            } else {
                vec![segments.join("/")]
            };
            if let Some(outside) = defined.iter().find(|p| !under_roots(&roots, p)) {
                return Err(outside_roots(&file, "data path", outside, &roots));
            }
            let nested = segments.iter().rev().fold(value, |inner, key| {
                Value::Object([(key.clone(), inner)].into_iter().collect())
            });
            data.push(nested);
        }
    }
    for file in &files {
        if let Some(package) = package_of(&file.text) {
            if !under_roots(&roots, &package.replace('.', "/")) {
                return Err(outside_roots(
                    Path::new(&file.path),
                    "package",
                    &package,
                    &roots,
                ));
            }
        }
    }
    Ok(Bundle { files, data })
}

/// `.manifest`'s roots; `None` (everything) without a manifest or without `roots`.
fn manifest_roots(dir: &Path) -> Result<Option<Vec<String>>, PolicyError> {
    let path = dir.join(".manifest");
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| PolicyError {
        file: path.display().to_string(),
        line: Some(e.line()),
        message: format!("not an OPA bundle manifest: {e}"),
    })?;
    Ok(manifest.roots)
}

fn under_roots(roots: &Option<Vec<String>>, path: &str) -> bool {
    roots.as_ref().is_none_or(|roots| {
        roots.iter().any(|root| {
            let root = root.trim_matches('/');
            root.is_empty() || path == root || path.starts_with(&format!("{root}/"))
        })
    })
}

fn outside_roots(file: &Path, what: &str, name: &str, roots: &Option<Vec<String>>) -> PolicyError {
    PolicyError {
        file: file.display().to_string(),
        line: None,
        message: format!(
            "{what} `{name}` is outside the bundle's roots ({}) named in its .manifest",
            roots.as_deref().unwrap_or_default().join(", ")
        ),
    }
}

/// The package a Rego file declares (`package a.b` → `a.b`).
fn package_of(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("package ")?;
        let name = rest.split(|c: char| c.is_whitespace() || c == '#').next()?;
        Some(name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn data_files_land_at_their_directory_path() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("data.json", r#"{"top": 1}"#),
                ("k8s/registries/data.yaml", "allowed: [ghcr.io]\n"),
                ("k8s/deny.rego", "package k8s\n"),
                ("k8s/fixture.json", r#"{"not": "data"}"#),
            ],
        );
        let bundle = read(dir.path()).unwrap();
        assert_eq!(bundle.files.len(), 1);
        assert_eq!(
            bundle.data,
            vec![
                serde_json::json!({"top": 1}),
                serde_json::json!({"k8s": {"registries": {"allowed": ["ghcr.io"]}}}),
            ]
        );
    }

    #[test]
    fn manifest_roots_bound_packages_and_data() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (".manifest", r#"{"revision": "1", "roots": ["k8s"]}"#),
                ("k8s/data.json", r#"{"a": 1}"#),
                ("k8s/deny.rego", "package k8s.deny # rules\n"),
            ],
        );
        assert_eq!(read(dir.path()).unwrap().data.len(), 1);
        write(dir.path(), &[("other/x.rego", "package other\n")]);
        let error = read(dir.path()).unwrap_err();
        assert_eq!(
            error.message,
            "package `other` is outside the bundle's roots (k8s) named in its .manifest"
        );
        assert!(error.file.ends_with("other/x.rego"));
    }
}
