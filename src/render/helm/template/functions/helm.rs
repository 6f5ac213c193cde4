//! Helm's own functions (`include`, `tpl`, `required`, `toYaml`, `fromJson`, ...) and the
//! methods of `.Files` and `.Capabilities.APIVersions`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{args, Func, Method};
use crate::parse::{Dialect, Format, Kind, Options};
use crate::render::helm::template::exec::{Exec, Flow};
use crate::render::helm::template::value::{Files, Value};
use crate::render::helm::template::{yaml, Origin};

/// Helm's `toYaml`: the YAML without the one newline that ends it (a `|+` block keeps
/// its other final newlines).
fn to_yaml(a: &[Value]) -> Result<Value, String> {
    args::count(a, 1)?;
    let text = yaml::to_yaml(&a[0]);
    Ok(Value::from(text.strip_suffix('\n').unwrap_or(&text)))
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("toYaml", to_yaml),
    ("mustToYaml", to_yaml),
    ("toYamlPretty", to_yaml),
    ("fromYaml", |a| {
        args::count(a, 1)?;
        Ok(from_yaml(args::string(&a[0])?, false))
    }),
    ("fromYamlArray", |a| {
        args::count(a, 1)?;
        Ok(from_yaml(args::string(&a[0])?, true))
    }),
    ("toJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], true, None)))
    }),
    ("mustToJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], true, None)))
    }),
    ("toRawJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], false, None)))
    }),
    ("mustToRawJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], false, None)))
    }),
    ("toPrettyJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], true, Some(0))))
    }),
    ("mustToPrettyJson", |a| {
        args::count(a, 1)?;
        Ok(Value::String(yaml::to_json(&a[0], true, Some(0))))
    }),
    ("fromJson", |a| {
        args::count(a, 1)?;
        Ok(from_json(args::string(&a[0])?, false))
    }),
    ("fromJsonArray", |a| {
        args::count(a, 1)?;
        Ok(from_json(args::string(&a[0])?, true))
    }),
    ("mustFromJson", |a| {
        args::count(a, 1)?;
        match from_json(args::string(&a[0])?, false) {
            Value::Map(m) if m.contains_key("Error") && m.len() == 1 => {
                Err(args::strval(&m.get("Error").unwrap_or(Value::Null)))
            }
            v => Ok(v),
        }
    }),
    ("toToml", |a| {
        args::count(a, 1)?;
        Ok(Value::String(to_toml(&a[0])))
    }),
    // No cluster: `lookup` finds nothing, as under `helm template`.
    ("lookup", |a| {
        args::count(a, 4)?;
        Ok(Value::map(BTreeMap::new()))
    }),
];

/// `required` and `fail`: `Ok` when `required` has its value; else the message and whether
/// it is Helm's own (shown alone) rather than a wrong call.
pub fn check(name: &str, a: &[Value]) -> Result<Value, (String, bool)> {
    let want = if name == "fail" { 1 } else { 2 };
    args::count(a, want).map_err(|m| (m, false))?;
    let message = args::string(&a[0]).map_err(|m| (m, false))?.to_string();
    if name == "required" {
        let missing = match &a[1] {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        };
        if !missing {
            return Ok(a[1].clone());
        }
    }
    Err((message, true))
}

pub fn include(
    exec: &mut Exec<'_>,
    a: &[Value],
    pos: usize,
    context: &str,
    traces: &mut HashMap<String, Origin>,
) -> Result<Value, Flow> {
    let fail = |exec: &Exec, m: String| {
        Flow::Fail(exec.error(pos, context, &format!("error calling include: {m}")))
    };
    if a.len() != 2 {
        return Err(fail(
            exec,
            format!("wrong number of args for include: want 2 got {}", a.len()),
        ));
    }
    let name = args::string(&a[0]).map_err(|m| fail(exec, m))?;
    Ok(Value::String(
        exec.include(name, &a[1], pos, context, traces)?,
    ))
}

/// `tpl`: renders a string as a template, with the set's `define`s and its own.
pub fn tpl(exec: &mut Exec<'_>, a: &[Value], pos: usize, context: &str) -> Result<Value, Flow> {
    let fail = |exec: &Exec, m: String| {
        Flow::Fail(exec.error(pos, context, &format!("error calling tpl: {m}")))
    };
    if a.len() != 2 {
        return Err(fail(
            exec,
            format!("wrong number of args for tpl: want 2 got {}", a.len()),
        ));
    }
    let text = args::string(&a[0]).map_err(|m| fail(exec, m))?;
    // Helm parses the text as a new template named as its parent, "gotpl", beside the
    // chart's templates (in a copy of them).
    let name = "gotpl";
    let rendered = exec
        .set
        .execute_text(name, text, &a[1], exec.depth + 1)
        .map_err(|e| {
            let detail = e
                .message
                .split_once("): ")
                .map_or(e.message.as_str(), |(_, m)| m);
            fail(
                exec,
                format!(
                    "cannot parse template {}: template: {name}:{}: {detail}",
                    quoted_excerpt(text),
                    e.line
                ),
            )
        })?
        .map_err(|inner| {
            let message = format!(
                "error calling tpl: error during tpl function execution for {}: ",
                quoted_excerpt(text)
            );
            Flow::Fail(exec.wrap(pos, context, &message, Some(inner)).one_line())
        })?;
    Ok(Value::String(rendered))
}

