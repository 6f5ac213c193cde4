//! The built-in transformers that change every object alike: namespace, name prefix and
//! suffix (and, at the end, the references to renamed objects), labels, annotations,
//! replicas and images. Each writes at kustomize's field specs and records the
//! kustomization line as the origin of what it set.

use std::path::Path;

use serde_json::{Map, Value};

use super::build::{failure_at, BuildError, Cause, Kustomization};
use super::load;
use super::resources::{is_cluster_scoped, namespace_or_default, set_field, Place, Resource};
use crate::parse::PathSegment;

/// Where a transformer writes: a `/`-separated path (lists walked through), in resources of
/// `kind` (any when `None`), created when missing only if `create`.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec<'a> {
    pub kind: Option<&'a str>,
    pub path: &'a str,
    pub create: bool,
}

const fn spec(kind: &'static str, path: &'static str, create: bool) -> FieldSpec<'static> {
    FieldSpec {
        kind: Some(kind),
        path,
        create,
    }
}

const METADATA_LABELS: FieldSpec = FieldSpec {
    kind: None,
    path: "metadata/labels",
    create: true,
};

/// The selectors `commonLabels` (and `labels` with `includeSelectors`) also write.
const SELECTOR_LABELS: &[FieldSpec] = &[
    spec("Service", "spec/selector", true),
    spec("ReplicationController", "spec/selector", true),
    spec("Deployment", "spec/selector/matchLabels", true),
    spec("ReplicaSet", "spec/selector/matchLabels", true),
    spec("DaemonSet", "spec/selector/matchLabels", true),
    spec("StatefulSet", "spec/selector/matchLabels", true),
    spec("Job", "spec/selector/matchLabels", false),
    spec(
        "CronJob",
        "spec/jobTemplate/spec/selector/matchLabels",
        false,
    ),
    spec("PodDisruptionBudget", "spec/selector/matchLabels", false),
    spec("NetworkPolicy", "spec/podSelector/matchLabels", false),
    spec(
        "NetworkPolicy",
        "spec/ingress/from/podSelector/matchLabels",
        false,
    ),
    spec(
        "NetworkPolicy",
        "spec/egress/to/podSelector/matchLabels",
        false,
    ),
];

/// The pod templates' labels, written by `commonLabels` and `labels` with `includeTemplates`.
const TEMPLATE_LABELS: &[FieldSpec] = &[
    spec(
        "ReplicationController",
        "spec/template/metadata/labels",
        true,
    ),
    spec("Deployment", "spec/template/metadata/labels", true),
    spec("ReplicaSet", "spec/template/metadata/labels", true),
    spec("DaemonSet", "spec/template/metadata/labels", true),
    spec("StatefulSet", "spec/template/metadata/labels", true),
    spec(
        "StatefulSet",
        "spec/volumeClaimTemplates[]/metadata/labels",
        true,
    ),
    spec("Job", "spec/template/metadata/labels", true),
    spec("CronJob", "spec/jobTemplate/metadata/labels", true),
    spec(
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

const ANNOTATIONS: &[FieldSpec] = &[
    FieldSpec {
        kind: None,
        path: "metadata/annotations",
        create: true,
    },
    spec(
        "ReplicationController",
        "spec/template/metadata/annotations",
        true,
    ),
    spec("Deployment", "spec/template/metadata/annotations", true),
    spec("ReplicaSet", "spec/template/metadata/annotations", true),
    spec("DaemonSet", "spec/template/metadata/annotations", true),
    spec("StatefulSet", "spec/template/metadata/annotations", true),
    spec("Job", "spec/template/metadata/annotations", true),
    spec("CronJob", "spec/jobTemplate/metadata/annotations", true),
    spec(
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

const REPLICAS: &[&str] = &[
    "Deployment",
    "ReplicationController",
    "ReplicaSet",
    "StatefulSet",
];

/// Calls `visit` on each node `spec` names in `resource`, creating it (as null) if allowed.
pub fn each_field(
    resource: &mut Resource,
    spec: &FieldSpec,
    visit: &mut dyn FnMut(&mut Value, &[PathSegment]),
) {
    if spec.kind.is_some_and(|k| k != resource.kind()) {
        return;
    }
    let segments: Vec<&str> = spec.path.split('/').collect();
    walk(
        &mut resource.value,
        &segments,
        spec.create,
        &mut Vec::new(),
        visit,
    );
}

fn walk(
    value: &mut Value,
    segments: &[&str],
    create: bool,
    path: &mut Vec<PathSegment>,
    visit: &mut dyn FnMut(&mut Value, &[PathSegment]),
) {
    let Some((first, rest)) = segments.split_first() else {
        return visit(value, path);
    };
    // A list (`name[]`) is walked through, never created.
    let (first, list) = match first.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (*first, false),
    };
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(PathSegment::Index(i));
                walk(item, segments, create, path, visit);
                path.pop();
            }
        }
        Value::Object(map) => {
            if !map.contains_key(first) {
                if !create || list {
                    return;
                }
                let empty = if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                };
                map.insert(first.to_string(), empty);
            }
            path.push(PathSegment::Key(first.to_string()));
            walk(&mut map[first], rest, create, path, visit);
            path.pop();
        }
        _ => {}
    }
}

