//! JSON (and JSON with comments, and `.tf.json`) through `jsonc-parser`, whose AST keeps
//! the byte range of every value and property name. Tools' configuration files written in
//! JSONC (trailing commas) or JSON5 are read with their own syntax, decided by file name in
//! [`super::classify`]: a tool that reads them accepts them, so paved must too.

use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Value};

use super::nesting::{nesting_error, Syntax};
use super::sourcemap::{Children, Node};
use super::{
    document_anchor, out_of_range, strip_bom, Document, Format, Kind, Options, ParseError,
    ParsedFile,
};

/// JSON as written, plus comments (common in editor and tool configuration files). A trailing
/// comma stays an error: `kubectl` and the other strict readers refuse it.
const STRICT: ParseOptions = ParseOptions {
    allow_comments: true,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// JSON with comments and trailing commas, as VS Code and TypeScript read it.
const JSONC: ParseOptions = ParseOptions {
    allow_trailing_commas: true,
    ..STRICT
};

/// JSON5: unquoted keys, single quotes, hexadecimal and signed numbers, `Infinity` and `NaN`,
/// extended escapes. Missing commas stay an error: JSON5 requires them too.
const JSON5: ParseOptions = ParseOptions {
    allow_comments: true,
    allow_loose_object_property_names: true,
    allow_trailing_commas: true,
    allow_missing_commas: false,
    allow_single_quoted_strings: true,
    allow_hexadecimal_numbers: true,
    allow_unary_plus_numbers: true,
    allow_bare_decimal_point_numbers: true,
    allow_non_finite_numbers: true,
    allow_extended_string_escapes: true,
};

fn syntax(format: Format) -> &'static ParseOptions {
    match format {
        Format::Jsonc => &JSONC,
        Format::Json5 => &JSON5,
        _ => &STRICT,
    }
}

/// Parses JSON in the syntax `format` names (`Json`, `Jsonc` or `Json5`).
pub fn parse(text: &str, format: Format, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut parsed = ParsedFile::default();
    if let Some(error) = nesting_error(body, bom, Syntax::Json) {
        parsed.errors.push(error);
        return parsed;
    }
    let result = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), syntax(format));
    let ast = match result {
        Ok(result) => result.value,
        Err(error) => {
            let range = error.range();
            parsed.errors.push(ParseError::new(
                format!("invalid JSON: {}", error.kind()),
                bom + range.start..bom + range.end,
            ));
            return parsed;
        }
    };
    let Some(ast) = ast else {
        return parsed;
    };
    let mut converter = Converter {
        base: bom,
        options,
        errors: Vec::new(),
    };
    let (value, map) = converter.value(ast);
    if converter.errors.is_empty() {
        parsed.documents.push(Document {
            kind: Kind::Json,
            index: 0,
            anchor: document_anchor(&map),
            value,
            map,
        });
    }
    parsed.errors = converter.errors;
    parsed
}

struct Converter {
    base: usize,
    options: Options,
    errors: Vec<ParseError>,
}

impl Converter {
    fn span(&self, range: jsonc_parser::common::Range) -> std::ops::Range<usize> {
        self.base + range.start..self.base + range.end
    }

    fn value(&mut self, value: ast::Value<'_>) -> (Value, Node) {
        match value {
            ast::Value::StringLit(s) => (
                Value::String(s.value.into_owned()),
                Node::leaf(self.span(s.range)),
            ),
            ast::Value::NumberLit(n) => {
                let span = self.span(n.range);
                let number = parse_number(n.value).unwrap_or_else(|| {
                    self.errors.push(unrepresentable(n.value, span.clone()));
                    Value::Null
                });
                (number, Node::leaf(span))
            }
            ast::Value::BooleanLit(b) => (Value::Bool(b.value), Node::leaf(self.span(b.range))),
            ast::Value::NullKeyword(n) => (Value::Null, Node::leaf(self.span(n.range))),
            ast::Value::Array(array) => {
                let span = self.span(array.range);
                let mut values = Vec::with_capacity(array.elements.len());
                let mut nodes = Vec::new();
                for element in array.elements {
                    let (value, node) = self.value(element);
                    values.push(value);
                    if self.options.source_map {
                        nodes.push(node);
                    }
                }
                let node = Node {
                    key: None,
                    span,
                    children: Children::Array(nodes),
                };
                (Value::Array(values), node)
            }
            ast::Value::Object(object) => {
                let span = self.span(object.range);
                let mut map = Map::new();
                let mut members = Vec::new();
                for property in object.properties {
                    let (key, key_range) = match property.name {
                        ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let key_span = self.span(key_range);
                    if map.contains_key(&key) {
                        self.errors.push(ParseError::new(
                            format!("duplicate key `{key}` in a JSON object"),
                            key_span,
                        ));
                        continue;
                    }
                    let (value, mut node) = self.value(property.value);
                    if self.options.source_map {
                        node.key = Some(key_span);
                        members.push((key.clone(), node));
                    }
                    map.insert(key, value);
                }
                let node = Node {
                    key: None,
                    span,
                    children: Children::Object(members),
                };
                (Value::Object(map), node)
            }
        }
    }
}

/// A JSON5 `NaN` or `Infinity` has no JSON value for a policy to read: an error, like a
/// number out of range.
fn unrepresentable(text: &str, span: std::ops::Range<usize>) -> ParseError {
    if text.trim_start_matches(['-', '+']).starts_with(['I', 'N']) {
        return ParseError::new(
            format!("`{text}` has no JSON value: policies read JSON, write a number or a string"),
            span,
        );
    }
    out_of_range(text, span)
}

/// An integer when it fits, else a float; `None` when even a float cannot hold it (or for
/// JSON5's `NaN` and `Infinity`). JSON5's hexadecimal integers are integers too.
fn parse_number(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        let magnitude = i128::from_str_radix(hex, 16).ok()?;
        let signed = if negative { -magnitude } else { magnitude };
        return i64::try_from(signed)
            .map(Value::from)
            .or_else(|_| u64::try_from(signed).map(Value::from))
            .ok();
    }
    if unsigned.starts_with(['I', 'N']) {
        return None;
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::from(u));
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_key_spans() {
        let text = "{\n  \"kind\": \"Pod\",\n  \"spec\": {\"n\": [1, 2.5, true, null]}\n}";
        let parsed = parse(text, Format::Json, Options::default());
        let doc = &parsed.documents[0];
        assert_eq!(
            doc.value,
            json!({"kind": "Pod", "spec": {"n": [1, 2.5, true, null]}})
        );
        assert_eq!(&text[doc.anchor.clone()], "\"kind\"");
        let n = doc.map.child_key("spec").unwrap().child_key("n").unwrap();
        assert_eq!(&text[n.span.clone()], "[1, 2.5, true, null]");
    }

