//! The repository model: one `repository` document per repository unit — the repository
//! root, and in a monorepo each directory below it with a dependency manifest of its own —
//! a digest of what repository-level rules read rather than a copy of every document.
//! `docs/repository-model.md` describes the shape.

mod ci;
mod kinds;
mod manifests;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};

pub use manifests::is_manifest;

use crate::class::Class;
use crate::discover::Root;
use crate::finding::Location;
use crate::parse::{Document, Kind, Node, PathSegment};
use crate::read;
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
    /// Found as a regular file by the walk (not a symlink, FIFO or device).
    pub regular: bool,
    pub documents: Vec<Document>,
    /// Workload and object summaries, each with where its document starts.
    pub workloads: Vec<(Value, WorkloadPlace)>,
    pub objects: Vec<(Value, Span)>,
    /// Prometheus alerting rules, from PrometheusRule-like objects and rules files.
    pub alerts: Vec<Value>,
    /// What in the file makes its unit a service, and how.
    pub service: Vec<(kinds::Artefact, String)>,
}

impl FileDigest {
    /// Takes in what another digest of the same file found (a chart's or an overlay's
    /// objects that start in it). Every field is named, so a new one cannot be left out.
    pub fn absorb(&mut self, other: FileDigest) {
        let FileDigest {
            relative: _,
            display: _,
            regular: _,
            documents,
            workloads,
            objects,
            alerts,
            service,
        } = other;
        self.documents.extend(documents);
        self.workloads.extend(workloads);
        self.objects.extend(objects);
        self.alerts.extend(alerts);
        self.service.extend(service);
    }

    /// Keeps what the model needs of a document; a workload or object that is not
    /// deployable says what it is (`"class": "fixture"`), for repository rules to tell.
    pub fn add(&mut self, document: &Document, class: Class) {
        if keeps_document(document.kind) {
            self.documents.push(document.clone());
        }
        self.service
            .extend(kinds::service_evidence(&self.relative, document, class));
        let groups = match document.kind {
            Kind::Kubernetes => &document.value["spec"]["groups"],
            Kind::Yaml => &document.value["groups"],
            _ => &Value::Null,
        };
        self.alerts.extend(alerts(&self.relative, groups));
        if document.kind == Kind::Kubernetes {
            let object = &document.value;
            let anchor = document.anchor.clone();
            let with_class = |mut summary: Value| {
                if !class.is_deployable() {
                    summary["class"] = json!(class);
                }
                summary
            };
            self.objects.push((
                with_class(json!({
                    "file": self.relative,
                    "apiVersion": object["apiVersion"],
                    "kind": object["kind"],
                    "name": object["metadata"]["name"],
                    "namespace": object["metadata"]["namespace"],
                    "labels": object["metadata"]["labels"].as_object().cloned().unwrap_or_default(),
                    "selector": selector(object),
                    "replicas": object["spec"]["replicas"],
                    // A ServiceAccount's own switch, and whom a (Cluster)RoleBinding binds.
                    "automountServiceAccountToken": object["automountServiceAccountToken"],
                    "subjects": object["subjects"],
                })),
                anchor.clone(),
            ));
            if let Some(workload) = workload(&self.relative, object) {
                let mut pod_spec: Vec<PathSegment> = pod_path(&workload["kind"])
                    .iter()
                    .map(|key| PathSegment::Key(key.to_string()))
                    .collect();
                pod_spec.push(PathSegment::Key("spec".into()));
                let place = WorkloadPlace {
                    pod_spec: document.map.resolve(&pod_spec).span(),
                    anchor,
                };
                self.workloads.push((with_class(workload), place));
            }
        }
    }
}

/// Where a workload is: its document, for the workload as a whole, and its pod spec, for
/// the fields the model takes from the pod spec (a finding about them belongs there).
#[derive(Debug, Clone)]
pub struct WorkloadPlace {
    pub anchor: Span,
    pub pod_spec: Span,
}

/// The workload fields that come from the pod spec.
const POD_SPEC_FIELDS: [&str; 2] = ["serviceAccountName", "automountServiceAccountToken"];

/// The path to the pod template of each workload kind (a Pod is its own template).
fn pod_path(kind: &Value) -> &'static [&'static str] {
    match kind.as_str() {
        Some("CronJob") => &["spec", "jobTemplate", "spec", "template"],
        Some("Pod") => &[],
        _ => &["spec", "template"],
    }
}

/// The alerting rules of rule groups (`groups[].rules[]`: Prometheus names an alert with
/// `alert`, Grafana's provisioning files with `title`), with their annotations: a
/// `runbook_url` there is the on-call's runbook.
fn alerts(file: &str, groups: &Value) -> Vec<Value> {
    let rules = groups
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|group| group["rules"].as_array())
        .flatten();
    rules
        .filter_map(|rule| {
            let name = [&rule["alert"], &rule["title"]]
                .into_iter()
                .find(|name| name.is_string())?;
            let annotations = rule["annotations"].as_object().cloned().unwrap_or_default();
            Some(json!({
                "file": file,
                "alert": name,
                "annotations": annotations,
                "services": watched_services(rule),
            }))
        })
        .collect()
}

/// The label keys by which an alert names the service it watches.
const SERVICE_LABELS: [&str; 7] = [
    "service",
    "service_name",
    "job",
    "app",
    "app_kubernetes_io_name",
    "container",
    "deployment",
];