/// Writes `pairs` into the maps at `specs` of every resource.
fn add_pairs(
    resources: &mut [Resource],
    specs: &[FieldSpec],
    pairs: &Map<String, Value>,
    place: &Place,
) {
    for resource in resources.iter_mut() {
        let mut set = Vec::new();
        for spec in specs {
            each_field(resource, spec, &mut |node, path| {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                for (key, value) in pairs {
                    node[key] = Value::String(scalar_text(value));
                    let mut at = path.to_vec();
                    at.push(PathSegment::Key(key.clone()));
                    set.push(at);
                }
            });
        }
        for path in set {
            resource.origins.set(&path, place.clone());
        }
    }
}

/// A label or annotation value as text (kustomize writes `true` and `1` as strings).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `namespace`: every namespaced object moves there; a Namespace object is renamed to it,
/// and RoleBinding subjects named `default` follow.
pub fn namespace(k: &Kustomization, resources: &mut [Resource]) {
    let Some(namespace) = k.field("namespace").as_str().filter(|n| !n.is_empty()) else {
        return;
    };
    set_namespace(namespace, &k.place("namespace"), resources);
}

fn set_namespace(namespace: &str, place: &Place, resources: &mut [Resource]) {
    let value = Value::String(namespace.to_string());
    for resource in resources.iter_mut() {
        let kind = resource.kind().to_string();
        if kind == "Namespace" {
            resource.rename(namespace.to_string());
            resource
                .origins
                .set(&path_of("metadata/name"), place.clone());
            continue;
        }
        if matches!(kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            if let Some(subjects) = resource.value["subjects"].as_array_mut() {
                for (i, subject) in subjects.iter_mut().enumerate() {
                    if subject["name"] == "default"
                        && subject["kind"] == "ServiceAccount"
                        && set_field(subject, &["namespace"], value.clone())
                    {
                        let path = [PathSegment::Key("subjects".into()), PathSegment::Index(i)];
                        resource.origins.set(&path, place.clone());
                    }
                }
            }
        }
        if is_cluster_scoped(&kind) {
            continue;
        }
        set_field(
            &mut resource.value,
            &["metadata", "namespace"],
            value.clone(),
        );
        resource
            .origins
            .set(&path_of("metadata/namespace"), place.clone());
    }
}

pub fn path_of(path: &str) -> Vec<PathSegment> {
    path.split('/')
        .map(|s| PathSegment::Key(s.to_string()))
        .collect()
}

/// `namePrefix` / `nameSuffix`: every object but Namespaces and CRDs, whose names are fixed.
pub fn prefix_suffix(k: &Kustomization, resources: &mut [Resource]) {
    let prefix = k.field("namePrefix").as_str().unwrap_or_default();
    let suffix = k.field("nameSuffix").as_str().unwrap_or_default();
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    let key = if prefix.is_empty() {
        "nameSuffix"
    } else {
        "namePrefix"
    };
    let place = k.place(key);
    for resource in resources.iter_mut() {
        if matches!(resource.kind(), "Namespace" | "CustomResourceDefinition") {
            continue;
        }
        let name = format!("{prefix}{}{suffix}", resource.name());
        resource.rename(name);
        resource
            .origins
            .set(&path_of("metadata/name"), place.clone());
    }
}

/// `commonLabels` (metadata, selectors, templates) and `labels` (metadata, and selectors or
/// templates as each entry asks).
pub fn labels(k: &Kustomization, resources: &mut [Resource]) {
    if let Some(pairs) = k.field("commonLabels").as_object() {
        let specs: Vec<FieldSpec> = [METADATA_LABELS]
            .iter()
            .chain(SELECTOR_LABELS)
            .chain(TEMPLATE_LABELS)
            .copied()
            .collect();
        add_pairs(resources, &specs, pairs, &k.place("commonLabels"));
    }
    for (entry, place) in k.entries("labels") {
        let Some(pairs) = entry["pairs"].as_object() else {
            continue;
        };
        let mut specs = vec![METADATA_LABELS];
        if entry["includeSelectors"] == true {
            specs.extend(SELECTOR_LABELS.iter().chain(TEMPLATE_LABELS));
        } else if entry["includeTemplates"] == true {
            specs.extend(TEMPLATE_LABELS);
        }
        specs.extend(custom_specs(&entry["fields"]));
        add_pairs(resources, &specs, pairs, &place);
    }
}

