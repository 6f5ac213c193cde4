//! `paved render`: what paved lints for a Helm chart, printed as `helm template` prints it
//! (`---` and `# Source: <template>` before each manifest), or as JSON for tools.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cli::{RenderArgs, RenderFormat};
use crate::config::{self, HelmChart};
use crate::lint::chart::{chart_part, configure, settings_for};
use crate::parse::{self, Format, Kind};
use crate::render::helm::chart::Problem;
use crate::render::helm::render::{Manifest, Output, RenderError};
use crate::render::helm::run::{render_dir, Settings};
use crate::source::SourceFile;

/// Exit codes: rendered cleanly, or something failed to render (printed on stderr).
const CLEAN: u8 = 0;
const FAILED: u8 = 1;

pub fn run(args: &RenderArgs) -> anyhow::Result<u8> {
    let names_a_file = args.path.file_name().is_some_and(|n| n == "Chart.yaml")
        || (args.path.is_file() && super::render_kustomize::is_kustomization(&args.path));
    let dir = if names_a_file {
        match args.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        args.path.clone()
    };
    let boundary = boundary_of(&dir);
    if !dir.join("Chart.yaml").is_file() && super::render_kustomize::is_kustomization(&dir) {
        return super::render_kustomize::run(&dir, &boundary, args.format);
    }
    // paved.toml's `[[helm]]` settings for the chart, then the command line's.
    let mut settings = Settings::default();
    configure(&mut settings, &configured_helm(&dir)?, &dir);
    // Value files given here are relative to where paved runs, not to the chart.
    let files = args
        .values
        .iter()
        .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone()));
    settings.overrides.files.extend(files);
    settings.overrides.set.extend(args.set.iter().cloned());
    let release = &mut settings.release;
    let given = [
        (&mut release.name, &args.release_name),
        (&mut release.namespace, &args.namespace),
        (&mut release.kube_version, &args.kube_version),
    ];
    for (setting, flag) in given {
        if let Some(flag) = flag {
            setting.clone_from(flag);
        }
    }
    let renders = render_dir(&dir, &boundary, &settings)
        .map_err(|p| anyhow::anyhow!("{}", problem_text(&dir, &p)))?;
    let (scenario, output) = &renders.scenarios[0];
    let mut out = crate::report::stdout();
    match args.format {
        RenderFormat::Yaml => write_yaml(&mut out, output)?,
        RenderFormat::Json => {
            let value = as_json(&renders.chart.name, scenario, output, &renders.problems);
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    for problem in &renders.problems {
        eprintln!("error: {}", problem_text(&dir, problem));
    }
    for error in &output.errors {
        eprintln!("error: {}", error_text(&dir, error));
    }
    for missing in &output.missing {
        eprintln!(
            "info: the dependency {} is not vendored in {}: rendered without it",
            missing.label(),
            dir.join(&missing.parent).join("charts").display()
        );
    }
    let failed = !renders.problems.is_empty() || !output.errors.is_empty();
    Ok(if failed { FAILED } else { CLEAN })
}

/// The `[[helm]]` entries of the paved.toml that applies to `dir` (none without one).
fn configured_helm(dir: &Path) -> anyhow::Result<Vec<HelmChart>> {
    Ok(match config::find(dir) {
        Some(file) => config::load(&file)?.helm_charts(),
        None => Vec::new(),
    })
}

/// What a render may read: the repository holding `dir`; outside any, the directory paved
/// runs in when `dir` is below it (an overlay's `../../base`), else `dir`.
pub(super) fn boundary_of(dir: &Path) -> PathBuf {
    let boundary = crate::read::boundary_of_dir(dir);
    let here = crate::read::canonical_dir(Path::new("."));
    if crate::read::is_repository_root(&boundary) || !boundary.starts_with(&here) {
        boundary
    } else {
        here
    }
}

/// What `paved lint` checks of the chart whose `Chart.yaml` is `chart_yaml`, for `paved
/// parse`: every rendered document of every scenario, with the template line it starts at.
pub fn rendered_documents(chart_yaml: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let dir = chart_yaml.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    documents_of(dir, None)
}

/// For `paved parse` of a chart's template named alone: the documents it renders (with
/// the template line each starts at), as `paved lint` checks them; `None` when `path` is
/// not a chart's template.
pub fn template_documents(path: &Path) -> anyhow::Result<Option<Vec<serde_json::Value>>> {
    match chart_part(path) {
        Some(part) if part.rendered => documents_of(&part.dir, Some(&part.inside)).map(Some),
        _ => Ok(None),
    }
}

/// The rendered documents of the chart in `dir`, of every template or of `only` (its path
/// in the chart).
fn documents_of(dir: &Path, only: Option<&str>) -> anyhow::Result<Vec<serde_json::Value>> {
    let boundary = crate::read::boundary_of_dir(dir);
    let settings = settings_for(&configured_helm(dir)?, dir);
    let renders = render_dir(dir, &boundary, &settings)
        .map_err(|p| anyhow::anyhow!("{}", problem_text(dir, &p)))?;
    let mut documents = Vec::new();
    for (scenario, output) in &renders.scenarios {
        let kept = |m: &&Manifest| only.is_none_or(|only| m.file == only);
        for manifest in output.crds.iter().chain(&output.manifests).filter(kept) {
            let parsed = parse::parse(
                &manifest.text,
                Format::Yaml,
                Kind::Yaml,
                parse::Options::default(),
            );
            let rendered = SourceFile::new(&manifest.text);
            for document in parsed.documents {
                let line = rendered.line(document.anchor.start);
                let origin = match manifest.origins.get(line - 1) {
                    Some(o) => {
                        let file = output.sources.get(&*o.template).unwrap_or(&manifest.file);
                        format!("{}:{}:{}", dir.join(file).display(), o.line, o.column)
                    }
                    None => format!("{}:{line}", dir.join(&manifest.file).display()),
                };
                documents.push(json!({
                    "file": dir.join(&manifest.file).display().to_string(),
                    "chart": renders.chart.name,
                    "scenario": scenario,
                    "template": manifest.name,
                    "document": document.index,
                    "origin": origin,
                    "kind": document.kind.as_str(),
                    "input": document.value,
                }));
            }
        }
    }
    Ok(documents)
}

/// The order `helm install` creates kinds in (Helm's `InstallOrder`); `helm template`
/// prints documents in it, kinds it does not know last (by name), hooks after the rest.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// One document of a rendered template, as `helm template` prints it.
struct Printed<'a> {
    source: &'a str,
    text: &'a str,
    kind: String,
    hook: bool,
}

