//! `helmCharts`: each chart is rendered in-process by paved's Helm renderer, as kustomize's
//! HelmChartInflationGenerator has `helm template` do it, and its objects join the build
//! as resources (the kustomization's transformers then apply to them). Every node keeps
//! the chart template line that wrote it. Nothing is fetched: a chart that is not in the
//! chart home is a note naming it, and the rest builds.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::build::{
    error_at, note_at, objects_of, BuildError, BuildNote, Built, Cause, Kustomization,
};
use super::load::{self, Located};
use super::resources::{Place, Resource};
use crate::render::helm::chart::Chart;
use crate::render::helm::render::{render, Manifest, Output, Release};
use crate::render::helm::values::merge;

/// Where kustomize looks for charts when `helmGlobals.chartHome` does not say.
const DEFAULT_CHART_HOME: &str = "charts";

/// Renders every `helmCharts` entry of `k` into `resources`.
pub fn inflate(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut Vec<Resource>,
    built: &mut Built,
) {
    for (entry, place) in k.entries("helmCharts") {
        match inflate_one(k, entry, &place, boundary, built) {
            Ok(objects) => resources.extend(objects),
            Err(error) => built.errors.push(error),
        }
    }
}

/// A non-empty string field of a `helmCharts` entry.
fn text<'a>(entry: &'a Value, key: &str) -> Option<&'a str> {
    entry[key].as_str().filter(|s| !s.is_empty())
}

/// Where the chart of a `helmCharts` entry of the kustomization `kustomization` in `dir`
/// is: `<chartHome>/<name>`, or `<chartHome>/<name>-<version>/<name>` when the entry names
/// a version and a repository (where `helm pull` would have put it); `None` without a name.
pub fn chart_dir(dir: &Path, kustomization: &Value, entry: &Value) -> Option<PathBuf> {
    let name = text(entry, "name")?;
    let home = text(&kustomization["helmGlobals"], "chartHome").unwrap_or(DEFAULT_CHART_HOME);
    let mut chart = dir.join(home);
    if let (Some(version), Some(_)) = (text(entry, "version"), text(entry, "repo")) {
        chart = chart.join(format!("{name}-{version}"));
    }
    Some(chart.join(name))
}

fn inflate_one(
    k: &Kustomization,
    entry: &Value,
    place: &Place,
    boundary: &Path,
    built: &mut Built,
) -> Result<Vec<Resource>, BuildError> {
    let (Some(name), Some(dir)) = (text(entry, "name"), chart_dir(&k.dir, &k.doc.value, entry))
    else {
        return Err(error_at(place, "a helmCharts entry needs a name"));
    };
    if !dir.is_dir() {
        let shown = dir.strip_prefix(&k.dir).unwrap_or(&dir);
        let message = format!(
            "chart {name} is not in {}: charts are not fetched; its objects are not in the build",
            shown.display()
        );
        built.leave_out(place, message);
        return Ok(Vec::new());
    }
    if !load::inside(&dir, boundary) {
        let message = format!(
            "chart {name} ({}) is outside the repository; paved does not read it",
            dir.display()
        );
        return Err(error_at(place, message));
    }
    let chart = Chart::load(&dir, boundary)
        .map_err(|p| at_chart_line(&dir, &p.file, p.line, None, p.message))?;
    for problem in &chart.problems {
        let error = at_chart_line(
            &dir,
            &problem.file,
            problem.line,
            None,
            problem.message.clone(),
        );
        built.errors.push(error);
    }
    let values = values(k, entry, &chart, place, boundary)?;
    for (key, what) in [
        ("apiVersions", "extra API versions"),
        ("nameTemplate", "a release name template"),
    ] {
        if !entry[key].is_null() {
            let message =
                format!("{key} is not applied: paved renders chart {name} without {what}");
            built.notes.push(note_at(place, message));
        }
    }
    let release = Release {
        // kustomize has helm generate a random name when none is given; the chart's
        // name is a stable one.
        name: text(entry, "releaseName").unwrap_or(name).to_string(),
        namespace: text(entry, "namespace").unwrap_or("default").to_string(),
        kube_version: text(entry, "kubeVersion")
            .map(str::to_string)
            .unwrap_or(Release::default().kube_version),
    };
    // Values merged from the kustomization are not traced to their lines (no layers).
    let output = render(&chart, &values, &[], &release);
    for error in &output.errors {
        let failure = at_chart_line(&dir, &error.file, error.line, error.column, String::new());
        match output.without_dependencies(error) {
            None => built.errors.push(BuildError {
                message: format!("chart {name}: {}", error.message),
                ..failure
            }),
            Some(message) => built.notes.push(BuildNote {
                file: failure.file,
                line: failure.line,
                column: failure.column,
                message: format!("chart {name}: {message}"),
            }),
        }
    }
    for missing in &output.missing {
        let message = format!(
            "the dependency {} of chart {name} is not vendored in its charts/: the chart renders without it",
            missing.label()
        );
        built.leave_out(place, message);
    }
    let include_crds = entry["includeCRDs"].as_bool() == Some(true);
    let skip = Skip {
        tests: entry["skipTests"].as_bool() == Some(true),
        hooks: entry["skipHooks"].as_bool() == Some(true),
    };
    let crds = output.crds.iter().filter(|_| include_crds);
    let mut objects = Vec::new();
    for manifest in crds.chain(&output.manifests) {
        let file = dir.join(&manifest.file);
        match load::parse_text(&manifest.text, &file) {
            Ok(documents) => {
                for document in documents.into_iter().filter(|d| !skip.drops(&d.value)) {
                    let placed = in_templates(document, manifest, &output, &dir);
                    objects.extend(objects_of(placed));
                }
            }
            Err(mut error) => {
                let line = error.line;
                error.message = format!(
                    "chart {name}: {} renders YAML that does not parse: {}",
                    manifest.name, error.message
                );
                if let Some(origin) = manifest.origins.get(line.wrapping_sub(1)) {
                    error.file = dir.join(
                        output
                            .sources
                            .get(&*origin.template)
                            .unwrap_or(&manifest.file),
                    );
                    (error.line, error.column) = (origin.line, origin.column);
                }
                built.errors.push(error);
            }
        }
    }
    Ok(objects)
}