/// Field specs written in a kustomization (`fields`, `fieldSpecs`).
fn custom_specs(fields: &Value) -> Vec<FieldSpec<'_>> {
    let items = fields.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .filter_map(|f| {
            Some(FieldSpec {
                kind: f["kind"].as_str(),
                path: f["path"].as_str()?,
                create: f["create"] == true,
            })
        })
        .collect()
}

/// `commonAnnotations`: metadata and pod templates.
pub fn annotations(k: &Kustomization, resources: &mut [Resource]) {
    if let Some(pairs) = k.field("commonAnnotations").as_object() {
        add_pairs(resources, ANNOTATIONS, pairs, &k.place("commonAnnotations"));
    }
}

/// `replicas`: the count of the workloads named.
pub fn replicas(k: &Kustomization, resources: &mut [Resource]) {
    for (entry, place) in k.entries("replicas") {
        let (Some(name), Some(count)) = (entry["name"].as_str(), entry.get("count")) else {
            continue;
        };
        for resource in resources.iter_mut() {
            if REPLICAS.contains(&resource.kind()) && resource.was_named(name) {
                set_field(&mut resource.value, &["spec", "replicas"], count.clone());
                resource
                    .origins
                    .set(&path_of("spec/replicas"), place.clone());
            }
        }
    }
}

/// `images`: each container image whose name matches gets the new name, tag or digest.
pub fn images(k: &Kustomization, resources: &mut [Resource]) {
    let entries = k.entries("images");
    if entries.is_empty() {
        return;
    }
    for resource in resources.iter_mut() {
        let mut set = Vec::new();
        visit_images(
            &mut resource.value,
            &mut Vec::new(),
            false,
            &mut |image, path| {
                for (entry, place) in &entries {
                    if let Some(new) = new_image(image, entry) {
                        *image = new;
                        set.push((path.to_vec(), place.clone()));
                        break;
                    }
                }
            },
        );
        for (path, place) in set {
            resource.origins.set(&path, place);
        }
    }
}

