//! The function table: Go's builtins, Sprig's functions and Helm's own. A function takes
//! its evaluated arguments (a piped value last) and returns a value or Go's error text;
//! the few that need the executor (`include`, `tpl`, `fail`, `required`) are dispatched
//! here with it.

mod builtins;
mod helm;
mod sprig_collections;
mod sprig_encoding;
mod sprig_kinds;
mod sprig_regex;
mod sprig_select;
mod sprig_semver;
mod sprig_strings;
mod sprig_text;
mod sprig_time;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::exec::{Exec, Flow};
use super::parse::Arg;
use super::value::Value;
use super::Origin;

pub type Func = fn(&[Value]) -> Result<Value, String>;
pub type Method = fn(&Value, &[Value]) -> Result<Value, String>;

/// What a call needs from the executor: the template it runs in, the call's position and
/// its argument nodes (errors about an argument point at it).
pub struct Call<'e, 'a> {
    pub exec: &'e mut Exec<'a>,
    pub pos: usize,
    pub context: &'e str,
    pub args: &'e [Arg],
}

fn table() -> &'static HashMap<&'static str, Func> {
    static TABLE: OnceLock<HashMap<&'static str, Func>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, Func> = builtins::FUNCTIONS
            .iter()
            .chain(sprig_strings::FUNCTIONS)
            .chain(sprig_collections::FUNCTIONS)
            .chain(sprig_encoding::FUNCTIONS)
            .chain(sprig_kinds::FUNCTIONS)
            .chain(sprig_regex::FUNCTIONS)
            .chain(sprig_select::FUNCTIONS)
            .chain(sprig_semver::FUNCTIONS)
            .chain(sprig_text::FUNCTIONS)
            .chain(sprig_time::FUNCTIONS)
            .chain(helm::FUNCTIONS)
            .copied()
            .collect();
        for (alias, name) in ALIASES {
            if let Some(f) = table.get(name).copied() {
                table.insert(alias, f);
            }
        }
        table
    })
}

/// Sprig's other names for functions: `must*` forms (whose plain forms here already
/// report bad arguments as errors) and old spellings.
const ALIASES: [(&str, &str); 15] = [
    ("mustAppend", "append"),
    ("push", "append"),
    ("mustPush", "append"),
    ("mustPrepend", "prepend"),
    ("mustFirst", "first"),
    ("mustLast", "last"),
    ("mustRest", "rest"),
    ("mustInitial", "initial"),
    ("mustReverse", "reverse"),
    ("mustUniq", "uniq"),
    ("mustHas", "has"),
    ("mustCompact", "compact"),
    ("mustDeepCopy", "deepCopy"),
    ("mustSlice", "slice"),
    ("biggest", "max"),
];

/// Functions the executor runs itself.
const SPECIAL: [&str; 6] = ["and", "or", "include", "tpl", "required", "fail"];

pub fn is_function(name: &str) -> bool {
    SPECIAL.contains(&name) || table().contains_key(name)
}

pub fn call(
    name: &str,
    args: &[Value],
    call: Call<'_, '_>,
    traces: &mut HashMap<String, Origin>,
) -> Result<Value, Flow> {
    let Call {
        exec,
        pos,
        context,
        args: nodes,
    } = call;
    match name {
        "include" => helm::include(exec, args, pos, context, traces),
        "tpl" => helm::tpl(exec, args, pos, context),
        "fail" | "required" => Err(Flow::Fail(match helm::check(name, args) {
            Ok(value) => return Ok(value),
            Err((message, true)) => exec.helm_error(pos, context, name, &message),
            Err((message, false)) => {
                exec.error(pos, context, &format!("error calling {name}: {message}"))
            }
        })),
        _ => {
            let f = table().get(name).ok_or_else(|| {
                Flow::Fail(exec.error(pos, context, &format!("function {name:?} not defined")))
            })?;
            let value = f(args)
                .map_err(|m| Flow::Fail(exec.call_error((pos, context), name, nodes, args, &m)))?;
            // Counting is work too: the nodes counted are steps of the template, so that a
            // loop checking a large map over and over ends like any other runaway loop. `set`
            // and `merge` change their first argument and return it: what they add is their
            // other arguments (a map built by `set` in a range is not counted again each time).
            let added: Vec<&Value> = match name {
                "set" => args.get(2).into_iter().collect(),
                "unset" => Vec::new(),
                "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => {
                    args.iter().skip(1).collect()
                }
                _ => vec![&value],
            };
            let sizes: Option<Vec<usize>> = added.iter().map(|v| v.tree_size()).collect();
            let Some(nodes) = sizes.map(|sizes| sizes.iter().sum::<usize>()) else {
                let message = format!(
                    "error calling {name}: the result passes {} nodes or {} MiB of text: a \
                     value that doubles in a loop?",
                    super::value::MAX_NODES,
                    super::value::MAX_TEXT >> 20
                );
                return Err(Flow::Fail(exec.error(pos, context, &message)));
            };
            exec.step(pos, nodes as u64)?;
            Ok(value)
        }
    }
}

