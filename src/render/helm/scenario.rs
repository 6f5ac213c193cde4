//! Value sets a chart is rendered with: the chart's own defaults (scenario `default`),
//! then each `ci/*-values.yaml` it ships (chart-testing's convention), each on top of the
//! value files and `--set` overrides the user gave (command line or paved.toml).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value as Json;

use super::chart::{Chart, Problem};
use super::set;
use super::value_sources::{Layer, ValuesFile};
use super::values::merge;

pub const DEFAULT: &str = "default";

/// What the user adds to every scenario of a chart.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Value files, relative to the chart directory (or absolute), in order.
    pub files: Vec<PathBuf>,
    /// `--set` arguments, after the files.
    pub set: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// `default`, or the `ci/` file's path in the chart.
    pub name: String,
    /// The user's values (before coalescing with the chart's defaults).
    pub values: Json,
    /// Where they come from, in the order they were merged (the last wins).
    pub layers: Vec<Layer>,
}

/// The chart's scenarios, and what was wrong with the overrides (reported, then left out).
pub fn scenarios(
    chart: &Chart,
    dir: &Path,
    boundary: &Path,
    overrides: &Overrides,
    with_ci: bool,
) -> (Vec<Scenario>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut base = Json::Object(Default::default());
    let mut layers = Vec::new();
    for file in &overrides.files {
        let path = dir.join(file);
        let shown = file.display().to_string();
        let read = crate::read::read(&path, boundary)
            .map_err(|e| Problem {
                file: shown.clone(),
                line: None,
                message: e.to_string(),
            })
            .and_then(|bytes| ValuesFile::read(&bytes, &shown));
        match read {
            Ok(file) if file.value.is_null() => {}
            Ok(file) if file.value.is_object() => {
                merge(&mut base, file.value.clone());
                layers.push(Layer::File(Arc::new(file)));
            }
            Ok(_) => problems.push(Problem {
                file: shown,
                line: None,
                message: "a values file must be a map of values".into(),
            }),
            Err(problem) => problems.push(problem),
        }
    }
    for text in &overrides.set {
        let mut alone = Json::Object(Default::default());
        match set::apply(text, &mut base).and_then(|()| set::apply(text, &mut alone)) {
            Ok(()) => layers.push(Layer::Set(text.clone(), alone)),
            Err(message) => problems.push(Problem {
                file: "--set".into(),
                line: None,
                message,
            }),
        }
    }
    let mut scenarios = vec![Scenario {
        name: DEFAULT.into(),
        values: base.clone(),
        layers: layers.clone(),
    }];
    if with_ci {
        for (path, bytes) in &chart.files.0 {
            if !is_ci_values(path) {
                continue;
            }
            match ValuesFile::read(bytes, path) {
                Ok(extra) => {
                    let mut values = base.clone();
                    let mut layers = layers.clone();
                    if extra.value.is_object() {
                        merge(&mut values, extra.value.clone());
                        layers.push(Layer::File(Arc::new(extra)));
                    }
                    scenarios.push(Scenario {
                        name: path.clone(),
                        values,
                        layers,
                    });
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    (scenarios, problems)
}

/// `ci/<name>-values.yaml`, directly in the chart's `ci/`.
fn is_ci_values(path: &str) -> bool {
    path.strip_prefix("ci/").is_some_and(|name| {
        !name.contains('/') && (name.ends_with("-values.yaml") || name.ends_with("-values.yml"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_then_each_ci_file_over_the_overrides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("prod.yaml"),
            "replicas: 3\nimage: {tag: a}\n",
        )
        .unwrap();
        let files = [
            ("Chart.yaml", "apiVersion: v2\nname: app\n"),
            ("ci/small-values.yaml", "replicas: 1\n"),
            ("ci/broken-values.yaml", "a: [\n"),
            ("ci/readme.md", "x"),
        ];
        let tree = files
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect();
        let chart = Chart::from_tree(tree, "", false).unwrap();
        let overrides = Overrides {
            files: vec!["prod.yaml".into()],
            set: vec!["image.tag=b".into(), "bad".into()],
        };
        let boundary = dir.path().canonicalize().unwrap();
        let (scenarios, problems) = scenarios(&chart, dir.path(), &boundary, &overrides, true);
        let layer = |layer: &Layer| match layer {
            Layer::File(file) => file.shown.clone(),
            Layer::Set(text, alone) => format!("--set {text} {alone}"),
        };
        let seen: Vec<(&str, Json, Vec<String>)> = scenarios
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.values.clone(),
                    s.layers.iter().map(layer).collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "default",
                    json!({"replicas": 3, "image": {"tag": "b"}}),
                    vec![
                        "prod.yaml".to_string(),
                        r#"--set image.tag=b {"image":{"tag":"b"}}"#.to_string()
                    ]
                ),
                (
                    "ci/small-values.yaml",
                    json!({"replicas": 1, "image": {"tag": "b"}}),
                    vec![
                        "prod.yaml".to_string(),
                        r#"--set image.tag=b {"image":{"tag":"b"}}"#.to_string(),
                        "ci/small-values.yaml".to_string()
                    ]
                ),
            ]
        );
        let problems: Vec<(&str, Option<usize>)> =
            problems.iter().map(|p| (p.file.as_str(), p.line)).collect();
        assert_eq!(
            problems,
            [("--set", None), ("ci/broken-values.yaml", Some(2))]
        );
    }
}
