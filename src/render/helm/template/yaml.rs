//! `toYaml` and `toJson` as Helm prints them. Helm's `toYaml` goes through JSON into
//! go-yaml v2's emitter: keys sorted, two-space indent, lists level with their key, strings
//! quoted only when they would read back as something else, multi-line strings as literal
//! blocks, long plain and single-quoted strings folded after column 80.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::value::{format_float_f, format_float_g, Value};

/// go-yaml's preferred line width.
const BEST_WIDTH: usize = 80;

/// The YAML for a value, ending with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Map(m) if !m.is_empty() => map(&mut out, &m.read(), 0),
        Value::List(l) if !l.is_empty() => list(&mut out, l, 0),
        other => {
            // go-yaml indents a document's lone block or folded scalar by two.
            scalar(&mut out, other, 2, 0);
            out.push('\n');
        }
    }
    out
}

/// Serde's form of a value (JSON numbers: integers stay integers).
pub fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            serde_json::Value::from(*f as i64)
        }
        Value::Float(f) => serde_json::Value::from(*f),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(l) => serde_json::Value::Array(l.iter().map(to_serde).collect()),
        Value::ApiVersions(l) => serde_json::Value::Array(
            l.iter()
                .map(|s| serde_json::Value::String(s.clone()))
                .collect(),
        ),
        Value::Map(m) => serde_json::Value::Object(
            m.read()
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
        Value::Files(f) => serde_json::Value::Object(
            f.0.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        serde_json::Value::String(data_encoding::BASE64.encode(v)),
                    )
                })
                .collect(),
        ),
    }
}

fn map(out: &mut String, entries: &BTreeMap<String, Value>, indent: usize) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if !(i == 0 && out.ends_with("- ")) {
            out.push_str(&" ".repeat(indent));
        }
        key_scalar(out, key);
        out.push(':');
        match value {
            Value::Map(m) if !m.is_empty() => {
                out.push('\n');
                map(out, &m.read(), indent + 2);
            }
            Value::Files(f) if !f.0.is_empty() => {
                out.push('\n');
                let converted = Value::from(to_serde(value));
                if let Value::Map(m) = converted {
                    map(out, &m.read(), indent + 2);
                }
            }
            Value::List(l) if !l.is_empty() => {
                out.push('\n');
                list(out, l, indent);
            }
            other => {
                out.push(' ');
                let column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
                scalar(out, other, indent + 2, column);
                out.push('\n');
            }
        }
    }
}

fn list(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        if !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match item {
            Value::Map(m) if !m.is_empty() => map(out, &m.read(), indent + 2),
            Value::List(l) if !l.is_empty() => list(out, l, indent + 2),
            other => {
                let column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
                scalar(out, other, indent + 2, column);
                out.push('\n');
            }
        }
    }
}

fn key_scalar(out: &mut String, key: &str) {
    if key.contains('\n') {
        out.push_str(&double_quoted(key));
    } else {
        string(out, key, 0, 0, false);
    }
}

/// A scalar at output column `column`; continuation lines are indented by `indent`.
fn scalar(out: &mut String, v: &Value, indent: usize, column: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&yaml_float(*f)),
        Value::String(s) => string(out, s, indent, column, true),
        Value::Map(_) | Value::Files(_) => out.push_str("{}"),
        Value::List(_) | Value::ApiVersions(_) => out.push_str("[]"),
    }
}

/// A float after its trip through JSON: whole numbers come back as integers.
fn yaml_float(f: f64) -> String {
    let json = json_float(f);
    if json.contains(['.', 'e']) {
        format_float_g(json.parse().unwrap_or(f))
    } else {
        json
    }
}

/// Go's `encoding/json` float: fixed notation except for very small or large magnitudes.
fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let g = format!("{f:e}");
        let (m, e) = g.split_once('e').unwrap_or((&g, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
            .replace("e-0", "e-")
            .replace("e+0", "e+");
    }
    format_float_f(f)
}

fn string(out: &mut String, s: &str, indent: usize, column: usize, allow_block: bool) {
    if s.is_empty() {
        out.push_str("\"\"");
        return;
    }
    if allow_block && s.contains('\n') && block_allowed(s) {
        literal(out, s, indent);
        return;
    }
    if resolves_as_other(s) || s.contains('\n') || has_special(s) {
        out.push_str(&double_quoted(s));
        return;
    }
    if plain_allowed(s) {
        folded(out, s, indent, column);
    } else {
        let quoted = format!("'{}'", s.replace('\'', "''"));
        folded(out, &quoted, indent, column);
    }
}

/// Writes `s`, breaking at a single space once past the preferred width, as go-yaml does.
fn folded(out: &mut String, s: &str, indent: usize, column: usize) {
    let bytes = s.as_bytes();
    let mut col = column;
    let mut last_was_space = false;
    for (i, c) in s.char_indices() {
        if c == ' '
            && !last_was_space
            && col > BEST_WIDTH
            && bytes.get(i + 1).is_some_and(|n| *n != b' ')
            && i > 0
        {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
            last_was_space = true;
            continue;
        }
        last_was_space = c == ' ';
        out.push(c);
        col += 1;
    }
}

fn literal(out: &mut String, s: &str, indent: usize) {
    out.push('|');
    if s.starts_with(' ') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
    }
    if trailing > 1 {
        // `|+` keeps the final newlines as empty lines already written; drop the last one
        // the caller adds.
        if out.ends_with('\n') {
            out.pop();
        }
    }
}

fn block_allowed(s: &str) -> bool {
    !has_special(s)
        && !s.split('\n').any(|l| l.ends_with(' ') || l.ends_with('\t'))
        && !s.ends_with(' ')
}

