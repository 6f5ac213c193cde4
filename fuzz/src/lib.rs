//! What the fuzz targets share: turning fuzzer bytes into a file's text the way paved reads
//! files, and the properties every parse must keep. A property that fails panics, which is
//! what libFuzzer reports as a crash.

use paved::parse::{self, Children, Format, Kind, Node, ParsedFile, PathSegment};
use serde_json::Value;

/// The text paved would parse: invalid UTF-8 and NUL bytes are refused before any parser.
pub fn text(data: &[u8]) -> Option<&str> {
    parse::decode(data).ok()
}

/// For targets whose first byte picks a variant: that byte, and the text of the rest.
pub fn chosen_text(data: &[u8]) -> Option<(u8, &str)> {
    let (&first, rest) = data.split_first()?;
    Some((first, text(rest)?))
}

/// The YAML dialect a first byte picks: 1.2 (`paved lint`) or 1.1 (`paved test`).
pub fn dialect(first: u8) -> parse::Dialect {
    if first.is_multiple_of(2) {
        parse::Dialect::Yaml12
    } else {
        parse::Dialect::Yaml11
    }
}

/// Parses with one of the span-mapped formats and checks the result.
pub fn parse_checked(
    text: &str,
    format: Format,
    kind: Kind,
    dialect: parse::Dialect,
) -> ParsedFile {
    let options = parse::Options {
        dialect,
        ..Default::default()
    };
    let parsed = parse::parse(text, format, kind, options);
    errors_inside(text, &parsed);
    parsed
}

/// Every parse error points inside the text (or just past its end), where a location can be
/// shown.
pub fn errors_inside(text: &str, parsed: &ParsedFile) {
    for error in &parsed.errors {
        let span = &error.span;
        assert!(
            span.start <= span.end && span.start <= text.len(),
            "error span {span:?} outside a text of {} bytes: {}",
            text.len(),
            error.message
        );
    }
}

/// The source map fits the document: every span lies inside the text on character
/// boundaries, and every path into the value resolves to a node of that path, or with
/// `exact` false (a Dockerfile maps an instruction, not each of its fields) to an ancestor.
pub fn map_fits_value(text: &str, parsed: &ParsedFile, exact: bool) {
    for document in &parsed.documents {
        spans_inside(text, &document.map);
        spans_inside(text, &Node::leaf(document.anchor.clone()));
        paths_resolve(&document.value, &document.map, &mut Vec::new(), exact);
    }
}

fn spans_inside(text: &str, node: &Node) {
    for span in node.key.iter().chain([&node.span]) {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside a text of {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} splits a character"
        );
    }
    match &node.children {
        Children::Object(members) => members.iter().for_each(|(_, n)| spans_inside(text, n)),
        Children::Array(items) => items.iter().for_each(|n| spans_inside(text, n)),
        Children::Leaf => {}
    }
}

fn paths_resolve(value: &Value, root: &Node, path: &mut Vec<PathSegment>, exact: bool) {
    let resolved = root.resolve(path);
    if exact {
        assert_eq!(
            resolved.matched,
            path.len(),
            "the source map has no node for {path:?}"
        );
    }
    match value {
        Value::Object(members) => {
            for (key, child) in members {
                path.push(PathSegment::Key(key.clone()));
                paths_resolve(child, root, path, exact);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(PathSegment::Index(index));
                paths_resolve(child, root, path, exact);
                path.pop();
            }
        }
        _ => {}
    }
}