/// The services an alerting rule watches: the values its queries match those labels
/// against (`service_name="cart"`, `job=~"cart|checkout"`, in Prometheus' `expr` and
/// Grafana's `data[].model.expr`), and those labels' values on the rule itself.
fn watched_services(rule: &Value) -> Vec<String> {
    static MATCHER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"([A-Za-z_][A-Za-z0-9_]*)\s*=~?\s*"([^"]*)""#).expect("a valid pattern")
    });
    let name_like = |v: &&str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    let queries = std::iter::once(&rule["expr"])
        .chain(
            rule["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|query| &query["model"]["expr"]),
        )
        .filter_map(Value::as_str);
    let mut services = BTreeSet::new();
    for query in queries {
        for matcher in MATCHER.captures_iter(query) {
            if SERVICE_LABELS.contains(&&matcher[1]) {
                services.extend(matcher[2].split('|').filter(name_like).map(String::from));
            }
        }
    }
    let labelled = SERVICE_LABELS
        .iter()
        .filter_map(|key| rule["labels"][key].as_str())
        .filter(name_like);
    services.extend(labelled.map(String::from));
    services.into_iter().collect()
}

/// How many alerts kept elsewhere a unit lists at most: rules ask whether it has any and
/// whether one links a runbook, and a rules file whose every alert names every service
/// must not copy itself into each unit (20,000 alerts naming 20 services each: 5 s and
/// 1.2 GB for 200 units before this bound).
const SHARED_ALERTS: usize = 100;

/// An alert kept elsewhere in the repository (a monorepo's central Prometheus or Grafana
/// rules) that watches a service unit by name (its directory's: `service_name="cart"` for
/// `src/cart`) is that unit's alert too, listed with its path from the repository root
/// (those that link a runbook first, at most [`SHARED_ALERTS`]).
fn share_alerts(units: &mut [(Value, Origins)]) {
    let from_root = |unit: &Value, alert: &Value| {
        let file = alert["file"].as_str().unwrap_or_default();
        match unit["path"].as_str() {
            Some(".") | None => file.to_string(),
            Some(path) => format!("{path}/{file}"),
        }
    };
    let everywhere: Vec<Value> = units
        .iter()
        .flat_map(|(unit, _)| {
            let alerts = unit["alerts"].as_array().into_iter().flatten();
            alerts.map(|alert| {
                let mut alert = alert.clone();
                alert["file"] = json!(from_root(unit, &alert));
                alert
            })
        })
        .collect();
    let mut by_service: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, alert) in everywhere.iter().enumerate() {
        let services = alert["services"].as_array().into_iter().flatten();
        for service in services.filter_map(Value::as_str) {
            by_service.entry(service).or_default().push(at);
        }
    }
    for (unit, _) in units.iter_mut() {
        let path = unit["path"].as_str().unwrap_or(".").to_string();
        if path == "." || !has_kind(unit, "service") {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(&path);
        let own = format!("{path}/");
        let mut watching: Vec<&Value> = by_service
            .get(name)
            .into_iter()
            .flatten()
            .map(|&at| &everywhere[at])
            .filter(|alert| !alert["file"].as_str().unwrap_or_default().starts_with(&own))
            .collect();
        let links_runbook = |alert: &Value| {
            let keys = alert["annotations"].as_object().into_iter().flatten();
            keys.into_iter()
                .any(|(key, _)| key.to_ascii_lowercase().contains("runbook"))
        };
        watching.sort_by_key(|alert| !links_runbook(alert));
        watching.truncate(SHARED_ALERTS);
        if let Some(alerts) = unit["alerts"].as_array_mut() {
            alerts.extend(watching.into_iter().cloned());
        }
    }
}

/// The labels an object selects: `spec.selector.matchLabels`, or a Service's `spec.selector`.
fn selector(object: &Value) -> Value {
    let selector = &object["spec"]["selector"];
    match selector.get("matchLabels") {
        Some(labels) => labels.clone(),
        None if selector.is_object() && selector.get("matchExpressions").is_none() => {
            selector.clone()
        }
        None => Value::Null,
    }
}

/// Whether a unit's document has this kind.
fn has_kind(unit: &Value, kind: &str) -> bool {
    unit["kinds"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k == kind))
}

/// Whether an object runs pods of its own (the model's workloads).
pub fn is_workload(object: &Value) -> bool {
    matches!(
        object["kind"].as_str(),
        Some("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob" | "Pod")
    )
}

