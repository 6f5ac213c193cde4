//! `kustomize build`, in-process: a kustomization's resources, components, generators and
//! transformers in kustomize's order, then (once, at the top) hash suffixes, references to
//! renamed objects, vars and the output order. A step that fails is an error with its
//! place; the rest of the build goes on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::load::{self, Located};
use super::resources::{Origins, Place, Resource};
use super::{generators, helm_charts, json6902, replacements, strategic_merge, transformers, vars};
use crate::parse::PathSegment;
use crate::read;

/// Kustomizations nested deeper than this are refused: no real overlay is this deep.
const MAX_DEPTH: usize = 64;
/// Kustomizations built in one build, counting each use of a shared base: bases that each
/// include another twice would otherwise double the work at every level.
const MAX_TARGETS: usize = 4096;

/// What a build produced: its objects, and what stopped parts of it.
#[derive(Debug, Default)]
pub struct Built {
    pub objects: Vec<BuiltObject>,
    pub errors: Vec<BuildError>,
    pub notes: Vec<BuildNote>,
    /// Every file the build read: kustomizations, resources, patches (as joined, not
    /// normalised).
    pub read: BTreeSet<PathBuf>,
    /// How many of the notes leave objects out (a remote base, a generator plugin, a chart
    /// or a chart's dependency not vendored): a patch may then be meant for one of them.
    pub left_out: usize,
}

impl Built {
    /// Notes something whose objects the build does not have (a remote base, a generator
    /// plugin, a chart or a chart's dependency not vendored).
    pub fn leave_out(&mut self, place: &Place, message: String) {
        self.notes.push(note_at(place, message));
        self.left_out += 1;
    }
}

#[derive(Debug, Clone)]
pub struct BuiltObject {
    pub value: Value,
    /// Where each node came from: (JSON path into `value`, place); a lookup takes the
    /// longest prefix of a finding's path. Places: the base resource's line, the patch line
    /// when a patch set the value, the kustomization line for labels/images/namespace/prefix.
    pub origins: Vec<(Vec<PathSegment>, Place)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub cause: Cause,
}

/// Why a step of the build failed, which decides whether it is the repository's mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The kustomization, or a file it names, is wrong.
    Invalid,
    /// A patch or replacement found no object to work on: a mistake only when the build
    /// holds every object, so a note when it left some out (see [`Built::leave_out`]).
    NoMatch,
    /// A patch or replacement file named by URL: paved fetches nothing.
    Remote,
    /// Something kustomize does that paved does not (a plugin, a KRM function): the build
    /// lacks what it would do, which is paved's limit, not the repository's mistake.
    Unsupported,
}

/// Something the build left out or could not do: a remote base, a Helm chart, a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildNote {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Builds the kustomization in `dir`, reading nothing outside `boundary`.
pub fn build(dir: &Path, boundary: &Path) -> Built {
    let mut builder = Builder {
        boundary: read::canonical_dir(boundary),
        stack: Vec::new(),
        targets: 0,
        built: Built::default(),
        vars: Vec::new(),
        fifo: false,
    };
    let mut resources = Vec::new();
    builder.target(dir, &mut resources, Role::Kustomization, None);
    generators::add_hashes(&mut resources);
    transformers::fix_references(&mut resources);
    vars::resolve(&mut resources, &builder.vars);
    if !builder.fifo {
        legacy_order(&mut resources);
    }
    builder.built.objects = resources
        .into_iter()
        .map(|r| BuiltObject {
            value: r.value,
            origins: r.origins.0,
        })
        .collect();
    builder.built
}

/// The kustomization fields paved builds (or reports as notes or errors itself).
const KNOWN_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "labels",
    "commonLabels",
    "commonAnnotations",
    "images",
    "replicas",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "replacements",
    "vars",
    "helmCharts",
    "helmGlobals",
    "generators",
    "transformers",
    "configurations",
    "sortOptions",
];

/// Kustomization fields kustomize knows that paved does not build.
const UNSUPPORTED_FIELDS: &[&str] = &[
    "buildMetadata",
    "crds",
    "openapi",
    "validators",
    "helmChartInflationGenerator",
    "imageTags",
];

/// What a directory is used as: a kustomization (`resources`) or a component.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Kustomization,
    Component,
}

struct Builder {
    boundary: PathBuf,
    /// The kustomizations being built, outermost first: a repeat is a cycle.
    stack: Vec<PathBuf>,
    /// How many kustomizations this build has built so far.
    targets: usize,
    built: Built,
    vars: Vec<vars::Var>,
    fifo: bool,
}

/// A kustomization file being built, with the places of its fields.
pub struct Kustomization {
    pub dir: PathBuf,
    pub doc: Located,
}

impl Kustomization {
    pub fn field(&self, key: &str) -> &Value {
        &self.doc.value[key]
    }

    /// The entries of a list field, each with its place.
    pub fn entries(&self, key: &str) -> Vec<(&Value, Place)> {
        let items = self
            .field(key)
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let place = self
                    .doc
                    .place(&[PathSegment::Key(key.into()), PathSegment::Index(i)]);
                (v, place)
            })
            .collect()
    }

    pub fn place(&self, key: &str) -> Place {
        self.doc.place(&[PathSegment::Key(key.into())])
    }
}

pub fn error_at(place: &Place, message: impl Into<String>) -> BuildError {
    failure_at(place, Cause::Invalid, message)
}

