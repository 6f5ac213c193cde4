//! `replacements`: a value read from one object (`source.fieldPath`, whole or one
//! `delimiter`-separated part) written into fields of others (`targets[].fieldPaths`).
//! Field paths are kustomize's: `spec.template.spec.containers.[name=app].image`.

use std::path::Path;

use serde_json::Value;

use super::build::{patch_documents, BuildError, Cause, Kustomization, Unapplied};
use super::resources::{Place, Resource, Selector};
use crate::parse::PathSegment;

pub fn run(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut [Resource],
    errors: &mut Vec<BuildError>,
) {
    for (entry, place) in k.entries("replacements") {
        let replacements = if entry.get("path").is_some() {
            match patch_documents(k, entry, &place, boundary) {
                Ok(docs) => docs
                    .into_iter()
                    .flat_map(|d| match d.value {
                        Value::Array(items) => items,
                        other => vec![other],
                    })
                    .collect(),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        } else {
            vec![entry.clone()]
        };
        for replacement in replacements {
            if let Err(unapplied) = replace(&replacement, resources, &place) {
                errors.push(unapplied.at(&place));
            }
        }
    }
}

fn replace(
    replacement: &Value,
    resources: &mut [Resource],
    place: &Place,
) -> Result<(), Unapplied> {
    let source = &replacement["source"];
    let selector = Selector::from_value(source)?;
    let found: Vec<&Resource> = resources.iter().filter(|r| selector.matches(r)).collect();
    let [resource] = found.as_slice() else {
        return Err(Unapplied {
            cause: match found.is_empty() {
                true => Cause::NoMatch,
                false => Cause::Invalid,
            },
            message: format!(
                "the replacement source selects {} objects, not one",
                found.len()
            ),
        });
    };
    let field_path = source["fieldPath"].as_str().unwrap_or("metadata.name");
    let value = get(&resource.value, &parse_path(field_path))
        .ok_or_else(|| format!("the source has no {field_path}"))?
        .clone();
    let value = match (&value, &source["options"]["delimiter"]) {
        (Value::String(text), Value::String(delimiter)) => {
            let index = source["options"]["index"].as_u64().unwrap_or(0) as usize;
            Value::String(
                text.split(delimiter.as_str())
                    .nth(index)
                    .unwrap_or_default()
                    .to_string(),
            )
        }
        _ => value,
    };
    for target in replacement["targets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let select = Selector::from_value(&target["select"])?;
        let rejects: Vec<Selector> = target["reject"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(Selector::from_value)
            .collect::<Result<_, _>>()?;
        let create = target["options"]["create"] == true;
        for resource in resources.iter_mut() {
            if !select.matches(resource) || rejects.iter().any(|r| r.matches(resource)) {
                continue;
            }
            for path in target["fieldPaths"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let segments = parse_path(path.as_str().unwrap_or_default());
                let new = part_replaced(&resource.value, &segments, &value, &target["options"]);
                resource
                    .may_grow_by(&new)
                    .map_err(|e| format!("{} {}: {e}", resource.kind(), resource.name()))?;
                if let Some(at) = set(&mut resource.value, &segments, new, create) {
                    resource.origins.set(&at, place.clone());
                }
            }
        }
    }
    Ok(())
}

/// The value to write: whole, or put into one `delimiter`-separated part of the old text.
fn part_replaced(object: &Value, path: &[String], value: &Value, options: &Value) -> Value {
    let old_value = get(object, path);
    if let (Some(Value::String(_)), Value::Number(_) | Value::Bool(_)) = (old_value, value) {
        // Written into a string field, a number stays a string (as kustomize writes it).
        return Value::String(value.to_string());
    }
    let (Some(delimiter), Some(old), Some(new)) = (
        options["delimiter"].as_str(),
        get(object, path).and_then(Value::as_str),
        value.as_str(),
    ) else {
        return value.clone();
    };
    let mut parts: Vec<&str> = old.split(delimiter).collect();
    let index = options["index"].as_u64().unwrap_or(0) as usize;
    if index < parts.len() {
        parts[index] = new;
    }
    Value::String(parts.join(delimiter))
}

/// Splits a field path at dots outside `[...]`.
pub fn parse_path(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                current.push(c)
            }
            ']' => {
                depth -= 1;
                current.push(c)
            }
            '.' if depth == 0 => segments.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    segments.push(current);
    segments
}

/// The index of the list item a segment names (`[key=value]` or a number).
fn item_index(items: &[Value], segment: &str) -> Option<usize> {
    if let Some(selector) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let (key, wanted) = selector.split_once('=')?;
        return items.iter().position(|item| match &item[key] {
            Value::String(s) => s == wanted,
            other => !other.is_null() && other.to_string().as_str() == wanted,
        });
    }
    segment.parse().ok().filter(|&i| i < items.len())
}

pub fn get<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, segment| match node {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => item_index(items, segment).map(|i| &items[i]),
        _ => None,
    })
}

/// Writes `value` at `path` (creating maps when `create`); returns the object path written.
fn set(
    object: &mut Value,
    path: &[String],
    value: Value,
    create: bool,
) -> Option<Vec<PathSegment>> {
    let mut node = object;
    let mut at = Vec::new();
    for segment in path {
        node = match node {
            Value::Object(map) => {
                if !map.contains_key(segment) {
                    if !create {
                        return None;
                    }
                    map.insert(segment.clone(), Value::Object(Default::default()));
                }
                at.push(PathSegment::Key(segment.clone()));
                map.get_mut(segment)?
            }
            Value::Array(items) => {
                let i = item_index(items, segment)?;
                at.push(PathSegment::Index(i));
                &mut items[i]
            }
            _ => return None,
        };
    }
    *node = value;
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_paths_select_list_items_by_key() {
        let object = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y:1"}]}});
        let path = parse_path("spec.containers.[name=b].image");
        assert_eq!(path, ["spec", "containers", "[name=b]", "image"]);
        assert_eq!(get(&object, &path), Some(&json!("y:1")));
        let options = json!({"delimiter": ":", "index": 1});
        assert_eq!(
            part_replaced(&object, &path, &json!("2"), &options),
            json!("y:2")
        );
    }
}