/// The pod template of a workload object, and its metadata.
fn workload(file: &str, object: &Value) -> Option<Value> {
    let kind = object["kind"].as_str().filter(|_| is_workload(object))?;
    let pod = pod_path(&object["kind"])
        .iter()
        .fold(object, |value, key| &value[*key]);
    let merged = |key: &str| {
        let mut map = object["metadata"][key]
            .as_object()
            .cloned()
            .unwrap_or_default();
        if kind != "Pod" {
            map.extend(
                pod["metadata"][key]
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        map
    };
    let containers: Vec<Value> = ["initContainers", "containers"]
        .iter()
        .filter_map(|key| pod["spec"][key].as_array())
        .flatten()
        .map(|c| {
            let env: Vec<&Value> = c["env"].as_array().into_iter().flatten().filter_map(|e| e.get("name")).collect();
            json!({"name": c["name"], "image": c["image"], "env": env, "args": c["args"], "command": c["command"]})
        })
        .collect();
    Some(json!({
        "file": file,
        "kind": kind,
        "name": object["metadata"]["name"],
        "namespace": object["metadata"]["namespace"],
        "labels": merged("labels"),
        "annotations": merged("annotations"),
        "containers": containers,
        // Which account's token the pods get, and whether the pod spec says so itself.
        "serviceAccountName": pod["spec"]["serviceAccountName"],
        "automountServiceAccountToken": pod["spec"]["automountServiceAccountToken"],
    }))
}

/// Where the parts of a repository document come from, to locate its findings.
#[derive(Default)]
pub struct Origins {
    unit: String,
    /// What the files findings point at may not leave (they are read again for lines).
    boundary: PathBuf,
    /// The file a finding about the whole unit points at, so code-scanning viewers, which
    /// show files, show it: its README, else its manifest, else its CI file.
    anchor: Option<String>,
    /// Display path and source map of each kept document, by its key in `documents`.
    documents: BTreeMap<String, (String, Node)>,
    workloads: Vec<(String, WorkloadPlace)>,
    objects: Vec<(String, Span)>,
    /// Display path and line of each codeowners entry and dependency.
    codeowners: Vec<(String, usize)>,
    dependencies: Vec<(String, usize)>,
    ci: Vec<String>,
    files: Vec<String>,
    binaries: Vec<String>,
    /// Files read to locate findings, each read and indexed once: a CODEOWNERS file of
    /// 8,000 entries with a finding on each must not be read 8,000 times.
    read: RefCell<HashMap<String, Option<Indexed>>>,
}

/// A file's text and its line index, kept together (the index is held by a `SourceFile`
/// over no text, and lent to one over the text for each location).
struct Indexed {
    text: Arc<str>,
    index: SourceFile<'static>,
}

/// Files whose size the model reports: models and data sets that do not belong in git.
const BINARY_EXTENSIONS: [&str; 17] = [
    "pt",
    "pth",
    "h5",
    "hdf5",
    "onnx",
    "pkl",
    "pickle",
    "joblib",
    "safetensors",
    "ckpt",
    "pb",
    "tflite",
    "parquet",
    "npy",
    "npz",
    "gguf",
    "bin",
];

/// Dependencies that make a directory an ML project.
/// Dependencies whose program generates load: a unit that runs one drives traffic at the
/// services (bank-of-anthos' `loadgenerator`), it does not serve it.
const LOAD_TESTING_DEPENDENCIES: [&str; 4] = ["locust", "k6", "artillery", "@grafana/k6"];

const ML_DEPENDENCIES: [&str; 12] = [
    "torch",
    "tensorflow",
    "keras",
    "scikit-learn",
    "xgboost",
    "lightgbm",
    "transformers",
    "mlflow",
    "wandb",
    "pytorch-lightning",
    "jax",
    "catboost",
];

/// Builds the repository documents of one repository root from its files' digests.
pub fn build(repository: &Root, mut digests: Vec<FileDigest>) -> Vec<(Value, Origins)> {
    let regular: Vec<String> = digests
        .iter()
        .filter(|d| d.regular)
        .map(|d| d.relative.clone())
        .collect();
    let files = Files {
        root: &repository.path,
        boundary: &repository.boundary,
        regular: regular.iter().map(String::as_str).collect(),
    };
    let root_display = repository.display.as_str();
    digests.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut units: Vec<String> = digests
        .iter()
        .filter(|d| manifests::is_manifest(file_name(&d.relative)))
        .filter_map(|d| unit_directory(&d.relative))
        .collect();
    units.sort();
    units.dedup();
    units.insert(0, String::new());
    let unit_of = |relative: &str| {
        units
            .iter()
            .rposition(|u| u.is_empty() || relative.starts_with(&format!("{u}/")))
            .unwrap_or(0)
    };
    let codeowners = read_codeowners(&files, root_display);
    let root_ci = read_ci(&files, &digests, "");
    let mut members: Vec<Vec<FileDigest>> = units.iter().map(|_| Vec::new()).collect();
    let all_files: Vec<(String, String)> = digests
        .iter()
        .map(|d| (d.relative.clone(), d.display.clone()))
        .collect();
    for digest in digests {
        members[unit_of(&digest.relative)].push(digest);
    }
    let mut members = members.into_iter();
    let root_members = members.next().unwrap_or_default();
    // The units below the root first: whether the root is a service depends on them.
    let below: Vec<(Value, Origins)> = units[1..]
        .iter()
        .zip(members)
        .map(|(unit, digests)| {
            let listed = digests
                .iter()
                .map(|d| (d.relative.clone(), d.display.clone()))
                .collect();
            let mut ci = root_ci.clone();
            ci.extend(read_ci(&files, &digests, unit));
            let unit = Unit {
                path: unit,
                below: &kinds::Below::default(),
            };
            build_unit(&files, root_display, unit, digests, listed, &codeowners, ci)
        })
        .collect();
    let services_below = kinds::Below {
        units: !below.is_empty(),
        services: below
            .iter()
            .filter(|(value, _)| has_kind(value, "service"))
            .filter_map(|(value, _)| value["path"].as_str().map(String::from))
            .collect(),
    };
    let root = Unit {
        path: "",
        below: &services_below,
    };
    let mut root = build_unit(
        &files,
        root_display,
        root,
        root_members,
        all_files,
        &codeowners,
        root_ci,
    );
    ship_libraries_below(&mut root, &below);
    let mut units: Vec<(Value, Origins)> = std::iter::once(root).chain(below).collect();
    share_alerts(&mut units);
    units
}

/// A service at the root ships the libraries below it (its workspace packages, a parent
/// POM's modules: a Backstage app's tracing is set up in `packages/backend`), so their
/// runtime dependencies join its own (each package once), named by their path from the
/// root. Its kinds were decided from its own files; only rules that ask what it runs with
/// read these.
fn ship_libraries_below(root: &mut (Value, Origins), below: &[(Value, Origins)]) {
    if !has_kind(&root.0, "service") {
        return;
    }
    let (value, origins) = root;
    let Some(dependencies) = value["dependencies"].as_array_mut() else {
        return;
    };
    // Each package once, where it is first declared: workspace packages share most of
    // their dependencies.
    let identity = |d: &Value| (d["ecosystem"].to_string(), d["name"].to_string());
    let mut listed_once: HashSet<(String, String)> = dependencies.iter().map(identity).collect();
    for (unit, unit_origins) in below.iter().filter(|(unit, _)| has_kind(unit, "library")) {
        let path = unit["path"].as_str().unwrap_or_default();
        let listed = unit["dependencies"].as_array().into_iter().flatten();
        for (dependency, origin) in listed.zip(&unit_origins.dependencies) {
            if dependency["scope"] == "dev" || !listed_once.insert(identity(dependency)) {
                continue;
            }
            let mut dependency = dependency.clone();
            let file = dependency["file"].as_str().unwrap_or_default();
            dependency["file"] = json!(format!("{path}/{file}"));
            dependencies.push(dependency);
            origins.dependencies.push(origin.clone());
        }
    }
}

/// A unit's directory (relative to the repository root, empty for the root) and what is
/// below it.
struct Unit<'a> {
    path: &'a str,
    below: &'a kinds::Below,
}

/// The directory a manifest makes a unit of: its own, except that .NET projects laid out as
/// `cart/src/cart.csproj` and `cart/tests/cart.tests.csproj` are one unit, `cart`, so the
/// tests are found beside the code they test.
fn unit_directory(manifest: &str) -> Option<String> {
    let (directory, name) = manifest.rsplit_once('/')?;
    if name.ends_with(".csproj") {
        if let Some((parent, "src" | "test" | "tests")) = directory.rsplit_once('/') {
            return Some(parent.to_string());
        }
    }
    Some(directory.to_string())
}

/// A repository's files as the model reads them: never out of its boundary (a
/// `CODEOWNERS` linked to `/proc/self/environ` is reported by the file pass, and read by
/// no one), never more than the size limit.
struct Files<'a> {
    root: &'a Path,
    /// What the files findings point at may not leave when read again to locate them.
    boundary: &'a Path,
    /// The files the walk found as regular files (it follows no symlinks): only these are
    /// read, without resolving their paths again.
    regular: HashSet<&'a str>,
}

