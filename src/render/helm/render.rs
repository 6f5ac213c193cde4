//! One render of a chart with one set of values, as `helm template` does it: dependencies
//! resolved, values coalesced and checked against `values.schema.json`, every template of
//! the chart tree parsed into one set, and each manifest template executed with its
//! chart's dot (`.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`, `.Template`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value as Json;

use super::chart::Chart;
use super::dependencies::{self, Missing};
use super::template::{self, Origin, ParseCache, TemplateError, TemplateSet, Value};
use super::value_sources::{Layer, Lineage, ValueSource};

/// The release a chart is rendered as, with `helm template`'s defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    /// `1.31.0` or `v1.31.0`.
    pub kube_version: String,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            name: "release-name".into(),
            namespace: "default".into(),
            kube_version: DEFAULT_KUBE_VERSION.into(),
        }
    }
}

pub const DEFAULT_KUBE_VERSION: &str = "v1.31.0";

/// The Helm version `.Capabilities.HelmVersion` reports.
const HELM_VERSION: &str = "v3.16.0";

/// What one template rendered, its lines mapped to template positions.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Helm's name for it: `app/templates/deploy.yaml`, `app/charts/db/templates/sts.yaml`.
    pub name: String,
    pub text: String,
    /// One per output line (none for CRDs, which are not templates: see `file`).
    pub origins: Vec<Origin>,
    /// The file it came from, relative to the top chart's directory.
    pub file: String,
    /// Text printed from values whose line in a values file (or `--set`) is known.
    pub values: Vec<ValueSource>,
}

/// A template that failed (parse or execution: `required`, `fail`, a bad pipeline), a
/// schema violation or a part of the chart that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderError {
    /// Relative to the top chart's directory.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub failed: Failed,
}

/// What failed to give a render error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// The chart's files or values (a schema, a subchart that does not load).
    Chart,
    /// A template's code, executing.
    Template,
    /// The chart itself, on purpose: `fail`, `required`.
    Raised,
}

#[derive(Debug, Clone, Default)]
pub struct Output {
    pub manifests: Vec<Manifest>,
    pub crds: Vec<Manifest>,
    pub errors: Vec<RenderError>,
    /// Declared dependencies not vendored in `charts/`: the chart renders without them.
    pub missing: Vec<Missing>,
    /// Each template's file (relative to the top chart) by Helm's name, for [`Origin`]s.
    pub sources: HashMap<String, String>,
}

impl Output {
    /// A template's failure when the chart was rendered without some enabled dependency,
    /// saying so; `None` when it was rendered whole, or the failure is not the code's. Helm refuses to render such a chart at
    /// all, and its templates fail where they use the missing chart's templates or values:
    /// the error may be only that absence, not the chart's mistake.
    pub fn without_dependencies(&self, error: &RenderError) -> Option<String> {
        if self.missing.is_empty() || error.failed != Failed::Template {
            return None;
        }
        let mut names: Vec<&str> = self
            .missing
            .iter()
            .map(|m| m.alias.as_deref().unwrap_or(&m.name))
            .collect();
        names.dedup();
        Some(format!(
            "{} (rendered without {}, not vendored: it may come from there)",
            error.message,
            names.join(", ")
        ))
    }
}

/// Where each template (by Helm's name) is on disk, relative to the top chart.
struct Sources(HashMap<String, String>);

impl Sources {
    fn file(&self, template: &str) -> String {
        self.0
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string())
    }

    fn error(&self, error: TemplateError) -> RenderError {
        RenderError {
            file: self.file(&error.template),
            line: Some(error.line),
            column: Some(error.column),
            message: error.message,
            failed: match error.raised {
                true => Failed::Raised,
                false => Failed::Template,
            },
        }
    }
}

/// A chart of the resolved tree with its place: Helm's path (`app/charts/db`) and values.
struct Placed<'a> {
    chart: &'a Chart,
    path: String,
    values: Json,
    /// The names of the subcharts leading to it from the top chart (where its values are).
    chain: Vec<String>,
    /// The `values.yaml` files its values come from, the top chart's first, each with where
    /// this chart's values are inside it.
    defaults: Vec<(Layer, Vec<String>)>,
}

impl Placed<'_> {
    /// Where its values come from, given the user's layers (in merge order).
    fn lineage(&self, user: &[Layer]) -> Lineage {
        let above = user.iter().rev().map(|l| (l.clone(), self.chain.clone()));
        Lineage {
            layers: above.chain(self.defaults.iter().cloned()).collect(),
            subchart: !self.chain.is_empty(),
        }
    }
}

