//! Sprig's string, conversion and number functions as charts use them.

use super::args::{self, strval, to_f64, to_i64};
use super::builtins::go_quote;
use super::Func;
use crate::render::helm::template::value::Value;

fn s(v: impl Into<String>) -> Result<Value, String> {
    Ok(Value::String(v.into()))
}

/// A function of one string argument.
fn one(a: &[Value]) -> Result<&str, String> {
    args::count(a, 1)?;
    args::string(&a[0])
}

fn indent_by(spaces: i64, text: &str) -> Result<String, String> {
    let spaces = usize::try_from(spaces).unwrap_or(0);
    let lines = text.matches('\n').count() + 1;
    args::output_within(text.len().saturating_add(lines.saturating_mul(spaces)))?;
    let pad = " ".repeat(spaces);
    Ok(format!("{pad}{}", text.replace('\n', &format!("\n{pad}"))))
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("upper", |a| s(one(a)?.to_uppercase())),
    ("lower", |a| s(one(a)?.to_lowercase())),
    ("trim", |a| s(one(a)?.trim())),
    ("nospace", |a| {
        s(one(a)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>())
    }),
    ("title", |a| {
        let mut out = String::new();
        let mut prev_letter = false;
        for c in one(a)?.chars() {
            out.extend(if prev_letter {
                vec![c]
            } else {
                c.to_uppercase().collect()
            });
            prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
        }
        s(out)
    }),
    ("untitle", |a| {
        let mut out = String::new();
        let mut prev_space = true;
        for c in one(a)?.chars() {
            out.extend(if prev_space {
                c.to_lowercase().collect()
            } else {
                vec![c]
            });
            prev_space = c.is_whitespace();
        }
        s(out)
    }),
    ("trimPrefix", |a| {
        args::count(a, 2)?;
        let (p, t) = (args::string(&a[0])?, args::string(&a[1])?);
        s(t.strip_prefix(p).unwrap_or(t))
    }),
    ("trimSuffix", |a| {
        args::count(a, 2)?;
        let (p, t) = (args::string(&a[0])?, args::string(&a[1])?);
        s(t.strip_suffix(p).unwrap_or(t))
    }),
    ("trimAll", |a| {
        args::count(a, 2)?;
        let (cut, t) = (args::string(&a[0])?, args::string(&a[1])?);
        s(t.trim_matches(|c| cut.contains(c)))
    }),
    ("contains", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(
            args::string(&a[1])?.contains(args::string(&a[0])?),
        ))
    }),
    ("hasPrefix", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(
            args::string(&a[1])?.starts_with(args::string(&a[0])?),
        ))
    }),
    ("hasSuffix", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(
            args::string(&a[1])?.ends_with(args::string(&a[0])?),
        ))
    }),
    ("replace", |a| {
        args::count(a, 3)?;
        let (old, new, text) = (
            args::string(&a[0])?,
            args::string(&a[1])?,
            args::string(&a[2])?,
        );
        let matches = text.matches(old).count();
        args::output_within(text.len() - matches * old.len() + matches.saturating_mul(new.len()))?;
        s(text.replace(old, new))
    }),
    ("repeat", |a| {
        args::count(a, 2)?;
        let n = usize::try_from(args::int(&a[0])?).map_err(|_| "strings: negative Repeat count")?;
        let text = args::string(&a[1])?;
        if text.len().saturating_mul(n) > crate::render::helm::template::exec::MAX_OUTPUT {
            return Err("strings: Repeat output length overflow".to_string());
        }
        s(text.repeat(n))
    }),
    ("trunc", |a| {
        args::count(a, 2)?;
        let n = args::int(&a[0])?;
        let t = args::string(&a[1])?;
        let len = t.len() as i64;
        s(if n >= 0 && len > n {
            t.get(..n as usize).unwrap_or(t)
        } else if n < 0 && len + n > 0 {
            t.get((len + n) as usize..).unwrap_or(t)
        } else if n < 0 {
            ""
        } else {
            t
        })
    }),
    ("substr", |a| {
        args::count(a, 3)?;
        let (start, end, t) = (args::int(&a[0])?, args::int(&a[1])?, args::string(&a[2])?);
        let len = t.len() as i64;
        let start = start.max(0).min(len) as usize;
        let end = if end < 0 || end > len {
            len as usize
        } else {
            end as usize
        };
        s(t.get(start..end.max(start)).unwrap_or(""))
    }),
    ("abbrev", |a| {
        args::count(a, 2)?;
        let (width, t) = (args::int(&a[0])?, args::string(&a[1])?);
        if width < 4 || t.len() as i64 <= width {
            return s(t);
        }
        s(format!("{}...", t.get(..(width - 3) as usize).unwrap_or(t)))
    }),
    ("indent", |a| {
        args::count(a, 2)?;
        s(indent_by(args::int(&a[0])?, args::string(&a[1])?)?)
    }),
    ("nindent", |a| {
        args::count(a, 2)?;
        s(format!(
            "\n{}",
            indent_by(args::int(&a[0])?, args::string(&a[1])?)?
        ))
    }),
    ("quote", |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| **v != Value::Null)
            .map(|v| go_quote(&strval(v)))
            .collect();
        s(parts.join(" "))
    }),
    ("squote", |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| **v != Value::Null)
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        s(parts.join(" "))
    }),
    ("cat", |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| **v != Value::Null)
            .map(strval)
            .collect();
        s(parts.join(" "))
    }),
    ("toString", |a| {
        args::count(a, 1)?;
        s(strval(&a[0]))
    }),
    ("int", |a| {
        args::count(a, 1)?;
        Ok(Value::Int(to_i64(&a[0])))
    }),
    ("int64", |a| {
        args::count(a, 1)?;
        Ok(Value::Int(to_i64(&a[0])))
    }),
    ("float64", |a| {
        args::count(a, 1)?;
        Ok(Value::Float(to_f64(&a[0])))
    }),
    ("atoi", |a| Ok(Value::Int(one(a)?.parse().unwrap_or(0)))),
    ("add", |a| {
        Ok(Value::Int(
            a.iter().map(to_i64).fold(0i64, i64::wrapping_add),
        ))
    }),
    ("add1", |a| {
        args::count(a, 1)?;
        Ok(Value::Int(to_i64(&a[0]).wrapping_add(1)))
    }),
    ("sub", |a| {
        args::count(a, 2)?;
        Ok(Value::Int(to_i64(&a[0]).wrapping_sub(to_i64(&a[1]))))
    }),
    ("mul", |a| {
        Ok(Value::Int(
            a.iter().map(to_i64).fold(1i64, i64::wrapping_mul),
        ))
    }),
    ("div", |a| {
        args::count(a, 2)?;
        let d = to_i64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".to_string());
        }
        Ok(Value::Int(to_i64(&a[0]).wrapping_div(d)))
    }),
    ("mod", |a| {
        args::count(a, 2)?;
        let d = to_i64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".to_string());
        }
        Ok(Value::Int(to_i64(&a[0]).wrapping_rem(d)))
    }),
    ("max", |a| {
        Ok(Value::Int(a.iter().map(to_i64).max().ok_or(
            "wrong number of args for max: want at least 1 got 0",
        )?))
    }),
    ("min", |a| {
        Ok(Value::Int(a.iter().map(to_i64).min().ok_or(
            "wrong number of args for min: want at least 1 got 0",
        )?))
    }),
    ("floor", |a| {
        args::count(a, 1)?;
        Ok(Value::Float(to_f64(&a[0]).floor()))
    }),
    ("ceil", |a| {
        args::count(a, 1)?;
        Ok(Value::Float(to_f64(&a[0]).ceil()))
    }),
];