pub fn failure_at(place: &Place, cause: Cause, message: impl Into<String>) -> BuildError {
    BuildError {
        file: place.file.clone(),
        line: place.line,
        column: place.column,
        message: message.into(),
        cause,
    }
}

/// Why a patch or replacement was not applied, before it is given its place.
#[derive(Debug)]
pub struct Unapplied {
    pub cause: Cause,
    pub message: String,
}

impl Unapplied {
    pub fn at(self, place: &Place) -> BuildError {
        failure_at(place, self.cause, self.message)
    }
}

impl From<String> for Unapplied {
    fn from(message: String) -> Self {
        Unapplied {
            cause: Cause::Invalid,
            message,
        }
    }
}

impl From<&str> for Unapplied {
    fn from(message: &str) -> Self {
        Unapplied::from(message.to_string())
    }
}

pub fn note_at(place: &Place, message: impl Into<String>) -> BuildNote {
    BuildNote {
        file: place.file.clone(),
        line: place.line,
        column: place.column,
        message: message.into(),
    }
}

impl Builder {
    /// Builds the kustomization in `dir` into `resources`: a kustomization starts from
    /// nothing, a component works on what its parent accumulated so far.
    fn target(
        &mut self,
        dir: &Path,
        resources: &mut Vec<Resource>,
        role: Role,
        from: Option<&Place>,
    ) {
        let here = from.cloned().unwrap_or(Place {
            file: dir.to_path_buf(),
            line: 1,
            column: 1,
        });
        let Some(file) = load::kustomization_file(dir) else {
            let message = format!("{} holds no kustomization.yaml", dir.display());
            return self.built.errors.push(error_at(&here, message));
        };
        let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Some(start) = self.stack.iter().position(|d| *d == real) {
            let cycle: Vec<String> = self.stack[start..]
                .iter()
                .chain([&real])
                .map(|d| d.display().to_string())
                .collect();
            let message = format!(
                "kustomizations include each other in a cycle: {}",
                cycle.join(" -> ")
            );
            return self.built.errors.push(error_at(&here, message));
        }
        if self.stack.len() >= MAX_DEPTH {
            let message = format!("kustomizations nest deeper than {MAX_DEPTH} levels");
            return self.built.errors.push(error_at(&here, message));
        }
        self.targets += 1;
        if self.targets > MAX_TARGETS {
            let message =
                format!("this build uses more than {MAX_TARGETS} kustomizations; paved stops here");
            return self.built.errors.push(error_at(&here, message));
        }
        let doc = match load::documents(&file, &self.boundary) {
            Ok(mut docs) => {
                self.built.read.insert(file.clone());
                match docs.is_empty() {
                    true => Located {
                        value: Value::Object(Default::default()),
                        origins: Origins::default(),
                    },
                    false => docs.swap_remove(0),
                }
            }
            Err(e) => return self.built.errors.push(e),
        };
        let k = Kustomization {
            dir: dir.to_path_buf(),
            doc,
        };
        let is_component = k.field("kind").as_str() == Some("Component");
        let top = self.stack.is_empty();
        if !top && is_component != (role == Role::Component) {
            let message = if is_component {
                format!(
                    "{} is a Component: list it under components, not resources",
                    dir.display()
                )
            } else {
                format!(
                    "{} is not a Component (kind: Component): it cannot be used under components",
                    dir.display()
                )
            };
            return self.built.errors.push(error_at(&here, message));
        }
        self.stack.push(real);
        self.accumulate(&k, resources);
        self.stack.pop();
    }

    fn accumulate(&mut self, k: &Kustomization, resources: &mut Vec<Resource>) {
        let left_out_before = self.built.left_out;
        self.check_fields(k);
        let patches = super::patch_files(&k.dir, &k.doc.value);
        let readable = patches
            .into_iter()
            .filter(|p| load::inside(p, &self.boundary));
        self.built.read.extend(readable);
        // `bases` is the old name of `resources`; kustomize appends them.
        let entries = k.entries("resources").into_iter().chain(k.entries("bases"));
        for (entry, place) in entries {
            self.resource(k, entry, &place, resources);
        }
        for (entry, place) in k.entries("components") {
            match self.local_path(k, entry, &place) {
                Some(dir) => self.target(&dir, resources, Role::Component, Some(&place)),
                None => continue,
            }
        }
        for (entry, place) in k.entries("generators") {
            let message = format!(
                "generator {entry} is not run: paved runs no generator plugins or functions, so its objects are not in the build"
            );
            self.built.leave_out(&place, message);
        }
        for (entry, place) in k.entries("configurations") {
            let path = k.dir.join(entry.as_str().unwrap_or_default());
            match read::read(&path, &self.boundary) {
                Ok(_) => self.note(&place, &format!("transformer configuration {entry} is not applied: paved uses kustomize's built-in field lists")),
                Err(e) => {
                    let message = format!("transformer configuration {entry}: {e}");
                    self.built.errors.push(error_at(&place, message));
                }
            }
        }
        generators::run(k, &self.boundary, resources, &mut self.built.errors);
        helm_charts::inflate(k, &self.boundary, resources, &mut self.built);
        let complete = self.built.left_out == left_out_before;
        let errors_before = self.built.errors.len();
        self.transform(k, resources);
        self.settle(errors_before, complete);
        for (entry, place) in k.entries("vars") {
            match vars::Var::from_value(entry) {
                Ok(var) => self.vars.push(var),
                Err(message) => self.built.errors.push(error_at(&place, message)),
            }
        }
        if k.field("sortOptions")["order"].as_str() == Some("fifo") {
            self.fifo = true;
        }
    }

