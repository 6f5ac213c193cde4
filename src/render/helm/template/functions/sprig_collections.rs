//! Sprig's list, dictionary and logic functions as charts use them.

use std::collections::BTreeMap;

use super::args::{self, strval};
use super::Func;
use crate::render::helm::template::value::{Map, Value};

/// Sprig's `empty`: Go's zero values and empty collections.
fn empty(v: &Value) -> bool {
    !v.truthy()
}

/// A map argument: the caller's map itself, so `set` and `merge` change it as Go's do.
fn dict_arg(v: &Value) -> Result<&Map, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            other.type_name()
        )),
    }
}

/// Sprig's `merge` (mergo): keys of later maps fill what earlier ones lack, recursively,
/// changing `dst` and the maps nested in it in place.
fn merge_into(dst: &Map, src: &Map, overwrite: bool) -> Result<(), String> {
    if dst.same(src) {
        return Ok(());
    }
    for (k, v) in src.entries() {
        match (dst.get(&k), &v) {
            (Some(Value::Map(d)), Value::Map(s)) => merge_into(&d, s, overwrite)?,
            (Some(_), _) if !overwrite || v == Value::Null => {}
            _ => dst.insert(k, v)?,
        }
    }
    Ok(())
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    // Sprig's `default` is variadic: with no value given, the default.
    ("default", |a| {
        let (fallback, given) = a
            .split_first()
            .ok_or("wrong number of args: want at least 1 got 0")?;
        Ok(match given.first() {
            Some(v) if !empty(v) => v.clone(),
            _ => fallback.clone(),
        })
    }),
    ("empty", |a| {
        args::count(a, 1)?;
        Ok(Value::Bool(empty(&a[0])))
    }),
    ("coalesce", |a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Null))
    }),
    ("ternary", |a| {
        args::count(a, 3)?;
        let Value::Bool(test) = a[2] else {
            return Err(format!(
                "wrong type for value; expected bool; got {}",
                a[2].type_name()
            ));
        };
        Ok(if test { a[0].clone() } else { a[1].clone() })
    }),
    ("list", |a| Ok(Value::list(a.to_vec()))),
    ("tuple", |a| Ok(Value::list(a.to_vec()))),
    ("dict", |a| {
        let mut map = BTreeMap::new();
        for pair in a.chunks(2) {
            map.insert(
                strval(&pair[0]),
                pair.get(1)
                    .cloned()
                    .unwrap_or_else(|| Value::String(String::new())),
            );
        }
        Ok(Value::map(map))
    }),
    ("get", |a| {
        args::count(a, 2)?;
        Ok(dict_arg(&a[0])?
            .get(args::string(&a[1])?)
            .unwrap_or_else(|| Value::String(String::new())))
    }),
    ("set", |a| {
        args::count(a, 3)?;
        let m = dict_arg(&a[0])?;
        m.insert(args::string(&a[1])?.to_string(), a[2].clone())?;
        Ok(a[0].clone())
    }),
    ("unset", |a| {
        args::count(a, 2)?;
        dict_arg(&a[0])?.write().remove(args::string(&a[1])?);
        Ok(a[0].clone())
    }),
    ("hasKey", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(
            dict_arg(&a[0])?.contains_key(args::string(&a[1])?),
        ))
    }),
    ("keys", |a| {
        let mut keys = Vec::new();
        for m in a {
            keys.extend(dict_arg(m)?.read().keys().cloned().map(Value::String));
        }
        Ok(Value::list(keys))
    }),
    ("values", |a| {
        args::count(a, 1)?;
        Ok(Value::list(
            dict_arg(&a[0])?.read().values().cloned().collect(),
        ))
    }),
    ("merge", |a| merge(a, false)),
    ("mustMerge", |a| merge(a, false)),
    ("mergeOverwrite", |a| merge(a, true)),
    ("mustMergeOverwrite", |a| merge(a, true)),
    ("deepCopy", |a| {
        args::count(a, 1)?;
        Ok(a[0].deep_copy())
    }),
    ("first", |a| {
        args::count(a, 1)?;
        Ok(args::list(&a[0])?.first().cloned().unwrap_or(Value::Null))
    }),
    ("last", |a| {
        args::count(a, 1)?;
        Ok(args::list(&a[0])?.last().cloned().unwrap_or(Value::Null))
    }),
    ("rest", |a| {
        args::count(a, 1)?;
        Ok(Value::list(
            args::list(&a[0])?.into_iter().skip(1).collect(),
        ))
    }),
    ("initial", |a| {
        args::count(a, 1)?;
        let mut l = args::list(&a[0])?;
        l.pop();
        Ok(Value::list(l))
    }),
    ("append", |a| {
        args::count(a, 2)?;
        let mut l = args::list(&a[0])?;
        l.push(a[1].clone());
        Ok(Value::list(l))
    }),
    ("prepend", |a| {
        args::count(a, 2)?;
        let mut l = args::list(&a[0])?;
        l.insert(0, a[1].clone());
        Ok(Value::list(l))
    }),
    ("concat", |a| {
        let mut out = Vec::new();
        for l in a {
            out.extend(args::list(l)?);
        }
        Ok(Value::list(out))
    }),
    ("has", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(args::list(&a[1])?.contains(&a[0])))
    }),
    ("uniq", |a| {
        args::count(a, 1)?;
        let mut out: Vec<Value> = Vec::new();
        for v in args::list(&a[0])? {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(Value::list(out))
    }),
    ("compact", |a| {
        args::count(a, 1)?;
        Ok(Value::list(
            args::list(&a[0])?
                .into_iter()
                .filter(|v| !empty(v))
                .collect(),
        ))
    }),
    ("reverse", |a| {
        args::count(a, 1)?;
        Ok(Value::list(args::list(&a[0])?.into_iter().rev().collect()))
    }),
    ("sortAlpha", |a| {
        args::count(a, 1)?;
        let mut l: Vec<String> = args::list(&a[0])?.iter().map(strval).collect();
        l.sort();
        Ok(Value::list(l.into_iter().map(Value::String).collect()))
    }),
    ("join", |a| {
        args::count(a, 2)?;
        let sep = args::string(&a[0])?;
        let items: Vec<String> = match &a[1] {
            Value::String(s) => vec![s.clone()],
            other => args::list(other)?
                .iter()
                .filter(|v| **v != Value::Null)
                .map(strval)
                .collect(),
        };
        let separators = items.len().saturating_sub(1).saturating_mul(sep.len());
        args::output_within(
            items
                .iter()
                .map(String::len)
                .sum::<usize>()
                .saturating_add(separators),
        )?;
        Ok(Value::String(items.join(sep)))
    }),
    ("splitList", |a| {
        args::count(a, 2)?;
        let (sep, text) = (args::string(&a[0])?, args::string(&a[1])?);
        Ok(Value::list(text.split(sep).map(Value::from).collect()))
    }),
    ("split", |a| {
        args::count(a, 2)?;
        let (sep, text) = (args::string(&a[0])?, args::string(&a[1])?);
        Ok(Value::Map(
            text.split(sep)
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::from(p)))
                .collect(),
        ))
    }),
    ("until", |a| {
        args::count(a, 1)?;
        let n = args::int(&a[0])?;
        let items = super::sprig_select::until_step(0, n, if n < 0 { -1 } else { 1 })?;
        Ok(Value::list(items.into_iter().map(Value::Int).collect()))
    }),
];

fn merge(a: &[Value], overwrite: bool) -> Result<Value, String> {
    let (first, rest) = a
        .split_first()
        .ok_or("wrong number of args for merge: want at least 1 got 0")?;
    let dst = dict_arg(first)?;
    for src in rest {
        merge_into(dst, dict_arg(src)?, overwrite)?;
    }
    Ok(first.clone())
}
