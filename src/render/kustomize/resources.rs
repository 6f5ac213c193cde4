//! The objects a build accumulates, each with the map from its nodes back to the lines that
//! made them, and the `target` selectors patches and replacements choose them by.

use std::path::PathBuf;

use regex::Regex;
use serde_json::Value;

use crate::parse::{Children, Node, PathSegment};
use crate::source::SourceFile;

/// A line of a file the build read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// Where each node of an object came from: a lookup takes the longest prefix of a path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origins(pub Vec<(Vec<PathSegment>, Place)>);

impl Origins {
    /// Every node of a parsed document, each at its key's line (its value's when it has none).
    pub fn of_document(map: &Node, source: &SourceFile, file: &PathBuf) -> Origins {
        let mut entries = Vec::new();
        let mut path = Vec::new();
        collect(map, source, file, &mut path, &mut entries);
        Origins(entries)
    }

    /// The place of the node at `path`, or of its nearest ancestor that has one.
    pub fn lookup(&self, path: &[PathSegment]) -> Option<&Place> {
        self.0
            .iter()
            .filter(|(prefix, _)| path.starts_with(prefix))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, place)| place)
    }

    /// `path` and everything below it now come from `place`.
    pub fn set(&mut self, path: &[PathSegment], place: Place) {
        self.remove(path);
        self.0.push((path.to_vec(), place));
    }

    /// Forgets `path` and everything below it.
    pub fn remove(&mut self, path: &[PathSegment]) {
        self.0.retain(|(p, _)| !p.starts_with(path));
    }

    /// Copies the entries of `from` below `from_prefix` to the same places below `to`.
    pub fn graft(&mut self, to: &[PathSegment], from: &Origins, from_prefix: &[PathSegment]) {
        self.remove(to);
        for (path, place) in &from.0 {
            if let Some(rest) = path.strip_prefix(from_prefix) {
                let mut moved = to.to_vec();
                moved.extend_from_slice(rest);
                self.0.push((moved, place.clone()));
            }
        }
    }

    /// Items of the list at `list` from `index` on moved by `delta` (an insertion or a removal).
    pub fn shift(&mut self, list: &[PathSegment], index: usize, delta: isize) {
        for (path, _) in &mut self.0 {
            if path.len() > list.len() && path.starts_with(list) {
                if let PathSegment::Index(i) = &mut path[list.len()] {
                    if *i >= index {
                        *i = i.saturating_add_signed(delta);
                    }
                }
            }
        }
    }
}

fn collect(
    node: &Node,
    source: &SourceFile,
    file: &PathBuf,
    path: &mut Vec<PathSegment>,
    out: &mut Vec<(Vec<PathSegment>, Place)>,
) {
    let at = source.position(node.key.as_ref().unwrap_or(&node.span).start);
    out.push((
        path.clone(),
        Place {
            file: file.clone(),
            line: at.line,
            column: at.column,
        },
    ));
    match &node.children {
        Children::Leaf => {}
        Children::Object(members) => {
            for (key, child) in members {
                path.push(PathSegment::Key(key.clone()));
                collect(child, source, file, path, out);
                path.pop();
            }
        }
        Children::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(PathSegment::Index(i));
                collect(child, source, file, path, out);
                path.pop();
            }
        }
    }
}

/// An object may not grow past what YAML alias expansion allows a file (`parse::yaml`).
const MAX_NODES: usize = 1_000_000;
const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Nodes and text counted until either passes its bound.
#[derive(Default)]
struct Size {
    nodes: usize,
    text: usize,
}

impl Size {
    /// Counts `value` in; `false` as soon as a bound is passed.
    fn add(&mut self, value: &Value) -> bool {
        let mut pending = vec![value];
        while let Some(value) = pending.pop() {
            self.nodes += 1;
            match value {
                Value::Array(items) => pending.extend(items),
                Value::Object(map) => {
                    self.text += map.keys().map(String::len).sum::<usize>();
                    pending.extend(map.values());
                }
                Value::String(text) => self.text += text.len(),
                _ => {}
            }
            if self.nodes > MAX_NODES || self.text > MAX_TEXT_BYTES {
                return false;
            }
        }
        true
    }
}

