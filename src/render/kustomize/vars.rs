//! `vars` (deprecated, still used): `$(NAME)` in container commands, args and env values
//! of workloads becomes a field of a named object, read once every other step is done.

use serde_json::Value;

use super::replacements::{get, parse_path};
use super::resources::Resource;
use super::transformers::pod_spec_path;

#[derive(Debug, Clone)]
pub struct Var {
    name: String,
    kind: String,
    object: String,
    field_path: String,
}

impl Var {
    pub fn from_value(entry: &Value) -> Result<Var, String> {
        let text = |v: &Value| v.as_str().map(str::to_string);
        let (Some(name), Some(kind), Some(object)) = (
            text(&entry["name"]),
            text(&entry["objref"]["kind"]),
            text(&entry["objref"]["name"]),
        ) else {
            return Err("a var needs a name and an objref with kind and name".into());
        };
        // Go's YAML decoding matches field names in any case: `fieldpath` works too.
        let fieldref = &entry["fieldref"];
        let field_path = text(&fieldref["fieldPath"])
            .or_else(|| text(&fieldref["fieldpath"]))
            .unwrap_or_else(|| "metadata.name".into());
        Ok(Var {
            name,
            kind,
            object,
            field_path,
        })
    }
}

/// Replaces `$(NAME)` of each var in the fields kustomize substitutes.
pub fn resolve(resources: &mut [Resource], vars: &[Var]) {
    let values: Vec<(String, String)> = vars
        .iter()
        .filter_map(|var| {
            let object = resources
                .iter()
                .find(|r| r.kind() == var.kind && r.was_named(&var.object))?;
            let value = match get(&object.value, &parse_path(&var.field_path))? {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((format!("$({})", var.name), value))
        })
        .collect();
    if values.is_empty() {
        return;
    }
    // Kustomize substitutes only in the workloads its field lists know, not in other kinds.
    for resource in resources
        .iter_mut()
        .filter(|r| pod_spec_path(r.kind()).is_some())
    {
        substitute(&mut resource.value, &values, false);
    }
}

/// Walks to the strings under `command`, `args` and `env[].value` of containers.
fn substitute(value: &mut Value, values: &[(String, String)], in_field: bool) {
    match value {
        Value::String(text) if in_field => {
            for (var, replacement) in values {
                if text.contains(var.as_str()) {
                    *text = text.replace(var.as_str(), replacement);
                }
            }
        }
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let field = in_field || matches!(key.as_str(), "command" | "args" | "value");
                substitute(child, values, field);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| substitute(item, values, in_field)),
        _ => {}
    }
}
