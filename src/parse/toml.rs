//! TOML through the `toml` crate's spanned document tree.

use serde_json::{Map, Value};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::sourcemap::{Children, Node};
use super::{out_of_range, strip_bom, Document, Kind, Options, ParseError, ParsedFile};

pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut parsed = ParsedFile::default();
    match DeTable::parse(body) {
        Ok(table) => {
            let mut converter = Converter {
                text: body,
                base: bom,
                options,
                errors: Vec::new(),
            };
            let span = converter.span(table.span());
            let (value, mut map) = converter.table(table.get_ref());
            map.span = span;
            parsed.errors = converter.errors;
            if !parsed.errors.is_empty() {
                return parsed;
            }
            parsed.documents.push(Document {
                kind: Kind::Toml,
                index: 0,
                anchor: bom..bom,
                value,
                map,
            });
        }
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().to_string();
            parsed.errors.push(ParseError::new(
                format!("invalid TOML: {message}"),
                bom + span.start..bom + span.end,
            ));
        }
    }
    parsed
}

struct Converter<'a> {
    text: &'a str,
    base: usize,
    options: Options,
    errors: Vec<ParseError>,
}

impl Converter<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.base + range.start..self.base + range.end
    }

    fn table(&mut self, table: &DeTable<'_>) -> (Value, Node) {
        let mut object = Map::new();
        let mut members = Vec::new();
        for (key, value) in table.iter() {
            let (converted, mut node) = self.value(value);
            object.insert(key.get_ref().to_string(), converted);
            if self.options.source_map {
                node.key = Some(self.span(key.span()));
                members.push((key.get_ref().to_string(), node));
            }
        }
        (
            Value::Object(object),
            Node {
                key: None,
                span: 0..0,
                children: Children::Object(members),
            },
        )
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>) -> (Value, Node) {
        let span = self.span(value.span());
        let leaf = |v: Value| (v, Node::leaf(span.clone()));
        match value.get_ref() {
            DeValue::String(s) => leaf(Value::String(s.to_string())),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(digits.trim_start_matches('+'), i.radix()) {
                    Ok(n) => leaf(Value::from(n)),
                    Err(_) => self.out_of_range(value.span()),
                }
            }
            DeValue::Float(f) => {
                let number = f.as_str().replace('_', "").parse::<f64>().ok();
                match number.and_then(serde_json::Number::from_f64) {
                    Some(n) => leaf(Value::Number(n)),
                    // `inf` and `nan` are TOML floats JSON cannot hold: kept as written.
                    None if !f.as_str().bytes().any(|b| b.is_ascii_digit()) => {
                        leaf(Value::String(f.as_str().to_string()))
                    }
                    None => self.out_of_range(value.span()),
                }
            }
            DeValue::Boolean(b) => leaf(Value::Bool(*b)),
            DeValue::Datetime(d) => leaf(Value::String(d.to_string())),
            DeValue::Array(items) => {
                let (values, nodes): (Vec<Value>, Vec<Node>) =
                    items.iter().map(|item| self.value(item)).unzip();
                let children = if self.options.source_map {
                    Children::Array(nodes)
                } else {
                    Children::Leaf
                };
                (
                    Value::Array(values),
                    Node {
                        key: None,
                        span,
                        children,
                    },
                )
            }
            DeValue::Table(table) => {
                let (value, mut node) = self.table(table);
                node.span = span;
                (value, node)
            }
        }
    }

    /// Records a number too large for JSON, written at `range` of the text.
    fn out_of_range(&mut self, range: std::ops::Range<usize>) -> (Value, Node) {
        let span = self.span(range.clone());
        let written = self.text.get(range).unwrap_or_default();
        self.errors.push(out_of_range(written, span.clone()));
        (Value::Null, Node::leaf(span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::PathSegment;
    use serde_json::json;

    #[test]
    fn values_and_spans() {
        let text = "name = \"api\"\n[deps]\nserde = { version = \"1\" }\nlist = [1, 2.5, true]\n";
        let parsed = parse(text, Options::default());
        let doc = &parsed.documents[0];
        assert_eq!(
            doc.value,
            json!({"name": "api", "deps": {"serde": {"version": "1"}, "list": [1, 2.5, true]}})
        );
        let found = doc.map.resolve(&[
            PathSegment::Key("deps".into()),
            PathSegment::Key("serde".into()),
            PathSegment::Key("version".into()),
        ]);
        assert_eq!((found.matched, &text[found.span()]), (3, "version"));
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_location() {
        let text = "a = 1e999999\nb = 0x1_0000_0000_0000_0000\nc = inf\n";
        let parsed = parse(text, Options::default());
        assert!(parsed.documents.is_empty());
        let errors = crate::parse::errors_with_text(&parsed, text);
        assert_eq!(
            errors,
            [
                ("the number `1e999999` is out of range", "1e999999"),
                (
                    "the number `0x1_0000_0000_0000_0000` is out of range",
                    "0x1_0000_0000_0000_0000"
                ),
            ]
        );
        let special = parse("c = -inf\n", Options::default());
        assert_eq!(special.documents[0].value, json!({"c": "-inf"}));
    }

    #[test]
    fn errors_carry_a_location() {
        let parsed = parse("a = 1\nb = \n", Options::default());
        assert!(parsed.errors[0].message.starts_with("invalid TOML"));
        assert!(parsed.errors[0].span.start >= 6);
    }
}
