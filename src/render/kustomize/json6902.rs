//! JSON patches (RFC 6902): add, remove, replace, move, copy and test at JSON pointers,
//! applied to the objects a `target` selects. A value an operation writes takes the
//! operation's line as its origin.

use std::path::Path;

use serde_json::Value;

use super::build::{error_at, patch_documents, BuildError, Kustomization};
use super::load::Located;
use super::resources::{set_field, Origins, Resource, Selector};
use crate::parse::PathSegment;

/// `patchesJson6902`: `{target, path | patch}` entries.
pub fn run_deprecated(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut [Resource],
    errors: &mut Vec<BuildError>,
) {
    for (entry, place) in k.entries("patchesJson6902") {
        match patch_documents(k, entry, &place, boundary) {
            Ok(docs) => {
                for doc in docs {
                    if let Err(message) = apply_to_targets(&doc, &entry["target"], resources) {
                        errors.push(error_at(&place, message));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
}

/// Applies the operations in `patch` to every object `target` selects.
pub fn apply_to_targets(
    patch: &Located,
    target: &Value,
    resources: &mut [Resource],
) -> Result<(), String> {
    if !target.is_object() {
        return Err("a JSON patch needs a target".into());
    }
    let Some(operations) = patch.value.as_array() else {
        return Err("a JSON patch must be a list of operations".into());
    };
    let selector = Selector::from_value(target)?;
    for resource in resources.iter_mut().filter(|r| selector.matches(r)) {
        for (i, operation) in operations.iter().enumerate() {
            apply(resource, operation, &patch.origins, i).map_err(|e| {
                format!(
                    "{} {}: operation {}: {e}",
                    resource.kind(),
                    resource.name(),
                    i + 1
                )
            })?;
        }
    }
    Ok(())
}

/// A JSON pointer as path segments (`~1` is `/`, `~0` is `~`).
fn pointer(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = text.strip_prefix('/') else {
        return Err(format!("path {text:?} does not start with /"));
    };
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn apply(
    resource: &mut Resource,
    operation: &Value,
    from: &Origins,
    index: usize,
) -> Result<(), String> {
    let op = operation["op"].as_str().unwrap_or_default();
    let path = pointer(operation["path"].as_str().ok_or("no path")?)?;
    let value_place = [PathSegment::Index(index), PathSegment::Key("value".into())];
    let op_place = from.lookup(&[PathSegment::Index(index)]).cloned();
    match op {
        "add" | "replace" => {
            let value = operation.get("value").ok_or("no value")?.clone();
            // Kustomize's JSON patch replaces a missing value by adding it.
            if op == "replace" && get(&resource.value, &path).is_some() {
                remove(resource, &path)?;
            }
            let at = add(resource, &path, value)?;
            if from.0.iter().any(|(p, _)| p.starts_with(&value_place)) {
                resource.origins.graft(&at, from, &value_place);
            } else if let Some(place) = op_place {
                resource.origins.set(&at, place);
            }
        }
        "remove" => {
            // What a rule finds missing there was taken away by this operation.
            if let (Some(at), Some(place)) = (remove(resource, &path)?, op_place) {
                resource.origins.set(&at, place);
            }
        }
        "move" | "copy" => {
            let source = pointer(operation["from"].as_str().ok_or("no from")?)?;
            let value = get(&resource.value, &source)
                .ok_or("from does not exist")?
                .clone();
            if op == "move" {
                remove(resource, &source)?;
            } else {
                resource.may_grow_by(&value)?;
            }
            let at = add(resource, &path, value)?;
            if let Some(place) = op_place {
                resource.origins.set(&at, place);
            }
        }
        "test" => {
            let expected = operation.get("value").unwrap_or(&Value::Null);
            if get(&resource.value, &path) != Some(expected) {
                return Err("test failed".into());
            }
        }
        other => return Err(format!("unknown operation {other:?}")),
    }
    Ok(())
}

fn get<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn get_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// The path segments of the object path a pointer names in `parent`.
fn segments(path: &[String], last: PathSegment) -> Vec<PathSegment> {
    let mut at: Vec<PathSegment> = path[..path.len() - 1]
        .iter()
        .map(|s| PathSegment::Key(s.clone()))
        .collect();
    at.push(last);
    at
}

/// Fixes the kind of each segment (an index into a list) by walking the value.
fn typed(value: &Value, path: &[PathSegment]) -> Vec<PathSegment> {
    let mut node = Some(value);
    path.iter()
        .map(|segment| {
            let typed = match (node, segment) {
                (Some(Value::Array(_)), PathSegment::Key(k)) => {
                    k.parse().map(PathSegment::Index).unwrap_or(segment.clone())
                }
                _ => segment.clone(),
            };
            node = node.and_then(|n| match &typed {
                PathSegment::Key(k) => n.get(k),
                PathSegment::Index(i) => n.get(i),
            });
            typed
        })
        .collect()
}

/// Adds `value` at `path`; returns where it landed.
fn add(resource: &mut Resource, path: &[String], value: Value) -> Result<Vec<PathSegment>, String> {
    let Some((last, parent_path)) = path.split_last() else {
        resource.value = value;
        return Ok(Vec::new());
    };
    ensure_maps(&mut resource.value, parent_path);
    let parent =
        get_mut(&mut resource.value, parent_path).ok_or("the parent of the path does not exist")?;
    let landed = match parent {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            PathSegment::Key(last.clone())
        }
        Value::Array(items) => {
            let index = if last == "-" {
                items.len()
            } else {
                last.parse::<usize>().map_err(|_| "not a list index")?
            };
            if index > items.len() {
                return Err("index out of range".into());
            }
            items.insert(index, value);
            let list = typed(&resource.value, &segments(path, PathSegment::Index(0)));
            resource.origins.shift(&list[..list.len() - 1], index, 1);
            PathSegment::Index(index)
        }
        _ => return Err("the parent of the path is not a map or a list".into()),
    };
    Ok(typed(&resource.value, &segments(path, landed)))
}

/// Kustomize keeps every object's labels and annotations as maps, present even when
/// empty: an add below them works when they are missing; any other missing parent is an error.
fn ensure_maps(value: &mut Value, path: &[String]) {
    if let [metadata, field] = path {
        if metadata == "metadata" && (field == "labels" || field == "annotations") {
            set_field(
                value,
                &["metadata", field],
                get(value, path)
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Default::default())),
            );
        }
    }
}

/// Removes the value at `path`; the path of a removed map key is returned (a list item's
/// index is taken by the next item).
fn remove(resource: &mut Resource, path: &[String]) -> Result<Option<Vec<PathSegment>>, String> {
    let Some((last, parent_path)) = path.split_last() else {
        return Err("cannot remove the whole object".into());
    };
    let at = typed(
        &resource.value,
        &segments(path, PathSegment::Key(last.clone())),
    );
    let parent = get_mut(&mut resource.value, parent_path).ok_or("the path does not exist")?;
    match parent {
        Value::Object(map) => {
            map.shift_remove(last).ok_or("the path does not exist")?;
            resource.origins.remove(&at);
            return Ok(Some(at));
        }
        Value::Array(items) => {
            let index = last
                .parse::<usize>()
                .ok()
                .filter(|&i| i < items.len())
                .ok_or("index out of range")?;
            items.remove(index);
            resource.origins.remove(&at);
            resource.origins.shift(&at[..at.len() - 1], index + 1, -1);
        }
        _ => return Err("the path does not exist".into()),
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(value: Value, operations: Value) -> Result<Value, String> {
        let mut resource = Resource::new(value, Origins::default());
        for (i, op) in operations.as_array().unwrap().iter().enumerate() {
            apply(&mut resource, op, &Origins::default(), i)?;
        }
        Ok(resource.value)
    }

    #[test]
    fn every_operation_does_what_the_rfc_says() {
        let start = json!({"spec": {"list": [1, 2], "a/b": "x"}});
        let ops = json!([
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "add", "path": "/spec/list/0", "value": 0},
            {"op": "remove", "path": "/spec/list/1"},
            {"op": "replace", "path": "/spec/a~1b", "value": "y"},
            {"op": "copy", "from": "/spec/a~1b", "path": "/spec/c"},
            {"op": "move", "from": "/spec/c", "path": "/spec/d"},
            {"op": "test", "path": "/spec/d", "value": "y"}
        ]);
        assert_eq!(
            patched(start, ops).unwrap(),
            json!({"spec": {"list": [0, 2, 3], "a/b": "y", "d": "y"}})
        );
    }

    #[test]
    fn copies_that_double_the_object_stop_at_the_bound() {
        let mut ops = vec![json!({"op": "add", "path": "/x", "value": [1]})];
        ops.extend((0..60).map(|_| json!({"op": "copy", "from": "/x", "path": "/x/-"})));
        let err = patched(json!({}), Value::Array(ops)).unwrap_err();
        assert_eq!(
            err,
            "the object would grow past 1000000 nodes or 64 MiB of text"
        );
        // A string copied over and over grows the text, not the nodes.
        let text = "x".repeat(1 << 20);
        let mut ops = vec![json!({"op": "add", "path": "/t", "value": text})];
        ops.extend((0..100).map(|i| json!({"op": "copy", "from": "/t", "path": format!("/c{i}")})));
        assert!(patched(json!({}), Value::Array(ops)).is_err());
    }

    #[test]
    fn add_and_replace_create_what_is_missing_as_kustomize_does() {
        let start = json!({"spec": {}});
        let ops = json!([
            {"op": "replace", "path": "/spec/x", "value": 1},
            {"op": "add", "path": "/metadata/annotations/a~1b", "value": "c"}
        ]);
        assert_eq!(
            patched(start, ops).unwrap(),
            json!({"spec": {"x": 1}, "metadata": {"annotations": {"a/b": "c"}}})
        );
    }

    #[test]
    fn operations_on_missing_paths_fail() {
        let start = json!({"spec": {"n": 1}});
        assert!(patched(start.clone(), json!([{"op": "remove", "path": "/spec/x"}])).is_err());
        assert!(patched(
            start.clone(),
            json!([{"op": "add", "path": "/spec/n/x", "value": 1}])
        )
        .is_err());
        assert!(patched(
            start.clone(),
            json!([{"op": "add", "path": "/spec/template/metadata", "value": 1}])
        )
        .is_err());
        assert!(patched(start, json!([{"op": "test", "path": "/spec", "value": 1}])).is_err());
    }
}
