//! Where a value a template printed came from: the line of its key in a values file (the
//! chart's `values.yaml`, a subchart's, a `ci/` scenario's, a file the user named) or the
//! `--set` argument, so a finding on a value says which line to change. A source is
//! claimed only when it is certain: the file that wins for that key under Helm's
//! precedence holds exactly the text the action printed.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value as Json;

use super::chart::{yaml_document, Problem};
use super::template::{Read, Value};
use crate::parse::{Node, PathSegment};

/// A values file as written: its values, and where each key is.
#[derive(Debug, PartialEq)]
pub struct ValuesFile {
    /// As messages name it: relative to the top chart (`charts/db/values.yaml`), or as the
    /// user gave it.
    pub shown: String,
    pub value: Json,
    map: Node,
    /// Byte offset of each line's start, for line numbers.
    line_starts: Vec<usize>,
}

impl ValuesFile {
    /// Reads a values file as Helm does (its first document), keeping where each key is.
    pub fn read(bytes: &[u8], shown: &str) -> Result<ValuesFile, Problem> {
        let (text, document) = yaml_document(bytes, shown, true)?;
        let (value, map) = document.map_or((Json::Null, Node::default()), |d| (d.value, d.map));
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Ok(ValuesFile {
            shown: shown.to_string(),
            value,
            map,
            line_starts,
        })
    }

    /// What the file says at `path`, and the line of its key.
    fn find(&self, path: &[String]) -> Found<'_> {
        let found = walk(&self.value, path);
        if let Found::Set(value, _) = found {
            let segments: Vec<PathSegment> =
                path.iter().map(|k| PathSegment::Key(k.clone())).collect();
            let node = self.map.resolve(&segments).node;
            let start = node.key.as_ref().map_or(node.span.start, |k| k.start);
            let line = self.line_starts.partition_point(|&at| at <= start);
            return Found::Set(value, Said::Line(self.shown.clone(), line));
        }
        found
    }
}

/// One source of a scenario's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    File(Arc<ValuesFile>),
    /// One `--set` argument as written, and what it sets alone.
    Set(String, Json),
}

impl Layer {
    fn find(&self, path: &[String]) -> Found<'_> {
        match self {
            Layer::File(file) => file.find(path),
            Layer::Set(text, values) => match walk(values, path) {
                Found::Set(value, _) => Found::Set(value, Said::Set(text.clone())),
                other => other,
            },
        }
    }
}

/// Where a value is set: a line of a values file, or a `--set` argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Line(String, usize),
    Set(String),
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::Line(file, line) => write!(f, "{file}:{line}"),
            Said::Set(text) => write!(f, "--set {text}"),
        }
    }
}

/// What a layer says about a key.
enum Found<'a> {
    /// The value, and where it is said.
    Set(&'a Json, Said),
    /// Nothing: a lower layer may say it.
    Absent,
    /// A scalar where the path needs a map: no lower layer is used for this path.
    Blocked,
}

fn walk<'a>(mut value: &'a Json, path: &[String]) -> Found<'a> {
    for key in path {
        value = match value {
            Json::Object(map) => match map.get(key) {
                Some(next) => next,
                None => return Found::Absent,
            },
            Json::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(next) => next,
                None => return Found::Absent,
            },
            // A `null` deletes a default; a key set again above it starts afresh.
            Json::Null => return Found::Absent,
            _ => return Found::Blocked,
        };
    }
    Found::Set(value, Said::Set(String::new()))
}

/// A byte range of a manifest's text an action printed, and where its value was set
/// when that is certain.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSource {
    pub span: Range<usize>,
    /// `values.yaml:12`, `ci/prod-values.yaml:3`, `--set image.tag=latest`.
    pub from: Option<String>,
}

/// The layers one chart of the tree takes its values from, highest precedence first, each
/// with where that chart's values are inside it.
pub struct Lineage {
    pub layers: Vec<(Layer, Vec<String>)>,
    /// A subchart's `global` values are combined from every level: not traced.
    pub subchart: bool,
}

impl Lineage {
    /// What each of `reads` printed into `text`, with its source when it read `.Values`
    /// and its text (trimmed, unquoted) is exactly the value the winning layer sets.
    pub fn locate(&self, reads: &[Read], text: &str) -> Vec<ValueSource> {
        reads
            .iter()
            .map(|read| ValueSource {
                span: read.span.clone(),
                from: self.source(read, text),
            })
            .collect()
    }

    fn source(&self, read: &Read, text: &str) -> Option<String> {
        let ("Values", path) = read
            .path
            .as_ref()?
            .split_first()
            .map(|(first, rest)| (first.as_str(), rest))?
        else {
            return None;
        };
        let printed = unquoted(text.get(read.span.clone())?.trim());
        let (value, from) = self.winner(path)?;
        let same = !printed.is_empty() && Value::from(value.clone()).to_output() == printed;
        same.then(|| from.to_string())
    }

