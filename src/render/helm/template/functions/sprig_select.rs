//! Sprig's functions that take parts of collections or build sequences: `dig`, `pluck`,
//! `pick`, `omit`, `without`, `chunk`, `splitn`, `seq`, `untilStep`, `shuffle` (which
//! keeps the order: renders are reproducible), and the `must*` list functions, which
//! here behave as their plain forms (those already report bad arguments as errors).

use super::args::{self, strval};
use super::Func;
use crate::render::helm::template::value::{Map, Value};

/// No sequence longer than this (some 80 MB of values): Go would build it; a render that
/// does is runaway.
const MAX_ITEMS: i64 = 1_000_000;

fn dict(v: &Value) -> Result<&Map, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            other.type_name()
        )),
    }
}

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`.
pub(super) fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let forward = stop >= start;
    if step == 0 || (forward && step < 0) || (!forward && step > 0) {
        return Ok(Vec::new());
    }
    let count = (i128::from(stop) - i128::from(start)).abs() / i128::from(step).abs();
    if count > i128::from(MAX_ITEMS) {
        return Err(format!("sequence of {count} items is too long"));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (forward && i < stop) || (!forward && i > stop) {
        out.push(i);
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(out)
}

/// Sprig's `seq`, as the shell's: `seq END`, `seq START END`, `seq START STEP END`.
fn seq(a: &[Value]) -> Result<Value, String> {
    let n: Vec<i64> = a.iter().map(args::int).collect::<Result<_, _>>()?;
    let items = match n.as_slice() {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            until_step(1, end + inc, inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(*start, end + step, step)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && *step > 0 {
                Vec::new()
            } else {
                until_step(*start, end + inc, *step)?
            }
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = items.iter().map(i64::to_string).collect();
    Ok(Value::String(text.join(" ")))
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("dig", |a| {
        if a.len() < 3 {
            return Err("dig needs at least three arguments".to_string());
        }
        let (keys, rest) = a.split_at(a.len() - 2);
        let mut step = Value::Map(dict(&rest[1])?.clone());
        for key in keys {
            let key = args::string(key)?;
            step = match step {
                Value::Map(m) if m.contains_key(key) => m.get(key).unwrap_or(Value::Null),
                _ => return Ok(rest[0].clone()),
            };
        }
        Ok(step)
    }),
    ("pluck", |a| {
        let (key, dicts) = a
            .split_first()
            .ok_or("wrong number of args for pluck: want at least 1 got 0")?;
        let key = args::string(key)?;
        let mut out = Vec::new();
        for d in dicts {
            if let Some(v) = dict(d)?.get(key) {
                out.push(v.clone());
            }
        }
        Ok(Value::list(out))
    }),
    ("pick", |a| {
        let (d, keys) = a
            .split_first()
            .ok_or("wrong number of args for pick: want at least 1 got 0")?;
        let d = dict(d)?;
        let keys: Vec<String> = keys.iter().map(strval).collect();
        Ok(Value::Map(
            d.read()
                .iter()
                .filter(|(k, _)| keys.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ))
    }),
    ("omit", |a| {
        let (d, keys) = a
            .split_first()
            .ok_or("wrong number of args for omit: want at least 1 got 0")?;
        let d = dict(d)?;
        let keys: Vec<String> = keys.iter().map(strval).collect();
        Ok(Value::Map(
            d.read()
                .iter()
                .filter(|(k, _)| !keys.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ))
    }),
    ("without", without),
    ("mustWithout", without),
    ("chunk", chunk),
    ("mustChunk", chunk),
    ("splitn", |a| {
        args::count(a, 3)?;
        let (sep, n, text) = (
            args::string(&a[0])?,
            args::int(&a[1])?,
            args::string(&a[2])?,
        );
        let parts: Vec<&str> = match n {
            0 => Vec::new(),
            n if n < 0 => text.split(sep).collect(),
            n => text
                .splitn(usize::try_from(n).unwrap_or(usize::MAX), sep)
                .collect(),
        };
        Ok(Value::Map(
            parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::from(p)))
                .collect(),
        ))
    }),
    ("seq", seq),
    ("untilStep", |a| {
        args::count(a, 3)?;
        let items = until_step(args::int(&a[0])?, args::int(&a[1])?, args::int(&a[2])?)?;
        Ok(Value::list(items.into_iter().map(Value::Int).collect()))
    }),
    ("shuffle", |a| {
        args::count(a, 1)?;
        Ok(Value::String(args::string(&a[0])?.to_string()))
    }),
];

fn without(a: &[Value]) -> Result<Value, String> {
    let (list, drop) = a
        .split_first()
        .ok_or("wrong number of args for without: want at least 1 got 0")?;
    Ok(Value::list(
        args::list(list)?
            .into_iter()
            .filter(|v| !drop.contains(v))
            .collect(),
    ))
}

fn chunk(a: &[Value]) -> Result<Value, String> {
    args::count(a, 2)?;
    let size = usize::try_from(args::int(&a[0])?)
        .ok()
        .filter(|s| *s > 0)
        .ok_or("chunk size must be positive")?;
    Ok(Value::list(
        args::list(&a[1])?
            .chunks(size)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, a: &[Value]) -> Value {
        let f = FUNCTIONS.iter().find(|(n, _)| *n == name).unwrap().1;
        f(a).unwrap()
    }

    #[test]
    fn sequences_follow_sprig() {
        let i = Value::Int;
        assert_eq!(run("seq", &[i(3)]), Value::from("1 2 3"));
        assert_eq!(run("seq", &[i(0)]), Value::from("1 0"));
        assert_eq!(run("seq", &[i(5), i(3)]), Value::from("5 4 3"));
        assert_eq!(run("seq", &[i(0), i(2), i(7)]), Value::from("0 2 4 6"));
        assert_eq!(
            run("untilStep", &[i(3), i(9), i(3)]),
            Value::list(vec![i(3), i(6)])
        );
        assert!(until_step(0, i64::MAX, 1).is_err());
    }

    #[test]
    fn dig_walks_and_falls_back() {
        let d = Value::from(serde_json::json!({"a": {"b": 1}}));
        let s = Value::from;
        assert_eq!(
            run("dig", &[s("a"), s("b"), s("x"), d.clone()]),
            Value::Float(1.0)
        );
        assert_eq!(run("dig", &[s("a"), s("c"), s("x"), d]), s("x"));
    }
}
