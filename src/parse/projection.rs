//! The part of a document a set of policies can read. `paved test` builds only that part of
//! each YAML document it parses (still reading, and checking, the rest): a 2.5 MB CRD whose
//! `kind` and `metadata.name` are all its policies look at is then a few values, not a
//! hundred thousand.

use std::collections::BTreeMap;

/// What to build of a value: all of it, or (for a mapping) only some of its keys, each with
/// what to build of its own value. Any other value at a `Keys` node is built whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    All,
    Keys(BTreeMap<String, Projection>),
}

impl Default for Projection {
    /// Nothing is read yet.
    fn default() -> Self {
        Projection::Keys(BTreeMap::new())
    }
}

impl Projection {
    /// Keeps the whole value at `path` (keys from the top of the document).
    pub fn read(&mut self, path: &[String]) {
        let Projection::Keys(keys) = self else {
            return;
        };
        match path.split_first() {
            None => *self = Projection::All,
            Some((first, rest)) => keys.entry(first.clone()).or_default().read(rest),
        }
    }

    /// What to build of `key`'s value: `None` when it is not read at all.
    pub fn under(&self, key: &str) -> Option<&Projection> {
        match self {
            Projection::All => Some(self),
            Projection::Keys(keys) => keys.get(key),
        }
    }

    /// This projection of a whole value: what the YAML reader builds with it. A document
    /// that is a list is projected element by element, each of them being a policy input.
    pub fn document(&self, value: &regorus::Value) -> regorus::Value {
        match value {
            regorus::Value::Array(items) => {
                regorus::Value::from(items.iter().map(|i| self.value(i)).collect::<Vec<_>>())
            }
            other => self.value(other),
        }
    }

    fn value(&self, value: &regorus::Value) -> regorus::Value {
        match (self, value) {
            (Projection::Keys(keys), regorus::Value::Object(object)) => regorus::Value::from(
                object
                    .iter()
                    .filter_map(|(k, v)| {
                        let kept = keys.get(k.as_string().ok()?.as_ref())?;
                        Some((k.clone(), kept.value(v)))
                    })
                    .collect::<BTreeMap<_, _>>(),
            ),
            _ => value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_read_path_keeps_its_whole_value_and_only_the_keys_leading_to_it() {
        let mut projection = Projection::default();
        projection.read(&path(&["spec", "template", "spec", "containers"]));
        projection.read(&path(&["kind"]));
        let document: regorus::Value = serde_json::from_str::<regorus::Value>(
            r#"{"kind": "Deployment", "apiVersion": "apps/v1",
                "spec": {"replicas": 2, "template": {"metadata": {"x": 1},
                         "spec": {"containers": [{"name": "a", "image": "b"}], "volumes": []}}}}"#,
        )
        .unwrap();
        let expected: regorus::Value = serde_json::from_str(
            r#"{"kind": "Deployment",
                "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "b"}]}}}}"#,
        )
        .unwrap();
        assert_eq!(projection.document(&document), expected);
        // A list document is projected element by element; other values stay whole.
        let list = regorus::Value::from(vec![document.clone(), regorus::Value::from(3)]);
        assert_eq!(
            projection.document(&list),
            regorus::Value::from(vec![expected, regorus::Value::from(3)])
        );
        // Reading a value whole absorbs any deeper path, before or after.
        projection.read(&path(&["spec"]));
        projection.read(&path(&["spec", "replicas"]));
        assert_eq!(projection.under("spec"), Some(&Projection::All));
        assert_eq!(projection.under("apiVersion"), None);
        projection.read(&[]);
        assert_eq!(projection, Projection::All);
        assert_eq!(projection.document(&document), document);
    }
}
