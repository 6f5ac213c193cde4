//! Sprig's word-level text functions: case conversion (huandu/xstrings), wrapping
//! (goutils' WrapCustom), `plural` and paths. Helm removes Sprig's `env` and
//! `expandenv`, so they are not here either.

use super::args::{self, strval};
use super::Func;
use crate::render::helm::template::value::Value;

fn s(v: impl Into<String>) -> Result<Value, String> {
    Ok(Value::String(v.into()))
}

fn one(a: &[Value]) -> Result<&str, String> {
    args::count(a, 1)?;
    args::string(&a[0])
}

/// The words of an identifier: split at separators and where case turns
/// (`HTTPServer` -> HTTP, Server; `firstName` -> first, Name).
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn joined_lower(text: &str, sep: &str) -> String {
    let lower: Vec<String> = words(text).iter().map(|w| w.to_lowercase()).collect();
    lower.join(sep)
}

/// xstrings' ToCamelCase: words joined, each capitalised, the rest kept.
fn camel(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(['_', '-', ' ']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

/// goutils' WrapCustom without breaking long words: lines of at most `width` characters
/// broken at spaces.
fn wrap(width: i64, sep: &str, text: &str) -> String {
    let width = usize::try_from(width).unwrap_or(0).max(1);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join(sep)
}

/// Go's `path` package, as Sprig's `base`, `dir`, `clean` use it.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("snakecase", |a| s(joined_lower(one(a)?, "_"))),
    ("kebabcase", |a| s(joined_lower(one(a)?, "-"))),
    ("camelcase", |a| s(camel(one(a)?))),
    ("swapcase", |a| {
        s(one(a)?
            .chars()
            .flat_map(|c| -> Vec<char> {
                if c.is_uppercase() {
                    c.to_lowercase().collect()
                } else {
                    c.to_uppercase().collect()
                }
            })
            .collect::<String>())
    }),
    ("initials", |a| {
        s(one(a)?
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect::<String>())
    }),
    ("plural", |a| {
        args::count(a, 3)?;
        let (one, many) = (args::string(&a[0])?, args::string(&a[1])?);
        s(if args::int(&a[2])? == 1 { one } else { many })
    }),
    ("wrap", |a| {
        args::count(a, 2)?;
        s(wrap(args::int(&a[0])?, "\n", args::string(&a[1])?))
    }),
    ("wrapWith", |a| {
        args::count(a, 3)?;
        s(wrap(
            args::int(&a[0])?,
            args::string(&a[1])?,
            args::string(&a[2])?,
        ))
    }),
    ("base", |a| {
        let path = one(a)?;
        let trimmed = path.trim_end_matches('/');
        s(match trimmed.rsplit('/').next() {
            _ if path.is_empty() => ".",
            _ if trimmed.is_empty() => "/",
            last => last.unwrap_or(trimmed),
        })
    }),
    ("dir", |a| {
        let path = one(a)?;
        s(clean(&path[..path.rfind('/').map_or(0, |i| i + 1)]))
    }),
    ("clean", |a| s(clean(one(a)?))),
    ("ext", |a| {
        let path = one(a)?;
        let name = &path[path.rfind('/').map_or(0, |i| i + 1)..];
        s(name.rfind('.').map_or("", |i| &name[i..]))
    }),
    ("isAbs", |a| Ok(Value::Bool(one(a)?.starts_with('/')))),
    ("toStrings", |a| {
        args::count(a, 1)?;
        Ok(Value::list(
            args::list(&a[0])?
                .iter()
                .map(|v| Value::String(strval(v)))
                .collect(),
        ))
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_change_case_as_xstrings_does() {
        assert_eq!(joined_lower("FirstName", "_"), "first_name");
        assert_eq!(joined_lower("HTTPServer", "_"), "http_server");
        assert_eq!(joined_lower("some-words here", "-"), "some-words-here");
        assert_eq!(camel("http_server"), "HttpServer");
        assert_eq!(camel("some words"), "SomeWords");
    }

    #[test]
    fn text_wraps_and_paths_clean() {
        assert_eq!(
            wrap(10, "\n", "a quick brown fox jumps"),
            "a quick\nbrown fox\njumps"
        );
        assert_eq!(clean("a/../../b/./c/"), "../b/c");
        assert_eq!(clean("/../x"), "/x");
    }
}
