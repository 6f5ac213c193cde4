//! Sprig's `semver` and `semverCompare` (Masterminds/semver v3): versions may start with
//! `v` and omit minor or patch; constraints are `||`-separated groups of comparisons
//! joined by commas or spaces (`=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`, `x` wildcards).
//! A pre-release version satisfies a comparison only when the comparison's version has a
//! pre-release too, which is why charts write `>= 1.19-0`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::args;
use super::Func;
use crate::render::helm::template::value::Value;

#[derive(Debug, Clone, PartialEq)]
struct Version {
    parts: [u64; 3],
    pre: String,
    meta: String,
}

/// A version, or a constraint's version where `None` parts are wildcards (`1.x`, `1`).
fn parse_parts(text: &str) -> Option<([Option<u64>; 3], String, String)> {
    let text = text.trim();
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let (text, meta) = text.split_once('+').unwrap_or((text, ""));
    let (core, pre) = match text.find('-') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let mut parts = [None; 3];
    for (i, part) in core.split('.').enumerate() {
        if i >= 3 {
            return None;
        }
        parts[i] = match part {
            "x" | "X" | "*" => None,
            p if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
            _ => return None,
        };
    }
    Some((parts, pre.to_string(), meta.to_string()))
}

fn parse_version(text: &str) -> Result<Version, String> {
    let (parts, pre, meta) = parse_parts(text).ok_or("Invalid Semantic Version")?;
    if parts[0].is_none() && !text.trim().is_empty() && text.contains(['x', 'X', '*']) {
        return Err("Invalid Semantic Version".to_string());
    }
    Ok(Version {
        parts: parts.map(|p| p.unwrap_or(0)),
        pre,
        meta,
    })
}

/// Semver's pre-release order: numeric identifiers numerically, before alphanumeric ones.
fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => p.cmp(q),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

fn compare(a: &Version, b: &Version) -> Ordering {
    a.parts
        .cmp(&b.parts)
        .then_with(|| compare_pre(&a.pre, &b.pre))
}

/// One comparison of a constraint: does `v` satisfy `op text`?
fn satisfies(v: &Version, op: &str, text: &str) -> Result<bool, String> {
    let (parts, pre, _) =
        parse_parts(text).ok_or_else(|| format!("improper constraint: {op}{text}"))?;
    // A pre-release is only considered by a comparison that names one.
    if !v.pre.is_empty() && pre.is_empty() {
        return Ok(false);
    }
    let known = parts.iter().take_while(|p| p.is_some()).count();
    let base = Version {
        parts: parts.map(|p| p.unwrap_or(0)),
        pre,
        meta: String::new(),
    };
    let order = compare(v, &base);
    // The first version past the wildcard range (`1.2.x` -> 1.3.0).
    let bump = |at: usize| {
        let mut parts = base.parts;
        parts[at] += 1;
        for p in parts.iter_mut().skip(at + 1) {
            *p = 0;
        }
        Version {
            parts,
            pre: String::new(),
            meta: String::new(),
        }
    };
    let below = |upper: &Version| {
        compare(
            &Version {
                pre: String::new(),
                ..v.clone()
            },
            upper,
        ) == Ordering::Less
    };
    Ok(match op {
        "" | "=" | "==" if known < 3 => {
            order != Ordering::Less && (known == 0 || below(&bump(known - 1)))
        }
        "" | "=" | "==" => order == Ordering::Equal,
        "!=" if known < 3 => !(order != Ordering::Less && (known == 0 || below(&bump(known - 1)))),
        "!=" => order != Ordering::Equal,
        ">" if known < 3 => known > 0 && !below(&bump(known - 1)),
        ">" => order == Ordering::Greater,
        "<" => order == Ordering::Less,
        ">=" | "=>" => order != Ordering::Less,
        "<=" | "=<" if known < 3 => known == 0 || below(&bump(known - 1)),
        "<=" | "=<" => order != Ordering::Greater,
        "~" | "~>" => order != Ordering::Less && below(&bump(if known >= 2 { 1 } else { 0 })),
        "^" => {
            let at = base
                .parts
                .iter()
                .position(|p| *p != 0)
                .unwrap_or(known.saturating_sub(1).min(2));
            order != Ordering::Less && below(&bump(if known == 0 { 0 } else { at.min(known - 1) }))
        }
        _ => return Err(format!("improper constraint: {op}{text}")),
    })
}

/// Masterminds' `Constraints.Check`.
fn check(constraint: &str, v: &Version) -> Result<bool, String> {
    let mut any = false;
    for group in constraint.split("||") {
        let mut ok = true;
        let mut tokens = group.split([',', ' ']).filter(|t| !t.is_empty()).peekable();
        let mut saw = false;
        while let Some(token) = tokens.next() {
            saw = true;
            let split = token
                .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
                .unwrap_or(token.len());
            let (op, mut text) = (&token[..split], token[split..].to_string());
            // An operator written apart from its version (`>= 1.19`).
            if text.is_empty() {
                text = tokens
                    .next()
                    .ok_or_else(|| format!("improper constraint: {group}"))?
                    .to_string();
            }
            ok &= satisfies(v, op, &text)?;
        }
        if !saw {
            return Err(format!("improper constraint: {constraint}"));
        }
        any |= ok;
    }
    Ok(any)
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("semverCompare", |a| {
        args::count(a, 2)?;
        let v = parse_version(args::string(&a[1])?)?;
        Ok(Value::Bool(check(args::string(&a[0])?, &v)?))
    }),
    ("semver", |a| {
        args::count(a, 1)?;
        let v = parse_version(args::string(&a[0])?)?;
        let mut m = BTreeMap::new();
        for (name, n) in ["Major", "Minor", "Patch"].iter().zip(v.parts) {
            m.insert(name.to_string(), Value::Int(n as i64));
        }
        m.insert("Prerelease".to_string(), Value::String(v.pre));
        m.insert("Metadata".to_string(), Value::String(v.meta));
        m.insert("Original".to_string(), a[0].clone());
        Ok(Value::map(m))
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn compares(constraint: &str, version: &str) -> bool {
        check(constraint, &parse_version(version).unwrap()).unwrap()
    }

    #[test]
    fn constraints_follow_masterminds() {
        assert!(compares(">= 1.19-0", "v1.20.0"));
        assert!(compares(">=1.19-0", "v1.19.3-gke.100"));
        assert!(!compares(">=1.19", "v1.19.3-gke.100"));
        assert!(!compares(">= 1.23-0", "1.22.9"));
        assert!(compares("~1.2.3", "1.2.9"));
        assert!(!compares("~1.2.3", "1.3.0"));
        assert!(compares("^1.2", "1.9.0"));
        assert!(!compares("^1.2", "2.0.0"));
        assert!(compares("1.2.x", "1.2.7"));
        assert!(compares("<1.0 || >=2.0, <3", "2.5.0"));
        assert!(!compares("<1.0 || >=2.0, <3", "1.5.0"));
        assert!(compares("> 1.2", "1.3.0"));
        assert!(!compares("> 1.2", "1.2.5"));
    }
}