impl Files<'_> {
    fn read(&self, relative: &str) -> Option<String> {
        if !self.regular.contains(relative) {
            return None;
        }
        let bytes = read::read_found(&self.root.join(relative)).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The unit's README, else its top-level dependency manifest, else its first CI file
/// (`relative` and `shown` are parallel lists).
fn anchor_file(relative: &[String], shown: &[String], ci: &[String]) -> Option<String> {
    // The shortest name: `requirements.txt` rather than `requirements-dev.txt`.
    let top_level = |wanted: &dyn Fn(&str) -> bool| {
        (0..relative.len())
            .filter(|&i| !relative[i].contains('/') && wanted(&relative[i]))
            .min_by_key(|&i| relative[i].len())
            .map(|i| shown[i].clone())
    };
    top_level(&|name| name.to_ascii_lowercase().starts_with("readme"))
        .or_else(|| top_level(&|name| manifests::is_manifest(name)))
        .or_else(|| ci.first().cloned())
}

fn file_name(relative: &str) -> &str {
    relative.rsplit('/').next().unwrap_or(relative)
}

fn join_display(root: &str, relative: &str) -> String {
    match (root, relative) {
        (_, "") => root.to_string(),
        ("." | "", _) => relative.to_string(),
        _ => format!("{}/{relative}", root.trim_end_matches('/')),
    }
}

/// A unit's view of a repository-relative path.
fn within<'a>(unit: &str, relative: &'a str) -> &'a str {
    if unit.is_empty() {
        relative
    } else {
        relative
            .strip_prefix(unit)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(relative)
    }
}

