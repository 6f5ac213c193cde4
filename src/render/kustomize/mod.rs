//! Kustomize. A kustomization names the files it uses as patches: those are fragments (a
//! Deployment with only a probe, a `$patch: delete`), so they are never linted as objects.
//! [`build`] does what `kustomize build` does, in-process, keeping for every node of every
//! object the base, patch or kustomization line that made it; one file per concern:
//! `load` (reading inside the boundary), `build` (the order of steps), `resources`
//! (objects, origins, selectors), `strategic_merge`, `json6902`, `transformers`,
//! `generators`, `helm_charts`, `replacements`, `vars`.

mod build;
mod generators;
mod helm_charts;
mod json6902;
mod load;
mod replacements;
mod resources;
mod strategic_merge;
mod transformers;
mod vars;

use std::path::{Component, Path, PathBuf};

pub use build::{build, BuildError, BuildNote, Built, BuiltObject};
pub use generators::sorted;
pub use helm_charts::chart_dir;
pub use resources::Place;

use serde_json::Value;

/// The files a kustomization uses as patches, as paths joined to its directory (`dir`
/// as discovery shows it) and normalised: `patches[].path`, `patchesStrategicMerge[]`
/// (entries that are file names, not inline YAML) and `patchesJson6902[].path`.
pub fn patch_files(dir: &Path, kustomization: &Value) -> Vec<PathBuf> {
    let paths_of = |key: &str| -> Vec<&str> {
        let entries = kustomization[key]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        entries
            .iter()
            .filter_map(|entry| entry.as_str().or_else(|| entry["path"].as_str()))
            .filter(|path| !path.contains('\n') && !path.contains("://"))
            .collect()
    };
    let mut files: Vec<PathBuf> = ["patches", "patchesStrategicMerge", "patchesJson6902"]
        .into_iter()
        .flat_map(paths_of)
        .map(|path| key(&dir.join(path)))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A file's identity, for matching what builds read and name against the files paved
/// found: absolute, with `.` and `name/..` removed, without asking the file system, so the
/// same file found by a walk from a subdirectory (`../../base/app.yaml`) and named from here
/// (`app.yaml`) is one.
pub fn key(path: &Path) -> PathBuf {
    static CWD: std::sync::LazyLock<PathBuf> =
        std::sync::LazyLock::new(|| std::env::current_dir().unwrap_or_default());
    match path.is_absolute() {
        true => crate::read::tidy(path),
        false => crate::read::tidy(&CWD.join(path)),
    }
}

/// `path` with `.` and `name/..` removed, without asking the file system, to show; `None`
/// when it climbs above where it starts.
pub fn normalise(path: &Path) -> Option<PathBuf> {
    let tidy = crate::read::tidy(path);
    let climbs = tidy.components().any(|c| c == Component::ParentDir);
    (!climbs).then_some(tidy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_form_of_patch_names_its_file() {
        let kustomization = json!({
            "resources": ["../../base", "service.yaml"],
            "patches": [
                {"path": "probe.yaml"},
                {"path": "../common/limits.yaml", "target": {"kind": "Deployment"}},
                {"patch": "- op: replace\n  path: /spec/replicas\n  value: 3\n", "target": {"kind": "Deployment"}}
            ],
            "patchesStrategicMerge": ["./image.yaml", "apiVersion: apps/v1\nkind: Deployment\n"],
            "patchesJson6902": [{"path": "replicas.json", "target": {"kind": "Deployment", "name": "api"}}]
        });
        let files = patch_files(Path::new("/repo/deploy/overlays/prod"), &kustomization);
        let shown: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            shown,
            [
                "/repo/deploy/overlays/common/limits.yaml",
                "/repo/deploy/overlays/prod/image.yaml",
                "/repo/deploy/overlays/prod/probe.yaml",
                "/repo/deploy/overlays/prod/replicas.json",
            ]
        );
        // Found from a subdirectory, the same files have the same keys.
        let cwd = std::env::current_dir().unwrap();
        let from_below = patch_files(
            Path::new("../prod"),
            &json!({"patches": [{"path": "probe.yaml"}]}),
        );
        assert_eq!(from_below, [key(&cwd.join("../prod/probe.yaml"))]);
        assert_eq!(
            key(&cwd.join("../prod/probe.yaml")),
            key(Path::new("../prod/./x/../probe.yaml"))
        );
    }

    #[test]
    fn urls_and_entries_that_are_not_paths_name_nothing() {
        let kustomization = json!({
            "patches": [{"path": 3}, "https://example.com/p.yaml", {"path": "https://example.com/q.yaml"}],
            "patchesStrategicMerge": null
        });
        assert!(patch_files(Path::new("a/b"), &kustomization).is_empty());
    }
}