fn has_special(s: &str) -> bool {
    s.chars()
        .any(|c| (c < ' ' && c != '\n' && c != '\t') || c == '\u{7f}' || c == '\u{feff}')
}

/// Whether go-yaml's emitter may write `s` plain in block context.
fn plain_allowed(s: &str) -> bool {
    let b = s.as_bytes();
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with('\t') || s.ends_with('\t') {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let followed_by_blank = |i: usize| b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t');
    for (i, &c) in b.iter().enumerate() {
        if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => return false,
                b'?' | b':' | b'-' if followed_by_blank(i) => return false,
                _ => {}
            }
        } else {
            match c {
                b':' if followed_by_blank(i) => return false,
                b'#' if matches!(b[i - 1], b' ' | b'\t') => return false,
                _ => {}
            }
        }
    }
    !s.contains('\t') || !s.contains(" \t")
}

/// Whether go-yaml v2 would read the plain text as something other than a string.
fn resolves_as_other(s: &str) -> bool {
    const WORDS: [&str; 35] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) || matches!(s, "+.inf" | "+.Inf" | "+.INF" | "<<") {
        return true;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return false;
    }
    let plain = s.replace('_', "");
    if super::functions::args::parse_int(&plain).is_some() || plain.parse::<u64>().is_ok() {
        return true;
    }
    if let Some(bin) = plain.strip_prefix("0b") {
        if i64::from_str_radix(bin, 2).is_ok() {
            return true;
        }
    }
    is_yaml_float(&plain) || is_timestamp(s) || is_base60(s)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exp_ok
}

/// `2001-12-14`-style timestamps, which go-yaml v2 resolves.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").is_ok()
            | chrono::NaiveDate::parse_from_str(
                s.split(['T', 't', ' ']).next().unwrap_or(s),
                "%Y-%m-%d",
            )
            .is_ok()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    let head_ok = head.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && head.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    let sexagesimal = |p: &str| match p.as_bytes() {
        [d] => d.is_ascii_digit(),
        [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
        _ => false,
    };
    let rest: Vec<&str> = parts.collect();
    head_ok
        && !rest.is_empty()
        && rest.iter().all(|p| sexagesimal(p))
        && frac.is_none_or(|f| f.bytes().all(|c| c.is_ascii_digit() || c == b'_'))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{feff}' => out.push_str("\\uFEFF"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `encoding/json` output: sorted keys; `html` escapes `<`, `>` and `&` as `toJson`
/// does; `indent` pretty-prints with two spaces.
pub fn to_json(v: &Value, html: bool, indent: Option<usize>) -> String {
    let mut out = String::new();
    json(&mut out, v, html, indent);
    out
}

fn json(out: &mut String, v: &Value, html: bool, indent: Option<usize>) {
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(level));
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::String(s) => json_string(out, s, html),
        Value::List(_) | Value::ApiVersions(_) => {
            let items = match v {
                Value::List(l) => l.to_vec(),
                Value::ApiVersions(a) => a.iter().map(|s| Value::String(s.clone())).collect(),
                _ => unreachable!(),
            };
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(level) = indent {
                    newline(out, level + 1);
                }
                json(out, item, html, indent.map(|l| l + 1));
            }
            if let Some(level) = indent {
                newline(out, level);
            }
            out.push(']');
        }
        Value::Map(_) | Value::Files(_) => {
            let Value::Map(m) = (match v {
                Value::Files(_) => Value::from(to_serde(v)),
                _ => v.clone(),
            }) else {
                return;
            };
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in m.read().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(level) = indent {
                    newline(out, level + 1);
                }
                json_string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                json(out, item, html, indent.map(|l| l + 1));
            }
            if let Some(level) = indent {
                newline(out, level);
            }
            out.push('}');
        }
    }
}

fn json_string(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(json: serde_json::Value) -> String {
        to_yaml(&Value::from(json))
    }

    #[test]
    fn a_lone_multiline_string_is_a_block_indented_by_two() {
        assert_eq!(yaml(serde_json::json!("a:\n  - b\n")), "|\n  a:\n    - b\n");
        assert_eq!(yaml(serde_json::json!("x\ny")), "|-\n  x\n  y\n");
        assert_eq!(yaml(serde_json::json!("a\n\n")), "|+\n  a\n\n");
    }

    #[test]
    fn maps_and_lists_nest_as_go_yaml_writes_them() {
        let v =
            serde_json::json!({"b": {"c": [1, {"d": "x", "e": [true]}]}, "a": 1000000, "f": []});
        assert_eq!(
            yaml(v),
            "a: 1000000\nb:\n  c:\n  - 1\n  - d: x\n    e:\n    - true\nf: []\n"
        );
    }

    #[test]
    fn strings_are_quoted_only_when_needed() {
        let v = serde_json::json!({"a": "true", "b": "x: y", "c": "multi\nline\n", "d": "", "e": "1.5", "f": "plain text", "g": "- x", "h": "2024-01-02"});
        assert_eq!(
            yaml(v),
            "a: \"true\"\nb: 'x: y'\nc: |\n  multi\n  line\nd: \"\"\ne: \"1.5\"\nf: plain text\ng: '- x'\nh: \"2024-01-02\"\n"
        );
    }

    #[test]
    fn json_escapes_html_like_go() {
        let v = Value::from(serde_json::json!({"b": "<a&b>", "a": [1.5, null]}));
        assert_eq!(
            to_json(&v, true, None),
            r#"{"a":[1.5,null],"b":"\u003ca\u0026b\u003e"}"#
        );
        assert_eq!(to_json(&v, false, None), r#"{"a":[1.5,null],"b":"<a&b>"}"#);
    }
}