/// Renders `chart` with the user's values (value files and `--set` already merged), from
/// `layers` (in merge order, to say where a printed value came from).
pub fn render(chart: &Chart, user: &Json, layers: &[Layer], release: &Release) -> Output {
    render_with(chart, user, layers, release, &ParseCache::default())
}

/// [`render`], with templates parsed by an earlier render of the chart taken from `cache`.
pub fn render_with(
    chart: &Chart,
    user: &Json,
    layers: &[Layer],
    release: &Release,
    cache: &ParseCache,
) -> Output {
    let here = || render_here(chart, user, layers, release, cache);
    template::on_render_stack(here).unwrap_or_else(|message| Output {
        errors: vec![RenderError {
            file: "Chart.yaml".to_string(),
            line: None,
            column: None,
            message,
            failed: Failed::Chart,
        }],
        ..Output::default()
    })
}

fn render_here(
    chart: &Chart,
    user: &Json,
    layers: &[Layer],
    release: &Release,
    cache: &ParseCache,
) -> Output {
    let (tree, values, missing) = dependencies::resolve(chart, user);
    let mut output = Output {
        missing,
        ..Output::default()
    };
    let mut placed = Vec::new();
    let top = Placed {
        chart: &tree,
        path: tree.name.clone(),
        values,
        chain: Vec::new(),
        defaults: Vec::new(),
    };
    place(top, &mut placed);
    for entry in &placed {
        output
            .errors
            .extend(check_schema(entry, &entry.lineage(layers)));
    }
    if !output.errors.is_empty() {
        return output;
    }
    let mut sources = HashMap::new();
    let mut names: Vec<(String, &str)> = Vec::new();
    for entry in &placed {
        for template in entry.chart.templates.iter() {
            let name = format!("{}/{}", entry.path, template.path);
            sources.insert(name.clone(), entry.chart.shown(&template.path));
            names.push((name, &template.text));
        }
    }
    output.sources = sources.clone();
    let sources = Sources(sources);
    // Helm parses the deepest templates first, so a parent's `define` overrides a subchart's.
    names.sort_by(|a, b| depth(&b.0).cmp(&depth(&a.0)).then_with(|| b.0.cmp(&a.0)));
    let mut set = TemplateSet::new();
    // A template that does not parse is reported once, not again when it runs.
    let mut unparsed = std::collections::HashSet::new();
    for (name, text) in &names {
        if let Err(error) = set.add_cached(name, text, cache) {
            unparsed.insert(name.clone());
            output.errors.push(sources.error(error));
        }
    }
    let capabilities = capabilities(&release.kube_version);
    for entry in &placed {
        let lineage = entry.lineage(layers);
        // One dot per chart; only `.Template` changes from one template to the next.
        let dot = Value::map(BTreeMap::from([
            ("Values".to_string(), Value::from(entry.values.clone())),
            ("Release".to_string(), release_value(release)),
            ("Chart".to_string(), chart_value(&entry.chart.metadata)),
            ("Capabilities".to_string(), capabilities.clone()),
            (
                "Files".to_string(),
                Value::Files(Arc::clone(&entry.chart.files)),
            ),
        ]));
        for template in entry.chart.templates.iter() {
            let file_name = template.path.rsplit('/').next().unwrap_or("");
            if file_name.starts_with('_') || file_name == "NOTES.txt" {
                continue;
            }
            let name = format!("{}/{}", entry.path, template.path);
            if unparsed.contains(&name) {
                continue;
            }
            if let Value::Map(map) = &dot {
                map.write().insert(
                    "Template".into(),
                    Value::map(BTreeMap::from([
                        ("Name".to_string(), Value::from(name.clone())),
                        (
                            "BasePath".to_string(),
                            Value::from(format!("{}/templates", entry.path)),
                        ),
                    ])),
                );
            }
            match set.execute(&name, &dot) {
                Ok(rendered) => output.manifests.push(Manifest {
                    file: sources.file(&name),
                    name,
                    values: lineage.locate(&rendered.reads, &rendered.text),
                    text: rendered.text,
                    origins: rendered.origins,
                }),
                Err(error) => output.errors.push(sources.error(error)),
            }
        }
        for crd in entry.chart.crds.iter() {
            output.crds.push(Manifest {
                name: format!("{}/{}", entry.path, crd.path),
                text: crd.text.clone(),
                origins: Vec::new(),
                file: entry.chart.shown(&crd.path),
                values: Vec::new(),
            });
        }
    }
    output
}

