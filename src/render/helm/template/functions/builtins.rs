//! Go's `text/template` builtins (`and`/`or` short-circuit in the executor) and `fmt`'s
//! formatting as `print`, `printf` and `println` use it.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::args;
use super::Func;
use crate::render::helm::template::value::{format_float_g, Value};

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("not", |a| {
        args::count(a, 1)?;
        Ok(Value::Bool(!a[0].truthy()))
    }),
    ("len", len),
    ("index", index),
    ("slice", slice),
    ("print", |a| Ok(Value::String(sprint(a)))),
    ("println", |a| {
        let parts: Vec<String> = a.iter().map(Value::to_go_string).collect();
        Ok(Value::String(format!("{}\n", parts.join(" "))))
    }),
    ("printf", |a| {
        let (format, rest) = a
            .split_first()
            .ok_or("wrong number of args for printf: want at least 1 got 0")?;
        Ok(Value::String(sprintf(args::string(format)?, rest)))
    }),
    ("eq", eq),
    ("ne", |a| {
        args::count(a, 2)?;
        Ok(Value::Bool(!equal(&a[0], &a[1])?))
    }),
    ("lt", |a| ordered(a, |o| o == Ordering::Less)),
    ("le", |a| ordered(a, |o| o != Ordering::Greater)),
    ("gt", |a| ordered(a, |o| o == Ordering::Greater)),
    ("ge", |a| ordered(a, |o| o != Ordering::Less)),
    ("html", |a| Ok(Value::String(html_escape(&sprint(a))))),
    ("js", |a| Ok(Value::String(js_escape(&sprint(a))))),
    ("urlquery", |a| Ok(Value::String(query_escape(&sprint(a))))),
    ("call", |_| Err("call of nil".to_string())),
];

fn len(a: &[Value]) -> Result<Value, String> {
    args::count(a, 1)?;
    let n = match &a[0] {
        Value::String(s) => s.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        Value::Files(f) => f.0.len(),
        Value::ApiVersions(v) => v.len(),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Value::Int(n as i64))
}

