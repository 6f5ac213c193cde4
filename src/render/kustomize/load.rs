//! Reading what a build names: the kustomization file of a directory and the YAML documents
//! of a resource or patch file, each through `read.rs`, so nothing outside the boundary is
//! read, and each document with the places its nodes came from.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::build::{BuildError, Cause};
use super::resources::{Origins, Place};
use crate::parse::{self, Children, Format, Kind, Node, Options, PathSegment};
use crate::read;
use crate::source::SourceFile;

/// The names kustomize looks for in a directory, in its order.
const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// A YAML document with the place of each of its nodes.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: Value,
    pub origins: Origins,
}

impl Located {
    /// The place of the node at `path` (or its nearest ancestor).
    pub fn place(&self, path: &[PathSegment]) -> Place {
        self.origins.lookup(path).cloned().unwrap_or_else(|| Place {
            file: PathBuf::new(),
            line: 1,
            column: 1,
        })
    }
}

/// The kustomization file in `dir`, if it has one.
pub fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// A resource, base or component named by URL or git address: never fetched.
pub fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("git::")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
}

/// Whether `path` (real) stays inside the canonical `boundary`.
pub fn inside(path: &Path, boundary: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|real| real.starts_with(boundary))
}

/// The non-empty YAML documents of a file, or the error that stopped reading it.
pub fn documents(path: &Path, boundary: &Path) -> Result<Vec<Located>, BuildError> {
    let text = read::read_text(path, boundary).map_err(|e| BuildError {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        message: e.to_string(),
        cause: Cause::Invalid,
    })?;
    parse_text(&text, path)
}

/// The non-empty documents of YAML (or JSON) `text` read from `file`.
pub fn parse_text(text: &str, file: &Path) -> Result<Vec<Located>, BuildError> {
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, Options::default());
    let source = SourceFile::new(text);
    if let Some(error) = parsed.errors.first() {
        let at = source.position(error.span.start);
        return Err(BuildError {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
            message: error.message.clone(),
            cause: Cause::Invalid,
        });
    }
    let file = file.to_path_buf();
    Ok(parsed
        .documents
        .into_iter()
        .filter(|document| !document.value.is_null())
        .map(|mut document| {
            legacy_octal(&mut document.value, &document.map, text);
            Located {
                origins: Origins::of_document(&document.map, &source, &file),
                value: document.value,
            }
        })
        .collect())
}

/// Kustomize's YAML library still reads a plain `0755` as octal (493), as YAML 1.1 did:
/// file modes (`defaultMode: 0755`) must come out as kustomize prints them.
fn legacy_octal(value: &mut Value, map: &Node, text: &str) {
    match (value, &map.children) {
        (Value::Number(number), Children::Leaf) => {
            let written = text.get(map.span.clone()).unwrap_or_default();
            let octal = written.len() > 1
                && written.starts_with('0')
                && written.bytes().all(|b| (b'0'..=b'7').contains(&b));
            if let (true, Ok(n)) = (octal, u64::from_str_radix(written, 8)) {
                *number = n.into();
            }
        }
        (Value::Object(members), Children::Object(nodes)) => {
            for (key, node) in nodes {
                if let Some(child) = members.get_mut(key) {
                    legacy_octal(child, node, text);
                }
            }
        }
        (Value::Array(items), Children::Array(nodes)) => {
            for (item, node) in items.iter_mut().zip(nodes) {
                legacy_octal(item, node, text);
            }
        }
        _ => {}
    }
}

/// Every place in `located` moved to one `place`: for YAML written inline in a
/// kustomization, whose own lines are not lines of any file.
pub fn at_one_place(mut located: Located, place: &Place) -> Located {
    for (_, at) in &mut located.origins.0 {
        *at = place.clone();
    }
    located
}