/// Methods of Helm's objects: `.Files.Get`, `.Capabilities.APIVersions.Has`, ...
pub fn method(value: &Value, name: &str) -> Option<Method> {
    match value {
        Value::Files(_) => helm::files_method(name),
        Value::ApiVersions(_) if name == "Has" => Some(helm::api_versions_has),
        _ => None,
    }
}

/// Go's `[]byte` as a template value: a list of its bytes.
pub fn bytes_value(bytes: &[u8]) -> Value {
    Value::list(bytes.iter().map(|b| Value::Int(i64::from(*b))).collect())
}

/// Argument checks shared by the function files, with Go's messages.
pub(crate) mod args {
    use super::Value;
    use crate::render::helm::template::exec::MAX_OUTPUT;

    /// Refuses a result of `len` bytes before it is built: a string function that
    /// multiplies its input (`replace "" $big $big`) must not take the machine's memory.
    pub fn output_within(len: usize) -> Result<(), String> {
        if len > MAX_OUTPUT {
            return Err(format!(
                "the result would be larger than the {} MiB a render may write",
                MAX_OUTPUT >> 20
            ));
        }
        Ok(())
    }

    pub fn count(args: &[Value], want: usize) -> Result<(), String> {
        if args.len() != want {
            return Err(format!(
                "wrong number of args: want {want} got {}",
                args.len()
            ));
        }
        Ok(())
    }

    /// A `string` parameter: Go refuses other types.
    pub fn string(v: &Value) -> Result<&str, String> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            )),
        }
    }

    /// An `int` parameter: Go accepts only integers.
    pub fn int(v: &Value) -> Result<i64, String> {
        match v {
            Value::Int(i) => Ok(*i),
            other => Err(format!(
                "wrong type for value; expected int; got {}",
                other.type_name()
            )),
        }
    }

    /// Sprig's `strval`: strings as they are, anything else as `%v` prints it.
    pub fn strval(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            other => other.to_go_string(),
        }
    }

    /// `cast.ToInt64` as Sprig uses it: numbers truncate, strings parse (else 0).
    pub fn to_i64(v: &Value) -> i64 {
        match v {
            Value::Int(i) => *i,
            Value::Float(f) => *f as i64,
            Value::Bool(b) => i64::from(*b),
            Value::String(s) => parse_int(s).unwrap_or(0),
            _ => 0,
        }
    }

    /// `cast.ToFloat64`.
    pub fn to_f64(v: &Value) -> f64 {
        match v {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::String(s) => s.trim().parse().unwrap_or(0.0),
            _ => 0.0,
        }
    }

    /// `strconv.ParseInt(s, 0, 64)`: decimal, `0x`, `0o`/`0`, `0b`.
    pub fn parse_int(s: &str) -> Option<i64> {
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let lower = body.to_ascii_lowercase();
        let value = if let Some(h) = lower.strip_prefix("0x") {
            i64::from_str_radix(h, 16).ok()?
        } else if let Some(b) = lower.strip_prefix("0b") {
            i64::from_str_radix(b, 2).ok()?
        } else if let Some(o) = lower.strip_prefix("0o") {
            i64::from_str_radix(o, 8).ok()?
        } else if lower.len() > 1 && lower.starts_with('0') {
            i64::from_str_radix(&lower[1..], 8).ok()?
        } else {
            lower.parse().ok()?
        };
        Some(if neg { -value } else { value })
    }

    /// A list argument (Sprig's list functions also take Go slices of any type).
    pub fn list(v: &Value) -> Result<Vec<Value>, String> {
        match v {
            Value::List(items) => Ok(items.to_vec()),
            Value::ApiVersions(items) => {
                Ok(items.iter().map(|s| Value::String(s.clone())).collect())
            }
            Value::Null => Ok(Vec::new()),
            other => Err(format!("Cannot find first on type {}", other.type_name())),
        }
    }
}
