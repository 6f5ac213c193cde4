//! YAML through `saphyr-parser` events: the value and its source map in one pass.
//! Anchors and aliases are expanded, merge keys applied, duplicate keys refused.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, StrInput, Tag};
use serde_json::Value;

use super::projection::Projection;
use super::reindent::{self, Padding};
use super::sourcemap::{Children, Node};
use super::tree::{MergeSource, Tree};
use super::{
    document_anchor, out_of_range, strip_bom, Dialect, Document, Kind, Options, ParseError,
    ParsedFile,
};
use crate::source::Span;

/// Alias expansion beyond this many nodes is refused (a "billion laughs" file).
const MAX_EXPANDED_NODES: usize = 1_000_000;
/// Alias expansion beyond this much scalar text is refused too: a few aliases of one large
/// string are few nodes but many bytes (1 MB aliased 20,000 times is 20 GB).
const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// A collection used as a key becomes its JSON text, which escapes the text of the keys
/// inside it: nested such keys double in length at every level, so a few hundred bytes
/// would spell gigabytes. Longer keys are refused.
const MAX_KEY_BYTES: usize = 64 * 1024;

/// Parses YAML as libyaml accepts it: a file that fails only on the indentation of the lines
/// continuing a flow collection or a quoted scalar is read again with them indented (see
/// [`reindent`]); any other error, or one that remains, is the error as first found.
pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let (mut parsed, fatal) = build(body, body, None, bom, options);
    let Some(fatal) = fatal else {
        return parsed;
    };
    if fatal.message.contains("indentation") {
        if let Some((padded, padding)) = reindent::pad(body) {
            if let (retried, None) = build(body, &padded, Some(&padding), bom, options) {
                return retried;
            }
        }
    }
    parsed.errors.push(fatal);
    parsed
}

/// The documents of `text` as regorus values, as `paved test` evaluates them (null
/// documents left out, as [`parse`] leaves them out), without source maps; `None` when the
/// text has an error or a key only a `serde_json` value words (a mapping or a number used
/// through an alias): then [`parse`] finds the error with its message and place, or makes
/// the values to convert.
///
/// With a projection, only what it keeps is built ([`Projection::document`] of the whole
/// documents); the rest is read and checked all the same, so a text is refused exactly when
/// it is refused whole. Where an anchor, alias or merge key meets what is left out, the
/// documents are built whole and then projected.
pub fn regorus_documents(
    text: &str,
    options: Options,
    projection: Option<&Projection>,
) -> Option<Vec<regorus::Value>> {
    let Some(projection) = projection.filter(|p| **p != Projection::All) else {
        return read_regorus(text, options, None);
    };
    if let Some(documents) = read_regorus(text, options, Some(projection)) {
        return Some(documents);
    }
    let whole = read_regorus(text, options, None)?;
    Some(whole.iter().map(|d| projection.document(d)).collect())
}

fn read_regorus(
    text: &str,
    options: Options,
    projection: Option<&Projection>,
) -> Option<Vec<regorus::Value>> {
    let (body, bom) = strip_bom(text);
    let options = Options {
        source_map: false,
        ..options
    };
    let mut builder = Builder::<regorus::Value>::new(body, body, None, bom, options);
    // An error here only sends the text to `parse`: no position is ever shown.
    builder.positions = false;
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    builder
        .stream(&mut documents, &mut errors, projection)
        .ok()?;
    errors
        .is_empty()
        .then(|| documents.into_iter().map(|(_, value, _)| value).collect())
}

/// Parses `read` (the text as written, or padded), reporting spans in `text` as written:
/// the documents and their errors, and the error that stopped the parser, if one did.
fn build(
    text: &str,
    read: &str,
    padding: Option<&Padding>,
    base: usize,
    options: Options,
) -> (ParsedFile, Option<ParseError>) {
    let mut builder = Builder::<Value>::new(text, read, padding, base, options);
    let mut documents = Vec::new();
    let mut parsed = ParsedFile::default();
    let fatal = builder
        .stream(&mut documents, &mut parsed.errors, None)
        .err();
    parsed.documents = documents
        .into_iter()
        .map(|(index, value, map)| Document {
            kind: Kind::Yaml,
            index,
            anchor: document_anchor(&map),
            value,
            map,
        })
        .collect();
    (parsed, fatal)
}

struct Builder<'a, T: Tree> {
    parser: Parser<'a, StrInput<'a>>,
    /// The text as written (the parser may read it padded).
    text: &'a str,
    offsets: CharOffsets<'a>,
    /// The spaces added to the text the parser reads, if any.
    padding: Option<&'a Padding>,
    base: usize,
    options: Options,
    /// Whether events' positions are turned into spans (else every span is empty).
    positions: bool,
    anchors: HashMap<usize, Built<T>>,
    document_errors: Vec<ParseError>,
    /// What aliases have copied so far in this file.
    expanded: Size,
    /// Lists for the keys of mappings read and not built, reused (duplicates are found in
    /// them as they would be in a built mapping).
    key_lists: Vec<Vec<Cow<'a, str>>>,
}

