//! The engine's value: what Go's `interface{}` holds when Helm renders a chart. Maps are
//! sorted (Go prints and ranges over map keys in order); numbers read from values files are
//! `Float` because Helm reads them through JSON, which is why `{{ 1000000 }}` from a values
//! file prints `1e+06` exactly as Helm does. Maps and lists are shared, not copied: passing
//! `.` or `$` to a function or an `include` costs a reference count, and a map changed by
//! `set` is changed for everyone holding it, as Go's maps are.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The most a value may hold, as a tree: what YAML alias expansion allows a file.
pub const MAX_NODES: usize = 1_000_000;
pub const MAX_TEXT: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// Go's slices are never changed in place by template functions: shared, read-only.
    List(Arc<Vec<Value>>),
    Map(Map),
    /// `.Files`: the chart's files other than templates, by path.
    Files(Arc<Files>),
    /// `.Capabilities.APIVersions`: a list with the method `Has`.
    ApiVersions(Arc<Vec<String>>),
}

/// The chart's non-template files (Helm's `files` type, a map of path to bytes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Files(pub BTreeMap<String, Vec<u8>>);

/// A Go map: cloning it shares it, and a change through one clone (`set`, `unset`,
/// `merge`) is seen through every other, as in Go.
#[derive(Clone, Default)]
pub struct Map(Arc<RwLock<BTreeMap<String, Value>>>);

impl Map {
    pub fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Value>> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Value>> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.read().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// The entries as they are now, unshared.
    pub fn entries(&self) -> BTreeMap<String, Value> {
        self.read().clone()
    }

    /// The same map, not just equal contents.
    pub fn same(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Stores `value` at `key`, unless that would put the map inside itself: Go allows it
    /// and then loops forever printing it; a lint run must end, so it is an error here.
    pub fn insert(&self, key: String, value: Value) -> Result<(), String> {
        if value.contains_map(self) {
            return Err(format!("cannot put a map inside itself at key {key:?}"));
        }
        self.write().insert(key, value);
        Ok(())
    }
}

impl From<BTreeMap<String, Value>> for Map {
    fn from(entries: BTreeMap<String, Value>) -> Self {
        Map(Arc::new(RwLock::new(entries)))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.same(other) || *self.read() == *other.read()
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.read().fmt(f)
    }
}

impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            // Helm reads values through JSON into float64.
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::list(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Map(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl Value {
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Map::from(entries))
    }

    /// Whether `map` is this value or inside it.
    fn contains_map(&self, map: &Map) -> bool {
        match self {
            Value::Map(m) => m.same(map) || m.read().values().any(|v| v.contains_map(map)),
            Value::List(items) => items.iter().any(|v| v.contains_map(map)),
            _ => false,
        }
    }

    /// The nodes of the value written out as the tree it stands for (a shared map counted
    /// as often as it appears), or `None` past [`MAX_NODES`] or [`MAX_TEXT`] bytes of text.
    /// Go would build `dict "x" $d "y" $d` sixty times over, then print it; a lint run must
    /// end, and every function's result is checked. (Nesting is bounded by the steps: each
    /// level built is a walk of the levels below it.)
    pub fn tree_size(&self) -> Option<usize> {
        let mut seen = (0, 0);
        self.counted(&mut seen).then_some(seen.0)
    }

    /// Counts nodes and text into `seen` until a bound is passed.
    fn counted(&self, seen: &mut (usize, usize)) -> bool {
        seen.0 += 1;
        if seen.0 > MAX_NODES || seen.1 > MAX_TEXT {
            return false;
        }
        match self {
            Value::String(text) => {
                seen.1 += text.len();
                seen.1 <= MAX_TEXT
            }
            Value::List(items) => items.iter().all(|item| item.counted(seen)),
            Value::Map(map) => map.read().iter().all(|(key, value)| {
                seen.1 += key.len();
                value.counted(seen)
            }),
            _ => true,
        }
    }

    /// A copy sharing nothing with the original (Sprig's `deepCopy`).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Map(m) => Value::Map(
                m.read()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy()))
                    .collect(),
            ),
            Value::List(items) => Value::list(items.iter().map(Value::deep_copy).collect()),
            other => other.clone(),
        }
    }

    /// Go's truth: false, 0, "", nil and empty collections are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Files(f) => !f.0.is_empty(),
            Value::ApiVersions(a) => !a.is_empty(),
        }
    }

    /// Go's `%T` of the value as Helm holds it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
            Value::Files(_) => "engine.files",
            Value::ApiVersions(_) => "common.VersionSet",
        }
    }

    /// Go's `reflect.Kind` name (Sprig's `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) | Value::ApiVersions(_) => "slice",
            Value::Map(_) | Value::Files(_) => "map",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `%v`, as `print` and `printf "%v"` write it; nil is `<nil>`.
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_go(&mut out);
        out
    }

    /// What an action writes: nil is `<no value>` (which Helm then removes).
    pub fn to_output(&self) -> String {
        match self {
            Value::Null => "<no value>".to_string(),
            _ => self.to_go_string(),
        }
    }

    fn write_go(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&format_float_g(*f)),
            Value::String(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write_go(out);
                }
                out.push(']');
            }
            Value::ApiVersions(items) => {
                let _ = write!(out, "[{}]", items.join(" "));
            }
            Value::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.read().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go(out);
                }
                out.push(']');
            }
            Value::Files(files) => {
                out.push_str("map[");
                for (i, (k, v)) in files.0.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let bytes: Vec<String> = v.iter().map(|b| b.to_string()).collect();
                    let _ = write!(out, "{k}:[{}]", bytes.join(" "));
                }
                out.push(']');
            }
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (and `%v` of a float64): the shortest digits,
/// in exponent form when the decimal exponent is below -4 or at least 6 (Go's rule for the
/// shortest representation).
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (negative, digits, exp) = shortest_digits(f);
    let sign = if negative { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{esign}{:02}", exp.abs());
    }
    format!("{sign}{}", fixed_from_digits(&digits, exp))
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest digits, never an exponent.
pub fn format_float_f(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format_float_g(f);
    }
    let (negative, digits, exp) = shortest_digits(f);
    format!(
        "{}{}",
        if negative { "-" } else { "" },
        fixed_from_digits(&digits, exp)
    )
}

