//! `--set` overrides in Helm's syntax: `a.b[0].c=v,d={x,y}`, `\` escaping `.`, `,`, `=`
//! and brackets; values typed as Helm types them (`true`, `null`, integers).

use serde_json::{Map, Value};

/// Helm refuses list indexes above this, so `a[99999999]=x` cannot exhaust memory.
const MAX_INDEX: usize = 65_536;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Applies one `--set` argument (one or more comma-separated assignments) to `values`.
pub fn apply(text: &str, values: &mut Value) -> Result<(), String> {
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let path = key_path(&mut chars, text)?;
        let value = if chars.peek() == Some(&'{') {
            chars.next();
            let items = read_until(&mut chars, &['}']);
            if chars.next() != Some('}') {
                return Err(format!("`{text}`: a list value `{{...` is not closed"));
            }
            let items = if items.is_empty() {
                Vec::new()
            } else {
                split_escaped(&items).iter().map(|v| typed(v)).collect()
            };
            Value::Array(items)
        } else {
            typed(&read_until(&mut chars, &[',']))
        };
        match chars.next() {
            None | Some(',') => {}
            Some(other) => return Err(format!("`{text}`: unexpected `{other}` after a value")),
        }
        set(values, &path, value);
    }
    Ok(())
}

/// The key path before `=`.
fn key_path(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    text: &str,
) -> Result<Vec<Segment>, String> {
    let mut path = Vec::new();
    let mut key = String::new();
    loop {
        match chars.next() {
            None | Some(',') => return Err(format!("`{text}`: key has no value (`key=value`)")),
            Some('\\') => key.extend(chars.next()),
            Some('=') => {
                if !key.is_empty() || path.is_empty() {
                    path.push(Segment::Key(std::mem::take(&mut key)));
                }
                break;
            }
            Some('.') => {
                if !key.is_empty() {
                    path.push(Segment::Key(std::mem::take(&mut key)));
                }
            }
            Some('[') => {
                if !key.is_empty() {
                    path.push(Segment::Key(std::mem::take(&mut key)));
                }
                let digits = read_until(chars, &[']']);
                chars.next();
                let index: usize = digits
                    .parse()
                    .map_err(|_| format!("`{text}`: `[{digits}]` is not a list index"))?;
                if index > MAX_INDEX {
                    return Err(format!(
                        "`{text}`: index {index} is larger than {MAX_INDEX}"
                    ));
                }
                path.push(Segment::Index(index));
            }
            Some(c) => key.push(c),
        }
    }
    if path.iter().any(|s| *s == Segment::Key(String::new())) {
        return Err(format!("`{text}`: empty key"));
    }
    Ok(path)
}

/// Text up to the first unescaped stop character (not consumed); escapes kept for
/// [`split_escaped`] only inside lists.
fn read_until(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, stops: &[char]) -> String {
    let mut out = String::new();
    let keep_escapes = stops == ['}'];
    while let Some(&c) = chars.peek() {
        if stops.contains(&c) {
            break;
        }
        chars.next();
        if c == '\\' {
            if keep_escapes {
                out.push('\\');
            }
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// `a,b\,c` → `["a", "b,c"]`.
fn split_escaped(text: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => items.last_mut().expect("one item").extend(chars.next()),
            ',' => items.push(String::new()),
            c => items.last_mut().expect("one item").push(c),
        }
    }
    items
}

/// Helm's typing of `--set` values: booleans and `null` (any case), integers without a
/// leading zero; everything else a string.
fn typed(text: &str) -> Value {
    match text.to_ascii_lowercase().as_str() {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "null" => return Value::Null,
        "0" => return Value::from(0),
        _ => {}
    }
    if !text.starts_with('0') {
        if let Ok(number) = text.parse::<i64>() {
            return Value::from(number);
        }
    }
    Value::String(text.to_string())
}

fn set(at: &mut Value, path: &[Segment], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *at = value;
        return;
    };
    let child = match first {
        Segment::Key(key) => {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            let map = at.as_object_mut().expect("made an object");
            map.entry(key.clone()).or_insert(Value::Null)
        }
        Segment::Index(index) => {
            if !at.is_array() {
                *at = Value::Array(Vec::new());
            }
            let list = at.as_array_mut().expect("made a list");
            if list.len() <= *index {
                list.resize(index + 1, Value::Null);
            }
            &mut list[*index]
        }
    };
    set(child, rest, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(text: &str) -> Value {
        let mut values = json!({});
        apply(text, &mut values).unwrap();
        values
    }

    #[test]
    fn nested_keys_lists_and_types() {
        assert_eq!(
            parsed("a.b[1].c=v,n=10,t=True,z=null,s=010,e="),
            json!({"a": {"b": [null, {"c": "v"}]}, "n": 10, "t": true, "z": null, "s": "010", "e": ""})
        );
        assert_eq!(parsed("l={x,2,y\\,z}"), json!({"l": ["x", 2, "y,z"]}));
        assert_eq!(parsed("l={}"), json!({"l": []}));
        assert_eq!(parsed("a[0][1]=x"), json!({"a": [[null, "x"]]}));
    }

    #[test]
    fn escapes_keep_dots_and_commas() {
        assert_eq!(
            parsed("annotations.kubernetes\\.io/name=a\\,b"),
            json!({"annotations": {"kubernetes.io/name": "a,b"}})
        );
    }

    #[test]
    fn later_assignments_override_and_extend() {
        let mut values = json!({"image": {"tag": "1", "repository": "nginx"}});
        apply("image.tag=2", &mut values).unwrap();
        assert_eq!(values, json!({"image": {"tag": 2, "repository": "nginx"}}));
    }

    #[test]
    fn malformed_overrides_are_errors() {
        let error = |text: &str| {
            let mut values = json!({});
            apply(text, &mut values).unwrap_err()
        };
        assert_eq!(
            error("novalue"),
            "`novalue`: key has no value (`key=value`)"
        );
        assert_eq!(error("a[x]=1"), "`a[x]=1`: `[x]` is not a list index");
        assert_eq!(
            error("a[70000]=1"),
            "`a[70000]=1`: index 70000 is larger than 65536"
        );
        assert_eq!(
            error("l={a,b"),
            "`l={a,b`: a list value `{...` is not closed"
        );
        assert_eq!(error("=1"), "`=1`: empty key");
    }
}