/// How much a built node holds: its nodes and the bytes of its scalars.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl std::ops::AddAssign for Size {
    fn add_assign(&mut self, other: Size) {
        self.nodes += other.nodes;
        self.bytes += other.bytes;
    }
}

type Built<T> = (T, Node, Size);

/// A document as the stream gives it: its index in the file, its value and its map.
type BuiltDocument<T> = (usize, T, Node);

impl<'a, T: Tree> Builder<'a, T> {
    fn new(
        text: &'a str,
        read: &'a str,
        padding: Option<&'a Padding>,
        base: usize,
        options: Options,
    ) -> Self {
        Builder {
            parser: Parser::new_from_str(read),
            text,
            offsets: CharOffsets::new(read),
            padding,
            base,
            options,
            positions: true,
            anchors: HashMap::new(),
            document_errors: Vec::new(),
            expanded: Size::default(),
            key_lists: Vec::new(),
        }
    }

    fn offset(&self, marker: &saphyr_parser::Marker) -> usize {
        let read = self.offsets.byte(marker.index());
        self.base + self.padding.map_or(read, |p| p.original(read))
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
                let span = if self.positions {
                    self.span(&span)
                } else {
                    0..0
                };
                Ok((event, span))
            }
            Some(Err(error)) => Err(self.scan_error(&error)),
            None => Err(ParseError::new(
                "invalid YAML: unexpected end of input",
                0..0,
            )),
        }
    }

    /// Reads the stream: the documents that are not null, and the errors of the others.
    fn stream(
        &mut self,
        documents: &mut Vec<BuiltDocument<T>>,
        errors: &mut Vec<ParseError>,
        projection: Option<&Projection>,
    ) -> Result<(), ParseError> {
        let mut index = 0;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    let (event, span) = self.next()?;
                    let (value, map, _) = self.node(event, span, 0, projection)?;
                    let (end, _) = self.next()?;
                    debug_assert!(matches!(end, Event::DocumentEnd));
                    if !self.document_errors.is_empty() {
                        errors.append(&mut self.document_errors);
                    } else if !value.is_null() {
                        documents.push((index, value, map));
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

    /// Builds a node: whole, or only what `projection` keeps of it when it is a mapping (or
    /// the document's top-level list, whose elements are the inputs).
    fn node(
        &mut self,
        event: Event<'a>,
        span: Span,
        depth: usize,
        projection: Option<&Projection>,
    ) -> Result<Built<T>, ParseError> {
        check_depth(depth, &span)?;
        let projection = projection.filter(|p| **p != Projection::All);
        let built_in_part = projection.is_some()
            && match &event {
                Event::MappingStart(anchor, _) => *anchor > 0,
                Event::SequenceStart(anchor, _) => *anchor > 0 && depth == 0,
                _ => false,
            };
        if built_in_part {
            // An alias of a node built in part would copy the part: build the whole text.
            return Err(gives_way());
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let size = Size {
                    nodes: 1,
                    bytes: text.len(),
                };
                let value = match self.scalar(&text, style, tag.as_deref(), &span) {
                    Scalar::Text => T::string(&text),
                    Scalar::Resolved(value) => T::scalar(value),
                };
                Ok(self.anchor(anchor, (value, Node::leaf(span), size)))
            }
            Event::SequenceStart(anchor, _) => {
                let items = projection.filter(|_| depth == 0);
                let built = self.sequence(span, depth, items)?;
                Ok(self.anchor(anchor, built))
            }
            Event::MappingStart(anchor, _) => {
                let built = self.mapping(span, depth, projection)?;
                Ok(self.anchor(anchor, built))
            }
            Event::Alias(id) => {
                let Some(&(_, _, size)) = self.anchors.get(&id) else {
                    return Err(ParseError::new("YAML alias to an unknown anchor", span));
                };
                self.expanded += size;
                if self.expanded.nodes > MAX_EXPANDED_NODES {
                    return Err(ParseError::new(
                        format!("YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes"),
                        span,
                    ));
                }
                if self.expanded.bytes > MAX_EXPANDED_BYTES {
                    return Err(ParseError::new(
                        format!(
                            "YAML aliases expand to more than {} MiB of text",
                            MAX_EXPANDED_BYTES / (1024 * 1024)
                        ),
                        span,
                    ));
                }
                let (value, node, size) = self.anchors[&id].clone();
                Ok((value, Node { span, ..node }, size))
            }
            _ => Err(ParseError::new("invalid YAML: unexpected event", span)),
        }
    }

    fn anchor(&mut self, anchor: usize, built: Built<T>) -> Built<T> {
        if anchor > 0 {
            self.anchors.insert(anchor, built.clone());
        }
        built
    }

    fn sequence(
        &mut self,
        start: Span,
        depth: usize,
        items: Option<&Projection>,
    ) -> Result<Built<T>, ParseError> {
        let mut values = Vec::new();
        let mut nodes = Vec::new();
        let mut size = Size { nodes: 1, bytes: 0 };
        let mut end = start.end;
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                end = closing_end(end, &span);
                break;
            }
            let (value, node, n) = self.node(event, span, depth + 1, items)?;
            end = end.max(node.span.end);
            size += n;
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
        Ok((T::array(values), node, size))
    }

    fn mapping(
        &mut self,
        start: Span,
        depth: usize,
        projection: Option<&Projection>,
    ) -> Result<Built<T>, ParseError> {
        let mut object = T::Map::default();
        let mut members: Vec<(String, Node)> = Vec::new();
        let mut merges = Vec::new();
        let mut size = Size { nodes: 1, bytes: 0 };
        let mut end = start.end;
        // The keys no policy reads, to find one written twice (only with a projection).
        let mut left_out = projection.map(|_| self.key_lists.pop().unwrap_or_default());
        loop {
            let (event, key_span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                end = closing_end(end, &key_span);
                break;
            }
            let merge = is_merge_key(&event);
            if merge && projection.is_some() {
                return Err(gives_way());
            }
            let (key, key_size) = self.key(event, key_span.clone(), depth + 1)?;
            let (event, span) = self.next()?;
            let projection = match projection {
                None => None,
                Some(projection) => match projection.under(&key) {
                    Some(kept) => Some(kept),
                    None => {
                        self.skip(event, span, depth + 1)?;
                        if let Some(keys) = left_out.as_mut() {
                            keys.push(key);
                        }
                        continue;
                    }
                },
            };
            let (value, mut node, n) = self.node(event, span, depth + 1, projection)?;
            end = end.max(node.span.end);
            size += key_size;
            size += n;
            if merge {
                merges.push((value, node));
                continue;
            }
            // One lookup per key: the value goes in, or the key is a duplicate.
            let kept = self.options.source_map.then(|| key.to_string());
            let key = match T::insert_new(&mut object, &key, value) {
                Ok(()) => kept,
                Err(value) if self.options.last_duplicate_wins => {
                    members.retain(|(k, _)| **k != *key);
                    T::replace(&mut object, &key, value);
                    kept
                }
                Err(_) => {
                    let error = self.duplicate(&key, &members, key_span);
                    self.document_errors.push(error);
                    continue;
                }
            };
            if let Some(key) = key {
                node.key = Some(key_span);
                members.push((key, node));
            }
        }
        if let Some(keys) = left_out {
            self.give_back(keys)?;
        }
        for (value, node) in merges {
            self.merge(&mut object, &mut members, value, node);
        }
        let node = Node {
            key: None,
            span: start.start..end,
            children: Children::Object(members),
        };
        Ok((T::object(object), node, size))
    }

    /// A mapping key's text and size. A scalar's text is worded from the scalar itself (a
    /// key is a string in either tree); a key that is a collection or an alias is built as a
    /// value and worded by the tree, an error where the tree cannot word it.
    fn key(
        &mut self,
        event: Event<'a>,
        span: Span,
        depth: usize,
    ) -> Result<(Cow<'a, str>, Size), ParseError> {
        if let Event::Scalar(text, style, 0, tag) = event {
            check_depth(depth, &span)?;
            let size = Size {
                nodes: 1,
                bytes: text.len(),
            };
            let key = match self.scalar(&text, style, tag.as_deref(), &span) {
                Scalar::Text => text,
                Scalar::Resolved(value) => Cow::Owned(json_key(value)),
            };
            return Ok((key, size));
        }
        let (value, _, size) = self.node(event, span.clone(), depth, None)?;
        let key = value.key_text().ok_or_else(|| {
            ParseError::new(
                "a YAML key only the `serde_json` reader words",
                span.clone(),
            )
        })?;
        if key.len() > MAX_KEY_BYTES {
            return Err(ParseError::new(
                format!(
                    "a YAML key (a collection used as a key) longer than {} KiB as text",
                    MAX_KEY_BYTES / 1024
                ),
                span,
            ));
        }
        Ok((Cow::Owned(key), size))
    }

    /// Reads a value no policy reads, checked as it would be built (its depth, numbers in
    /// range, no key twice in a mapping) but not built. An anchor or alias inside gives way
    /// to building the whole text, as its aliases need it and limit what they copy.
    fn skip(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<(), ParseError> {
        check_depth(depth, &span)?;
        match event {
            Event::Scalar(text, style, 0, tag) => {
                self.scalar(&text, style, tag.as_deref(), &span);
                Ok(())
            }
            Event::SequenceStart(0, _) => loop {
                let (event, span) = self.next()?;
                if matches!(event, Event::SequenceEnd) {
                    return Ok(());
                }
                self.skip(event, span, depth + 1)?;
            },
            Event::MappingStart(0, _) => {
                let mut keys = self.key_lists.pop().unwrap_or_default();
                let read = self.skip_members(&mut keys, depth);
                let checked = self.give_back(keys);
                read.and(checked)
            }
            _ => Err(gives_way()),
        }
    }

    /// The members of a mapping [`Builder::skip`] reads, their keys gathered in `keys`.
    fn skip_members(
        &mut self,
        keys: &mut Vec<Cow<'a, str>>,
        depth: usize,
    ) -> Result<(), ParseError> {
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                return Ok(());
            }
            if is_merge_key(&event) {
                return Err(gives_way());
            }
            let (key, _) = self.key(event, span, depth + 1)?;
            keys.push(key);
            let (event, span) = self.next()?;
            self.skip(event, span, depth + 1)?;
        }
    }

    /// Gives a list of keys back for the next mapping; an error (the text is then built
    /// whole, which words it) when a key is there twice where that is an error.
    fn give_back(&mut self, mut keys: Vec<Cow<'a, str>>) -> Result<(), ParseError> {
        let repeated = !self.options.last_duplicate_wins && {
            keys.sort_unstable();
            keys.windows(2).any(|pair| pair[0] == pair[1])
        };
        keys.clear();
        self.key_lists.push(keys);
        if repeated {
            return Err(gives_way());
        }
        Ok(())
    }

    /// The error for a key written twice, with the line of the first when it is known.
    fn duplicate(&self, key: &str, members: &[(String, Node)], at: Span) -> ParseError {
        let first = members
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, n)| n.key.clone());
        let hint = first.map_or(String::new(), |s| {
            let line = self.text[..s.start.saturating_sub(self.base)]
                .matches('\n')
                .count()
                + 1;
            format!(" (first defined on line {line})")
        });
        ParseError::new(format!("duplicate key `{key}` in a YAML mapping{hint}"), at)
    }

    /// Applies a `<<` merge: keys written in the mapping win over merged ones, and earlier
    /// merge sources win over later ones.
    fn merge(
        &mut self,
        object: &mut T::Map,
        members: &mut Vec<(String, Node)>,
        value: T,
        node: Node,
    ) {
        match (value.merge_source(), node.children) {
            (MergeSource::Object(source), Children::Object(source_members)) => {
                let mut source_members: HashMap<String, Node> =
                    source_members.into_iter().collect();
                for (key, value) in source {
                    if T::contains(object, &key) {
                        continue;
                    }
                    T::replace(object, &key, value);
                    if let Some(member) = source_members.remove(&key) {
                        members.push((key, member));
                    }
                }
            }
            (MergeSource::Object(source), Children::Leaf) => {
                for (key, value) in source {
                    if !T::contains(object, &key) {
                        T::replace(object, &key, value);
                    }
                }
            }
            (MergeSource::Array(sources), children) => {
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

    /// What a scalar is: its text, or the value its plain text resolves to. A number out of
    /// range is an error of the document (and null).
    fn scalar(&mut self, text: &str, style: ScalarStyle, tag: Option<&Tag>, span: &Span) -> Scalar {
        let core_tag = tag
            .filter(|t| t.is_yaml_core_schema())
            .map(|t| t.suffix.as_str());
        if style != ScalarStyle::Plain || core_tag == Some("str") {
            return Scalar::Text;
        }
        match resolve_plain(text, self.options.dialect) {
            Ok(Some(value)) => Scalar::Resolved(value),
            Ok(None) => Scalar::Text,
            Err(()) => {
                self.document_errors.push(out_of_range(text, span.clone()));
                Scalar::Resolved(Value::Null)
            }
        }
    }
}

enum Scalar {
    /// The scalar's own text, a string.
    Text,
    Resolved(Value),
}

/// A `<<` key, whose value is merged into its mapping.
fn is_merge_key(event: &Event<'_>) -> bool {
    matches!(event, Event::Scalar(k, ScalarStyle::Plain, _, None) if k == "<<")
}

/// What stops building a projection: the text is then built whole, which finds the error
/// if there is one. Never shown.
fn gives_way() -> ParseError {
    ParseError::new("built whole instead", 0..0)
}

/// A resolved scalar as a key: `serde_json`'s wording (`1`, `true`), null as `null`.
fn json_key(value: Value) -> String {
    value.key_text().unwrap_or_default()
}

fn check_depth(depth: usize, span: &Span) -> Result<(), ParseError> {
    if depth > super::MAX_DEPTH {
        return Err(ParseError::new(
            format!("YAML nested deeper than {} levels", super::MAX_DEPTH),
            span.clone(),
        ));
    }
    Ok(())
}

/// Byte offsets of the parser's marks, which count characters. A text that is all ASCII
/// needs no conversion; otherwise a cursor moves from the last mark converted to the next:
/// marks come nearly in order, so each takes a few steps rather than a scan of its line.
struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    /// The last mark converted: (characters, bytes) from the start of the text.
    cursor: Cell<(usize, usize)>,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            cursor: Cell::new((0, 0)),
        }
    }

    /// The byte offset of a character index (the end of the text past its last character).
    fn byte(&self, index: usize) -> usize {
        if self.ascii {
            return index;
        }
        let (mut chars, mut bytes) = self.cursor.get();
        // Between two marks the text is nearly always ASCII: one byte a character.
        let ascii = |range: Span| {
            self.text
                .as_bytes()
                .get(range)
                .is_some_and(<[u8]>::is_ascii)
        };
        if index >= chars && ascii(bytes..bytes + (index - chars)) {
            bytes += index - chars;
            chars = index;
        } else if index < chars && chars - index <= bytes && ascii(bytes - (chars - index)..bytes) {
            bytes -= chars - index;
            chars = index;
        }
        while chars < index {
            let Some(c) = self.text[bytes..].chars().next() else {
                break;
            };
            bytes += c.len_utf8();
            chars += 1;
        }
        while chars > index {
            let Some(c) = self.text[..bytes].chars().next_back() else {
                break;
            };
            bytes -= c.len_utf8();
            chars -= 1;
        }
        self.cursor.set((chars, bytes));
        bytes
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

/// The YAML core schema (1.2), or the 1.1 booleans on top of it: `None` for a string.
fn resolve_plain(text: &str, dialect: Dialect) -> Result<Option<Value>, ()> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Some(Value::Null)),
        "true" | "True" | "TRUE" => return Ok(Some(Value::Bool(true))),
        "false" | "False" | "FALSE" => return Ok(Some(Value::Bool(false))),
        _ => {}
    }
    if dialect == Dialect::Yaml11 {
        match text {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                return Ok(Some(Value::Bool(true)))
            }
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                return Ok(Some(Value::Bool(false)))
            }
            _ => {}
        }
    }
    number(text)
}