    #[test]
    fn errors_carry_a_location() {
        let parsed = parse("{\"a\": 1,\n \"b\": }", Format::Json, Options::default());
        assert!(parsed.documents.is_empty());
        assert!(parsed.errors[0].message.starts_with("invalid JSON"));
        let dup = parse("{\"a\": 1, \"a\": 2}", Format::Json, Options::default());
        assert_eq!(dup.errors[0].span, 9..12);
    }

    #[test]
    fn trailing_and_missing_commas_are_errors() {
        assert_eq!(
            parse("{\"a\": 1,}", Format::Json, Options::default())
                .errors
                .len(),
            1
        );
        assert_eq!(
            parse("{\"a\": 1 \"b\": 2}", Format::Json, Options::default())
                .errors
                .len(),
            1
        );
        assert!(
            parse("{\"a\": 1 // note\n}", Format::Json, Options::default())
                .errors
                .is_empty()
        );
    }

    #[test]
    fn jsonc_takes_trailing_commas_and_comments() {
        let text =
            "{\n  // editor settings\n  \"a\": [1, 2,],\n  /* b */ \"b\": {\"c\": true,},\n}\n";
        let parsed = parse(text, Format::Jsonc, Options::default());
        assert_eq!(parsed.errors, []);
        assert_eq!(
            parsed.documents[0].value,
            json!({"a": [1, 2], "b": {"c": true}})
        );
        let strict = parse(text, Format::Json, Options::default());
        assert_eq!(strict.errors.len(), 1);
        assert_eq!(&text[strict.errors[0].span.clone()], ",");
        let missing = parse("{\"a\": 1 \"b\": 2}", Format::Jsonc, Options::default());
        assert_eq!(missing.errors.len(), 1, "a missing comma is still an error");
        let unquoted = parse("{a: 1}", Format::Jsonc, Options::default());
        assert_eq!(unquoted.errors.len(), 1, "JSONC keys are quoted");
    }

    #[test]
    fn json5_values_read_as_json() {
        let text = "// JSON5\n{\n  unquoted: 'single',\n  hex: 0xFF,\n  negative: -0x10,\n  plus: +7,\n  half: .5,\n  whole: 5.,\n  \"line\": 'a\\\nb',\n  list: [1, 2,],\n}\n";
        let parsed = parse(text, Format::Json5, Options::default());
        assert_eq!(parsed.errors, []);
        assert_eq!(
            parsed.documents[0].value,
            json!({"unquoted": "single", "hex": 255, "negative": -16, "plus": 7,
                   "half": 0.5, "whole": 5.0, "line": "ab", "list": [1, 2]})
        );
        let key = parsed.documents[0].map.child_key("hex").unwrap();
        assert_eq!(&text[key.key.clone().unwrap()], "hex");
        assert_eq!(&text[key.span.clone()], "0xFF");
    }

    #[test]
    fn json5_nan_and_infinity_are_errors_where_they_are_written() {
        let text = "{a: NaN, b: -Infinity, c: 0x10000000000000000}";
        let parsed = parse(text, Format::Json5, Options::default());
        assert!(parsed.documents.is_empty());
        let errors = crate::parse::errors_with_text(&parsed, text);
        assert_eq!(
            errors,
            [
                (
                    "`NaN` has no JSON value: policies read JSON, write a number or a string",
                    "NaN"
                ),
                (
                    "`-Infinity` has no JSON value: policies read JSON, write a number or a string",
                    "-Infinity"
                ),
                (
                    "the number `0x10000000000000000` is out of range",
                    "0x10000000000000000"
                ),
            ]
        );
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_location() {
        let text = "{\"a\": 1,\n \"b\": [1e999999, -1e400],\n \"c\": 18446744073709551615}";
        let parsed = parse(text, Format::Json, Options::default());
        assert!(parsed.documents.is_empty());
        let errors = crate::parse::errors_with_text(&parsed, text);
        assert_eq!(
            errors,
            [
                ("the number `1e999999` is out of range", "1e999999"),
                ("the number `-1e400` is out of range", "-1e400"),
            ]
        );
        let fits = parse(
            "[18446744073709551615, 1e308]",
            Format::Json,
            Options::default(),
        );
        assert_eq!(fits.documents[0].value, json!([u64::MAX, 1e308]));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = "[".repeat(100_000);
        let parsed = parse(&text, Format::Json, Options::default());
        assert!(parsed.errors[0].message.contains("deeper than"));
    }
}