    /// Fields kubectl refuses (unknown) or that change the output in ways paved does not build.
    fn check_fields(&mut self, k: &Kustomization) {
        let Some(fields) = k.doc.value.as_object() else {
            let message = "a kustomization must be a map";
            return self.built.errors.push(error_at(&k.doc.place(&[]), message));
        };
        for key in fields.keys() {
            if UNSUPPORTED_FIELDS.contains(&key.as_str()) {
                let message =
                    format!("{key} is not applied: paved's kustomize build does not support it");
                self.note(&k.place(key), &message);
            } else if !KNOWN_FIELDS.contains(&key.as_str()) {
                let message =
                    format!("unknown field {key:?} in a kustomization (kustomize refuses it)");
                self.built.errors.push(error_at(&k.place(key), message));
            }
        }
    }

    /// One `resources` entry: a file of objects or a directory with a kustomization.
    fn resource(
        &mut self,
        k: &Kustomization,
        entry: &Value,
        place: &Place,
        resources: &mut Vec<Resource>,
    ) {
        let Some(path) = self.local_path(k, entry, place) else {
            return;
        };
        if path.is_dir() {
            let mut built = Vec::new();
            self.target(&path, &mut built, Role::Kustomization, Some(place));
            for resource in built {
                self.add(resources, resource, place);
            }
            return;
        }
        match load::documents(&path, &self.boundary) {
            Ok(docs) => {
                self.built.read.insert(path.clone());
                for doc in docs {
                    let at = doc.place(&[]);
                    for resource in objects_of(doc) {
                        self.add(resources, resource, &at);
                    }
                }
            }
            Err(e) => self.built.errors.push(e),
        }
    }

    /// Adds a resource unless one with its identity is already there (kustomize refuses that).
    fn add(&mut self, resources: &mut Vec<Resource>, resource: Resource, place: &Place) {
        if resource.kind().is_empty() || resource.name().is_empty() {
            let message = "a resource needs a kind and metadata.name";
            return self.built.errors.push(error_at(place, message));
        }
        let id = resource.id();
        if resources.iter().any(|r| r.id() == id) {
            let message = format!(
                "{} {} is already in this build: a resource may be added only once",
                id.1, id.3
            );
            return self.built.errors.push(error_at(place, message));
        }
        resources.push(resource);
    }

    /// A local path named by an entry, or `None` after a note (remote) or an error.
    fn local_path(&mut self, k: &Kustomization, entry: &Value, place: &Place) -> Option<PathBuf> {
        let Some(name) = entry.as_str() else {
            self.built.errors.push(error_at(place, "expected a path"));
            return None;
        };
        if load::is_remote(name) {
            let message =
                format!("remote base {name} is not fetched: its objects are not in the build");
            self.built.leave_out(place, message);
            return None;
        }
        let path = k.dir.join(name);
        if !path.exists() {
            let message = format!("{name} does not exist");
            self.built.errors.push(error_at(place, message));
            return None;
        }
        if !load::inside(&path, &self.boundary) {
            let message = format!("{name} is outside the repository; paved does not read it");
            self.built.errors.push(error_at(place, message));
            return None;
        }
        Some(path)
    }

    /// Turns the transformers' failures from `first` on into notes where they are not the
    /// repository's mistake: a remote file, a plugin paved does not run, and a patch
    /// matching nothing in a build that left objects out (it may be meant for them).
    fn settle(&mut self, first: usize, complete: bool) {
        let failures = self.built.errors.split_off(first);
        for failure in failures {
            let message = match failure.cause {
                Cause::Invalid => None,
                Cause::NoMatch if complete => None,
                Cause::NoMatch => Some(format!(
                    "{} (it may be meant for an object this build leaves out)",
                    failure.message
                )),
                Cause::Remote | Cause::Unsupported => Some(failure.message.clone()),
            };
            match message {
                Some(message) => self.built.notes.push(BuildNote {
                    file: failure.file,
                    line: failure.line,
                    column: failure.column,
                    message,
                }),
                None => self.built.errors.push(failure),
            }
        }
    }

    fn note(&mut self, place: &Place, message: &str) {
        self.built.notes.push(note_at(place, message));
    }

    /// The built-in transformers, in the order kustomize runs them.
    fn transform(&mut self, k: &Kustomization, resources: &mut Vec<Resource>) {
        let errors = &mut self.built.errors;
        let boundary = &self.boundary;
        strategic_merge::run_deprecated(k, boundary, resources, errors);
        patches(k, boundary, resources, errors);
        transformers::namespace(k, resources);
        transformers::prefix_suffix(k, resources);
        transformers::labels(k, resources);
        transformers::annotations(k, resources);
        json6902::run_deprecated(k, boundary, resources, errors);
        transformers::replicas(k, resources);
        transformers::images(k, resources);
        replacements::run(k, boundary, resources, errors);
        transformers::configured(k, boundary, resources, errors);
    }
}

/// The objects of one document: itself, or the items of a `List`.
pub(super) fn objects_of(doc: Located) -> Vec<Resource> {
    let is_list = doc.value["kind"]
        .as_str()
        .is_some_and(|k| k.ends_with("List"))
        && doc.value["items"].is_array();
    if !is_list {
        return vec![Resource::new(doc.value, doc.origins)];
    }
    let items = doc.value["items"].as_array().cloned().unwrap_or_default();
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let mut origins = Origins::default();
            let prefix = [PathSegment::Key("items".into()), PathSegment::Index(i)];
            origins.graft(&[], &doc.origins, &prefix);
            Resource::new(item, origins)
        })
        .collect()
}

