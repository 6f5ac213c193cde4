//! YAML through `saphyr-parser` events: the value and its source map in one pass.
//! Anchors and aliases are expanded, merge keys applied, duplicate keys refused.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, StrInput, Tag};
use serde_json::{Map, Value};

use super::sourcemap::{Children, Node};
use super::{document_anchor, strip_bom, Dialect, Document, Kind, Options, ParseError, ParsedFile};
use crate::source::{SourceFile, Span};

/// Alias expansion beyond this many nodes is refused (a "billion laughs" file).
const MAX_EXPANDED_NODES: usize = 1_000_000;

pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut builder = Builder {
        parser: Parser::new_from_str(body),
        text: body,
        offsets: if body.is_ascii() {
            None
        } else {
            Some(SourceFile::new(body))
        },
        base: bom,
        options,
        anchors: HashMap::new(),
        document_errors: Vec::new(),
        expanded: 0,
    };
    let mut parsed = ParsedFile::default();
    if let Err(error) = builder.stream(&mut parsed) {
        parsed.errors.push(error);
    }
    parsed
}

struct Builder<'a> {
    parser: Parser<'a, StrInput<'a>>,
    text: &'a str,
    /// Character-to-byte conversion, needed only when the text is not ASCII.
    offsets: Option<SourceFile<'a>>,
    base: usize,
    options: Options,
    anchors: HashMap<usize, (Value, Node, usize)>,
    document_errors: Vec<ParseError>,
    expanded: usize,
}

type Built = (Value, Node, usize);

impl<'a> Builder<'a> {
    fn offset(&self, marker: &saphyr_parser::Marker) -> usize {
        self.base
            + match &self.offsets {
                None => marker.index(),
                Some(file) => file.offset(marker.line(), marker.col()),
            }
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        self.offset(&span.start)..self.offset(&span.end)
    }