impl Printed<'_> {
    fn order(&self) -> (bool, usize, String) {
        let known = INSTALL_ORDER.iter().position(|k| *k == self.kind);
        let kind = if known.is_some() {
            String::new()
        } else {
            self.kind.clone()
        };
        (self.hook, known.unwrap_or(INSTALL_ORDER.len()), kind)
    }
}

fn write_yaml(out: &mut impl Write, output: &Output) -> std::io::Result<()> {
    let separator = regex::Regex::new(r"(?:^|\s*\n)---\s*").expect("a valid pattern");
    let mut printed = Vec::new();
    for manifest in &output.manifests {
        for text in separator
            .split(&manifest.text)
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, parse::Options::default());
            let head = parsed.documents.first().map(|d| &d.value);
            let field = |path: &[&str]| {
                let mut at = head?;
                for key in path {
                    at = at.get(key)?;
                }
                at.as_str().map(str::to_string)
            };
            printed.push(Printed {
                source: &manifest.name,
                text,
                kind: field(&["kind"]).unwrap_or_default(),
                hook: field(&["metadata", "annotations", "helm.sh/hook"]).is_some(),
            });
        }
    }
    printed.sort_by_cached_key(Printed::order);
    for crd in output.crds.iter().filter(|c| !c.text.trim().is_empty()) {
        writeln!(out, "---\n# Source: {}\n{}", crd.name, crd.text.trim())?;
    }
    for document in printed {
        writeln!(out, "---\n# Source: {}\n{}", document.source, document.text)?;
    }
    Ok(())
}

fn as_json(
    chart: &str,
    scenario: &str,
    output: &Output,
    problems: &[Problem],
) -> serde_json::Value {
    let texts = |list: &[Manifest]| {
        list.iter()
            .map(|m| (m.name.clone(), json!(m.text)))
            .collect::<serde_json::Map<_, _>>()
    };
    let errors: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| json!({"file": p.file, "line": p.line, "message": p.message}))
        .chain(output.errors.iter().map(
            |e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message}),
        ))
        .collect();
    json!({
        "chart": chart,
        "scenario": scenario,
        "templates": texts(&output.manifests),
        "crds": texts(&output.crds),
        "missing": output.missing.iter().map(|m| &m.name).collect::<Vec<_>>(),
        "errors": errors,
    })
}

fn problem_text(dir: &Path, problem: &Problem) -> String {
    let line = problem.line.map_or(String::new(), |l| format!(":{l}"));
    format!(
        "{}{line}: {}",
        dir.join(&problem.file).display(),
        problem.message
    )
}

fn error_text(dir: &Path, error: &RenderError) -> String {
    let at = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    };
    format!("{}{at}: {}", dir.join(&error.file).display(), error.message)
}