/// A plain scalar that has the shape of a number, or `None`; `Err` when it is too large.
fn number(text: &str) -> Result<Option<Value>, ()> {
    let Some(first) = text.as_bytes().first() else {
        return Ok(None);
    };
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Ok(None);
    }
    let (negative, unsigned) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let radix = [("0x", 16), ("0o", 8)]
        .into_iter()
        .find_map(|(prefix, radix)| Some((unsigned.strip_prefix(prefix)?, radix)));
    if let Some((digits, radix)) = radix {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return Ok(None);
        }
        let magnitude = i128::from_str_radix(digits, radix).map_err(drop)?;
        let signed = if negative { -magnitude } else { magnitude };
        return i64::try_from(signed)
            .map(|n| Some(Value::from(n)))
            .map_err(drop);
    }
    let is_decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let cleaned = text.trim_start_matches('+');
    if is_decimal(unsigned) {
        let integer = cleaned
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| cleaned.parse::<u64>().map(Value::from));
        if let Ok(integer) = integer {
            return Ok(Some(integer));
        }
    } else if !is_float(unsigned) {
        return Ok(None);
    }
    let float = cleaned.parse::<f64>().map_err(drop)?;
    serde_json::Number::from_f64(float)
        .map(|n| Some(Value::Number(n)))
        .ok_or(())
}