    fn scan_error(&self, error: &ScanError) -> ParseError {
        let at = self.offset(error.marker());
        ParseError::new(format!("invalid YAML: {}", error.info()), at..at)
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), ParseError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                let span = self.span(&span);
                Ok((event, span))
            }
            Some(Err(error)) => Err(self.scan_error(&error)),
            None => Err(ParseError::new(
                "invalid YAML: unexpected end of input",
                0..0,
            )),
        }
    }

    fn stream(&mut self, parsed: &mut ParsedFile) -> Result<(), ParseError> {
        let mut index = 0;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    let (event, span) = self.next()?;
                    let (value, map, _) = self.node(event, span, 0)?;
                    let (end, _) = self.next()?;
                    debug_assert!(matches!(end, Event::DocumentEnd));
                    if !self.document_errors.is_empty() {
                        parsed.errors.append(&mut self.document_errors);
                    } else if !value.is_null() {
                        parsed.documents.push(Document {
                            kind: Kind::Yaml,
                            index,
                            anchor: document_anchor(&map),
                            value,
                            map,
                        });
                    }
                    index += 1;
                }
                Event::StreamStart | Event::Nothing => {}
                _ => {
                    return Err(ParseError::new("invalid YAML: unexpected event", span));
                }
            }
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Built, ParseError> {
        if depth > super::MAX_DEPTH {
            return Err(ParseError::new(
                format!("YAML nested deeper than {} levels", super::MAX_DEPTH),
                span,
            ));
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = self.scalar(&text, style, tag.as_deref());
                Ok(self.anchor(anchor, (value, Node::leaf(span), 1)))
            }
            Event::SequenceStart(anchor, _) => {
                let built = self.sequence(span, depth)?;
                Ok(self.anchor(anchor, built))
            }
            Event::MappingStart(anchor, _) => {
                let built = self.mapping(span, depth)?;
                Ok(self.anchor(anchor, built))
            }
            Event::Alias(id) => {
                let Some((value, node, count)) = self.anchors.get(&id).cloned() else {
                    return Err(ParseError::new("YAML alias to an unknown anchor", span));
                };
                self.expanded += count;
                if self.expanded > MAX_EXPANDED_NODES {
                    return Err(ParseError::new(
                        format!("YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes"),
                        span,
                    ));
                }
                Ok((value, Node { span, ..node }, count))
            }
            _ => Err(ParseError::new("invalid YAML: unexpected event", span)),
        }
    }

    fn anchor(&mut self, anchor: usize, built: Built) -> Built {
        if anchor > 0 {
            self.anchors.insert(anchor, built.clone());
        }
        built
    }

    fn sequence(&mut self, start: Span, depth: usize) -> Result<Built, ParseError> {
        let mut values = Vec::new();
        let mut nodes = Vec::new();
        let mut count = 1;
        let mut end = start.end;
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                end = closing_end(end, &span);
                break;
            }
            let (value, node, n) = self.node(event, span, depth + 1)?;
            end = end.max(node.span.end);
            count += n;
            values.push(value);
            if self.options.source_map {
                nodes.push(node);
            }
        }
        let node = Node {
            key: None,
            span: start.start..end,
            children: Children::Array(nodes),
        };
        Ok((Value::Array(values), node, count))
    }

    fn mapping(&mut self, start: Span, depth: usize) -> Result<Built, ParseError> {
        let mut object = Map::new();
        let mut members: Vec<(String, Node)> = Vec::new();
        let mut merges = Vec::new();
        let mut count = 1;
        let mut end = start.end;
        loop {
            let (event, key_span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                end = closing_end(end, &key_span);
                break;
            }
            let merge =
                matches!(&event, Event::Scalar(k, ScalarStyle::Plain, _, None) if k == "<<");
            let (key_value, _, _) = self.node(event, key_span.clone(), depth + 1)?;
            let (event, span) = self.next()?;
            let (value, mut node, n) = self.node(event, span, depth + 1)?;
            end = end.max(node.span.end);
            count += n;
            if merge {
                merges.push((value, node));
                continue;
            }
            let key = self.key_string(key_value);
            if object.contains_key(&key) {
                let first = members
                    .iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, n)| n.key.clone());
                let hint = first.map_or(String::new(), |s| {
                    let line = self.text[..s.start.saturating_sub(self.base)]
                        .matches('\n')
                        .count()
                        + 1;
                    format!(" (first defined on line {line})")
                });
                self.document_errors.push(ParseError::new(
                    format!("duplicate key `{key}` in a YAML mapping{hint}"),
                    key_span,
                ));
                continue;
            }
            if self.options.source_map {
                node.key = Some(key_span);
                members.push((key.clone(), node));
            }
            object.insert(key, value);
        }
        for (value, node) in merges {
            self.merge(&mut object, &mut members, value, node);
        }
        let node = Node {
            key: None,
            span: start.start..end,
            children: Children::Object(members),
        };
        Ok((Value::Object(object), node, count))
    }

    /// Applies a `<<` merge: keys written in the mapping win over merged ones, and earlier
    /// merge sources win over later ones.
    fn merge(
        &mut self,
        object: &mut Map<String, Value>,
        members: &mut Vec<(String, Node)>,
        value: Value,
        node: Node,
    ) {
        match (value, node.children) {
            (Value::Object(source), Children::Object(source_members)) => {
                let mut source_members: HashMap<String, Node> =
                    source_members.into_iter().collect();
                for (key, value) in source {
                    if object.contains_key(&key) {
                        continue;
                    }
                    if let Some(member) = source_members.remove(&key) {
                        members.push((key.clone(), member));
                    }
                    object.insert(key, value);
                }
            }
            (Value::Object(source), Children::Leaf) => {
                for (key, value) in source {
                    object.entry(key).or_insert(value);
                }
            }
            (Value::Array(sources), children) => {
                let mut nodes = match children {
                    Children::Array(nodes) => nodes,
                    _ => Vec::new(),
                };
                nodes.resize(sources.len(), Node::default());
                for (value, node) in sources.into_iter().zip(nodes) {
                    self.merge(object, members, value, node);
                }
            }
            (_, _) => self.document_errors.push(ParseError::new(
                "a YAML merge key `<<` needs a mapping or a list of mappings",
                node.span,
            )),
        }
    }

    fn key_string(&self, key: Value) -> String {
        match key {
            Value::String(s) => s,
            Value::Null => "null".into(),
            other => other.to_string(),
        }
    }

    fn scalar(&self, text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
        let core_tag = tag
            .filter(|t| t.is_yaml_core_schema())
            .map(|t| t.suffix.as_str());
        if style != ScalarStyle::Plain || core_tag == Some("str") {
            return Value::String(text.to_string());
        }
        resolve_plain(text, self.options.dialect)
    }
}

