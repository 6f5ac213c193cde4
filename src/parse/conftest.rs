//! The formats only `paved test` reads, in conftest's shapes: INI, dotenv, Java properties,
//! XML and ignore files (.gitignore, .dockerignore). They carry no source map: conftest has
//! no locations for them either. A leading byte-order mark is not part of the first key, and
//! a lone `\r` ends a line as `\n` does.

use serde_json::{json, Map, Value};

use super::{strip_bom, Document, Kind, Node, ParseError, ParsedFile, MAX_DEPTH};
use crate::source::SourceFile;

pub(super) fn single(value: Value, text: &str) -> ParsedFile {
    ParsedFile {
        documents: vec![Document {
            kind: Kind::Yaml,
            index: 0,
            value,
            map: Node::leaf(0..text.len()),
            anchor: 0..0,
        }],
        errors: Vec::new(),
    }
}

/// `{section: {key: value}}`; keys before the first section are dropped; numbers and
/// booleans are converted, as conftest's INI parser does.
pub fn ini(text: &str) -> ParsedFile {
    let mut sections = Map::new();
    let mut current: Option<String> = None;
    for line in SourceFile::new(strip_bom(text).0).lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_insert_with(|| json!({}));
            current = Some(name);
            continue;
        }
        let (Some(section), Some((key, value))) = (&current, line.split_once(['=', ':'])) else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        let converted = match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => value
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(value.to_string()), Value::Number),
        };
        sections[section][key.trim()] = converted;
    }
    single(Value::Object(sections), text)
}

/// `KEY=value` lines (with `export`, quotes and comments) as a flat string map.
pub fn dotenv(text: &str) -> ParsedFile {
    let mut map = Map::new();
    for line in SourceFile::new(strip_bom(text).0).lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        if let Some((key, value)) = line.split_once('=') {
            let value = value.trim();
            let value = if let Some(quoted) =
                value.strip_prefix('"').and_then(|v| v.strip_suffix('"'))
            {
                quoted.to_string()
            } else if let Some(quoted) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
            {
                quoted.to_string()
            } else {
                value.split(" #").next().unwrap_or("").trim().to_string()
            };
            map.insert(key.trim().to_string(), Value::String(value));
        }
    }
    single(Value::Object(map), text)
}

/// Java `.properties`: `key=value`, `key: value` or `key value`, `\` continuations,
/// `#` and `!` comments; a flat string map. A continuation on the last line still ends
/// its entry.
pub fn properties(text: &str) -> ParsedFile {
    let mut map = Map::new();
    let mut logical = String::new();
    let mut insert = |entry: &str| {
        let split = entry.find(['=', ':', ' ', '\t']).unwrap_or(entry.len());
        let key = entry[..split].trim();
        let value = entry[split..].trim_start_matches([' ', '\t']);
        let value = value.strip_prefix(['=', ':']).unwrap_or(value).trim();
        map.insert(key.to_string(), Value::String(value.to_string()));
    };
    for raw in SourceFile::new(strip_bom(text).0).lines() {
        let line = raw.trim_start();
        if logical.is_empty() && (line.is_empty() || line.starts_with('#') || line.starts_with('!'))
        {
            continue;
        }
        // An odd number of trailing backslashes continues the line; `\\` is a backslash.
        let backslashes = line.len() - line.trim_end_matches('\\').len();
        if backslashes % 2 == 1 {
            logical.push_str(&line[..line.len() - 1]);
            continue;
        }
        logical.push_str(line);
        insert(&std::mem::take(&mut logical));
    }
    if !logical.is_empty() {
        insert(&logical);
    }
    single(Value::Object(map), text)
}

/// `.gitignore`/`.dockerignore`: `[{Kind, Value, Original}]`, one entry per line.
pub fn ignore(text: &str) -> ParsedFile {
    let entries: Vec<Value> = SourceFile::new(strip_bom(text).0)
        .lines()
        .map(|original| {
            let trimmed = original.trim();
            let (kind, value) = if trimmed.is_empty() {
                ("Empty", "")
            } else if let Some(comment) = trimmed.strip_prefix('#') {
                ("Comment", comment.trim())
            } else if let Some(negated) = trimmed.strip_prefix('!') {
                ("NegatedPath", negated)
            } else {
                ("Path", trimmed)
            };
            json!({"Kind": kind, "Value": value, "Original": original})
        })
        .collect();
    single(Value::Array(entries), text)
}

/// XML as nested objects: attributes as `-name`, text beside children as `#content`,
/// repeated elements as arrays, an element with only text as its text.
pub fn xml(text: &str) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    match roxmltree::Document::parse(body) {
        Ok(document) => {
            let root = document.root_element();
            match element(root, 0) {
                Ok(value) => {
                    let mut object = Map::new();
                    object.insert(root.tag_name().name().to_string(), value);
                    single(Value::Object(object), text)
                }
                Err(error) => ParsedFile {
                    documents: Vec::new(),
                    errors: vec![ParseError::new(
                        error.message,
                        bom + error.span.start..bom + error.span.end,
                    )],
                },
            }
        }
        Err(error) => {
            let position = error.pos();
            let at = bom
                + SourceFile::new(body).offset(
                    position.row as usize,
                    position.col.saturating_sub(1) as usize,
                );
            ParsedFile {
                documents: Vec::new(),
                errors: vec![ParseError::new(format!("invalid XML: {error}"), at..at)],
            }
        }
    }
}