/// A `tpl` text as an error quotes it: whole as Helm does when short; a long one (a whole
/// config file in values, repeated in every error that includes it) cut to its start.
fn quoted_excerpt(text: &str) -> String {
    const SHOWN: usize = 80;
    match text.char_indices().nth(SHOWN) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?}… ({} characters)", &text[..end], text.chars().count()),
    }
}

fn from_yaml(text: &str, array: bool) -> Value {
    let parsed = crate::parse::parse(
        text,
        Format::Yaml,
        Kind::Yaml,
        Options {
            dialect: Dialect::Yaml11,
            source_map: false,
            last_duplicate_wins: true,
        },
    );
    if let Some(e) = parsed.errors.first() {
        return error_value(&e.message, array);
    }
    let value = parsed
        .documents
        .into_iter()
        .next()
        .map(|d| Value::from(d.value))
        .unwrap_or(Value::Null);
    match (&value, array) {
        (Value::List(_), true) | (Value::Map(_), false) => value,
        (Value::Null, false) => Value::map(BTreeMap::new()),
        (Value::Null, true) => Value::list(Vec::new()),
        (_, true) => error_value("cannot unmarshal into []interface {}", true),
        (_, false) => error_value("cannot unmarshal into map[string]interface {}", false),
    }
}

fn from_json(text: &str, array: bool) -> Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ serde_json::Value::Array(_)) if array => Value::from(v),
        Ok(v @ serde_json::Value::Object(_)) if !array => Value::from(v),
        Ok(serde_json::Value::Null) if !array => Value::map(BTreeMap::new()),
        Ok(_) => error_value("json: cannot unmarshal into Go value", array),
        Err(e) => error_value(&e.to_string(), array),
    }
}

/// Helm's from* functions return their error inside the value rather than failing.
fn error_value(message: &str, array: bool) -> Value {
    if array {
        Value::list(vec![Value::String(message.to_string())])
    } else {
        Value::map(BTreeMap::from([(
            "Error".to_string(),
            Value::String(message.to_string()),
        )]))
    }
}

fn to_toml(v: &Value) -> String {
    let json = yaml::to_serde(v);
    toml::to_string(&json).unwrap_or_else(|e| e.to_string())
}

pub fn files_method(name: &str) -> Option<Method> {
    Some(match name {
        "Get" => |f, a| {
            args::count(a, 1)?;
            let path = args::string(&a[0])?;
            Ok(Value::String(
                files(f)
                    .0
                    .get(path)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default(),
            ))
        },
        "GetBytes" => |f, a| {
            args::count(a, 1)?;
            let path = args::string(&a[0])?;
            Ok(super::bytes_value(
                files(f).0.get(path).map(Vec::as_slice).unwrap_or_default(),
            ))
        },
        "Glob" => |f, a| {
            args::count(a, 1)?;
            let pattern = args::string(&a[0])?;
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| e.to_string())?
                .compile_matcher();
            let chosen = files(f)
                .0
                .iter()
                .filter(|(k, _)| glob.is_match(k))
                .map(|(k, v)| (k.clone(), v.clone()));
            Ok(Value::Files(Arc::new(Files(chosen.collect()))))
        },
        "Lines" => |f, a| {
            args::count(a, 1)?;
            let path = args::string(&a[0])?;
            let Some(bytes) = files(f).0.get(path) else {
                return Ok(Value::list(Vec::new()));
            };
            let text = String::from_utf8_lossy(bytes);
            Ok(Value::list(text.split('\n').map(Value::from).collect()))
        },
        "AsConfig" => |f, _| {
            let map = by_base_name(files(f), |b| {
                Value::String(String::from_utf8_lossy(b).into_owned())
            });
            Ok(Value::String(
                yaml::to_yaml(&map).trim_end_matches('\n').to_string(),
            ))
        },
        "AsSecrets" => |f, _| {
            let map = by_base_name(files(f), |b| Value::String(data_encoding::BASE64.encode(b)));
            Ok(Value::String(
                yaml::to_yaml(&map).trim_end_matches('\n').to_string(),
            ))
        },
        _ => return None,
    })
}

fn files(v: &Value) -> &Files {
    match v {
        Value::Files(f) => f,
        _ => unreachable!("files methods are only found on Files"),
    }
}

/// `AsConfig`/`AsSecrets` key files by their base name.
fn by_base_name(files: &Files, encode: fn(&[u8]) -> Value) -> Value {
    let map = files
        .0
        .iter()
        .map(|(k, v)| (k.rsplit('/').next().unwrap_or(k).to_string(), encode(v)))
        .collect();
    Value::map(map)
}

pub fn api_versions_has(v: &Value, a: &[Value]) -> Result<Value, String> {
    args::count(a, 1)?;
    let wanted = args::string(&a[0])?;
    let Value::ApiVersions(versions) = v else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(versions.iter().any(|v| v == wanted)))
}

#[cfg(test)]
mod tests {
    use super::quoted_excerpt;

    #[test]
    fn a_long_tpl_text_is_quoted_by_its_start_and_length() {
        assert_eq!(
            quoted_excerpt("{{ .Values.a.b }}"),
            r#""{{ .Values.a.b }}""#
        );
        let config = format!("auth:\n  type: enterprise\n{}", "é".repeat(100));
        let quoted = quoted_excerpt(&config);
        assert_eq!(
            quoted,
            format!(
                r#""auth:\n  type: enterprise\n{}"… (125 characters)"#,
                "é".repeat(55)
            )
        );
    }
}
