//! Strategic merge patches: maps merge key by key, lists of named things merge item by item
//! on Kubernetes' patch merge keys (containers by name, ports by containerPort, ...), other
//! lists are replaced; `$patch: delete/replace/merge` delete or replace an object, a map or a
//! list item. `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` are kept as
//! the fields they look like, because kustomize (v5.5) keeps them so (it leaves them to the
//! API server). Every value a patch sets takes the patch's line as its origin.

use std::path::Path;

use serde_json::{Map, Value};

use super::build::{patch_documents, BuildError, Cause, Kustomization, Unapplied};
use super::load::Located;
use super::resources::{Origins, Resource, Selector};
use crate::parse::PathSegment;

/// The directive key kustomize acts on.
const PATCH: &str = "$patch";

/// The patch merge key of a list field, from the Kubernetes API's `patchMergeKey` tags;
/// `None` for lists that a patch replaces whole (`args`, `tolerations`, ...).
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
        | "readinessGates" => Some(if field == "readinessGates" {
            "conditionType"
        } else {
            "name"
        }),
        "ports" => Some(if items.iter().any(|i| i.get("containerPort").is_some()) {
            "containerPort"
        } else {
            "port"
        }),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        "conditions" => Some("type"),
        "topologySpreadConstraints" => Some("topologyKey"),
        "ownerReferences" => Some("uid"),
        _ => None,
    }
}