/// One element and what it holds; elements nested deeper than [`MAX_DEPTH`] are refused.
fn element(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<Value, ParseError> {
    if depth > MAX_DEPTH {
        let at = node.range().start;
        return Err(ParseError::new(
            format!("XML nested deeper than {MAX_DEPTH} levels"),
            at..at,
        ));
    }
    let mut object = Map::new();
    for attribute in node.attributes() {
        object.insert(
            format!("-{}", attribute.name()),
            Value::String(attribute.value().to_string()),
        );
    }
    let mut text = String::new();
    for child in node.children() {
        if child.is_element() {
            let name = child.tag_name().name().to_string();
            let value = element(child, depth + 1)?;
            match object.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    object.insert(name, value);
                }
            }
        } else if child.is_text() {
            text.push_str(child.text().unwrap_or_default());
        }
    }
    let text = text.trim();
    if object.is_empty() {
        return Ok(Value::String(text.to_string()));
    }
    if !text.is_empty() {
        object.insert("#content".into(), Value::String(text.to_string()));
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(parsed: ParsedFile) -> Value {
        parsed.documents.into_iter().next().unwrap().value
    }

    #[test]
    fn ini_sections_and_conversions() {
        let text = "top = dropped\n[server]\nport = 8080\ntls = true\nname = \"web\"\n; comment\n[empty]\n";
        assert_eq!(
            value(ini(text)),
            json!({"server": {"port": 8080.0, "tls": true, "name": "web"}, "empty": {}})
        );
    }

    #[test]
    fn dotenv_and_properties_are_flat_string_maps() {
        assert_eq!(
            value(dotenv(
                "# c\nexport A=1\nB=\"two words\"\nC='x' \nD=plain # note\n"
            )),
            json!({"A": "1", "B": "two words", "C": "x", "D": "plain"})
        );
        assert_eq!(
            value(properties(
                "# c\n! c\na=1\nb: two\nc three\nd = long \\\n    value\n"
            )),
            json!({"a": "1", "b": "two", "c": "three", "d": "long value"})
        );
    }

    #[test]
    fn a_properties_file_ending_in_a_continuation_keeps_its_last_key() {
        assert_eq!(
            value(properties("a=1\nlast = x \\")),
            json!({"a": "1", "last": "x"})
        );
        assert_eq!(
            value(properties("path=C:\\\\\nnext=2\n")),
            json!({"path": "C:\\\\", "next": "2"})
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key() {
        let bom = "\u{feff}";
        assert_eq!(
            value(ini(&format!("{bom}[s]\nk=v\n"))),
            json!({"s": {"k": "v"}})
        );
        assert_eq!(value(dotenv(&format!("{bom}A=1\n"))), json!({"A": "1"}));
        assert_eq!(
            value(properties(&format!("{bom}a=1\r\nb=2\rc=3"))),
            json!({"a": "1", "b": "2", "c": "3"})
        );
        assert_eq!(value(ignore(&format!("{bom}*.log\n")))[0]["Value"], "*.log");
        assert_eq!(value(xml(&format!("{bom}<a>x</a>"))), json!({"a": "x"}));
        let error = &xml(&format!("{bom}<a>\n<b></a>")).errors[0];
        assert_eq!(error.span, 10..10);
    }

    #[test]
    fn ignore_files() {
        assert_eq!(
            value(ignore("# build\n*.log\n!keep.log\n\n")),
            json!([
                {"Kind": "Comment", "Value": "build", "Original": "# build"},
                {"Kind": "Path", "Value": "*.log", "Original": "*.log"},
                {"Kind": "NegatedPath", "Value": "keep.log", "Original": "!keep.log"},
                {"Kind": "Empty", "Value": "", "Original": ""},
            ])
        );
    }

    #[test]
    fn xml_elements_attributes_and_repeats() {
        let text =
            "<project version=\"4\"><dep>a</dep><dep>b</dep><name lang=\"en\">x</name></project>";
        assert_eq!(
            value(xml(text)),
            json!({"project": {"-version": "4", "dep": ["a", "b"], "name": {"-lang": "en", "#content": "x"}}})
        );
        assert!(xml("<a><b></a>").errors[0]
            .message
            .starts_with("invalid XML"));
    }

    #[test]
    fn deep_xml_is_an_error_at_the_first_element_too_deep() {
        let text = format!(
            "<x>\n{}{}\n</x>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        let parsed = xml(&text);
        assert!(parsed.documents.is_empty());
        let error = &parsed.errors[0];
        assert_eq!(error.message, "XML nested deeper than 256 levels");
        // `<x>` is level 0 and the 256th `<a>` level 256: the next one is too deep.
        let at = 4 + 256 * 3;
        assert_eq!(error.span, at..at);
    }
}
