//! Sprig's regular-expression functions. Go's `regexp` is RE2, which the `regex` crate
//! implements; `must*` variants return the compile error, the others fail as Go's
//! `MustCompile` does (except `regexMatch`, which Sprig lets answer false).

use regex::Regex;

use super::args::{self, strval};
use super::Func;
use crate::render::helm::template::value::Value;

fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or_default().trim();
        format!("error parsing regexp: {last}: `{pattern}`")
    })
}

/// Non-`must` functions panic in Go on a bad pattern; the template reports the panic.
fn must_compile(pattern: &str) -> Result<Regex, String> {
    compile(pattern).map_err(|e| format!("regexp: Compile({pattern:?}): {e}"))
}

fn strings(items: impl Iterator<Item = String>) -> Value {
    Value::list(items.map(Value::String).collect())
}

/// Go's `n` limit: negative is all, zero is none.
fn limit(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn is_match(a: &[Value], re: fn(&str) -> Result<Regex, String>) -> Result<Value, String> {
    args::count(a, 2)?;
    Ok(Value::Bool(
        re(args::string(&a[0])?)?.is_match(args::string(&a[1])?),
    ))
}

fn find(a: &[Value], re: fn(&str) -> Result<Regex, String>) -> Result<Value, String> {
    args::count(a, 2)?;
    let found = re(args::string(&a[0])?)?
        .find(args::string(&a[1])?)
        .map(|m| m.as_str().to_string());
    Ok(Value::String(found.unwrap_or_default()))
}

fn find_all(a: &[Value], re: fn(&str) -> Result<Regex, String>) -> Result<Value, String> {
    args::count(a, 3)?;
    let (text, n) = (args::string(&a[1])?, args::int(&a[2])?);
    let re = re(args::string(&a[0])?)?;
    Ok(strings(
        re.find_iter(text)
            .take(limit(n))
            .map(|m| m.as_str().to_string()),
    ))
}

fn replace(
    a: &[Value],
    re: fn(&str) -> Result<Regex, String>,
    literal: bool,
) -> Result<Value, String> {
    args::count(a, 3)?;
    let re = re(args::string(&a[0])?)?;
    let (text, with) = (args::string(&a[1])?, args::string(&a[2])?);
    // Built match by match, each checked before it is written: a replacement of every
    // empty match, or one naming a group many times, multiplies the text.
    let references = if literal {
        0
    } else {
        with.matches('$').count()
    };
    let mut out = String::new();
    let mut last = 0;
    for captures in re.captures_iter(text) {
        let whole = captures.get(0).map_or(0..0, |m| m.range());
        let most = with.len() + references.saturating_mul(whole.len());
        args::output_within(out.len() + (whole.start - last) + most)?;
        out.push_str(&text[last..whole.start]);
        if literal {
            out.push_str(with);
        } else {
            captures.expand(with, &mut out);
        }
        last = whole.end;
    }
    out.push_str(&text[last..]);
    Ok(Value::String(out))
}

fn split(a: &[Value], re: fn(&str) -> Result<Regex, String>) -> Result<Value, String> {
    args::count(a, 3)?;
    let re = re(args::string(&a[0])?)?;
    let (text, n) = (args::string(&a[1])?, args::int(&a[2])?);
    Ok(match n {
        0 => Value::list(Vec::new()),
        n if n < 0 => strings(re.split(text).map(str::to_string)),
        n => strings(re.splitn(text, limit(n)).map(str::to_string)),
    })
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("regexMatch", |a| {
        args::count(a, 2)?;
        let text = args::string(&a[1])?;
        Ok(Value::Bool(
            compile(args::string(&a[0])?).is_ok_and(|re| re.is_match(text)),
        ))
    }),
    ("mustRegexMatch", |a| is_match(a, compile)),
    ("regexFind", |a| find(a, must_compile)),
    ("mustRegexFind", |a| find(a, compile)),
    ("regexFindAll", |a| find_all(a, must_compile)),
    ("mustRegexFindAll", |a| find_all(a, compile)),
    ("regexReplaceAll", |a| replace(a, must_compile, false)),
    ("mustRegexReplaceAll", |a| replace(a, compile, false)),
    ("regexReplaceAllLiteral", |a| replace(a, must_compile, true)),
    ("mustRegexReplaceAllLiteral", |a| replace(a, compile, true)),
    ("regexSplit", |a| split(a, must_compile)),
    ("mustRegexSplit", |a| split(a, compile)),
    ("regexQuoteMeta", |a| {
        args::count(a, 1)?;
        // Go's QuoteMeta escapes fewer characters than `regex::escape`.
        let mut out = String::new();
        for c in strval(&a[0]).chars() {
            if r"\.+*?()|[]{}^$".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
        Ok(Value::String(out))
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, a: &[Value]) -> Result<Value, String> {
        let f = FUNCTIONS.iter().find(|(n, _)| *n == name).unwrap().1;
        f(a)
    }

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    #[test]
    fn regex_functions_follow_sprig() {
        assert_eq!(
            run(
                "regexReplaceAll",
                &[s("a(x*)b"), s("-ab-axxb-"), s("${1}W")]
            )
            .unwrap(),
            s("-W-xxW-")
        );
        assert_eq!(
            run("regexReplaceAllLiteral", &[s("a(x*)b"), s("-ab-"), s("$1")]).unwrap(),
            s("-$1-")
        );
        assert_eq!(
            run("regexSplit", &[s("z+"), s("pizza"), Value::Int(-1)]).unwrap(),
            Value::list(vec![s("pi"), s("a")])
        );
        assert_eq!(
            run("regexFindAll", &[s("a."), s("abacad"), Value::Int(2)]).unwrap(),
            Value::list(vec![s("ab"), s("ac")])
        );
        assert_eq!(
            run("regexMatch", &[s("("), s("x")]).unwrap(),
            Value::Bool(false)
        );
        assert!(run("mustRegexMatch", &[s("("), s("x")])
            .unwrap_err()
            .starts_with("error parsing regexp: "));
    }
}