#[allow(clippy::too_many_arguments)]
fn build_unit(
    repository: &Files<'_>,
    root_display: &str,
    Unit { path: unit, below }: Unit<'_>,
    digests: Vec<FileDigest>,
    files: Vec<(String, String)>,
    codeowners: &[(Value, (String, usize))],
    ci: Vec<(Value, String)>,
) -> (Value, Origins) {
    let display = join_display(root_display, unit);
    let mut origins = Origins {
        unit: display.clone(),
        boundary: repository.boundary.to_path_buf(),
        ..Origins::default()
    };
    let mut documents = Map::new();
    let mut workloads = Vec::new();
    let mut objects = Vec::new();
    let mut alerts = Vec::new();
    let mut dependencies = Vec::new();
    let mut binaries = Vec::new();
    let mut languages = BTreeSet::new();
    let mut signals = kinds::Signals::default();
    let go_module = digests
        .iter()
        .any(|d| within(unit, &d.relative) == "go.mod");
    for digest in digests {
        let relative = within(unit, &digest.relative).to_string();
        let name = file_name(&relative);
        languages.extend(
            language_of(&relative)
                .filter(|_| is_product_code(&digest.relative))
                .filter(|&l| l != "go" || go_module || !embeds_only(repository, &digest.relative)),
        );
        let evidence = |kind, because: String| kinds::Evidence {
            kind,
            file: relative.clone(),
            because,
        };
        signals.service.extend(
            digest
                .service
                .iter()
                .map(|(artefact, because)| (*artefact, evidence("service", because.clone()))),
        );
        if relative.ends_with(".tf") && Class::of_path(&digest.relative).is_deployable() {
            signals.terraform.push(relative.clone());
        }
        if relative.ends_with(".ipynb")
            || name == "dvc.yaml"
            || relative.ends_with(".dvc")
            || name == "MLproject"
        {
            signals
                .ml
                .push(evidence("ml", format!("{name}: an ML project file")));
        }
        if !unit.is_empty() && relative == name && kinds::is_docs_site_config(name) {
            signals.docs_site.get_or_insert(relative.clone());
        }
        let reads_text = manifests::is_manifest(name) || matches!(name, "setup.py" | "setup.cfg");
        let text = reads_text
            .then(|| repository.read(&digest.relative))
            .flatten();
        if let Some(because) = kinds::executable_evidence(&relative, text.as_deref()) {
            signals.executable.push(evidence("cli", because));
        }
        if manifests::is_manifest(name) {
            signals.manifests.push(relative.clone());
            for dependency in
                manifests::dependencies(name, &relative, text.as_deref().unwrap_or(""))
            {
                let dependency_name = dependency["name"].as_str().unwrap_or("");
                if ML_DEPENDENCIES.contains(&dependency_name) {
                    let because = format!("depends on {}", dependency["name"]);
                    signals.ml.push(evidence("ml", because));
                }
                if LOAD_TESTING_DEPENDENCIES.contains(&dependency_name)
                    && dependency["scope"] == "runtime"
                {
                    let because = format!("runs {}", dependency["name"]);
                    signals.load_testing.push(evidence("loadtest", because));
                }
                origins.dependencies.push((
                    digest.display.clone(),
                    dependency["line"].as_u64().unwrap_or(1) as usize,
                ));
                dependencies.push(dependency);
            }
        }
        let extension = relative
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase());
        if extension.is_some_and(|e| BINARY_EXTENSIONS.contains(&e.as_str())) {
            // The link's own size, not its target's: nothing out of the repository.
            let bytes = std::fs::symlink_metadata(repository.root.join(&digest.relative))
                .map_or(0, |m| m.len());
            binaries.push(json!({"path": relative, "bytes": bytes}));
            origins.binaries.push(digest.display.clone());
        }
        for document in digest.documents {
            let key = if document.index == 0 {
                relative.clone()
            } else {
                format!("{relative}#{}", document.index)
            };
            documents.insert(key.clone(), document.value);
            origins
                .documents
                .insert(key, (digest.display.clone(), document.map));
        }
        for (mut workload, place) in digest.workloads {
            workload["file"] = json!(relative);
            workloads.push(workload);
            origins.workloads.push((digest.display.clone(), place));
        }
        for mut alert in digest.alerts {
            alert["file"] = json!(relative);
            alerts.push(alert);
        }
        for (mut object, span) in digest.objects {
            object["file"] = json!(relative);
            objects.push(object);
            origins.objects.push((digest.display.clone(), span));
        }
    }
    signals.has_code = !languages.is_empty();
    signals.ml.sort();
    signals.load_testing.sort();
    signals.executable.sort();
    let (kinds, evidence) = kinds::decide(signals, below);
    origins.files = files.iter().map(|(_, display)| display.clone()).collect();
    let files: Vec<String> = files
        .iter()
        .map(|(relative, _)| within(unit, relative).to_string())
        .collect();
    origins.codeowners = codeowners.iter().map(|(_, o)| o.clone()).collect();
    origins.ci = ci.iter().map(|(_, display)| display.clone()).collect();
    origins.anchor = anchor_file(&files, &origins.files, &origins.ci);
    let value = json!({
        "root": display,
        "path": if unit.is_empty() { "." } else { unit },
        "kinds": kinds,
        "evidence": evidence.iter().map(kinds::Evidence::to_json).collect::<Vec<_>>(),
        "languages": languages.into_iter().collect::<Vec<_>>(),
        "files": files,
        "documents": documents,
        "objects": objects,
        "workloads": workloads,
        "alerts": alerts,
        "codeowners": codeowners.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>(),
        "dependencies": dependencies,
        "ci": ci.into_iter().map(|(v, _)| v).collect::<Vec<_>>(),
        "binaries": binaries,
    });
    (value, origins)
}

/// The CI files among `digests` that configure a provider from `unit`'s point of view.
fn read_ci(repository: &Files<'_>, digests: &[FileDigest], unit: &str) -> Vec<(Value, String)> {
    digests
        .iter()
        .filter_map(|digest| {
            let relative = within(unit, &digest.relative);
            if !unit.is_empty() && relative == digest.relative {
                return None;
            }
            let provider = ci::provider(relative)?;
            let text = repository.read(&digest.relative).unwrap_or_default();
            let commands = ci::commands(provider, &text);
            Some((
                json!({"provider": provider, "file": relative, "commands": commands}),
                digest.display.clone(),
            ))
        })
        .collect()
}

const CODEOWNERS_PLACES: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// Every entry of every CODEOWNERS file GitHub or GitLab would look at (they use the first
/// they find; rules can flag the shadowed ones).
fn read_codeowners(repository: &Files<'_>, root_display: &str) -> Vec<(Value, (String, usize))> {
    let mut entries = Vec::new();
    for place in CODEOWNERS_PLACES {
        let Some(text) = repository.read(place) else {
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
            entries.push((
                json!({"file": place, "pattern": pattern, "owners": owners, "line": number + 1}),
                (display.clone(), number + 1),
            ));
        }
    }
    entries
}

/// A Go file that only embeds assets (`//go:embed dist` and a variable, no function), as
/// a JavaScript UI carries for the Go server above it: no Go code of that unit to test.
fn embeds_only(repository: &Files<'_>, relative: &str) -> bool {
    repository.read(relative).is_some_and(|text| {
        text.contains("//go:embed") && !text.lines().any(|l| l.starts_with("func "))
    })
}

/// Whether a source file (by its path in the repository) is code the unit ships, whose
/// language then needs tests: not test code or test data, examples, generated code,
/// development tooling (CI, `hack/`, `tools/`, docs) or a tool's configuration
/// (`jest.config.js`, `.eslintrc.js`, `renovate-config.js`).
fn is_product_code(relative: &str) -> bool {
    let name = file_name(relative);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    Class::of_path(relative) == Class::Deployable
        && !kinds::in_development_tooling(relative)
        && !name.starts_with('.')
        && !name.contains(".config.")
        && !stem.ends_with("config")
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
        "kt" | "kts" if !path.ends_with(".gradle.kts") => "kotlin",
        "rb" => "ruby",
        "cs" => "csharp",
        "php" => "php",
        "ex" | "exs" => "elixir",
        "scala" => "scala",
        "swift" => "swift",
        "c" | "h" => "c",
        "cc" | "cpp" | "hpp" => "cpp",
        _ => return None,
    })
}