/// Where a collection ends: at its `]` or `}` in flow style; in block style the end event
/// sits on the next token, so the collection ends with its last child.
fn closing_end(last_child_end: usize, closing: &Span) -> usize {
    if closing.end > closing.start {
        last_child_end.max(closing.end)
    } else {
        last_child_end
    }
}

/// The YAML core schema (1.2), or the 1.1 booleans on top of it.
fn resolve_plain(text: &str, dialect: Dialect) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if dialect == Dialect::Yaml11 {
        match text {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Value::Bool(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Value::Bool(false),
            _ => {}
        }
    }
    number(text).unwrap_or_else(|| Value::String(text.to_string()))
}

fn number(text: &str) -> Option<Value> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    let unsigned = text.trim_start_matches(['-', '+']);
    if let Some(hex) = unsigned.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    if let Some(octal) = unsigned.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok().map(Value::from);
    }
    let is_decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if is_decimal(digits) {
        let cleaned = text.trim_start_matches('+');
        return cleaned
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| cleaned.parse::<u64>().map(Value::from))
            .ok()
            .or_else(|| cleaned.parse::<f64>().ok().and_then(float));
    }
    let valid_float = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if valid_float {
        return text
            .trim_start_matches('+')
            .parse::<f64>()
            .ok()
            .and_then(float);
    }
    None
}

fn float(f: f64) -> Option<Value> {
    serde_json::Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(text: &str) -> Vec<Value> {
        let parsed = parse(text, Options::default());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed.documents.into_iter().map(|d| d.value).collect()
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let v = values("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: on\ng: 0x1f\nh: 1.2.3\ni: -7\n");
        assert_eq!(
            v[0],
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "1", "f": "on", "g": 31, "h": "1.2.3", "i": -7})
        );
    }

    #[test]
    fn yaml11_reads_on_as_true() {
        let options = Options {
            dialect: Dialect::Yaml11,
            ..Options::default()
        };
        let parsed = parse("on: push\nx: yes\n", options);
        assert_eq!(
            parsed.documents[0].value,
            json!({"true": "push", "x": true})
        );
    }

    #[test]
    fn multi_document_keeps_indices_from_the_top_of_the_file() {
        let text = "a: 1\n---\n---\nb: 2\n";
        let parsed = parse(text, Options::default());
        let indices: Vec<usize> = parsed.documents.iter().map(|d| d.index).collect();
        assert_eq!(indices, [0, 2]);
        let b = parsed.documents[1].map.child_key("b").unwrap();
        assert_eq!(&text[b.key.clone().unwrap()], "b");
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &base\n  image: nginx\n  port: 80\nsvc:\n  <<: *base\n  port: 8080\n";
        let parsed = parse(text, Options::default());
        let doc = &parsed.documents[0];
        assert_eq!(doc.value["svc"], json!({"port": 8080, "image": "nginx"}));
        let image = doc
            .map
            .child_key("svc")
            .unwrap()
            .child_key("image")
            .unwrap();
        assert_eq!(&text[image.key.clone().unwrap()], "image");
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_location() {
        let text = "a: 1\nb: 2\na: 3\n";
        let parsed = parse(text, Options::default());
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.errors[0].span, 10..11);
        assert_eq!(
            parsed.errors[0].message,
            "duplicate key `a` in a YAML mapping (first defined on line 1)"
        );
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let parsed = parse("a: [1, 2\nb: 3\n", Options::default());
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(300) + &"]".repeat(300);
        let parsed = parse(&text, Options::default());
        assert!(parsed.documents.is_empty());
        assert!(
            parsed.errors[0].message.contains("limit"),
            "{:?}",
            parsed.errors
        );
    }

    #[test]
    fn spans_are_bytes_after_multibyte_characters() {
        let text = "name: ünïcode\nimage: x\n";
        let parsed = parse(text, Options::default());
        let image = parsed.documents[0].map.child_key("image").unwrap();
        assert_eq!(&text[image.span.clone()], "x");
    }
}
