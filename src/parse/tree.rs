//! What the YAML builder makes of a document: `serde_json` values, which the rest of paved
//! reads, or regorus values, which `paved test` evaluates. Built directly, regorus values
//! save `paved test` a `serde_json` tree per document, built, converted and dropped: on the
//! development corpus's Kubernetes files that was a sixth of its run.

use std::collections::BTreeMap;

use serde_json::map::Entry;
use serde_json::{Map, Value};

/// A value tree the builder can make.
pub trait Tree: Clone + Sized {
    type Map: Default;

    fn string(text: &str) -> Self;
    /// A resolved plain scalar: null, a boolean or a number (as `serde_json` holds it).
    fn scalar(value: Value) -> Self;
    fn array(items: Vec<Self>) -> Self;
    fn object(object: Self::Map) -> Self;
    fn is_null(&self) -> bool;
    /// The key a value makes when a mapping or an alias is used as a key, as `serde_json`
    /// words it; `None` when this tree cannot say it the same way.
    fn key_text(self) -> Option<String>;
    /// Adds a key not yet in `object`; gives the value back when the key is there.
    fn insert_new(object: &mut Self::Map, key: &str, value: Self) -> Result<(), Self>;
    /// Sets a key, keeping its place if it is there.
    fn replace(object: &mut Self::Map, key: &str, value: Self);
    fn contains(object: &Self::Map, key: &str) -> bool;
    /// What a `<<` merge key's value offers.
    fn merge_source(self) -> MergeSource<Self>;
}

/// A `serde_json` value as regorus holds it, read from the reference (not cloned first): how
/// every value the direct YAML reader does not build reaches the engine.
pub fn to_regorus(value: &Value) -> regorus::Value {
    serde::Deserialize::deserialize(value).unwrap_or(regorus::Value::Undefined)
}

pub enum MergeSource<T> {
    Object(Vec<(String, T)>),
    Array(Vec<T>),
    Other,
}

impl Tree for Value {
    type Map = Map<String, Value>;

    /// A scalar's text in a string of its own size: the parser makes each with room for 128
    /// more bytes, and kept as they came, a file's keys and values took several times their
    /// size, and the kernel's time to zero the pages (a quarter of reading a 2.5 MB CRD).
    fn string(text: &str) -> Self {
        Value::String(text.to_owned())
    }

    fn scalar(value: Value) -> Self {
        value
    }

    fn array(items: Vec<Self>) -> Self {
        Value::Array(items)
    }

    fn object(object: Self::Map) -> Self {
        Value::Object(object)
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn key_text(self) -> Option<String> {
        Some(match self {
            Value::String(s) => s,
            Value::Null => "null".into(),
            other => other.to_string(),
        })
    }

    fn insert_new(object: &mut Self::Map, key: &str, value: Self) -> Result<(), Self> {
        match object.entry(key) {
            Entry::Vacant(vacant) => {
                vacant.insert(value);
                Ok(())
            }
            Entry::Occupied(_) => Err(value),
        }
    }

    fn replace(object: &mut Self::Map, key: &str, value: Self) {
        object.insert(key.to_owned(), value);
    }

    fn contains(object: &Self::Map, key: &str) -> bool {
        object.contains_key(key)
    }

    fn merge_source(self) -> MergeSource<Self> {
        match self {
            Value::Object(object) => MergeSource::Object(object.into_iter().collect()),
            Value::Array(items) => MergeSource::Array(items),
            _ => MergeSource::Other,
        }
    }
}

impl Tree for regorus::Value {
    type Map = BTreeMap<regorus::Value, regorus::Value>;

    fn string(text: &str) -> Self {
        regorus::Value::String(text.into())
    }

    /// As a `serde_json` document is converted: the same number either way.
    fn scalar(value: Value) -> Self {
        to_regorus(&value)
    }

    fn array(items: Vec<Self>) -> Self {
        regorus::Value::from(items)
    }

    fn object(object: Self::Map) -> Self {
        regorus::Value::from(object)
    }

    fn is_null(&self) -> bool {
        *self == regorus::Value::Null
    }

    fn key_text(self) -> Option<String> {
        match self {
            regorus::Value::String(s) => Some(s.to_string()),
            regorus::Value::Null => Some("null".into()),
            regorus::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn insert_new(object: &mut Self::Map, key: &str, value: Self) -> Result<(), Self> {
        match object.entry(regorus::Value::String(key.into())) {
            std::collections::btree_map::Entry::Vacant(vacant) => {
                vacant.insert(value);
                Ok(())
            }
            std::collections::btree_map::Entry::Occupied(_) => Err(value),
        }
    }

    fn replace(object: &mut Self::Map, key: &str, value: Self) {
        object.insert(regorus::Value::String(key.into()), value);
    }

    fn contains(object: &Self::Map, key: &str) -> bool {
        object.contains_key(&regorus::Value::String(key.into()))
    }

    fn merge_source(self) -> MergeSource<Self> {
        match &self {
            regorus::Value::Object(object) => MergeSource::Object(
                object
                    .iter()
                    .filter_map(|(k, v)| Some((k.as_string().ok()?.to_string(), v.clone())))
                    .collect(),
            ),
            regorus::Value::Array(items) => MergeSource::Array(items.to_vec()),
            _ => MergeSource::Other,
        }
    }
}