fn depth(name: &str) -> usize {
    name.matches('/').count()
}

/// The charts of the tree, parents first, each with its Helm path, scoped values and the
/// values files they come from (`entry` has its own file still to add).
fn place<'a>(mut entry: Placed<'a>, out: &mut Vec<Placed<'a>>) {
    if let Some(file) = &entry.chart.values_file {
        entry.defaults.push((Layer::File(file.clone()), Vec::new()));
    }
    let chart = entry.chart;
    let subs: Vec<Placed<'a>> = chart
        .subcharts
        .iter()
        .map(|sub| Placed {
            chart: sub,
            path: format!("{}/charts/{}", entry.path, sub.name),
            values: entry.values.get(&sub.name).cloned().unwrap_or(Json::Null),
            chain: [entry.chain.clone(), vec![sub.name.clone()]].concat(),
            defaults: entry
                .defaults
                .iter()
                .map(|(layer, at)| (layer.clone(), [at.clone(), vec![sub.name.clone()]].concat()))
                .collect(),
        })
        .collect();
    out.push(entry);
    for sub in subs {
        place(sub, out);
    }
}

/// A chart's values against its `values.schema.json`, in Helm's words, at the line that
/// set the first value it rejects (when a values file did; else at the schema).
fn check_schema(entry: &Placed<'_>, lineage: &Lineage) -> Vec<RenderError> {
    let Some(schema) = &entry.chart.schema else {
        return Vec::new();
    };
    let file = entry.chart.shown("values.schema.json");
    let validator = match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(e) => {
            return vec![RenderError {
                file,
                line: None,
                column: None,
                message: format!("values.schema.json is not a valid schema: {e}"),
                failed: Failed::Chart,
            }]
        }
    };
    let mut first_set = None;
    let problems: Vec<String> = validator
        .iter_errors(&entry.values)
        .map(|e| {
            let at = e.instance_path().to_string();
            if first_set.is_none() {
                let value = entry.values.pointer(&at).unwrap_or(&Json::Null);
                first_set = lineage.line_of(&pointer_keys(&at), value);
            }
            format!(
                "- at '{}': {e}",
                if at.is_empty() { "/".into() } else { at }
            )
        })
        .collect();
    if problems.is_empty() {
        return Vec::new();
    }
    let (file, line) = match first_set {
        Some((file, line)) => (file, Some(line)),
        None => (file, None),
    };
    vec![RenderError {
        file,
        line,
        column: None,
        message: format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{}:\n{}",
            entry.chart.name,
            problems.join("\n")
        ),
        failed: Failed::Chart,
    }]
}