/// `patches`: each a strategic merge patch or a JSON 6902 patch (a list of operations),
/// from a file or inline, applied to its target or, without one, to the object it names.
fn patches(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut Vec<Resource>,
    errors: &mut Vec<BuildError>,
) {
    for (entry, place) in k.entries("patches") {
        let docs = match patch_documents(k, entry, &place, boundary) {
            Ok(docs) => docs,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let target = &entry["target"];
        for doc in docs {
            let result = if doc.value.is_array() {
                json6902::apply_to_targets(&doc, target, resources).map_err(Unapplied::from)
            } else {
                strategic_merge::apply_to_targets(&doc, target, resources)
            };
            if let Err(unapplied) = result {
                errors.push(unapplied.at(&place));
            }
        }
    }
}

/// The documents of a patch entry: `path:` a file, `patch:` inline YAML (or a plain string
/// entry of the deprecated forms, a path or inline YAML).
pub fn patch_documents(
    k: &Kustomization,
    entry: &Value,
    place: &Place,
    boundary: &Path,
) -> Result<Vec<Located>, BuildError> {
    let inline = entry["patch"]
        .as_str()
        .or_else(|| entry.as_str().filter(|s| s.contains('\n')));
    if let Some(text) = inline {
        let docs = load::parse_text(text, &place.file)?;
        return Ok(docs
            .into_iter()
            .map(|d| load::at_one_place(d, place))
            .collect());
    }
    let Some(name) = entry["path"].as_str().or_else(|| entry.as_str()) else {
        return Err(error_at(place, "a patch needs a path or an inline patch"));
    };
    if load::is_remote(name) {
        let message = format!("remote file {name} is not fetched: it is not applied");
        return Err(failure_at(place, Cause::Remote, message));
    }
    let path = k.dir.join(name);
    if !path.is_file() {
        return Err(error_at(place, format!("patch file {name} does not exist")));
    }
    load::documents(&path, boundary)
}

/// Kustomize's legacy output order: kinds that others depend on first, webhooks last, the
/// rest by kind; ties by namespace and name.
fn legacy_order(resources: &mut [Resource]) {
    const FIRST: [&str; 22] = [
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: [&str; 2] = [
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    let rank = |kind: &str| {
        if let Some(i) = FIRST.iter().position(|k| *k == kind) {
            i as isize - 100
        } else if let Some(i) = LAST.iter().position(|k| *k == kind) {
            i as isize + 100
        } else {
            0
        }
    };
    resources.sort_by(|a, b| {
        let key = |r: &Resource| {
            let (group, version) = r.group_version();
            (
                rank(r.kind()),
                r.kind().to_string(),
                group.to_string(),
                version.to_string(),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.namespace().cmp(b.namespace()))
            .then_with(|| a.name().cmp(b.name()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kustomize")
    }

    /// Each case under tests/data/kustomize/ builds to exactly the objects, in the order,
    /// that `kubectl kustomize` printed for it (bench/kustomize/record.sh records them).
    #[test]
    fn recorded_cases_build_as_kustomize_does() {
        let root = cases_dir();
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("expected.yaml").is_file())
            .collect();
        cases.sort();
        assert!(cases.len() >= 9, "cases: {cases:?}");
        for case in cases {
            let built = build(&case, &root);
            assert_eq!(built.errors, [], "{}", case.display());
            let text = std::fs::read_to_string(case.join("expected.yaml")).unwrap();
            let expected: Vec<Value> = load::parse_text(&text, &case)
                .unwrap()
                .into_iter()
                .map(|d| d.value)
                .collect();
            let actual: Vec<Value> = built.objects.into_iter().map(|o| o.value).collect();
            let shown = |objects: Vec<Value>| {
                let sorted = generators::sorted(&Value::Array(objects));
                serde_json::to_string_pretty(&sorted).unwrap()
            };
            assert_eq!(shown(actual), shown(expected), "{}", case.display());
        }
    }

    /// Writes `files` (path, text) under a fresh directory.
    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.into())
    }

    /// (file name, line) of the node at `path` of the object named `name`.
    fn origin(built: &Built, name: &str, path: &[PathSegment]) -> (String, usize) {
        let object = built
            .objects
            .iter()
            .find(|o| o.value["metadata"]["name"] == name)
            .unwrap();
        let place = Origins(object.origins.clone())
            .lookup(path)
            .cloned()
            .unwrap();
        let file = place
            .file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        (file, place.line)
    }

    const BASE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:1
        resources:
          limits:
            memory: 1Gi
";

    #[test]
    fn origins_point_at_the_base_the_patch_or_the_kustomization_line() {
        let dir = tree(&[
            ("base/kustomization.yaml", "resources:\n- deployment.yaml\n"),
            ("base/deployment.yaml", BASE),
            (
                "prod/kustomization.yaml",
                "resources:\n- ../base\nnamespace: prod\ncommonLabels:\n  team: a\npatches:\n- path: probe.yaml\n- path: ops.yaml\n  target:\n    kind: Deployment\nimages:\n- name: api\n  newTag: \"2\"\n",
            ),
            (
                "prod/probe.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: sidecar\n        image: proxy:1\n      - name: api\n        readinessProbe:\n          tcpSocket:\n            port: 80\n",
            ),
            ("prod/ops.yaml", "- op: add\n  path: /spec/replicas\n  value: 3\n"),
        ]);
        let built = build(&dir.path().join("prod"), dir.path());
        assert_eq!(built.errors, []);
        let containers = [key("spec"), key("template"), key("spec"), key("containers")];
        let at = |rest: &[PathSegment]| origin(&built, "api", &[&containers[..], rest].concat());
        // The patch put its new container first: the base's container is now second.
        assert_eq!(
            at(&[PathSegment::Index(0), key("image")]),
            ("probe.yaml".into(), 10)
        );
        assert_eq!(
            at(&[PathSegment::Index(1), key("resources"), key("limits")]),
            ("deployment.yaml".into(), 12)
        );
        assert_eq!(
            at(&[
                PathSegment::Index(1),
                key("readinessProbe"),
                key("tcpSocket")
            ]),
            ("probe.yaml".into(), 13)
        );
        assert_eq!(
            at(&[PathSegment::Index(1), key("image")]),
            ("kustomization.yaml".into(), 12)
        );
        assert_eq!(
            origin(&built, "api", &[key("spec"), key("replicas")]),
            ("ops.yaml".into(), 3)
        );
        assert_eq!(
            origin(&built, "api", &[key("metadata"), key("namespace")]),
            ("kustomization.yaml".into(), 3)
        );
        assert_eq!(
            origin(
                &built,
                "api",
                &[key("metadata"), key("labels"), key("team")]
            ),
            ("kustomization.yaml".into(), 4)
        );
        assert_eq!(
            origin(&built, "api", &[key("kind")]),
            ("deployment.yaml".into(), 2)
        );
    }

    #[test]
    fn a_path_out_of_the_boundary_is_an_error_not_a_read_and_the_rest_builds() {
        let dir = tree(&[
            ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: outside\n"),
            ("repo/app/deployment.yaml", BASE),
            ("repo/app/kustomization.yaml", "resources:\n- deployment.yaml\n- ../../secret.yaml\n- ../../../../../../../../etc/passwd\n"),
        ]);
        let built = build(&dir.path().join("repo/app"), &dir.path().join("repo"));
        let names: Vec<&Value> = built
            .objects
            .iter()
            .map(|o| &o.value["metadata"]["name"])
            .collect();
        assert_eq!(names, ["api"]);
        let errors: Vec<(usize, &str)> = built
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (3, "../../secret.yaml is outside the repository; paved does not read it"),
                (4, "../../../../../../../../etc/passwd is outside the repository; paved does not read it"),
            ]
        );
    }

    #[test]
    fn a_generators_file_out_of_the_boundary_is_an_error_at_its_line() {
        let dir = tree(&[
            ("token", "s3cret\n"),
            ("repo/app/kustomization.yaml", "configMapGenerator:\n- name: a\n  files:\n  - ok=kustomization.yaml\n  - ../../token\n- name: b\n  envs: [/etc/hostname]\n- name: c\n  files:\n  - linked\n"),
        ]);
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("repo/app/linked")).unwrap();
        let built = build(&dir.path().join("repo/app"), &dir.path().join("repo"));
        let errors: Vec<(usize, usize, &str)> = built
            .errors
            .iter()
            .map(|e| (e.line, e.column, e.message.as_str()))
            .collect();
        let token = dir.path().canonicalize().unwrap().join("token");
        assert_eq!(
            errors,
            [
                (5, 5, format!("../../token: this path resolves to {}, outside the scanned directory; paved does not read it", token.display()).as_str()),
                (7, 10, "/etc/hostname: this path resolves to /etc/hostname, outside the scanned directory; paved does not read it"),
                (10, 5, "linked: this file is a symlink to /etc/passwd, outside the scanned directory; paved does not follow it"),
            ]
        );
        assert!(built.objects.is_empty());
    }

    #[test]
    fn kustomizations_that_include_each_other_are_an_error_naming_the_cycle() {
        let dir = tree(&[
            ("a/kustomization.yaml", "resources:\n- ../b\n"),
            ("b/kustomization.yaml", "resources:\n- ../a\n"),
        ]);
        let built = build(&dir.path().join("a"), dir.path());
        assert!(built.objects.is_empty());
        let [error] = built.errors.as_slice() else {
            panic!("{:?}", built.errors);
        };
        let real = dir.path().canonicalize().unwrap();
        let (a, b) = (
            real.join("a").display().to_string(),
            real.join("b").display().to_string(),
        );
        assert_eq!(
            error.message,
            format!("kustomizations include each other in a cycle: {a} -> {b} -> {a}")
        );
        assert_eq!(
            (error.file.ends_with("b/kustomization.yaml"), error.line),
            (true, 2)
        );
    }

    #[test]
    fn remote_bases_and_helm_charts_are_notes_and_the_rest_builds() {
        let dir = tree(&[
            ("deployment.yaml", BASE),
            (
                "kustomization.yaml",
                "resources:\n- https://github.com/example/repo//base?ref=v1\n- github.com/example/other/base\n- deployment.yaml\nhelmCharts:\n- name: redis\n- name: cache\n  version: 1.0.0\n  repo: https://charts.example.com\nhelmGlobals:\n  chartHome: vendor\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.errors, []);
        assert_eq!(built.objects.len(), 1);
        let notes: Vec<(usize, &str)> = built
            .notes
            .iter()
            .map(|n| (n.line, n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (2, "remote base https://github.com/example/repo//base?ref=v1 is not fetched: its objects are not in the build"),
                (3, "remote base github.com/example/other/base is not fetched: its objects are not in the build"),
                (6, "chart redis is not in vendor/redis: charts are not fetched; its objects are not in the build"),
                (7, "chart cache is not in vendor/cache-1.0.0/cache: charts are not fetched; its objects are not in the build"),
            ]
        );
    }

    /// Lines and messages.
    type Lines<'a> = Vec<(usize, &'a str)>;

    /// The lines and messages of a build's errors and of its notes.
    fn problems(built: &Built) -> (Lines<'_>, Lines<'_>) {
        let errors = built.errors.iter().map(|e| (e.line, e.message.as_str()));
        let notes = built.notes.iter().map(|n| (n.line, n.message.as_str()));
        (errors.collect(), notes.collect())
    }

    #[test]
    fn what_finds_nothing_in_a_build_that_left_a_remote_base_out_is_a_note() {
        let base = "resources:\n- deployment.yaml\npatches:\n- patch: |-\n    kind: Service\n    metadata:\n      name: in-no-base\n";
        let overlay = "resources:\n- https://example.com/remote.yaml\n- base\npatches:\n- path: https://example.com/patch.yaml\n- patch: |-\n    kind: RoleBinding\n    metadata:\n      name: remote\n    $patch: delete\nreplacements:\n- source:\n    kind: ConfigMap\n    name: remote\n  targets:\n  - select:\n      kind: Deployment\n    fieldPaths: [metadata.annotations.x]\n";
        let dir = tree(&[
            ("base/deployment.yaml", BASE),
            ("base/kustomization.yaml", base),
            ("kustomization.yaml", overlay),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.objects.len(), 1);
        let (errors, notes) = problems(&built);
        // The base holds every object it names: its patch matching nothing stays its mistake.
        assert_eq!(
            errors,
            [(
                4,
                "no resource matches strategic merge patch \"Service in-no-base\""
            )]
        );
        assert_eq!(
            notes,
            [
                (2, "remote base https://example.com/remote.yaml is not fetched: its objects are not in the build"),
                (5, "remote file https://example.com/patch.yaml is not fetched: it is not applied"),
                (6, "no resource matches strategic merge patch \"RoleBinding remote\" (it may be meant for an object this build leaves out)"),
                (12, "the replacement source selects 0 objects, not one (it may be meant for an object this build leaves out)"),
            ]
        );

        let local = overlay.replace("- https://example.com/remote.yaml\n", "");
        std::fs::write(dir.path().join("kustomization.yaml"), local).unwrap();
        let built = build(dir.path(), dir.path());
        let (errors, notes) = problems(&built);
        assert_eq!(
            errors,
            [
                (
                    4,
                    "no resource matches strategic merge patch \"Service in-no-base\""
                ),
                (
                    5,
                    "no resource matches strategic merge patch \"RoleBinding remote\""
                ),
                (11, "the replacement source selects 0 objects, not one"),
            ]
        );
        assert_eq!(
            notes,
            [(
                4,
                "remote file https://example.com/patch.yaml is not fetched: it is not applied"
            )]
        );
    }

    #[test]
    fn plugins_paved_does_not_run_are_notes_and_the_rest_builds() {
        let dir = tree(&[
            ("deployment.yaml", BASE),
            ("tshirt.yaml", "apiVersion: example.com/v1\nkind: Tshirt\nmetadata:\n  name: size\n"),
            ("labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  team: web\nfieldSpecs:\n- path: metadata/labels\n  create: true\n"),
            ("gen.yaml", "apiVersion: example.com/v1\nkind: Generator\nmetadata:\n  name: g\n"),
            ("fields.yaml", "images: []\n"),
            (
                "kustomization.yaml",
                "resources:\n- deployment.yaml\ntransformers:\n- tshirt.yaml\n- labels.yaml\ngenerators:\n- gen.yaml\nconfigurations:\n- fields.yaml\n- missing.yaml\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.objects[0].value["metadata"]["labels"]["team"], "web");
        let (errors, notes) = problems(&built);
        // A file that is not there is the kustomization's mistake.
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, 10);
        assert!(errors[0]
            .1
            .starts_with("transformer configuration \"missing.yaml\": "));
        assert_eq!(
            notes,
            [
                (7, "generator \"gen.yaml\" is not run: paved runs no generator plugins or functions, so its objects are not in the build"),
                (9, "transformer configuration \"fields.yaml\" is not applied: paved uses kustomize's built-in field lists"),
                (4, "transformer kind \"Tshirt\" is not applied: paved runs only kustomize's built-in transformers"),
            ]
        );
    }

    #[test]
    fn a_chart_failing_without_its_dependency_is_a_note() {
        let dir = tree(&[
            (
                "charts/app/Chart.yaml",
                "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n",
            ),
            (
                "charts/app/templates/cm.yaml",
                "kind: ConfigMap\nmetadata:\n  name: {{ include \"redis.fullname\" . }}\n",
            ),
            ("kustomization.yaml", "helmCharts:\n- name: app\n"),
        ]);
        let built = build(dir.path(), dir.path());
        let (errors, notes) = problems(&built);
        assert_eq!(errors, []);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0]
                .1
                .starts_with("chart app: template: app/templates/cm.yaml:3:11: ")
                && notes[0]
                    .1
                    .ends_with("(rendered without redis, not vendored: it may come from there)"),
            "{notes:?}"
        );
        assert_eq!(
            notes[1],
            (
                2,
                "the dependency `redis` of chart app is not vendored in its charts/: the chart renders without it"
            )
        );
    }

    #[test]
    fn a_broken_file_or_patch_is_an_error_at_its_place_and_the_rest_builds() {
        let dir = tree(&[
            ("deployment.yaml", BASE),
            ("broken.yaml", "kind: ConfigMap\nmetadata: [unclosed\n"),
            (
                "kustomization.yaml",
                "resources:\n- deployment.yaml\n- broken.yaml\npatches:\n- patch: |-\n    kind: Deployment\n    metadata:\n      name: missing\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.objects.len(), 1);
        let errors: Vec<(String, usize, &str)> = built
            .errors
            .iter()
            .map(|e| {
                (
                    e.file.file_name().unwrap().to_string_lossy().into_owned(),
                    e.line,
                    e.message.as_str(),
                )
            })
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].0.as_str(), errors[0].1), ("broken.yaml", 3));
        assert_eq!(
            errors[1],
            (
                "kustomization.yaml".into(),
                5,
                "no resource matches strategic merge patch \"Deployment missing\""
            )
        );
    }

    #[test]
    fn fields_of_the_wrong_shape_are_errors_or_ignored_never_a_panic() {
        let dir = tree(&[
            ("odd.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: just-a-string\n---\n- a list\n---\n42\n"),
            ("deployment.yaml", BASE),
            (
                "kustomization.yaml",
                "resources: [deployment.yaml, odd.yaml, 7, {a: b}]\nnamespace: [x]\nnamePrefix: 3\ncommonLabels: [a]\nimages: [{name: 1}]\nreplicas: [{name: api, count: many}]\npatches: [7, {path: 3}, {patch: '- op: add'}]\nconfigMapGenerator: [{name: c, literals: [novalue]}]\nreplacements: [{source: {kind: Nope}}]\nvars: [{name: X}]\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        let names: Vec<&Value> = built
            .objects
            .iter()
            .map(|o| &o.value["metadata"]["name"])
            .collect();
        assert_eq!(names, ["api"]);
        assert_eq!(built.objects[0].value["spec"]["replicas"], "many");
        let places: Vec<(String, usize)> = built
            .errors
            .iter()
            .map(|e| {
                (
                    e.file.file_name().unwrap().to_string_lossy().into_owned(),
                    e.line,
                )
            })
            .collect();
        let expected = [("odd.yaml", 1), ("odd.yaml", 5), ("odd.yaml", 7)]
            .into_iter()
            .chain([1, 1, 8, 7, 7, 7, 9, 10].map(|line| ("kustomization.yaml", line)));
        let expected: Vec<(String, usize)> = expected.map(|(f, l)| (f.to_string(), l)).collect();
        assert_eq!(places, expected, "{:?}", built.errors);
    }

    #[test]
    fn replacements_that_double_an_object_stop_at_the_bound_and_the_rest_builds() {
        // Each replacement copies the ConfigMap's data into a key of its own data.
        let replacements: String = (0..22)
            .map(|i| format!("- source: {{kind: ConfigMap, name: c, fieldPath: data}}\n  targets:\n  - select: {{kind: ConfigMap, name: c}}\n    fieldPaths: [data.k{i}]\n    options: {{create: true}}\n"))
            .collect();
        let dir = tree(&[
            (
                "cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: x\n",
            ),
            ("deployment.yaml", BASE),
            (
                "kustomization.yaml",
                &format!("resources: [cm.yaml, deployment.yaml]\nreplacements:\n{replacements}"),
            ),
        ]);
        let built = build(dir.path(), dir.path());
        // The nineteenth and every later one would pass the bound: each is refused at its line.
        let refused: Vec<(usize, &str)> = built
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        let message = "ConfigMap c: the object would grow past 1000000 nodes or 64 MiB of text";
        assert_eq!(
            refused,
            [(93, message), (98, message), (103, message), (108, message)]
        );
        assert!(built
            .objects
            .iter()
            .any(|o| o.value["kind"] == "Deployment"));
    }

    #[test]
    fn a_base_shared_exponentially_stops_at_the_bound() {
        let mut files: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("l{i}/kustomization.yaml"),
                    format!("resources:\n- ../l{}\n- ../l{}\n", i + 1, i + 1),
                )
            })
            .collect();
        files.push(("l20/kustomization.yaml".into(), "resources: []\n".into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let dir = tree(&files);
        let built = build(&dir.path().join("l0"), dir.path());
        assert!(built.objects.is_empty());
        let first = &built.errors[0];
        assert_eq!(
            first.message,
            "this build uses more than 4096 kustomizations; paved stops here"
        );
    }

    #[test]
    fn bases_are_resources_unknown_fields_are_errors_and_unsupported_ones_notes() {
        let dir = tree(&[
            ("base/kustomization.yaml", "resources:\n- deployment.yaml\n"),
            ("base/deployment.yaml", BASE),
            (
                "kustomization.yaml",
                "bases:\n- base\nbuildMetadata: [originAnnotations]\nfoo: 1\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.objects.len(), 1);
        let (errors, notes) = problems(&built);
        assert_eq!(
            errors,
            [(
                4,
                "unknown field \"foo\" in a kustomization (kustomize refuses it)"
            )]
        );
        assert_eq!(
            notes,
            [(
                3,
                "buildMetadata is not applied: paved's kustomize build does not support it"
            )]
        );
    }

    /// (file below the case, line) of the node at `path` of the `kind` object named `name`.
    fn origin_of(
        built: &Built,
        root: &Path,
        kind: &str,
        name: &str,
        path: &[PathSegment],
    ) -> (String, usize) {
        let object = built
            .objects
            .iter()
            .find(|o| o.value["kind"] == kind && o.value["metadata"]["name"] == name)
            .unwrap();
        let place = Origins(object.origins.clone())
            .lookup(path)
            .cloned()
            .unwrap();
        let file = place.file.strip_prefix(root).unwrap_or(&place.file);
        (file.display().to_string(), place.line)
    }

    #[test]
    fn helm_chart_objects_point_at_the_template_lines_that_wrote_them() {
        let case = cases_dir().join("helm-charts");
        let built = build(&case, &cases_dir());
        assert_eq!((&built.errors, &built.notes), (&vec![], &vec![]));
        let at = |kind, name, path: &[&str]| {
            let path: Vec<PathSegment> = path.iter().map(|k| key(k)).collect();
            origin_of(&built, &case, kind, name, &path)
        };
        let deployment = "charts/web/templates/deployment.yaml";
        assert_eq!(
            at("Deployment", "shop-storefront-web", &["spec", "replicas"]),
            (deployment.into(), 9)
        );
        assert_eq!(
            at(
                "Deployment",
                "shop-storefront-web",
                &["spec", "template", "spec", "containers"]
            ),
            (deployment.into(), 18)
        );
        assert_eq!(
            at(
                "Deployment",
                "shop-storefront-web",
                &["metadata", "labels", "team"]
            ),
            ("kustomization.yaml".into(), 2)
        );
        assert_eq!(
            at("Service", "shop-storefront-web", &["spec", "ports"]),
            ("charts/web/templates/service.yaml".into(), 10)
        );
        assert_eq!(
            at(
                "CustomResourceDefinition",
                "widgets.example.com",
                &["spec", "scope"]
            ),
            ("charts/web/crds/widgets.yaml".into(), 10)
        );
        assert_eq!(
            at("StatefulSet", "shop-cache", &["spec", "serviceName"]),
            (
                "charts/cache-1.2.0/cache/templates/statefulset.yaml".into(),
                8
            )
        );
    }

    #[test]
    fn helm_chart_entries_that_cannot_render_are_errors_or_notes_at_their_place() {
        let dir = tree(&[
            ("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
            ("charts/app/values.yaml", "port: 80\n"),
            (
                "charts/app/templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n  - name: app\n    image: {{ required \"image is required\" .Values.image }}\n",
            ),
            (
                "kustomization.yaml",
                "helmCharts:\n- version: 1.0.0\n- name: app\n  valuesMerge: combine\n  valuesInline: {image: x}\n- name: app\n  nameTemplate: x\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert!(built.objects.is_empty());
        let shown = |file: &Path, line: usize, message: &str| {
            let file = file.strip_prefix(dir.path()).unwrap_or(file);
            format!("{}:{line}: {message}", file.display())
        };
        let errors: Vec<String> = built
            .errors
            .iter()
            .map(|e| shown(&e.file, e.line, &e.message))
            .collect();
        assert_eq!(
            errors,
            [
                "kustomization.yaml:2: a helmCharts entry needs a name",
                "kustomization.yaml:3: valuesMerge \"combine\" must be one of merge, override, replace",
                "charts/app/templates/pod.yaml:8: chart app: execution error at (app/templates/pod.yaml:8:14): image is required",
            ]
        );
        let notes: Vec<String> = built
            .notes
            .iter()
            .map(|n| shown(&n.file, n.line, &n.message))
            .collect();
        assert_eq!(
            notes,
            ["kustomization.yaml:6: nameTemplate is not applied: paved renders chart app without a release name template"]
        );
    }

    #[test]
    fn helm_chart_values_merge_override_merge_and_replace_as_kustomize_does() {
        let dir = tree(&[
            ("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
            ("charts/app/values.yaml", "a: default\nb: {c: default}\n"),
            (
                "charts/app/templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: {{ .Values.a | quote }}\n  c: {{ .Values.b.c | quote }}\n  d: {{ .Values.b.d | default \"none\" | quote }}\n",
            ),
            ("prod.yaml", "a: file\nb: {c: file}\n"),
            (
                "kustomization.yaml",
                "helmCharts:\n- {name: app, releaseName: override, valuesFile: prod.yaml, valuesInline: {a: inline, b: {d: inline}}}\n- {name: app, releaseName: merge, valuesMerge: merge, valuesFile: prod.yaml, valuesInline: {a: inline, b: {d: inline}}}\n- {name: app, releaseName: replace, valuesMerge: replace, valuesFile: prod.yaml, valuesInline: {a: inline}}\n- {name: app, releaseName: file, valuesFile: prod.yaml}\n",
            ),
        ]);
        let built = build(dir.path(), dir.path());
        assert_eq!(built.errors, []);
        let data: Vec<(String, String)> = built
            .objects
            .iter()
            .map(|o| {
                let d = &o.value["data"];
                let name = o.value["metadata"]["name"].as_str().unwrap().to_string();
                (name, format!("{} {} {}", d["a"], d["c"], d["d"]))
            })
            .collect();
        let expected = [
            ("file", r#""file" "file" "none""#),
            ("merge", r#""file" "file" "inline""#),
            ("override", r#""inline" "file" "inline""#),
            // The file is left out; the chart's defaults still apply, as in Helm.
            ("replace", r#""inline" "default" "none""#),
        ];
        let expected: Vec<(String, String)> = expected
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .to_vec();
        assert_eq!(data, expected);
    }
}