/// A resource on its way through the build.
#[derive(Debug, Clone)]
pub struct Resource {
    pub value: Value,
    pub origins: Origins,
    /// The names it had before prefixes, suffixes and hashes: references to them follow it.
    pub previous_names: Vec<String>,
    /// A generated ConfigMap or Secret that gets a content-hash suffix at the end.
    pub needs_hash: bool,
}

impl Resource {
    pub fn new(value: Value, origins: Origins) -> Resource {
        Resource {
            value,
            origins,
            previous_names: Vec::new(),
            needs_hash: false,
        }
    }

    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or_default()
    }

    pub fn namespace(&self) -> &str {
        self.value["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
    }

    /// `group/version` split: the core group is "".
    pub fn group_version(&self) -> (&str, &str) {
        let api_version = self.value["apiVersion"].as_str().unwrap_or_default();
        api_version.rsplit_once('/').unwrap_or(("", api_version))
    }

    /// Renames it, remembering the old name for the references to fix at the end.
    pub fn rename(&mut self, name: String) {
        let old = self.name().to_string();
        if old != name && set_field(&mut self.value, &["metadata", "name"], Value::String(name)) {
            self.previous_names.push(old);
        }
    }

    /// Whether the name was ever `name` (now or before a rename).
    pub fn was_named(&self, name: &str) -> bool {
        self.name() == name || self.previous_names.iter().any(|n| n == name)
    }

    /// Whether writing `added` into it keeps it within what a YAML file may expand to: a
    /// JSON patch that copies an object into itself sixty times (or replacements that do)
    /// would double it each time, to terabytes.
    pub fn may_grow_by(&self, added: &Value) -> Result<(), String> {
        let mut size = Size::default();
        if size.add(&self.value) && size.add(added) {
            Ok(())
        } else {
            Err(format!(
                "the object would grow past {MAX_NODES} nodes or {} MiB of text",
                MAX_TEXT_BYTES >> 20
            ))
        }
    }

    /// Its identity as kustomize compares resources: group, kind, namespace, name.
    pub fn id(&self) -> (String, String, String, String) {
        (
            self.group_version().0.to_string(),
            self.kind().to_string(),
            namespace_or_default(self.namespace()).to_string(),
            self.name().to_string(),
        )
    }
}

/// Sets the field at `keys`, creating maps on the way; `false` (and nothing changed) when
/// something that is not a map is in the way (untrusted input: no indexing that panics).
pub fn set_field(value: &mut Value, keys: &[&str], new: Value) -> bool {
    let Some((last, parents)) = keys.split_last() else {
        *value = new;
        return true;
    };
    let mut node = value;
    for key in parents {
        if node.is_null() {
            *node = Value::Object(Default::default());
        }
        let Some(map) = node.as_object_mut() else {
            return false;
        };
        node = map.entry(key.to_string()).or_insert(Value::Null);
    }
    if node.is_null() {
        *node = Value::Object(Default::default());
    }
    match node.as_object_mut() {
        Some(map) => {
            map.insert(last.to_string(), new);
            true
        }
        None => false,
    }
}

/// Namespaces compare with "" and `default` the same.
pub fn namespace_or_default(namespace: &str) -> &str {
    if namespace.is_empty() {
        "default"
    } else {
        namespace
    }
}

/// Kinds that live outside namespaces: the namespace transformer leaves them alone.
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "PersistentVolume"
            | "StorageClass"
            | "PriorityClass"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "APIService"
            | "Node"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "RuntimeClass"
            | "IngressClass"
            | "PodSecurityPolicy"
            | "ComponentStatus"
            | "CertificateSigningRequest"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
    )
}

/// A `target`: which resources a patch or replacement applies to. Names, kinds and the
/// other strings are anchored regular expressions, as kustomize reads them.
#[derive(Debug, Default)]
pub struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    label_selector: Option<String>,
    annotation_selector: Option<String>,
}

