//! Values as Helm combines them: value files merged in order over each other, then
//! coalesced over the chart's defaults (a `null` given by the user deletes a default).

use serde_json::{Map, Value};

/// `overlay` merged into `base` as Helm merges `-f` files and `--set`: maps recursively,
/// anything else replaced (a `null` is kept, to delete the default when coalescing).
pub fn merge(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

/// The user's values over a chart's defaults: the user's win, maps are combined key by
/// key, and a key that is `null` (a default the user set to `null`, or a default left
/// empty, `limits:`) is removed, as Helm removes it.
pub fn coalesce(user: &Value, defaults: &Value) -> Value {
    match (user, defaults) {
        (Value::Object(user), Value::Object(defaults)) => {
            let mut out = Map::new();
            for (key, default) in defaults {
                match user.get(key) {
                    None if default.is_null() => {}
                    None => {
                        out.insert(key.clone(), strip_nulls(default));
                    }
                    Some(Value::Null) => {}
                    Some(given) => {
                        out.insert(key.clone(), coalesce(given, default));
                    }
                }
            }
            for (key, given) in user {
                if !defaults.contains_key(key) && !given.is_null() {
                    out.insert(key.clone(), strip_nulls(given));
                }
            }
            Value::Object(out)
        }
        (user, _) => strip_nulls(user),
    }
}

/// A map without its `null` entries, at every depth of maps.
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The value at a dotted path (`redis.enabled`), as Helm's `PathValue` finds it.
pub fn path_value<'a>(values: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(values, |at, key| at.as_object()?.get(key))
}

/// `value` placed at a dotted path (`a.b` → `{a: {b: value}}`; `.` or empty is the root).
pub fn at_path(path: &str, value: Value) -> Value {
    path.rsplit('.')
        .filter(|p| !p.is_empty())
        .fold(value, |inner, key| {
            let mut map = Map::new();
            map.insert(key.to_string(), inner);
            Value::Object(map)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn later_files_override_earlier_ones_map_by_map() {
        let mut values = json!({"image": {"repository": "nginx", "tag": "1.0"}, "replicas": 1});
        merge(
            &mut values,
            json!({"image": {"tag": "2.0"}, "replicas": null}),
        );
        assert_eq!(
            values,
            json!({"image": {"repository": "nginx", "tag": "2.0"}, "replicas": null})
        );
    }

    #[test]
    fn user_values_win_and_null_deletes_a_default() {
        let defaults = json!({
            "image": {"repository": "nginx", "tag": "1.0"},
            "resources": {"limits": {"cpu": "1"}},
            "list": [1, 2],
            "empty": null
        });
        let user = json!({"image": {"tag": "2.0"}, "resources": null, "list": [3], "extra": {"a": null, "b": 1}});
        assert_eq!(
            coalesce(&user, &defaults),
            json!({
                "image": {"repository": "nginx", "tag": "2.0"},
                "list": [3],
                "extra": {"b": 1}
            })
        );
    }

    #[test]
    fn a_scalar_over_a_map_replaces_it() {
        assert_eq!(
            coalesce(&json!({"a": 1}), &json!({"a": {"b": 2}})),
            json!({"a": 1})
        );
    }

    #[test]
    fn paths_find_and_place_values() {
        let values = json!({"redis": {"enabled": false}});
        assert_eq!(path_value(&values, "redis.enabled"), Some(&json!(false)));
        assert_eq!(path_value(&values, "redis.missing"), None);
        assert_eq!(path_value(&values, "redis.enabled.deeper"), None);
        assert_eq!(at_path("a.b", json!(1)), json!({"a": {"b": 1}}));
        assert_eq!(at_path(".", json!({"x": 1})), json!({"x": 1}));
    }
}