    /// The file and line that set `value`, at `path` of the chart's values, when a values
    /// file (not `--set`) did.
    pub fn line_of(&self, path: &[String], value: &Json) -> Option<(String, usize)> {
        match self.winner(path)? {
            (set, Said::Line(file, line)) if set == value => Some((file, line)),
            _ => None,
        }
    }

    /// The value the highest layer that says something about `path` sets, and where.
    fn winner(&self, path: &[String]) -> Option<(&Json, Said)> {
        let global = path.first().is_some_and(|k| k == "global");
        if path.is_empty() || (global && self.subchart) {
            return None;
        }
        for (layer, prefix) in &self.layers {
            let full: Vec<String> = prefix.iter().chain(path).cloned().collect();
            match layer.find(&full) {
                Found::Set(value, from) => return Some((value, from)),
                Found::Absent => continue,
                Found::Blocked => return None,
            }
        }
        None
    }
}

/// A string without the quotes `quote` or `squote` put around it.
fn unquoted(text: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|&q| text.strip_prefix(q)?.strip_suffix(q))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(shown: &str, text: &str) -> Layer {
        Layer::File(Arc::new(ValuesFile::read(text.as_bytes(), shown).unwrap()))
    }

    fn read(text: &str, printed: &str, path: &str) -> Read {
        let start = text.find(printed).unwrap();
        Read {
            span: start..start + printed.len(),
            path: Some(path.split('.').map(String::from).collect()),
        }
    }

    /// The printed texts whose source is known, with it.
    fn sources(lineage: &Lineage, text: &str, reads: &[Read]) -> Vec<(String, String)> {
        lineage
            .locate(reads, text)
            .into_iter()
            .filter_map(|s| Some((text[s.span].to_string(), s.from?)))
            .collect()
    }

    #[test]
    fn the_winning_layer_names_the_line_of_the_key() {
        let chart = file(
            "values.yaml",
            "# defaults\nimage:\n  repository: nginx\n  tag: \"1.0\"\nreplicas: 1\nports: [80]\ndb:\n  host: local\n",
        );
        let ci = file("ci/prod-values.yaml", "image:\n  tag: latest\n");
        let set = Layer::Set("replicas=3".into(), json!({"replicas": 3}));
        let top = Lineage {
            layers: vec![
                (ci.clone(), vec![]),
                (set.clone(), vec![]),
                (chart.clone(), vec![]),
            ],
            subchart: false,
        };
        let text = "image: nginx:latest\nreplicas: 3\nport: \"80\"\nname: x\nother: 7\n";
        let reads = [
            read(text, "nginx", "Values.image.repository"),
            read(text, "latest", "Values.image.tag"),
            read(text, "3", "Values.replicas"),
            read(text, "\"80\"", "Values.ports.0"),
            // Printed text that is not the value (a template changed it): no claim.
            read(text, "x", "Values.db.host"),
            // Not a value of `.Values`.
            read(text, "7", "Release.Name"),
        ];
        assert_eq!(
            sources(&top, text, &reads),
            [
                ("nginx".to_string(), "values.yaml:3".to_string()),
                ("latest".to_string(), "ci/prod-values.yaml:2".to_string()),
                ("3".to_string(), "--set replicas=3".to_string()),
                ("\"80\"".to_string(), "values.yaml:6".to_string()),
            ]
        );
        // A subchart's values are under its name in the layers above its own file.
        let sub = Lineage {
            layers: vec![
                (chart, vec!["db".into()]),
                (file("charts/db/values.yaml", "host: x\nport: 5\n"), vec![]),
            ],
            subchart: true,
        };
        let text = "host: local\nport: 5\n";
        let reads = [
            read(text, "local", "Values.host"),
            read(text, "5", "Values.port"),
        ];
        assert_eq!(
            sources(&sub, text, &reads),
            [
                ("local".to_string(), "values.yaml:8".to_string()),
                ("5".to_string(), "charts/db/values.yaml:2".to_string()),
            ]
        );
    }

    #[test]
    fn a_scalar_above_a_path_hides_the_layers_below() {
        let lineage = Lineage {
            layers: vec![
                (Layer::Set("db=5".into(), json!({"db": 5})), vec![]),
                (file("values.yaml", "db:\n  host: a\n"), vec![]),
            ],
            subchart: false,
        };
        let text = "a";
        assert!(sources(&lineage, text, &[read(text, "a", "Values.db.host")]).is_empty());
    }
}