/// Every `image` of an item of a `containers` or `initContainers` list, anywhere.
fn visit_images(
    value: &mut Value,
    path: &mut Vec<PathSegment>,
    in_containers: bool,
    visit: &mut dyn FnMut(&mut String, &[PathSegment]),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                path.push(PathSegment::Key(key.clone()));
                match child {
                    Value::String(image) if in_containers && key == "image" => visit(image, path),
                    _ => {
                        let containers = matches!(key.as_str(), "containers" | "initContainers");
                        visit_images(child, path, containers && child.is_array(), visit);
                    }
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(PathSegment::Index(i));
                visit_images(item, path, in_containers, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The image an `images` entry makes of `image`, if its name matches.
fn new_image(image: &str, entry: &Value) -> Option<String> {
    let name = entry["name"].as_str()?;
    let (base, digest) = match image.split_once('@') {
        Some((base, digest)) => (base, Some(digest)),
        None => (image, None),
    };
    let (repository, tag) = match base.rfind(':') {
        Some(i) if !base[i..].contains('/') => (&base[..i], Some(&base[i + 1..])),
        _ => (base, None),
    };
    if repository != name {
        return None;
    }
    let new_name = entry["newName"].as_str().unwrap_or(repository);
    let suffix = if let Some(d) = entry["digest"].as_str() {
        format!("@{d}")
    } else if let Some(t) = entry.get("newTag").filter(|t| !t.is_null()) {
        format!(":{}", scalar_text(t))
    } else {
        let tag = tag.map(|t| format!(":{t}")).unwrap_or_default();
        let digest = digest.map(|d| format!("@{d}")).unwrap_or_default();
        format!("{tag}{digest}")
    };
    Some(format!("{new_name}{suffix}"))
}

/// `transformers:` files that configure built-in transformers (LabelTransformer,
/// AnnotationsTransformer, NamespaceTransformer, PrefixSuffixTransformer); other
/// transformers (plugins, KRM functions) are noted as not applied: paved runs no external
/// code.
pub fn configured(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut [Resource],
    errors: &mut Vec<BuildError>,
) {
    for (entry, place) in k.entries("transformers") {
        let docs = match super::build::patch_documents(k, entry, &place, boundary) {
            Ok(docs) => docs,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for doc in docs {
            configured_one(&doc, resources, errors, &place);
        }
    }
}

fn configured_one(
    doc: &load::Located,
    resources: &mut [Resource],
    errors: &mut Vec<BuildError>,
    place: &Place,
) {
    let config = &doc.value;
    let at = doc.place(&[]);
    let kind = config["kind"].as_str().unwrap_or_default();
    match kind {
        "LabelTransformer" | "AnnotationsTransformer" => {
            let key = if kind == "LabelTransformer" { "labels" } else { "annotations" };
            let specs = custom_specs(&config["fieldSpecs"]);
            if let Some(pairs) = config[key].as_object() {
                add_pairs(resources, &specs, pairs, &at);
            }
        }
        "NamespaceTransformer" => {
            if let Some(namespace) = config["metadata"]["namespace"].as_str() {
                set_namespace(namespace, &at, resources);
            }
        }
        _ => errors.push(failure_at(
            place,
            Cause::Unsupported,
            format!("transformer kind {kind:?} is not applied: paved runs only kustomize's built-in transformers"),
        )),
    }
}

/// What refers to objects of a kind by name: (referring kind or `None` for any pod
/// template holder, path below the pod spec or object).
struct Reference {
    target: &'static str,
    /// Paths from the pod spec.
    in_pod: &'static [&'static str],
    /// (referring kind, path from the object).
    in_object: &'static [(&'static str, &'static str)],
}

const REFERENCES: &[Reference] = &[
    Reference {
        target: "ConfigMap",
        in_pod: &[
            "volumes/configMap/name",
            "volumes/projected/sources/configMap/name",
            "containers/env/valueFrom/configMapKeyRef/name",
            "initContainers/env/valueFrom/configMapKeyRef/name",
            "containers/envFrom/configMapRef/name",
            "initContainers/envFrom/configMapRef/name",
        ],
        in_object: &[],
    },
    Reference {
        target: "Secret",
        in_pod: &[
            "volumes/secret/secretName",
            "volumes/projected/sources/secret/name",
            "containers/env/valueFrom/secretKeyRef/name",
            "initContainers/env/valueFrom/secretKeyRef/name",
            "containers/envFrom/secretRef/name",
            "initContainers/envFrom/secretRef/name",
            "imagePullSecrets/name",
        ],
        in_object: &[
            ("ServiceAccount", "imagePullSecrets/name"),
            ("ServiceAccount", "secrets/name"),
            ("Ingress", "spec/tls/secretName"),
        ],
    },
    Reference {
        target: "ServiceAccount",
        in_pod: &["serviceAccountName", "serviceAccount"],
        in_object: &[],
    },
    Reference {
        target: "PersistentVolumeClaim",
        in_pod: &["volumes/persistentVolumeClaim/claimName"],
        in_object: &[],
    },
    Reference {
        target: "Service",
        in_pod: &[],
        in_object: &[
            ("StatefulSet", "spec/serviceName"),
            ("Ingress", "spec/rules/http/paths/backend/service/name"),
            ("Ingress", "spec/rules/http/paths/backend/serviceName"),
            ("Ingress", "spec/defaultBackend/service/name"),
        ],
    },
    Reference {
        target: "PersistentVolume",
        in_pod: &[],
        in_object: &[("PersistentVolumeClaim", "spec/volumeName")],
    },
];

/// Pod specs by kind.
pub fn pod_spec_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("spec"),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some("spec/template/spec"),
        "CronJob" => Some("spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// After every rename (prefix, suffix, hash): references written against an old name are
/// set to the object's final name, when one object of that kind had that name.
pub fn fix_references(resources: &mut [Resource]) {
    let renamed: Vec<Renamed> = resources
        .iter()
        .filter(|r| !r.previous_names.is_empty())
        .map(|r| Renamed {
            kind: r.kind().to_string(),
            namespace: r.namespace().to_string(),
            name: r.name().to_string(),
            previous: r.previous_names.clone(),
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    for resource in resources.iter_mut() {
        let namespace = namespace_or_default(resource.namespace()).to_string();
        let lookup = |kind: &str, old: &str| -> Option<&Renamed> {
            let mut candidates = renamed
                .iter()
                .filter(|r| r.kind == kind && r.previous.iter().any(|p| p == old));
            let first = candidates.next()?;
            let same_namespace = renamed.iter().find(|r| {
                r.kind == kind
                    && namespace_or_default(&r.namespace) == namespace
                    && r.previous.iter().any(|p| p == old)
            });
            Some(same_namespace.unwrap_or(first))
        };
        // A namespaced object refers only to namespaced objects of its own namespace (a
        // Deployment in `apps` does not mean the ConfigMap of `default`); a cluster-scoped
        // one to any.
        let cluster_scoped = is_cluster_scoped(resource.kind());
        let in_reach = |r: &Renamed| {
            cluster_scoped
                || is_cluster_scoped(&r.kind)
                || namespace_or_default(&r.namespace) == namespace
        };
        let referred = |kind: &str, old: &str| {
            lookup(kind, old)
                .filter(|r| in_reach(r))
                .map(|r| r.name.clone())
        };
        let new_name = |kind: &str, old: &str| lookup(kind, old).map(|r| r.name.clone());
        for reference in REFERENCES {
            let mut specs: Vec<(String, Option<&str>)> = Vec::new();
            if let Some(pod) = pod_spec_path(resource.kind()) {
                specs.extend(
                    reference
                        .in_pod
                        .iter()
                        .map(|p| (format!("{pod}/{p}"), None)),
                );
            }
            specs.extend(
                reference
                    .in_object
                    .iter()
                    .map(|(kind, p)| (p.to_string(), Some(*kind))),
            );
            for (path, kind) in specs {
                let spec = FieldSpec {
                    kind,
                    path: &path,
                    create: false,
                };
                each_field(resource, &spec, &mut |node, _| {
                    if let Some(new) = node
                        .as_str()
                        .and_then(|old| referred(reference.target, old))
                    {
                        *node = Value::String(new);
                    }
                });
            }
        }
        fix_rbac(resource, &new_name, &|old| {
            lookup("ServiceAccount", old).map(|r| r.namespace.clone())
        });
        fix_scale_target(resource, &referred);
    }
}

/// RoleBinding `roleRef` and ServiceAccount `subjects`.
/// An object renamed during the build: its final identity and the names it had.
struct Renamed {
    kind: String,
    namespace: String,
    name: String,
    previous: Vec<String>,
}

/// RoleBinding `roleRef` and ServiceAccount `subjects` (which also take the account's
/// namespace, as kustomize sets it).
fn fix_rbac(
    resource: &mut Resource,
    new_name: &dyn Fn(&str, &str) -> Option<String>,
    namespace_of: &dyn Fn(&str) -> Option<String>,
) {
    if !matches!(resource.kind(), "RoleBinding" | "ClusterRoleBinding") {
        return;
    }
    if let Some(role) = resource.value.get_mut("roleRef") {
        fix_named_ref(role, new_name);
    }
    let Some(Value::Array(subjects)) = resource.value.get_mut("subjects") else {
        return;
    };
    for subject in subjects {
        if subject["kind"] != "ServiceAccount" {
            continue;
        }
        let namespace = subject["name"].as_str().and_then(namespace_of);
        fix_named_ref(subject, new_name);
        if let Some(namespace) = namespace.filter(|n| !n.is_empty()) {
            set_field(subject, &["namespace"], Value::String(namespace));
        }
    }
}

/// HorizontalPodAutoscaler (and the like) `scaleTargetRef`.
fn fix_scale_target(resource: &mut Resource, new_name: &dyn Fn(&str, &str) -> Option<String>) {
    if let Some(target) = resource
        .value
        .get_mut("spec")
        .and_then(|s| s.get_mut("scaleTargetRef"))
    {
        fix_named_ref(target, new_name);
    }
}

/// A `{kind, name}` reference set to the final name of the object it names.
fn fix_named_ref(reference: &mut Value, new_name: &dyn Fn(&str, &str) -> Option<String>) {
    let (Some(kind), Some(name)) = (reference["kind"].as_str(), reference["name"].as_str()) else {
        return;
    };
    if let Some(new) = new_name(kind, name) {
        set_field(reference, &["name"], Value::String(new));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn images_keep_what_the_entry_does_not_change() {
        let entry = json!({"name": "nginx", "newTag": "1.25"});
        assert_eq!(
            new_image("nginx:1.0", &entry).as_deref(),
            Some("nginx:1.25")
        );
        assert_eq!(new_image("nginx", &entry).as_deref(), Some("nginx:1.25"));
        assert_eq!(new_image("nginxx:1.0", &entry), None);
        let moved = json!({"name": "reg:5000/app", "newName": "mirror/app"});
        assert_eq!(
            new_image("reg:5000/app:2", &moved).as_deref(),
            Some("mirror/app:2")
        );
        let pinned = json!({"name": "app", "digest": "sha256:abc"});
        assert_eq!(
            new_image("app:2", &pinned).as_deref(),
            Some("app@sha256:abc")
        );
    }
}