/// The core schema's float: `( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`.
fn is_float(text: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let whole = digits(text);
    let mut rest = &text[whole..];
    let mut fraction = 0;
    if let Some(after) = rest.strip_prefix('.') {
        fraction = digits(after);
        rest = &after[fraction..];
    } else if whole == 0 {
        return false;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    match rest.strip_prefix(['e', 'E']) {
        None => rest.is_empty(),
        Some(exponent) => {
            let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
            !exponent.is_empty() && digits(exponent) == exponent.len()
        }
    }
}

/// What saphyr reads from `text` as a `&str` and as characters one at a time: each event
/// with its span, and the error that ends them. saphyr-parser is patched to read runs of
/// characters at once from a `&str` (vendor/saphyr-parser.patch); the two must be equal.
#[doc(hidden)]
pub fn scanner_events(text: &str) -> (Vec<String>, Vec<String>) {
    fn events<T: saphyr_parser::Input>(mut parser: Parser<'_, T>) -> Vec<String> {
        let mut seen = Vec::new();
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => seen.push(format!("{event:?} {span:?}")),
                Err(error) => {
                    seen.push(format!("{error} at {:?}", error.marker()));
                    break;
                }
            }
        }
        seen
    }
    (
        events(Parser::new_from_str(text)),
        events(Parser::new_from_iter(text.chars())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::to_regorus;
    use crate::source::SourceFile;
    use serde_json::json;

    /// saphyr-parser is patched (vendor/saphyr-parser.patch) to read runs of characters at
    /// once from a `&str`; from a character iterator it reads one at a time as released. The
    /// two must agree, events, spans and errors, on every input (so does the fuzz target
    /// `yaml_scanner`).
    #[test]
    fn the_patched_scanner_reads_a_str_as_it_reads_characters() {
        let deep = format!(
            "{}k: |\n{}deep block\n{}  more\n",
            " ".repeat(30),
            " ".repeat(32),
            " ".repeat(32)
        );
        let mut texts: Vec<String> = [
            "a: plain words here\nb: c\n",
            "a:b c:d e: f\n",
            "k: value # comment\nl: value#not comment\n",
            "k: one  two   three\n",
            "k: multi\n  line plain\n  scalar\nnext: x\n",
            "k: multi\n# comment\n  continued\n",
            "k: text\n  # comment between\nnext: x\n",
            "- a b\n- c: d e\n  f: g h\n- - nested seq\n",
            "f: [a b, c d, e:f, 'q r']\ng: {a: b c, d: e f}\n",
            "f: [a -, b]\n",
            "f: [a - , b]\n",
            "t: a\tb\n",
            "t:\ta\n",
            "\tt: a\n",
            "k: v\n\t\nl: w\n",
            "u: ünïcode wörds ✓ here\nv: naïve: yes\n",
            "crlf: a b\r\nnext: c d\r\n",
            "--- a b\n...\n--- c\n",
            "k: a\n--- \nl: b\n",
            "lit: |\n  one\n   two\n\n  three\nfold: >-\n  a\n  b\n\n  c\n",
            "lit: |2\n    indented\n  two\n",
            "lit: |\n  ünïcode line\n  ascii line\n",
            "lit: |\n  a\n b\n",
            "key:\nvalue words\n",
            "a:\n  b:\n    c: deep words\n   d: less\n",
            "k: \u{feff}bom\n",
            "k: x\u{0}y\n",
            "k: 'single quoted words'\nl: \"double \\\" words\"\n",
            "? complex key\n: complex value words\n",
            "&anchor a: *alias b\n",
            "!!str tagged: !custom value words\n",
            "k: trailing spaces   \nl: x\n",
            "k: a :b\nl: a : b\n",
            "k: a #b\n",
            "k: -a - b -\n",
            "{a: b\n",
            "k: [a,\n b c]\n",
            "  - a\n  - b c\n - d\n",
            // Released, a `&str` counted a directive's non-ASCII name in bytes: positions after
            // it were off (found by the fuzz target).
            "%\u{713}",
            "%TÄG x ÿ\n--- a\n",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.push(deep);
        // Past 126 columns the scanner takes another path through block scalar indentation.
        texts.push(format!("k: |\n{0}a\n{0}  b\n\n{0} c\n", " ".repeat(130)));
        let fixtures = yaml_texts_under(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures"
        )));
        texts.extend(fixtures);
        for text in &texts {
            let (from_str, from_chars) = scanner_events(text);
            assert_eq!(from_str, from_chars, "{text:?}");
        }
    }

    /// What `paved test` reads: regorus values built from the events, or, when the direct
    /// reader gives way, the `serde_json` documents converted. Wherever the direct reader
    /// answers, the two must be the same values; it gives way on every error, so the error
    /// is always the one [`parse`] words (so does the fuzz target `yaml_trees`).
    #[test]
    fn regorus_values_are_the_parsed_documents_converted() {
        let texts = [
            "a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: on\ng: 0x1f\nh: 1.2.3\ni: -7\nj: 1e3\n",
            "1: one\n2.5: two\ntrue: yes\n~: nothing\n0x10: hex\n'3': quoted\n",
            "- a\n- [b, {c: d}]\n- {}\n- []\n- 18446744073709551615\n- -9223372036854775808\n",
            "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\nlist:\n  <<: [*b, {z: 4}]\n",
            "&k key: value\nother: *k\n*k : again\n",
            "--- a\n---\n--- {b: 2}\n...\n---\n- 3\n",
            "text: |\n  one\n  two\nfolded: >-\n  a\n  b\n",
            "!!str 1: !!str 2\n",
        ];
        let texts = and_every_fixture(&texts);
        let options = Options {
            dialect: Dialect::Yaml11,
            source_map: false,
            last_duplicate_wins: false,
        };
        let mut direct = 0;
        for text in &texts {
            let parsed = parse(text, options);
            let Some(values) = regorus_documents(text, options, None) else {
                continue;
            };
            direct += 1;
            assert!(parsed.errors.is_empty(), "{text:?}: {:?}", parsed.errors);
            let converted: Vec<_> = parsed
                .documents
                .iter()
                .map(|d| to_regorus(&d.value))
                .collect();
            assert_eq!(values, converted, "{text:?}");
        }
        // Only files with errors (fixtures of bad input) are left to `parse`.
        let with_errors = texts
            .iter()
            .filter(|t| !parse(t, options).errors.is_empty())
            .count();
        assert_eq!(direct + with_errors, texts.len());
    }

    #[test]
    fn the_direct_reader_gives_way_on_errors_and_on_keys_it_cannot_word() {
        let options = Options {
            source_map: false,
            ..Options::default()
        };
        for text in [
            "a: 1\na: 2\n",
            "k: 1e999999\n",
            "k: [\n",
            "? [a, b]\n: c\n",
            "&n 7: seven\nk: {*n : x}\n",
        ] {
            assert!(regorus_documents(text, options, None).is_none(), "{text:?}");
        }
        // Errors still come from `parse`, as before.
        assert!(!parse("a: 1\na: 2\n", options).errors.is_empty());
        // A collection as a key is read by `parse`, which words it as JSON text.
        assert!(parse("? [a, b]\n: c\n", options).errors.is_empty());
    }

    /// A projection builds what it keeps of the whole documents, and refuses a text exactly
    /// when the whole is refused: errors in what it leaves out still count, and anchors,
    /// aliases and merges there make it build the whole.
    #[test]
    fn a_projection_builds_what_it_keeps_of_the_whole() {
        let texts = [
            "kind: Pod\nmetadata: {name: a, labels: {x: 1}}\nspec: {containers: [{image: b}]}\n",
            "kind: Pod\nspec:\n  a: 1\n  a: 2\n",
            "kind: Pod\nspec:\n  a: [1, 1e999999]\n",
            "kind: Pod\nspec:\n  a: [[[[x]]]]\n  b: {c: [d, {e: f, e: g}]}\n",
            "kind: Pod\nspec: &s {a: 1}\nmetadata: {name: *s}\n",
            "kind: Pod\nspec: {a: &n 1}\nmetadata: {name: *n}\n",
            "kind: &k Pod\nspec: {a: *k}\n",
            "kind: Pod\nspec: {<<: {a: 1}}\nmetadata: &m {name: a}\nother: *m\n",
            "kind: Pod\nmetadata: {<<: {name: merged}, labels: 1}\n",
            "kind: Pod\nspec: {? [a, b] : c, ? [a, b] : d}\n",
            "kind: Pod\nspec: {1: a, 0x1: b}\n",
            "- {kind: Pod, spec: {a: 1}}\n- 3\n- {kind: Service, other: [x]}\n",
            "--- {kind: A, spec: x}\n--- ~\n--- {kind: B, spec: {a: [1, 2]}}\n",
            "kind: Pod\nspec: {a: 1}\n---\nkind: Pod\nspec: {a: 1, a: 2}\n",
            "metadata: [not, a, mapping]\nspec: {template: scalar}\n",
            "spec:\n  template:\n    spec:\n      containers: &c [{image: x}]\n      init: *c\n",
        ];
        let mut texts = and_every_fixture(&texts);
        let deep = format!("kind: Pod\nspec: {}{}\n", "[".repeat(200), "]".repeat(200));
        texts.push(deep);
        let options = Options {
            dialect: Dialect::Yaml11,
            source_map: false,
            last_duplicate_wins: false,
        };
        let mut projections = Vec::new();
        for paths in [
            &[
                &["kind"][..],
                &["metadata", "name"],
                &["spec", "template", "spec", "containers"],
            ][..],
            &[&["metadata"][..]],
            &[&["spec", "a"][..]],
            &[],
        ] {
            let mut projection = Projection::default();
            for path in paths {
                projection.read(&path.iter().map(|k| k.to_string()).collect::<Vec<_>>());
            }
            projections.push(projection);
        }
        let mut smaller = 0;
        for text in &texts {
            let whole = regorus_documents(text, options, None);
            for projection in &projections {
                let projected = regorus_documents(text, options, Some(projection));
                let expected = whole
                    .as_ref()
                    .map(|documents| documents.iter().map(|d| projection.document(d)).collect());
                assert_eq!(projected, expected, "{text:?} {projection:?}");
                smaller += usize::from(projected != whole);
            }
        }
        // The projections left out something in most texts (else the test proves little).
        assert!(smaller > texts.len(), "{smaller} of {}", texts.len());
        // Left out without being built; built whole where an anchor meets what is left out.
        let kind = &projections[0];
        assert!(read_regorus(&texts[0], options, Some(kind)).is_some());
        assert!(read_regorus(&texts[3], options, Some(kind)).is_none());
        for anchored in &texts[4..8] {
            assert!(read_regorus(anchored, options, Some(kind)).is_none());
            assert!(read_regorus(anchored, options, None).is_some());
        }
    }

    /// `texts`, then the text of every YAML fixture.
    fn and_every_fixture(texts: &[&str]) -> Vec<String> {
        let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
        let mut all: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        all.extend(yaml_texts_under(fixtures));
        all
    }

    /// The text of every YAML file under `dir`.
    fn yaml_texts_under(dir: &std::path::Path) -> Vec<String> {
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                texts.extend(yaml_texts_under(&path));
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                texts.extend(std::fs::read_to_string(&path).ok());
            }
        }
        texts
    }

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
    fn a_repeated_key_can_replace_the_first() {
        let options = Options {
            last_duplicate_wins: true,
            ..Options::default()
        };
        let parsed = parse("a: 1\nb: 2\na: 3\n", options);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.documents[0].value, json!({"a": 3, "b": 2}));
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
    fn continuations_libyaml_reads_are_read_with_their_spans() {
        let text = "jobs:\n  build:\n    matrix:\n      dirs: [\n      'iac/a',\n      'iac/b'\n      ]\n    args: {\n    \"x\": \"1\",\n    }\n    note: \"one\n    two\"\n";
        let parsed = parse(text, Options::default());
        assert_eq!(parsed.errors, []);
        let doc = &parsed.documents[0];
        assert_eq!(
            doc.value,
            json!({"jobs": {"build": {"matrix": {"dirs": ["iac/a", "iac/b"]},
                                      "args": {"x": "1"}, "note": "one two"}}})
        );
        let build = doc
            .map
            .child_key("jobs")
            .unwrap()
            .child_key("build")
            .unwrap();
        let dirs = build
            .child_key("matrix")
            .unwrap()
            .child_key("dirs")
            .unwrap();
        assert_eq!(
            &text[dirs.span.clone()],
            "[\n      'iac/a',\n      'iac/b'\n      ]"
        );
        let Children::Array(items) = &dirs.children else {
            panic!("dirs is a list")
        };
        assert_eq!(&text[items[1].span.clone()], "'iac/b'");
        let x = build.child_key("args").unwrap().child_key("x").unwrap();
        assert_eq!(&text[x.key.clone().unwrap()], "\"x\"");
    }

    #[test]
    fn a_file_broken_otherwise_keeps_its_first_error() {
        let text = "a: [1,\nb: 2\n";
        let parsed = parse(text, Options::default());
        assert!(parsed.documents.is_empty());
        assert_eq!(
            parsed.errors,
            [ParseError::new(
                "invalid YAML: invalid indentation in flow construct",
                7..7
            )]
        );
        let duplicate = "a:\n  k: [\n  1]\n  k: 2\n";
        let parsed = parse(duplicate, Options::default());
        assert_eq!(
            parsed.errors,
            [ParseError::new(
                "duplicate key `k` in a YAML mapping (first defined on line 2)",
                17..18
            )]
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
    fn nested_collections_as_keys_are_bounded_in_length() {
        // Each level's key is the JSON text of the level inside, escaped again: 2^40 bytes.
        let text = format!("{}a: b{}\n", "? {".repeat(40), "}".repeat(40));
        let parsed = parse(&text, Options::default());
        assert!(parsed.documents.is_empty());
        assert_eq!(
            parsed.errors[0].message,
            "a YAML key (a collection used as a key) longer than 64 KiB as text"
        );
        // A few levels are read as before: the key is the JSON text of the mapping.
        let parsed = parse("? {a: b}\n: c\n", Options::default());
        assert_eq!(parsed.documents[0].value, json!({"{\"a\":\"b\"}": "c"}));
    }

    #[test]
    fn aliases_of_a_large_string_are_bounded_in_bytes() {
        let big = "x".repeat(1024 * 1024);
        let text = format!("big: &big {big}\ncopies: [{}]\n", "*big, ".repeat(20_000));
        let parsed = parse(&text, Options::default());
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.errors.len(), 1);
        let error = &parsed.errors[0];
        assert_eq!(
            error.message,
            "YAML aliases expand to more than 64 MiB of text"
        );
        // The 65th alias crosses the bound: it is where the error points.
        let copies = text.find("*big").unwrap();
        assert_eq!(error.span, copies + 64 * 6..copies + 64 * 6 + 4);
        assert_eq!(SourceFile::new(&text).position(error.span.start).line, 2);
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_location() {
        let text = "a: 1\n---\nb: 1e999999\nc: -0x8000000000000000000\nd: 1e99x\n";
        let parsed = parse(text, Options::default());
        assert_eq!(parsed.documents.len(), 1, "the first document stays");
        let errors = crate::parse::errors_with_text(&parsed, text);
        assert_eq!(
            errors,
            [
                ("the number `1e999999` is out of range", "1e999999"),
                (
                    "the number `-0x8000000000000000000` is out of range",
                    "-0x8000000000000000000"
                ),
            ]
        );
        assert_eq!(
            values("big: 123456789012345678901234567890\nq: '1e999999'\nmin: -0x8000000000000000\ne: 1.5e3\nf: .5\ng: 1.\n")
                [0],
            json!({"big": 1.2345678901234568e29, "q": "1e999999", "min": i64::MIN, "e": 1500.0, "f": 0.5, "g": 1.0})
        );
    }

    #[test]
    fn character_indices_become_byte_offsets_in_either_direction() {
        // a: 1 byte, é: 2, €: 3, b: 1.
        let offsets = CharOffsets::new("aé€b");
        assert_eq!(offsets.byte(3), 6);
        assert_eq!(offsets.byte(1), 1);
        assert_eq!(offsets.byte(2), 3);
        assert_eq!(offsets.byte(9), 7, "past the end is the end");
        assert_eq!(offsets.byte(0), 0);
        // ASCII stretches after a multibyte character are crossed in one step.
        let offsets = CharOffsets::new("éabc€");
        assert_eq!(offsets.byte(1), 2);
        assert_eq!(offsets.byte(3), 4);
        assert_eq!(offsets.byte(2), 3);
        assert_eq!(offsets.byte(5), 8);
        assert_eq!(offsets.byte(4), 5);
    }

    #[test]
    fn spans_are_bytes_after_multibyte_characters() {
        let text = "name: ünïcode\nimage: x\n";
        let parsed = parse(text, Options::default());
        let image = parsed.documents[0].map.child_key("image").unwrap();
        assert_eq!(&text[image.span.clone()], "x");
        let later = "a: ünï\nb: [€, x]\nc: [1,\nd: 2\n";
        let parsed = parse(later, Options::default());
        assert_eq!(
            parsed.errors,
            [ParseError::new(
                "invalid YAML: invalid indentation in flow construct",
                later.find("d:").unwrap()..later.find("d:").unwrap()
            )]
        );
    }
}