/// The values `helm template` gets: `valuesFile` (the chart's own `values.yaml` when none is
/// named) with `valuesInline` over it (`override`, the default), under it (`merge`) or
/// instead of it (`replace`).
fn values(
    k: &Kustomization,
    entry: &Value,
    chart: &Chart,
    place: &Place,
    boundary: &Path,
) -> Result<Value, BuildError> {
    let mode = text(entry, "valuesMerge").unwrap_or("override");
    if !["override", "merge", "replace"].contains(&mode) {
        let message = format!("valuesMerge {mode:?} must be one of merge, override, replace");
        return Err(error_at(place, message));
    }
    let file = match text(entry, "valuesFile") {
        Some(file) => {
            let documents = load::documents(&k.dir.join(file), boundary)?;
            documents
                .into_iter()
                .next()
                .map(|d| d.value)
                .unwrap_or(Value::Object(Default::default()))
        }
        None => chart.values.clone(),
    };
    if !file.is_object() {
        let message = "a values file must be a map of values";
        return Err(error_at(place, message));
    }
    let inline = &entry["valuesInline"];
    if inline.as_object().is_none_or(|m| m.is_empty()) {
        return Ok(file);
    }
    Ok(match mode {
        "override" => {
            let mut values = file;
            merge(&mut values, inline.clone());
            values
        }
        "merge" => {
            let mut values = inline.clone();
            merge(&mut values, file);
            values
        }
        _ => inline.clone(),
    })
}

/// Which rendered objects `skipTests` and `skipHooks` leave out, by their hook annotation
/// as Helm decides it.
struct Skip {
    tests: bool,
    hooks: bool,
}

impl Skip {
    fn drops(&self, object: &Value) -> bool {
        let Some(hooks) = object["metadata"]["annotations"]["helm.sh/hook"].as_str() else {
            return false;
        };
        let is_test = hooks
            .split(',')
            .any(|h| matches!(h.trim(), "test" | "test-success"));
        self.hooks || (self.tests && is_test)
    }
}

/// A rendered document with each node moved from its line of the rendered text to the
/// template line that wrote it (CRDs are not templates: their lines are the file's).
fn in_templates(
    mut document: Located,
    manifest: &Manifest,
    output: &Output,
    dir: &Path,
) -> Located {
    for (_, place) in &mut document.origins.0 {
        if let Some(origin) = manifest.origins.get(place.line.wrapping_sub(1)) {
            let template = output
                .sources
                .get(&*origin.template)
                .unwrap_or(&manifest.file);
            *place = Place {
                file: dir.join(template),
                line: origin.line,
                column: origin.column,
            };
        }
    }
    document
}

/// A problem at a line of a chart file (relative to the chart directory).
fn at_chart_line(
    dir: &Path,
    file: &str,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
) -> BuildError {
    BuildError {
        file: dir.join(file),
        line: line.unwrap_or(1),
        column: column.unwrap_or(1),
        message,
        cause: Cause::Invalid,
    }
}