/// `patchesStrategicMerge`: files or inline YAML, each applied to the object it names.
pub fn run_deprecated(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut Vec<Resource>,
    errors: &mut Vec<BuildError>,
) {
    for (entry, place) in k.entries("patchesStrategicMerge") {
        match patch_documents(k, entry, &place, boundary) {
            Ok(docs) => {
                for doc in docs {
                    if let Err(unapplied) = apply_to_targets(&doc, &Value::Null, resources) {
                        errors.push(unapplied.at(&place));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
}

/// Applies one patch document to the objects `target` selects, or without a target to the
/// object with its kind and name.
pub fn apply_to_targets(
    patch: &Located,
    target: &Value,
    resources: &mut Vec<Resource>,
) -> Result<(), Unapplied> {
    let Some(body) = patch.value.as_object() else {
        return Err("a strategic merge patch must be a map".into());
    };
    let mut body = body.clone();
    let selected: Vec<usize> = if target.is_object() {
        let selector = Selector::from_value(target)?;
        for key in ["apiVersion", "kind"] {
            body.remove(key);
        }
        if let Some(Value::Object(metadata)) = body.get_mut("metadata") {
            metadata.remove("name");
        }
        (0..resources.len())
            .filter(|&i| selector.matches(&resources[i]))
            .collect()
    } else {
        let kind = body.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = body["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let namespace = body["metadata"]["namespace"].as_str();
        let found: Vec<usize> = (0..resources.len())
            .filter(|&i| {
                let r = &resources[i];
                r.kind() == kind
                    && r.was_named(&name)
                    && namespace.is_none_or(|ns| r.namespace() == ns)
            })
            .collect();
        if found.is_empty() {
            return Err(Unapplied {
                cause: Cause::NoMatch,
                message: format!("no resource matches strategic merge patch \"{kind} {name}\""),
            });
        }
        if let Some(Value::Object(metadata)) = body.get_mut("metadata") {
            metadata.remove("name");
        }
        found
    };
    let body = Value::Object(body);
    if body["$patch"] == "delete" {
        let mut index = 0;
        resources.retain(|_| {
            index += 1;
            !selected.contains(&(index - 1))
        });
        return Ok(());
    }
    for i in selected {
        let resource = &mut resources[i];
        let mut path = Vec::new();
        merge_value(
            &mut resource.value,
            &body,
            &mut path,
            &mut resource.origins,
            &patch.origins,
        );
    }
    Ok(())
}

/// Merges `patch` into `dest` (both at `path`; the patch's places are at the same path in
/// `from`, since a patch mirrors the object it patches apart from list indices).
fn merge_value(
    dest: &mut Value,
    patch: &Value,
    path: &mut Vec<PathSegment>,
    origins: &mut Origins,
    from: &Origins,
) {
    let Some(patch_map) = patch.as_object() else {
        return replace(dest, patch, path, origins, from, path.clone());
    };
    match patch_map.get("$patch").and_then(Value::as_str) {
        Some("replace") => return replace(dest, patch, path, origins, from, path.clone()),
        Some("delete") => {
            *dest = Value::Object(Map::new());
            origins.remove(path);
            return;
        }
        _ => {}
    }
    if !dest.is_object() {
        return replace(dest, patch, path, origins, from, path.clone());
    }
    let patch_path = path.clone();
    merge_map(dest, patch_map, path, origins, from, &patch_path);
}

/// A key the patch deleted is placed at the patch's line: what a rule finds missing there,
/// the patch took away.
fn removed_by(
    origins: &mut Origins,
    path: &[PathSegment],
    from: &Origins,
    at_patch: &[PathSegment],
) {
    match from.lookup(at_patch) {
        Some(place) => origins.set(path, place.clone()),
        None => origins.remove(path),
    }
}

/// Merges a patch map whose places are at `patch_path` in `from`.
fn merge_map(
    dest: &mut Value,
    patch: &Map<String, Value>,
    path: &mut Vec<PathSegment>,
    origins: &mut Origins,
    from: &Origins,
    patch_path: &[PathSegment],
) {
    let Some(dest_map) = dest.as_object_mut() else {
        return;
    };
    for (key, value) in patch {
        if key == PATCH {
            continue;
        }
        path.push(PathSegment::Key(key.clone()));
        let mut at_patch = patch_path.to_vec();
        at_patch.push(PathSegment::Key(key.clone()));
        match value {
            Value::Null => {
                dest_map.remove(key);
                removed_by(origins, path, from, &at_patch);
            }
            Value::Object(inner) if dest_map.get(key).is_some_and(Value::is_object) => {
                match inner.get("$patch").and_then(Value::as_str) {
                    Some("delete") => {
                        dest_map.remove(key);
                        removed_by(origins, path, from, &at_patch);
                    }
                    Some("replace") => {
                        replace(&mut dest_map[key], value, path, origins, from, at_patch)
                    }
                    _ => merge_map(&mut dest_map[key], inner, path, origins, from, &at_patch),
                }
            }
            Value::Array(items) => {
                let dest_items = dest_map.get(key).and_then(Value::as_array).cloned();
                match (dest_items, merge_key(key, items)) {
                    (Some(dest_items), Some(merge_key)) => {
                        let merged = merge_list(
                            dest_items, items, merge_key, path, origins, from, &at_patch,
                        );
                        dest_map.insert(key.clone(), Value::Array(merged));
                    }
                    _ => {
                        let slot = dest_map.entry(key.clone()).or_insert(Value::Null);
                        replace(slot, value, path, origins, from, at_patch);
                    }
                }
            }
            _ => {
                if dest_map.get(key) != Some(value) {
                    let slot = dest_map.entry(key.clone()).or_insert(Value::Null);
                    replace(slot, value, path, origins, from, at_patch);
                }
            }
        }
        path.pop();
    }
}

/// Sets `dest` to `patch` without its directives; its places come from `from` at `patch_path`.
fn replace(
    dest: &mut Value,
    patch: &Value,
    path: &[PathSegment],
    origins: &mut Origins,
    from: &Origins,
    patch_path: Vec<PathSegment>,
) {
    *dest = without_directives(patch);
    origins.graft(path, from, &patch_path);
}

fn without_directives(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != PATCH)
                .map(|(k, v)| (k.clone(), without_directives(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|item| !item.get("$patch").is_some_and(|p| p == "replace"))
                .map(without_directives)
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A list merged on `key`: the patch's items in its order (merged into the items they
/// name), then the items the patch did not name, as kustomize orders them.
fn merge_list(
    dest: Vec<Value>,
    patch: &[Value],
    key: &str,
    path: &mut Vec<PathSegment>,
    origins: &mut Origins,
    from: &Origins,
    patch_path: &[PathSegment],
) -> Vec<Value> {
    if patch
        .iter()
        .any(|item| item.get("$patch").is_some_and(|p| p == "replace"))
    {
        let mut replaced = Value::Null;
        replace(
            &mut replaced,
            &Value::Array(patch.to_vec()),
            path,
            origins,
            from,
            patch_path.to_vec(),
        );
        return replaced.as_array().cloned().unwrap_or_default();
    }
    let old = origins.clone();
    origins
        .0
        .retain(|(p, _)| !(p.len() > path.len() && p.starts_with(path)));
    let mut taken = vec![false; dest.len()];
    let mut merged = Vec::new();
    let mut deleted = Vec::new();
    for (p, item) in patch.iter().enumerate() {
        let mut at_patch = patch_path.to_vec();
        at_patch.push(PathSegment::Index(p));
        let id = item.get(key);
        let existing =
            id.and_then(|id| (0..dest.len()).find(|&j| !taken[j] && dest[j].get(key) == Some(id)));
        if item.get("$patch").is_some_and(|d| d == "delete") {
            deleted.extend(id.cloned());
            continue;
        }
        path.push(PathSegment::Index(merged.len()));
        match (existing, item.as_object()) {
            (Some(j), Some(item_map)) => {
                taken[j] = true;
                let mut value = dest[j].clone();
                let mut old_item = path[..path.len() - 1].to_vec();
                old_item.push(PathSegment::Index(j));
                origins.graft(path, &old, &old_item);
                merge_map(&mut value, item_map, path, origins, from, &at_patch);
                merged.push(value);
            }
            _ => {
                let mut value = Value::Null;
                replace(&mut value, item, path, origins, from, at_patch);
                merged.push(value);
            }
        }
        path.pop();
    }
    for (j, item) in dest.into_iter().enumerate() {
        if taken[j] || item.get(key).is_some_and(|id| deleted.contains(id)) {
            continue;
        }
        let mut new_path = path.clone();
        new_path.push(PathSegment::Index(merged.len()));
        let mut old_item = path.clone();
        old_item.push(PathSegment::Index(j));
        origins.graft(&new_path, &old, &old_item);
        merged.push(item);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merged(dest: Value, patch: Value) -> Value {
        let mut dest = dest;
        merge_value(
            &mut dest,
            &patch,
            &mut Vec::new(),
            &mut Origins::default(),
            &Origins::default(),
        );
        dest
    }

    #[test]
    fn lists_merge_on_their_keys_patch_items_first() {
        let dest = json!({"containers": [{"name": "a", "image": "x", "env": [{"name": "X", "value": "1"}]}, {"name": "b"}]});
        let patch = json!({"containers": [{"name": "c"}, {"name": "a", "env": [{"name": "Y", "value": "2"}]}]});
        assert_eq!(
            merged(dest, patch),
            json!({"containers": [{"name": "c"}, {"name": "a", "image": "x", "env": [{"name": "Y", "value": "2"}, {"name": "X", "value": "1"}]}, {"name": "b"}]})
        );
    }

    #[test]
    fn patch_directives_delete_and_replace() {
        let dest = json!({"volumes": [{"name": "a"}, {"name": "b"}], "args": ["x", "y"], "m": {"k": 1, "j": 2}, "gone": {"a": 1}});
        let patch = json!({
            "volumes": [{"name": "a", "$patch": "delete"}],
            "args": ["z"],
            "m": {"$patch": "replace", "n": 3},
            "gone": {"$patch": "delete"},
            "$retainKeys": ["kept", "as", "a", "field"],
        });
        assert_eq!(
            merged(dest, patch),
            json!({"volumes": [{"name": "b"}], "args": ["z"], "m": {"n": 3}, "$retainKeys": ["kept", "as", "a", "field"]})
        );
        let replaced = merged(
            json!({"volumes": [{"name": "a"}]}),
            json!({"volumes": [{"$patch": "replace"}, {"name": "c"}]}),
        );
        assert_eq!(replaced, json!({"volumes": [{"name": "c"}]}));
    }
}
