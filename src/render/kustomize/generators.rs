//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from literals,
//! files and env files, merged with or replacing a base's (`behavior`), and at the end of
//! the build named with kustomize's content hash, which the references then follow.

use std::path::Path;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::build::{error_at, BuildError, Kustomization};
use super::resources::{Origins, Place, Resource};
use super::transformers::path_of;
use crate::parse::PathSegment;
use crate::read;

/// Runs both generators of one kustomization.
pub fn run(
    k: &Kustomization,
    boundary: &Path,
    resources: &mut Vec<Resource>,
    errors: &mut Vec<BuildError>,
) {
    let options = k.field("generatorOptions");
    for (key, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for (i, (entry, place)) in k.entries(key).into_iter().enumerate() {
            let at = Entry {
                k,
                path: [PathSegment::Key(key.into()), PathSegment::Index(i)],
                value: entry,
                place: &place,
            };
            match generate(&at, boundary, kind, options) {
                Ok(resource) => merge(resource, entry, &place, resources, errors),
                Err(e) => errors.push(e),
            }
        }
    }
}

/// A generator entry of a kustomization, where its fields' values are.
struct Entry<'a> {
    k: &'a Kustomization,
    path: [PathSegment; 2],
    value: &'a Value,
    place: &'a Place,
}

impl<'a> Entry<'a> {
    /// The strings of a field (a list, or a single string such as `env`), each with its
    /// place: an error about a file or literal points at it, not at the generator.
    fn strings(&self, field: &str) -> Vec<(&'a str, Place)> {
        let mut path = self.path.to_vec();
        path.push(PathSegment::Key(field.into()));
        match &self.value[field] {
            Value::String(s) => vec![(s.as_str(), self.k.doc.place(&path))],
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(j, item)| {
                    let mut path = path.clone();
                    path.push(PathSegment::Index(j));
                    Some((item.as_str()?, self.k.doc.place(&path)))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn generate(
    at: &Entry,
    boundary: &Path,
    kind: &str,
    options: &Value,
) -> Result<Resource, BuildError> {
    let (k, entry, place) = (at.k, at.value, at.place);
    let Some(name) = entry["name"].as_str() else {
        return Err(error_at(place, format!("a {kind} generator needs a name")));
    };
    let mut data = Map::new();
    for (env, env_place) in at.strings("envs").into_iter().chain(at.strings("env")) {
        let text = read_file(k, boundary, env, &env_place)?;
        for line in text.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // A bare name takes its value from kustomize's environment: paved reads none.
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            insert(&mut data, key, value.to_string(), &env_place)?;
        }
    }
    for (literal, literal_place) in at.strings("literals") {
        let Some((key, value)) = literal.split_once('=') else {
            return Err(error_at(
                &literal_place,
                format!("literal {literal:?} is not KEY=VALUE"),
            ));
        };
        insert(&mut data, key, unquote(value).to_string(), &literal_place)?;
    }
    for (file, file_place) in at.strings("files") {
        let (key, path) = match file.split_once('=') {
            Some((key, path)) => (key.to_string(), path),
            None => (file.rsplit('/').next().unwrap_or(file).to_string(), file),
        };
        let text = read_file(k, boundary, path, &file_place)?;
        insert(&mut data, &key, text, &file_place)?;
    }
    let mut metadata = json!({"name": name});
    if let Some(namespace) = entry["namespace"].as_str() {
        metadata["namespace"] = json!(namespace);
    }
    let entry_options = &entry["options"];
    for key in ["labels", "annotations"] {
        let mut pairs = options[key].as_object().cloned().unwrap_or_default();
        pairs.extend(entry_options[key].as_object().cloned().unwrap_or_default());
        if !pairs.is_empty() {
            metadata[key] = Value::Object(pairs);
        }
    }
    let mut value = json!({"apiVersion": "v1", "kind": kind, "metadata": metadata});
    if kind == "Secret" {
        let encoded = data
            .into_iter()
            .map(|(k, v)| (k, json!(base64(v.as_str().unwrap_or_default().as_bytes()))))
            .collect();
        value["type"] = json!(entry["type"].as_str().unwrap_or("Opaque"));
        value["data"] = Value::Object(encoded);
    } else {
        value["data"] = Value::Object(data);
    }
    let immutable = entry_options["immutable"] == true || options["immutable"] == true;
    if immutable {
        value["immutable"] = json!(true);
    }
    let mut origins = Origins::default();
    origins.set(&[], place.clone());
    let mut resource = Resource::new(value, origins);
    let disabled = entry_options["disableNameSuffixHash"]
        .as_bool()
        .or(options["disableNameSuffixHash"].as_bool())
        .unwrap_or(false);
    resource.needs_hash = !disabled;
    Ok(resource)
}

fn insert(
    data: &mut Map<String, Value>,
    key: &str,
    value: String,
    place: &Place,
) -> Result<(), BuildError> {
    if data.contains_key(key) {
        return Err(error_at(place, format!("key {key:?} is defined twice")));
    }
    data.insert(key.to_string(), Value::String(value));
    Ok(())
}

/// A literal's value without one pair of matching surrounding quotes.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

fn read_file(
    k: &Kustomization,
    boundary: &Path,
    name: &str,
    place: &Place,
) -> Result<String, BuildError> {
    read::read_text(&k.dir.join(name), boundary)
        .map_err(|e| error_at(place, format!("{name}: {e}")))
}

/// Adds a generated resource as its `behavior` says: `create` (the default) a new one,
/// `merge` its data into the base's, `replace` the base's.
fn merge(
    mut generated: Resource,
    entry: &Value,
    place: &Place,
    resources: &mut Vec<Resource>,
    errors: &mut Vec<BuildError>,
) {
    let behavior = entry["behavior"].as_str().unwrap_or("create");
    let existing = resources.iter().position(|r| {
        r.kind() == generated.kind()
            && r.name() == generated.name()
            && (generated.namespace().is_empty() || r.namespace() == generated.namespace())
    });
    match (behavior, existing) {
        ("create", None) => resources.push(generated),
        ("create", Some(_)) => errors.push(error_at(
            place,
            format!(
                "{} {} already exists: use behavior merge or replace",
                generated.kind(),
                generated.name()
            ),
        )),
        ("merge" | "replace", None) => errors.push(error_at(
            place,
            format!(
                "{} {} has no base to {behavior}",
                generated.kind(),
                generated.name()
            ),
        )),
        ("merge", Some(i)) => {
            let base = &mut resources[i];
            for key in ["data", "binaryData"] {
                if let Some(new) = generated.value[key].as_object() {
                    let mut merged = base.value[key].as_object().cloned().unwrap_or_default();
                    for (k, v) in new {
                        merged.insert(k.clone(), v.clone());
                        base.origins.set(
                            &[
                                path_of(key),
                                vec![crate::parse::PathSegment::Key(k.clone())],
                            ]
                            .concat(),
                            place.clone(),
                        );
                    }
                    base.value[key] = Value::Object(merged);
                }
            }
            for key in ["labels", "annotations"] {
                if let Some(new) = generated.value["metadata"][key].as_object() {
                    let mut merged = base.value["metadata"][key]
                        .as_object()
                        .cloned()
                        .unwrap_or_default();
                    merged.extend(new.clone());
                    base.value["metadata"][key] = Value::Object(merged);
                }
            }
            base.needs_hash = base.needs_hash && generated.needs_hash;
        }
        ("replace", Some(i)) => {
            let base = &mut resources[i];
            generated.value["metadata"]["namespace"] = base.value["metadata"]["namespace"].clone();
            if generated.value["metadata"]["namespace"].is_null() {
                generated.value["metadata"]
                    .as_object_mut()
                    .map(|m| m.remove("namespace"));
            }
            generated.previous_names = base.previous_names.clone();
            *base = generated;
        }
        _ => errors.push(error_at(
            place,
            format!("behavior {behavior:?} is not create, merge or replace"),
        )),
    }
}

/// At the end of the build: each generated ConfigMap and Secret named with the hash of its
/// content (`name-hash`).
pub fn add_hashes(resources: &mut [Resource]) {
    for resource in resources.iter_mut().filter(|r| r.needs_hash) {
        let hash = content_hash(&resource.value);
        let name = format!("{}-{hash}", resource.name());
        resource.rename(name);
    }
}

/// Kustomize's hash: SHA-256 of the JSON of kind, an empty name, data (and binaryData,
/// and type for Secrets), keys sorted, HTML characters escaped as Go does; its first ten hex
/// digits with 0, 1, 3, a, e changed to letters so the suffix never reads as a number or word.
pub fn content_hash(value: &Value) -> String {
    let kind = value["kind"].as_str().unwrap_or_default();
    let mut encoded = serde_json::Map::new();
    if let Some(binary) = value["binaryData"].as_object().filter(|b| !b.is_empty()) {
        encoded.insert("binaryData".into(), sorted(&Value::Object(binary.clone())));
    }
    let data = value
        .get("data")
        .filter(|d| !d.is_null())
        .unwrap_or(&Value::Null);
    encoded.insert(
        "data".into(),
        if data.is_null() {
            json!({})
        } else {
            sorted(data)
        },
    );
    if value["immutable"] == true {
        encoded.insert("immutable".into(), json!(true));
    }
    encoded.insert("kind".into(), json!(kind));
    encoded.insert("name".into(), json!(""));
    if kind == "Secret" {
        encoded.insert("type".into(), value["type"].clone());
    }
    let text = go_escape(&Value::Object(encoded).to_string());
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .take(10)
        .map(|nibble| match nibble {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            0xa => 'm',
            0xe => 't',
            n => char::from_digit(n.into(), 16).unwrap_or('0'),
        })
        .collect()
}

/// A copy with every object's keys in order (the map keeps insertion order).
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Go's `json.Marshal` escapes `<`, `>`, `&`, U+2028 and U+2029.
fn go_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_kustomize() {
        // Recorded with `kubectl kustomize` (Kustomize v5.5.0).
        let config_map = json!({"kind": "ConfigMap", "data": {"c": "q d", "a": "b"}});
        assert_eq!(content_hash(&config_map), "78g9cgff8k");
        let secret = json!({"kind": "Secret", "type": "Opaque", "data": {"a": base64(b"b")}});
        assert_eq!(content_hash(&secret), "k695gkmbtk");
    }
}