/// The keys of a JSON pointer (`/image/tag` → `image`, `tag`).
fn pointer_keys(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|key| key.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn release_value(release: &Release) -> Value {
    Value::map(BTreeMap::from([
        ("Name".to_string(), Value::from(release.name.as_str())),
        (
            "Namespace".to_string(),
            Value::from(release.namespace.as_str()),
        ),
        ("Service".to_string(), Value::from("Helm")),
        ("IsInstall".to_string(), Value::Bool(true)),
        ("IsUpgrade".to_string(), Value::Bool(false)),
        ("Revision".to_string(), Value::Int(1)),
    ]))
}

/// `Chart.yaml` with the field names of Helm's `Metadata` struct; string fields Helm
/// always has are empty strings when absent (Go prints a struct's zero value).
pub fn chart_value(metadata: &Json) -> Value {
    let mut map: BTreeMap<String, Value> = [
        "Name",
        "Home",
        "Version",
        "Description",
        "Icon",
        "APIVersion",
        "Condition",
        "Tags",
        "AppVersion",
        "KubeVersion",
        "Type",
    ]
    .into_iter()
    .map(|field| (field.to_string(), Value::from("")))
    .collect();
    map.insert("Deprecated".into(), Value::Bool(false));
    if let Json::Object(fields) = metadata {
        for (key, value) in fields {
            map.insert(go_field(key), go_fields(value.clone()));
        }
    }
    Value::map(map)
}

/// Maintainers and dependencies are structs in Helm too: their keys are capitalised.
fn go_fields(value: Json) -> Value {
    match value {
        Json::Array(items) => Value::list(
            items
                .into_iter()
                .map(|item| match item {
                    Json::Object(fields) => Value::Map(
                        fields
                            .into_iter()
                            .map(|(k, v)| (go_field(&k), Value::from(v)))
                            .collect(),
                    ),
                    other => Value::from(other),
                })
                .collect(),
        ),
        other => Value::from(other),
    }
}

fn go_field(key: &str) -> String {
    match key {
        "apiVersion" => "APIVersion".into(),
        "url" => "URL".into(),
        "import-values" => "ImportValues".into(),
        _ => {
            let mut chars = key.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// `.Capabilities` for a Kubernetes version (`1.29.0` or `v1.29.0`).
pub fn capabilities(kube_version: &str) -> Value {
    let version = format!("v{}", kube_version.trim_start_matches('v'));
    let mut parts = version.trim_start_matches('v').split('.');
    let major = parts.next().unwrap_or("1").to_string();
    let minor = parts.next().unwrap_or("0").to_string();
    Value::map(BTreeMap::from([
        (
            "KubeVersion".to_string(),
            Value::map(BTreeMap::from([
                ("Version".to_string(), Value::from(version.clone())),
                ("GitVersion".to_string(), Value::from(version)),
                ("Major".to_string(), Value::from(major)),
                ("Minor".to_string(), Value::from(minor)),
            ])),
        ),
        (
            "APIVersions".to_string(),
            Value::ApiVersions(Arc::new(api_versions())),
        ),
        (
            "HelmVersion".to_string(),
            Value::map(BTreeMap::from([
                ("Version".to_string(), Value::from(HELM_VERSION)),
                ("GitCommit".to_string(), Value::from("")),
                ("GitTreeState".to_string(), Value::from("")),
                ("GoVersion".to_string(), Value::from("")),
            ])),
        ),
    ]))
}

/// Helm's default set: each group version, and each `group/version/Kind` of the kinds
/// charts ask about.
fn api_versions() -> Vec<String> {
    let mut versions: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|v| v.to_string()).collect();
    for (version, kinds) in DEFAULT_KINDS {
        versions.extend(kinds.iter().map(|kind| format!("{version}/{kind}")));
    }
    versions
}

/// Kinds of the default group versions, as `.Capabilities.APIVersions.Has "apps/v1/Deployment"`
/// asks about them.
const DEFAULT_KINDS: &[(&str, &[&str])] = &[
    (
        "v1",
        &[
            "ConfigMap",
            "Endpoints",
            "Namespace",
            "PersistentVolumeClaim",
            "Pod",
            "Secret",
            "Service",
            "ServiceAccount",
        ],
    ),
    (
        "apps/v1",
        &["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
    ),
    ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
    ("batch/v1", &["CronJob", "Job"]),
    (
        "networking.k8s.io/v1",
        &["Ingress", "IngressClass", "NetworkPolicy"],
    ),
    ("policy/v1", &["PodDisruptionBudget"]),
    (
        "rbac.authorization.k8s.io/v1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    ),
    (
        "admissionregistration.k8s.io/v1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
    ),
    ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    ("scheduling.k8s.io/v1", &["PriorityClass"]),
    ("storage.k8s.io/v1", &["StorageClass"]),
];

/// The API group versions a cluster of the default version serves, as Helm's default
/// capabilities list them (without a cluster, `helm template` uses this set).
const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::helm::chart::FileTree;
    use crate::render::helm::value_sources::ValuesFile;
    use serde_json::json;

    fn chart(files: &[(&str, &str)]) -> Chart {
        let tree: FileTree = files
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect();
        Chart::from_tree(tree, "", false).unwrap()
    }

    fn texts(output: &Output) -> Vec<(&str, &str)> {
        output
            .manifests
            .iter()
            .map(|m| (m.name.as_str(), m.text.as_str()))
            .collect()
    }

    #[test]
    fn each_chart_sees_its_own_dot_and_a_parent_define_wins() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.2.0\nappVersion: \"3\"\n"),
            ("values.yaml", "db:\n  port: 1\nglobal:\n  env: prod\n"),
            ("templates/_names.tpl", "{{ define \"name\" }}parent{{ end }}"),
            (
                "templates/a.yaml",
                "{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Service }} {{ .Template.Name }} {{ .Template.BasePath }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }} {{ .Capabilities.APIVersions.Has \"policy/v1/PodDisruptionBudget\" }} {{ .Capabilities.APIVersions.Has \"policy/v1beta1\" }}",
            ),
            ("templates/NOTES.txt", "notes"),
            ("charts/db/Chart.yaml", "apiVersion: v2\nname: db\n"),
            ("charts/db/values.yaml", "port: 5432\nhost: localhost\n"),
            ("charts/db/templates/_names.tpl", "{{ define \"name\" }}child{{ end }}"),
            (
                "charts/db/templates/b.yaml",
                "{{ .Chart.Name }} {{ .Values.port }} {{ .Values.host }} {{ .Values.global.env }} {{ include \"name\" . }}",
            ),
        ]);
        let release = Release {
            name: "shop".into(),
            namespace: "prod".into(),
            kube_version: "1.29.3".into(),
        };
        let output = render(&chart, &json!({}), &[], &release);
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        assert_eq!(
            texts(&output),
            [
                (
                    "app/templates/a.yaml",
                    "app 1.2.0 3 shop prod Helm app/templates/a.yaml app/templates 29 true true false"
                ),
                (
                    "app/charts/db/templates/b.yaml",
                    "db 1 localhost prod parent"
                ),
            ]
        );
        assert_eq!(
            output.sources["app/charts/db/templates/b.yaml"],
            "charts/db/templates/b.yaml"
        );
    }

    #[test]
    fn a_failing_template_is_an_error_at_its_line_and_the_others_render() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: app\n"),
            (
                "templates/a.yaml",
                "kind: A\nname: {{ required \"name is required\" .Values.name }}\n",
            ),
            ("templates/b.yaml", "kind: B\n"),
            ("templates/c.yaml", "{{ if }}"),
        ]);
        let output = render(&chart, &json!({}), &[], &Release::default());
        assert_eq!(texts(&output), [("app/templates/b.yaml", "kind: B\n")]);
        let places: Vec<(&str, Option<usize>)> = output
            .errors
            .iter()
            .map(|e| (e.file.as_str(), e.line))
            .collect();
        assert_eq!(
            places,
            [("templates/c.yaml", Some(1)), ("templates/a.yaml", Some(2))]
        );
        assert!(
            output.errors[1].message.ends_with("name is required"),
            "{}",
            output.errors[1].message
        );
    }

    #[test]
    fn values_the_schema_rejects_stop_the_render() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: app\n"),
            ("values.yaml", "replicas: 1\n"),
            (
                "values.schema.json",
                r#"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}, "required": ["replicas"]}"#,
            ),
            ("templates/a.yaml", "kind: A\n"),
        ]);
        assert!(render(&chart, &json!({}), &[], &Release::default())
            .errors
            .is_empty());
        let output = render(&chart, &json!({"replicas": 0}), &[], &Release::default());
        assert!(output.manifests.is_empty());
        assert_eq!(
            output.errors,
            [RenderError {
                file: "values.schema.json".into(),
                line: None,
                column: None,
                message: "values don't meet the specifications of the schema(s) in the following chart(s):\napp:\n- at '/replicas': 0 is less than the minimum of 1".into(),
                failed: Failed::Chart,
            }]
        );
        // Where a values file set the value, the error is at its line.
        let file = ValuesFile::read(b"# few\nreplicas: 0\n", "ci/low-values.yaml").unwrap();
        let layers = [Layer::File(Arc::new(file))];
        let output = render(
            &chart,
            &json!({"replicas": 0}),
            &layers,
            &Release::default(),
        );
        let places: Vec<(&str, Option<usize>)> = output
            .errors
            .iter()
            .map(|e| (e.file.as_str(), e.line))
            .collect();
        assert_eq!(places, [("ci/low-values.yaml", Some(2))]);
    }

    #[test]
    fn crds_are_emitted_as_written() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: app\n"),
            (
                "crds/crd.yaml",
                "kind: CustomResourceDefinition\nx: {{ not templated }}\n",
            ),
        ]);
        let output = render(&chart, &json!({}), &[], &Release::default());
        assert_eq!(output.crds[0].name, "app/crds/crd.yaml");
        assert_eq!(
            output.crds[0].text,
            "kind: CustomResourceDefinition\nx: {{ not templated }}\n"
        );
        assert_eq!(output.crds[0].file, "crds/crd.yaml");
    }
}
