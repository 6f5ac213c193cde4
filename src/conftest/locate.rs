//! Where a `paved test` result is: its `_loc`, or the line and column its `path` leads to.
//!
//! Files are parsed without source maps, and a file's map is made only when one of its
//! results carries a `path`: most documents yield none, and mapping every node of a large
//! file (a CRD of a few megabytes) costs more than evaluating it.

use std::cell::OnceCell;

use super::{parse_as, ItemLocation, Loaded};
use crate::parse::{Children, Document, Node, PathSegment};
use crate::source::SourceFile;

/// Places the results of one file, building its source map on first need.
pub(super) struct Locator<'a> {
    file: &'a Loaded,
    source: OnceCell<SourceFile<'a>>,
    /// The file's documents parsed again, with their source maps.
    mapped: OnceCell<Vec<Document>>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(file: &'a Loaded) -> Self {
        Locator {
            file,
            source: OnceCell::new(),
            mapped: OnceCell::new(),
        }
    }

    /// The location of a result of document `document` (of its `element` when the
    /// document's top-level array was evaluated element by element).
    pub(super) fn place(
        &self,
        document: usize,
        element: Option<usize>,
        path: Option<&[PathSegment]>,
        loc: Option<&(String, usize)>,
    ) -> Option<ItemLocation> {
        if let Some((file, line)) = loc {
            let file = if file.is_empty() {
                &self.file.name
            } else {
                file
            };
            return Some(ItemLocation {
                file: file.clone(),
                line: *line,
                column: 1,
            });
        }
        let path = path?;
        let mapped = self.mapped.get_or_init(|| match self.file.parser.as_str() {
            // A Jsonnet program has no map from its value to its text: it is not run again.
            "jsonnet" => Vec::new(),
            // The file parsed once already, so it parses again.
            parser => parse_as(parser, &self.file.text)
                .map(|parsed| parsed.documents)
                .unwrap_or_default(),
        });
        let fallback = Node::default();
        let node = mapped
            .get(document)
            .and_then(|d| node_of(d, element))
            .unwrap_or(&fallback);
        let source = self.source.get_or_init(|| SourceFile::new(&self.file.text));
        let position = source.position(node.resolve(path).span().start);
        Some(ItemLocation {
            file: self.file.name.clone(),
            line: position.line,
            column: position.column,
        })
    }
}

/// A document's map, or that of one element of its top-level array.
fn node_of(document: &Document, element: Option<usize>) -> Option<&Node> {
    match (element, &document.map.children) {
        (None, _) => Some(&document.map),
        (Some(index), Children::Array(nodes)) => nodes.get(index),
        (Some(_), _) => None,
    }
}