/// The shortest round-trip decimal digits of `f` and its decimal exponent (`d.ddd × 10^exp`).
fn shortest_digits(f: f64) -> (bool, String, i32) {
    let s = format!("{:e}", f.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (f < 0.0, digits, exp.parse().unwrap_or(0))
}

fn fixed_from_digits(digits: &str, exp: i32) -> String {
    if exp < 0 {
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            format!("{}{}", digits, "0".repeat(int_len - digits.len()))
        } else {
            format!("{}.{}", &digits[..int_len], &digits[int_len..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_prints_them() {
        assert_eq!(format_float_g(1000000.0), "1e+06");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(1.5), "1.5");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g(-3.0), "-3");
        assert_eq!(format_float_f(1e21), "1000000000000000000000");
        assert_eq!(format_float_f(0.25), "0.25");
    }

    #[test]
    fn copies_share_maps_but_deep_copies_do_not() {
        let v = Value::from(serde_json::json!({"a": {"b": [1]}}));
        let (Value::Map(original), Value::Map(copy), Value::Map(deep)) =
            (&v, &v.clone(), &v.deep_copy())
        else {
            panic!("maps expected")
        };
        assert!(original.same(copy));
        assert!(!original.same(deep));
        copy.insert("c".to_string(), Value::Int(1)).unwrap();
        assert_eq!(original.get("c"), Some(Value::Int(1)));
        assert_eq!(deep.get("c"), None);
        assert_eq!(deep.get("a"), original.get("a"));
    }

    #[test]
    fn a_map_cannot_be_put_inside_itself() {
        let outer = Map::from(BTreeMap::new());
        let inner = Value::map(BTreeMap::from([(
            "o".to_string(),
            Value::Map(outer.clone()),
        )]));
        assert_eq!(
            outer.insert("i".to_string(), inner),
            Err("cannot put a map inside itself at key \"i\"".to_string())
        );
        assert!(outer.is_empty());
    }

    #[test]
    fn values_print_as_go_prints_them() {
        let v = Value::from(serde_json::json!({"b": [1, "x", null], "a": true}));
        assert_eq!(v.to_go_string(), "map[a:true b:[1 x <nil>]]");
        assert_eq!(Value::Null.to_output(), "<no value>");
    }
}