impl Origins {
    /// The location of a path into the repository document: the file (and the place in it)
    /// the path leads to, or the unit's directory.
    pub fn locate(&self, path: Option<&[PathSegment]>) -> (Location, Option<String>) {
        let unit = || {
            let file = self.anchor.as_ref().unwrap_or(&self.unit);
            (Location::file_only(file.clone()), None)
        };
        let Some(path) = path else { return unit() };
        let Some(PathSegment::Key(field)) = path.first() else {
            return unit();
        };
        let index = match path.get(1) {
            Some(PathSegment::Index(n)) => Some(*n),
            _ => None,
        };
        match field.as_str() {
            "documents" => {
                let Some(PathSegment::Key(key)) = path.get(1) else {
                    return unit();
                };
                let Some((display, map)) = self.documents.get(key) else {
                    return unit();
                };
                let rest = &path[2..];
                let found = map.resolve(rest);
                let label =
                    (found.matched < rest.len()).then(|| missing_label(&rest[found.matched]));
                (self.at_span(display, found.span()), label)
            }
            "workloads" => match index.and_then(|i| self.workloads.get(i)) {
                Some((display, place)) => {
                    let in_pod_spec = matches!(path.get(2),
                        Some(PathSegment::Key(key)) if POD_SPEC_FIELDS.contains(&key.as_str()));
                    let span = if in_pod_spec {
                        &place.pod_spec
                    } else {
                        &place.anchor
                    };
                    (self.at_span(display, span.clone()), None)
                }
                None => unit(),
            },
            "objects" => match index.and_then(|i| self.objects.get(i)) {
                Some((display, span)) => (self.at_span(display, span.clone()), None),
                None => unit(),
            },
            "codeowners" | "dependencies" => {
                let list = if field == "codeowners" {
                    &self.codeowners
                } else {
                    &self.dependencies
                };
                match index.and_then(|i| list.get(i)) {
                    Some((display, line)) => (self.at_line(display, *line), None),
                    None => unit(),
                }
            }
            "ci" | "files" | "binaries" => {
                let list = match field.as_str() {
                    "ci" => &self.ci,
                    "files" => &self.files,
                    _ => &self.binaries,
                };
                match index.and_then(|i| list.get(i)) {
                    Some(display) => (Location::file_only(display.clone()), None),
                    None => unit(),
                }
            }
            _ => unit(),
        }
    }
}

impl Origins {
    fn at_span(&self, display: &str, span: Span) -> Location {
        self.at(display, |_| span)
    }

    fn at_line(&self, display: &str, line: usize) -> Location {
        self.at(display, |source| source.line_span(line))
    }

    /// A location in a file, read (safely) and indexed on its first use.
    fn at(&self, display: &str, span: impl FnOnce(&SourceFile<'_>) -> Span) -> Location {
        let mut read = self.read.borrow_mut();
        let indexed = read.entry(display.to_string()).or_insert_with(|| {
            let text: Arc<str> = read::read_text(Path::new(display), &self.boundary)
                .ok()?
                .into();
            let index = SourceFile::new(&text);
            Some(Indexed {
                index: SourceFile::with_index_of("", &index),
                text,
            })
        });
        match indexed {
            Some(Indexed { text, index }) => {
                let source = SourceFile::with_index_of(text, index);
                let span = span(&source);
                Location::at(display, &source, span)
            }
            None => Location::file_only(display),
        }
    }
}

/// The label of a finding whose path goes past what exists.
pub fn missing_label(segment: &PathSegment) -> String {
    format!("`{segment}` is missing here")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{classify, parse, Options};

    fn digest(root: &Path, relative: &str) -> FileDigest {
        let mut digest = FileDigest {
            relative: relative.into(),
            display: relative.into(),
            regular: true,
            ..FileDigest::default()
        };
        if let Some((format, kind)) = classify(Path::new(relative)) {
            let text = std::fs::read_to_string(root.join(relative)).unwrap();
            for document in parse(&text, format, kind, Options::default()).documents {
                digest.add(&document, Class::Deployable);
            }
        }
        digest
    }

    #[test]
    fn a_monorepo_has_one_unit_per_service_directory() {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &str); 8] = [
            ("CODEOWNERS", "* @org/platform\n"),
            (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: make test\n"),
            ("services/pay/go.mod", "module pay\n\nrequire go.opentelemetry.io/otel v1.27.0\n"),
            ("services/pay/main.go", "package main\n"),
            ("services/pay/k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: pay}\nspec:\n  template:\n    spec:\n      containers: [{name: pay, image: pay:1}]\n"),
            ("services/web/package.json", "{\"dependencies\": {\"react\": \"18.0.0\"}}"),
            ("services/web/src/app.ts", "export {}\n"),
            ("models/model.pt", "weights"),
        ];
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let digests = files.iter().map(|(p, _)| digest(dir.path(), p)).collect();
        let mut root = Root::new(
            dir.path().to_path_buf(),
            read::canonical_dir(dir.path()).into(),
        );
        root.display = "org".into();
        let units = build(&root, digests);
        let summary: Vec<Value> = units
            .iter()
            .map(|(u, _)| {
                json!([
                    u["root"],
                    u["path"],
                    u["kinds"],
                    u["languages"],
                    u["files"].as_array().unwrap().len(),
                    u["dependencies"].as_array().unwrap().len(),
                    u["ci"].as_array().unwrap().len(),
                    u["codeowners"].as_array().unwrap().len()
                ])
            })
            .collect();
        assert_eq!(
            summary,
            [
                // Not a service itself: its service unit is judged as one.
                json!(["org", ".", ["monorepo"], [], 8, 0, 1, 1]),
                json!([
                    "org/services/pay",
                    "services/pay",
                    ["service"],
                    ["go"],
                    3,
                    1,
                    1,
                    1
                ]),
                json!([
                    "org/services/web",
                    "services/web",
                    ["library"],
                    ["typescript"],
                    2,
                    1,
                    1,
                    1
                ]),
            ]
        );
        assert_eq!(
            units[0].0["binaries"],
            json!([{"path": "models/model.pt", "bytes": 7}])
        );
        assert_eq!(units[1].0["workloads"][0]["file"], "k8s/deploy.yaml");
        assert_eq!(
            units[0].0["evidence"],
            json!([{"kind": "monorepo", "file": "services/pay",
                    "because": "a service unit below the root"}])
        );
        assert_eq!(
            units[1].0["evidence"],
            json!([{"kind": "service", "file": "k8s/deploy.yaml", "because": "Deployment pay"}])
        );
        assert_eq!(units[1].0["dependencies"][0]["file"], "go.mod");
        let (location, _) = units[1].1.locate(Some(&[
            PathSegment::Key("dependencies".into()),
            PathSegment::Index(0),
        ]));
        assert_eq!(location.file, "services/pay/go.mod");
        // A finding about the whole unit points at a file: no README, so its manifest.
        let (location, _) = units[1].1.locate(None);
        assert_eq!(location, Location::file_only("services/pay/go.mod"));
    }