fn index(a: &[Value]) -> Result<Value, String> {
    let (first, keys) = a
        .split_first()
        .ok_or("wrong number of args for index: want at least 1 got 0")?;
    let mut value = first.clone();
    for key in keys {
        value = match (&value, key) {
            (Value::Map(m), Value::String(k)) => m.get(k).unwrap_or(Value::Null),
            (Value::Map(_), other) => {
                return Err(format!(
                    "value has type {}; should be string",
                    other.type_name()
                ))
            }
            (Value::List(items), Value::Int(i)) => usize::try_from(*i)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or(format!("index out of range: {i}"))?,
            (Value::String(s), Value::Int(i)) => usize::try_from(*i)
                .ok()
                .and_then(|i| s.as_bytes().get(i))
                .map(|b| Value::Int(i64::from(*b)))
                .ok_or(format!("index out of range: {i}"))?,
            (Value::List(_) | Value::String(_), other) => {
                return Err(format!(
                    "cannot index slice/array with type {}",
                    other.type_name()
                ))
            }
            (Value::Null, _) => return Err("index of untyped nil".to_string()),
            (other, _) => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(value)
}

fn slice(a: &[Value]) -> Result<Value, String> {
    let (first, bounds) = a
        .split_first()
        .ok_or("wrong number of args for slice: want at least 1 got 0")?;
    let bounds: Vec<usize> = bounds
        .iter()
        .map(|b| {
            args::int(b)
                .and_then(|i| usize::try_from(i).map_err(|_| format!("index out of range: {i}")))
        })
        .collect::<Result<_, _>>()?;
    let len = match first {
        Value::String(s) => s.len(),
        Value::List(l) => l.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let (lo, hi) = match bounds.as_slice() {
        [] => (0, len),
        [lo] => (*lo, len),
        [lo, hi] | [lo, hi, _] => (*lo, *hi),
        _ => return Err("too many slice indexes".to_string()),
    };
    if lo > hi || hi > len {
        return Err(format!("invalid slice index: {lo} > {hi}"));
    }
    Ok(match first {
        Value::String(s) => Value::String(s.get(lo..hi).ok_or("invalid slice index")?.to_string()),
        Value::List(l) => Value::list(l[lo..hi].to_vec()),
        _ => unreachable!("checked above"),
    })
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
pub fn sprint(a: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in a.iter().enumerate() {
        let is_string = |v: &Value| matches!(v, Value::String(_));
        if i > 0 && !is_string(v) && !is_string(&a[i - 1]) {
            out.push(' ');
        }
        out.push_str(&v.to_go_string());
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Basic {
    Bool,
    Int,
    Float,
    String,
}

fn basic(v: &Value) -> Option<Basic> {
    match v {
        Value::Bool(_) => Some(Basic::Bool),
        Value::Int(_) => Some(Basic::Int),
        Value::Float(_) => Some(Basic::Float),
        Value::String(_) => Some(Basic::String),
        _ => None,
    }
}

/// Go's `eq` for two values: basic kinds must match; nil equals only nil.
fn equal(a: &Value, b: &Value) -> Result<bool, String> {
    match (basic(a), basic(b)) {
        (Some(x), Some(y)) if x != y => Err(format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        )),
        (Some(_), Some(_)) => Ok(a == b),
        _ if matches!(a, Value::Null) || matches!(b, Value::Null) => Ok(a == b),
        _ => Err(format!(
            "non-comparable types {}: {}",
            a.to_go_string(),
            a.type_name()
        )),
    }
}

fn eq(a: &[Value]) -> Result<Value, String> {
    let (first, rest) = a
        .split_first()
        .ok_or("wrong number of args for eq: want at least 1 got 0")?;
    if rest.is_empty() {
        return Err("missing argument for comparison".to_string());
    }
    for other in rest {
        if equal(first, other)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn ordered(a: &[Value], test: fn(Ordering) -> bool) -> Result<Value, String> {
    args::count(a, 2)?;
    let order = match (&a[0], &a[1]) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (x, y) if basic(x).is_some() && basic(x) == basic(y) => {
            return Err("invalid type for comparison".to_string());
        }
        (x, y) if basic(x).is_some() && basic(y).is_some() => {
            return Err(format!(
                "incompatible types for comparison: {} and {}",
                x.type_name(),
                y.type_name()
            ))
        }
        _ => return Err("invalid type for comparison".to_string()),
    };
    Ok(Value::Bool(test(order)))
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %d %v %q %t %f %e %g %x %X %o %c %%`,
/// with flags, width and precision; wrong or missing arguments print as Go prints them.
pub fn sprintf(format: &str, a: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = match bounded(&mut chars, a, &mut next, &mut out, "%!(BADWIDTH)") {
            Bounded::Taken(width) => width,
            Bounded::Refused => None,
            Bounded::GaveUp => break,
        };
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = match bounded(&mut chars, a, &mut next, &mut out, "%!(BADPREC)") {
                // `%.f` is precision 0.
                Bounded::Taken(precision) => Some(precision.unwrap_or(0)),
                Bounded::Refused => None,
                Bounded::GaveUp => break,
            };
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = a.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        out.push_str(&spec.format(verb, arg));
    }
    if next < a.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = a[next..]
            .iter()
            .map(|v| format!("{}={}", v.type_name(), v.to_go_string()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// A width or precision as Go's fmt takes it, which bounds the output: none above a million.
enum Bounded {
    Taken(Option<usize>),
    /// From an argument (`*`): `%!(BADWIDTH)` or `%!(BADPREC)` is written, and there is none.
    Refused,
    /// Written out: Go gives up on the rest of the format (`%!(NOVERB)` is written).
    GaveUp,
}

fn bounded(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    a: &[Value],
    next: &mut usize,
    out: &mut String,
    bad: &str,
) -> Bounded {
    let star = chars.peek() == Some(&'*');
    match number(chars, a, next) {
        Some(n) if n > 1_000_000 && star => {
            out.push_str(bad);
            Bounded::Refused
        }
        Some(n) if n > 1_000_000 => {
            out.push_str("%!(NOVERB)");
            Bounded::GaveUp
        }
        n => Bounded::Taken(n),
    }
}

fn number(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    a: &[Value],
    next: &mut usize,
) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        let n = a.get(*next).and_then(|v| {
            if let Value::Int(i) = v {
                usize::try_from(*i).ok()
            } else {
                None
            }
        });
        *next += 1;
        return n;
    }
    let mut digits = String::new();
    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
        digits.push(*d);
        chars.next();
    }
    digits.parse().ok()
}

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    fn format(&self, verb: char, arg: &Value) -> String {
        let bad = || format!("%!{verb}({}={})", arg.type_name(), arg.to_go_string());
        let body = match (verb, arg) {
            ('v', Value::Float(f)) | ('g', Value::Float(f)) => match self.precision {
                Some(p) => go_g(*f, p),
                None => format_float_g(*f),
            },
            ('v', Value::String(s)) if self.sharp => format!("{s:?}"),
            ('v', v) => v.to_go_string(),
            ('s', Value::String(s)) => self.truncate(s),
            ('s', v @ (Value::List(_) | Value::Map(_) | Value::Null)) => v.to_go_string(),
            ('s', Value::Int(_) | Value::Float(_) | Value::Bool(_)) => bad(),
            ('q', Value::String(s)) => go_quote(s),
            ('q', Value::Int(i)) => {
                format!("'{}'", char::from_u32(*i as u32).unwrap_or('\u{FFFD}'))
            }
            ('t', Value::Bool(b)) => b.to_string(),
            ('d', Value::Int(i)) => self.signed(i.to_string(), *i < 0),
            ('x', Value::Int(i)) => self.signed(format!("{:x}", i.unsigned_abs()), *i < 0),
            ('X', Value::Int(i)) => self.signed(format!("{:X}", i.unsigned_abs()), *i < 0),
            ('o', Value::Int(i)) => self.signed(format!("{:o}", i.unsigned_abs()), *i < 0),
            ('b', Value::Int(i)) => self.signed(format!("{:b}", i.unsigned_abs()), *i < 0),
            ('c', Value::Int(i)) => char::from_u32(*i as u32).unwrap_or('\u{FFFD}').to_string(),
            ('x', Value::String(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('X', Value::String(s)) => s.bytes().map(|b| format!("{b:02X}")).collect(),
            ('f' | 'F', Value::Float(f)) => {
                let s = format!("{:.*}", self.precision.unwrap_or(6), f.abs());
                self.signed(s, *f < 0.0)
            }
            ('e', Value::Float(f)) => {
                let s = go_e(f.abs(), self.precision.unwrap_or(6));
                self.signed(s, *f < 0.0)
            }
            ('f' | 'F' | 'e' | 'g', Value::Int(_)) => bad(),
            ('d', Value::Float(_)) => bad(),
            _ => bad(),
        };
        self.pad(body, matches!(arg, Value::Int(_) | Value::Float(_)))
    }

    fn truncate(&self, s: &str) -> String {
        match self.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        }
    }

    fn signed(&self, digits: String, negative: bool) -> String {
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        format!("{sign}{digits}")
    }

    fn pad(&self, body: String, numeric: bool) -> String {
        let width = self.width.unwrap_or(0);
        let len = body.chars().count();
        if len >= width {
            return body;
        }
        let fill = width - len;
        if self.minus {
            format!("{body}{}", " ".repeat(fill))
        } else if self.zero && numeric {
            let (sign, digits) = match body.strip_prefix(['-', '+', ' ']) {
                Some(rest) => (&body[..1], rest),
                None => ("", body.as_str()),
            };
            format!("{sign}{}{digits}", "0".repeat(fill))
        } else {
            format!("{}{body}", " ".repeat(fill))
        }
    }
}

/// Go's `%e`: at least two exponent digits.
fn go_e(f: f64, precision: usize) -> String {
    let s = format!("{f:.precision$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!(
        "{mantissa}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// Go's `%.Ng`.
fn go_g(f: f64, precision: usize) -> String {
    let precision = precision.max(1);
    let e = go_e(f, precision - 1);
    let exp: i32 = e
        .rsplit_once('e')
        .and_then(|(_, x)| x.parse().ok())
        .unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let (mantissa, rest) = e.split_once('e').unwrap_or((&e, ""));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return format!("{mantissa}e{rest}");
    }
    let decimals = (precision as i32 - 1 - exp).max(0) as usize;
    let s = format!("{f:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_follows_go() {
        let a = [Value::Int(7), Value::String("ab".into()), Value::Float(2.5)];
        assert_eq!(
            sprintf(
                "%05d|%-4s|%q|%.2f|%v",
                &[
                    a[0].clone(),
                    a[1].clone(),
                    a[1].clone(),
                    a[2].clone(),
                    a[2].clone()
                ]
            ),
            "00007|ab  |\"ab\"|2.50|2.5"
        );
        assert_eq!(
            sprintf("%d %s", &[Value::String("x".into())]),
            "%!d(string=x) %!s(MISSING)"
        );
        assert_eq!(
            sprintf("%s", &[Value::Int(1), Value::Int(2)]),
            "%!s(int=1)%!(EXTRA int=2)"
        );
        assert_eq!(
            sprintf("%x %e", &[Value::Int(255), Value::Float(1234.5)]),
            "ff 1.234500e+03"
        );
    }

    #[test]
    fn comparisons_refuse_mixed_kinds() {
        assert_eq!(
            eq(&[Value::Float(1.0), Value::Int(1)]).unwrap_err(),
            "incompatible types for comparison: float64 and int"
        );
        assert_eq!(
            eq(&[Value::Int(1), Value::Int(2), Value::Int(1)]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            eq(&[Value::Null, Value::String("".into())]).unwrap(),
            Value::Bool(false)
        );
    }
}