impl Selector {
    /// Reads a `target` object; an invalid expression is an error message.
    pub fn from_value(target: &Value) -> Result<Selector, String> {
        let field = |key: &str| -> Result<Option<Regex>, String> {
            match target[key].as_str().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(pattern) => Regex::new(&format!("^(?:{pattern})$"))
                    .map(Some)
                    .map_err(|e| {
                        format!("target {key} {pattern:?} is not a valid expression: {e}")
                    }),
            }
        };
        Ok(Selector {
            group: field("group")?,
            version: field("version")?,
            kind: field("kind")?,
            name: field("name")?,
            namespace: field("namespace")?,
            label_selector: target["labelSelector"].as_str().map(str::to_string),
            annotation_selector: target["annotationSelector"].as_str().map(str::to_string),
        })
    }

    pub fn matches(&self, resource: &Resource) -> bool {
        let (group, version) = resource.group_version();
        let is = |pattern: &Option<Regex>, value: &str| {
            pattern.as_ref().is_none_or(|p| p.is_match(value))
        };
        is(&self.group, group)
            && is(&self.version, version)
            && is(&self.kind, resource.kind())
            && (is(&self.name, resource.name())
                || resource.previous_names.iter().any(|n| is(&self.name, n)))
            && is(&self.namespace, resource.namespace())
            && self
                .label_selector
                .as_deref()
                .is_none_or(|s| selects(s, &resource.value["metadata"]["labels"]))
            && self
                .annotation_selector
                .as_deref()
                .is_none_or(|s| selects(s, &resource.value["metadata"]["annotations"]))
    }
}

/// A Kubernetes label selector string (`a=b,c!=d,e in (f,g),!h,i`) against a label map.
fn selects(selector: &str, labels: &Value) -> bool {
    let label = |key: &str| labels[key.trim()].as_str();
    split_terms(selector).iter().all(|term| {
        let term = term.trim();
        if term.is_empty() {
            return true;
        }
        if let Some((key, values)) = term.split_once(" notin ") {
            let values = set_of(values);
            return label(key).is_none_or(|v| !values.contains(&v));
        }
        if let Some((key, values)) = term.split_once(" in ") {
            return label(key).is_some_and(|v| set_of(values).contains(&v));
        }
        if let Some((key, value)) = term.split_once("!=") {
            return label(key) != Some(value.trim());
        }
        if let Some((key, value)) = term.split_once("==").or_else(|| term.split_once('=')) {
            return label(key) == Some(value.trim());
        }
        if let Some(key) = term.strip_prefix('!') {
            return label(key).is_none();
        }
        label(term).is_some()
    })
}

/// Splits at commas outside parentheses.
fn split_terms(selector: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(&selector[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&selector[start..]);
    terms
}

fn set_of(values: &str) -> Vec<&str> {
    values
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(value: Value) -> Resource {
        Resource::new(value, Origins::default())
    }

    #[test]
    fn selectors_match_by_kind_name_expression_and_labels() {
        let api = resource(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api-v2", "labels": {"tier": "web", "env": "prod"}}}));
        let select = |target: Value| Selector::from_value(&target).unwrap().matches(&api);
        assert!(select(json!({"kind": "Deployment", "name": "api-.*"})));
        assert!(!select(json!({"name": "api"})));
        assert!(select(json!({"group": "apps", "version": "v1"})));
        assert!(select(
            json!({"labelSelector": "tier=web,env in (prod, staging)"})
        ));
        assert!(!select(json!({"labelSelector": "tier!=web"})));
        assert!(select(json!({"labelSelector": "!canary,tier"})));
        assert!(!select(json!({"annotationSelector": "owner=me"})));
        assert!(Selector::from_value(&json!({"name": "("})).is_err());
    }

    #[test]
    fn origins_take_the_longest_prefix_and_follow_list_shifts() {
        let place = |line| Place {
            file: "a.yaml".into(),
            line,
            column: 1,
        };
        let key = |k: &str| PathSegment::Key(k.into());
        let mut origins = Origins(vec![
            (vec![], place(1)),
            (vec![key("items"), PathSegment::Index(1)], place(5)),
        ]);
        let deep = [key("items"), PathSegment::Index(1), key("x")];
        assert_eq!(origins.lookup(&deep).unwrap().line, 5);
        origins.shift(&[key("items")], 0, 1);
        assert_eq!(origins.lookup(&deep).unwrap().line, 1);
        assert_eq!(
            origins
                .lookup(&[key("items"), PathSegment::Index(2)])
                .unwrap()
                .line,
            5
        );
    }
}