    /// Each unit's path and languages, for a repository of these files.
    fn languages_of_units(files: &[(&str, &str)]) -> Vec<Value> {
        units_of(files)
            .iter()
            .map(|(u, _)| json!([u["path"], u["languages"]]))
            .collect()
    }

    /// The units of a repository of these files.
    fn units_of(files: &[(&str, &str)]) -> Vec<(Value, Origins)> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let digests = files.iter().map(|(p, _)| digest(dir.path(), p)).collect();
        let root = Root::new(
            dir.path().to_path_buf(),
            read::canonical_dir(dir.path()).into(),
        );
        build(&root, digests)
    }

    #[test]
    fn a_service_at_the_root_ships_the_runtime_dependencies_of_its_libraries() {
        let units = units_of(&[
            ("Dockerfile", "FROM node:22\n"),
            ("package.json", "{\"workspaces\": [\"packages/*\"]}"),
            ("server.js", "start()\n"),
            (
                "packages/backend/package.json",
                "{\"dependencies\": {\"@opentelemetry/sdk-node\": \"1.0.0\"},\n\
                 \"devDependencies\": {\"prom-client\": \"1.0.0\"}}",
            ),
            ("packages/backend/src/index.ts", "export {}\n"),
            (
                "packages/web/package.json",
                "{\"dependencies\": {\"@opentelemetry/sdk-node\": \"1.0.0\", \"react\": \"18.0.0\"}}",
            ),
            ("packages/web/src/app.ts", "export {}\n"),
        ]);
        let (root, origins) = &units[0];
        assert_eq!(root["kinds"], json!(["service"]));
        let shipped: Vec<Value> = root["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| json!([d["name"], d["file"]]))
            .collect();
        // The library's test tooling is not shipped, and a package two libraries use is
        // listed once.
        assert_eq!(
            shipped,
            [
                json!(["@opentelemetry/sdk-node", "packages/backend/package.json"]),
                json!(["react", "packages/web/package.json"]),
            ]
        );
        let (location, _) = origins.locate(Some(&[
            PathSegment::Key("dependencies".into()),
            PathSegment::Index(0),
        ]));
        assert!(location.file.ends_with("packages/backend/package.json"));
        // The library keeps its own, and nothing goes the other way.
        assert_eq!(units[1].0["dependencies"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_go_embed_file_does_not_make_a_ui_a_go_unit() {
        let languages = languages_of_units(&[
            ("go.mod", "module app\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("ui/package.json", "{}"),
            ("ui/src/app.ts", "export {}\n"),
            (
                "ui/embed.go",
                "package ui\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n",
            ),
            ("server/package.json", "{}"),
            (
                "server/serve.go",
                "package server\n\n//go:embed static\nvar s string\n\nfunc Serve() {}\n",
            ),
        ]);
        assert_eq!(
            languages,
            [
                json!([".", ["go"]]),
                json!(["server", ["go"]]),
                json!(["ui", ["typescript"]]),
            ]
        );
    }

    #[test]
    fn only_the_code_a_unit_ships_gives_it_languages() {
        let languages = languages_of_units(&[
            ("README.md", "# shop\n"),
            // CI scripts, browser tests, tooling, docs and examples ship nothing.
            (
                ".github/workflows/ui-tests/cypress/integration/login_spec.js",
                "it()\n",
            ),
            (
                ".github/configs/renovate-config.js",
                "module.exports = {}\n",
            ),
            ("docs/assets/js/search.js", "search()\n"),
            ("docs/examples/files/sample1.py", "print()\n"),
            ("hack/release.py", "print()\n"),
            (
                "src/load-generator/script.js",
                "export default function () {}\n",
            ),
            ("internal/tools/go.mod", "module tools\n"),
            (
                "internal/tools/tools.go",
                "//go:build tools\npackage tools\n",
            ),
            // A .NET service with its tests beside it: one unit.
            ("src/cart/src/cart.csproj", "<Project />\n"),
            ("src/cart/src/Cart.cs", "class Cart {}\n"),
            ("src/cart/tests/cart.tests.csproj", "<Project />\n"),
            ("src/cart/tests/CartTests.cs", "class CartTests {}\n"),
            // A PHP service and its test configuration.
            ("src/quote/composer.json", "{}"),
            ("src/quote/app/index.php", "<?php\n"),
            ("src/quote/.php-cs-fixer.dist.php", "<?php\n"),
            ("src/quote/jest.config.js", "module.exports = {}\n"),
        ]);
        assert_eq!(
            languages,
            [
                json!([".", []]),
                json!(["internal/tools", []]),
                json!(["src/cart", ["csharp"]]),
                json!(["src/quote", ["php"]]),
            ]
        );
    }

    #[test]
    fn service_accounts_and_their_bindings_are_in_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: op}\nspec:\n  template:\n    spec:\n      serviceAccountName: op\n      automountServiceAccountToken: true\n      containers: [{name: op, image: op:1}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: op}\nautomountServiceAccountToken: false\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: op}\nsubjects: [{kind: ServiceAccount, name: op, namespace: ops}]\n";
        std::fs::write(dir.path().join("op.yaml"), text).unwrap();
        let digest = digest(dir.path(), "op.yaml");
        let (workload, place) = &digest.workloads[0];
        // Findings about its pod spec fields point at the pod template's `spec:` key.
        let pod_spec = text.find("    spec:").unwrap() + 4;
        assert_eq!(place.pod_spec, pod_spec..pod_spec + 4);
        assert_eq!(workload["serviceAccountName"], "op");
        assert_eq!(workload["automountServiceAccountToken"], true);
        let objects: Vec<&Value> = digest.objects.iter().map(|(o, _)| o).collect();
        assert_eq!(objects[0]["subjects"], Value::Null);
        assert_eq!(objects[1]["automountServiceAccountToken"], false);
        assert_eq!(
            objects[2]["subjects"],
            json!([{"kind": "ServiceAccount", "name": "op", "namespace": "ops"}])
        );
    }

    #[test]
    fn alerting_rules_and_their_annotations_are_in_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let object = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: api}\nspec:\n  groups:\n    - name: api\n      rules:\n        - record: job:errors:rate5m\n          expr: rate(errors[5m])\n        - alert: ApiDown\n          expr: up == 0\n          annotations: {runbook_url: https://runbooks.example.com/api-down}\n";
        let file = "groups:\n  - name: disk\n    rules:\n      - alert: DiskFull\n        expr: disk_free < 0.1\n        labels: {service: storage}\n  - name: grafana\n    rules:\n      - uid: a1\n        title: Dropped\n        annotations: {runbook_url: https://r.example.com/d}\n        data:\n          - model: {expr: 'rate(x{service_name=\"cart\", job=~\"pay|web-.*|api\"}[5m])'}\n";
        std::fs::create_dir(dir.path().join("monitoring")).unwrap();
        std::fs::write(dir.path().join("monitoring/api.yaml"), object).unwrap();
        std::fs::write(dir.path().join("monitoring/disk.rules.yml"), file).unwrap();
        let mut alerts = digest(dir.path(), "monitoring/api.yaml").alerts;
        alerts.extend(digest(dir.path(), "monitoring/disk.rules.yml").alerts);
        assert_eq!(
            alerts,
            [
                json!({"file": "monitoring/api.yaml", "alert": "ApiDown",
                       "annotations": {"runbook_url": "https://runbooks.example.com/api-down"},
                       "services": []}),
                json!({"file": "monitoring/disk.rules.yml", "alert": "DiskFull", "annotations": {},
                       "services": ["storage"]}),
                // A regular expression's plain alternatives only.
                json!({"file": "monitoring/disk.rules.yml", "alert": "Dropped",
                       "annotations": {"runbook_url": "https://r.example.com/d"},
                       "services": ["api", "cart", "pay"]}),
            ]
        );
    }

    #[test]
    fn a_unit_lists_a_bounded_number_of_alerts_kept_elsewhere_those_with_a_runbook_first() {
        let mut rules = String::from("groups:\n  - name: shop\n    rules:\n");
        for n in 0..150 {
            rules.push_str(&format!(
                "      - alert: Cart{n}\n        expr: up{{job=\"cart\"}} == {n}\n"
            ));
        }
        rules.push_str("      - alert: CartDown\n        expr: up{job=\"cart\"} == 0\n        annotations: {runbook_url: https://r.example.com/cart}\n");
        let units = units_of(&[
            ("monitoring/shop.rules.yml", &rules),
            ("services/cart/go.mod", "module cart\n"),
            ("services/cart/main.go", "package main\n"),
            ("services/cart/Dockerfile", "FROM scratch\n"),
        ]);
        let alerts = units[1].0["alerts"].as_array().unwrap();
        assert_eq!(alerts.len(), SHARED_ALERTS);
        assert_eq!(alerts[0]["alert"], "CartDown");
    }

    #[test]
    fn an_alert_kept_elsewhere_that_watches_a_service_is_the_services_too() {
        let rules = "groups:\n  - name: shop\n    rules:\n      - alert: CartSlow\n        expr: latency{service_name=\"cart\"} > 1\n";
        let units = units_of(&[
            ("monitoring/shop.rules.yml", rules),
            ("services/cart/go.mod", "module cart\n"),
            ("services/cart/main.go", "package main\n"),
            ("services/cart/Dockerfile", "FROM scratch\n"),
            ("services/web/go.mod", "module web\n"),
            ("services/web/main.go", "package main\n"),
            ("services/web/Dockerfile", "FROM scratch\n"),
        ]);
        let alerts: Vec<Value> = units
            .iter()
            .map(|(u, _)| json!([u["path"], u["alerts"]]))
            .collect();
        let alert = json!({"file": "monitoring/shop.rules.yml", "alert": "CartSlow",
                           "annotations": {}, "services": ["cart"]});
        assert_eq!(
            alerts,
            [
                json!([".", [alert]]),
                json!(["services/cart", [alert]]),
                json!(["services/web", []]),
            ]
        );
    }
}
