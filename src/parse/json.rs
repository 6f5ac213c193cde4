//! JSON (and JSON with comments, and `.tf.json`) through `jsonc-parser`, whose AST keeps
//! the byte range of every value and property name.

use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Value};

use super::nesting::{nesting_error, Syntax};
use super::sourcemap::{Children, Node};
use super::{
    document_anchor, out_of_range, strip_bom, Document, Kind, Options, ParseError, ParsedFile,
};

/// JSON as written, plus comments (common in editor and tool configuration files).
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

pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut parsed = ParsedFile::default();
    if let Some(error) = nesting_error(body, bom, Syntax::Json) {
        parsed.errors.push(error);
        return parsed;
    }
    let result = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &STRICT);
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
                    self.errors.push(out_of_range(n.value, span.clone()));
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

/// An integer when it fits, else a float; `None` when even a float cannot hold it.
fn parse_number(text: &str) -> Option<Value> {
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
        let parsed = parse(text, Options::default());
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
        let parsed = parse("{\"a\": 1,\n \"b\": }", Options::default());
        assert!(parsed.documents.is_empty());
        assert!(parsed.errors[0].message.starts_with("invalid JSON"));
        let dup = parse("{\"a\": 1, \"a\": 2}", Options::default());
        assert_eq!(dup.errors[0].span, 9..12);
    }

    #[test]
    fn trailing_and_missing_commas_are_errors() {
        assert_eq!(parse("{\"a\": 1,}", Options::default()).errors.len(), 1);
        assert_eq!(
            parse("{\"a\": 1 \"b\": 2}", Options::default())
                .errors
                .len(),
            1
        );
        assert!(parse("{\"a\": 1 // note\n}", Options::default())
            .errors
            .is_empty());
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_location() {
        let text = "{\"a\": 1,\n \"b\": [1e999999, -1e400],\n \"c\": 18446744073709551615}";
        let parsed = parse(text, Options::default());
        assert!(parsed.documents.is_empty());
        let errors: Vec<(&str, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.message.as_str(), &text[e.span.clone()]))
            .collect();
        assert_eq!(
            errors,
            [
                ("the number `1e999999` is out of range", "1e999999"),
                ("the number `-1e400` is out of range", "-1e400"),
            ]
        );
        let fits = parse("[18446744073709551615, 1e308]", Options::default());
        assert_eq!(fits.documents[0].value, json!([u64::MAX, 1e308]));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = "[".repeat(100_000);
        let parsed = parse(&text, Options::default());
        assert!(parsed.errors[0].message.contains("deeper than"));
    }
}
