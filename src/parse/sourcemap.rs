//! The source map: a tree that mirrors a document's value and keeps, for every node, the
//! span of its key and of its value, so a JSON path a rule returns becomes a location.

use serde_json::Value;

use crate::source::Span;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// The key that leads to this node, for object members (and Terraform block labels).
    pub key: Option<Span>,
    pub span: Span,
    pub children: Children,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Children {
    #[default]
    Leaf,
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

/// One step of a path into a document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl PathSegment {
    /// A rule's path element: strings are keys, non-negative integers are indices.
    pub fn from_value(value: &Value) -> Option<PathSegment> {
        match value {
            Value::String(s) => Some(PathSegment::Key(s.clone())),
            Value::Number(n) => n.as_u64().map(|i| PathSegment::Index(i as usize)),
            _ => None,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            PathSegment::Key(k) => Value::String(k.clone()),
            PathSegment::Index(i) => Value::from(*i),
        }
    }
}

impl std::fmt::Display for PathSegment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathSegment::Key(k) => f.write_str(k),
            PathSegment::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Where a path landed: the deepest node that exists and how many segments it matched.
pub struct Resolved<'a> {
    pub node: &'a Node,
    pub matched: usize,
}

impl Resolved<'_> {
    /// The span a finding points at: the key when the node has one, else the value.
    pub fn span(&self) -> Span {
        self.node
            .key
            .clone()
            .unwrap_or_else(|| self.node.span.clone())
    }

    /// The whole node: from its key (when it has one) to the end of its value.
    pub fn extent(&self) -> Span {
        let start = self
            .node
            .key
            .as_ref()
            .map_or(self.node.span.start, |k| k.start);
        start..self.node.span.end.max(start)
    }
}

impl Node {
    pub fn leaf(span: Span) -> Node {
        Node {
            key: None,
            span,
            children: Children::Leaf,
        }
    }

    pub fn child_key(&self, key: &str) -> Option<&Node> {
        match &self.children {
            Children::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, n)| n),
            _ => None,
        }
    }

    fn child(&self, segment: &PathSegment) -> Option<&Node> {
        match (&self.children, segment) {
            (Children::Object(_), PathSegment::Key(k)) => self.child_key(k),
            (Children::Object(_), PathSegment::Index(i)) => self.child_key(&i.to_string()),
            (Children::Array(items), PathSegment::Index(i)) => items.get(*i),
            (Children::Array(items), PathSegment::Key(k)) => {
                k.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            (Children::Leaf, _) => None,
        }
    }

    /// Follows `path` as far as it exists.
    pub fn resolve(&self, path: &[PathSegment]) -> Resolved<'_> {
        let mut node = self;
        let mut matched = 0;
        for segment in path {
            match node.child(segment) {
                Some(next) => {
                    node = next;
                    matched += 1;
                }
                None => break,
            }
        }
        Resolved { node, matched }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.into())
    }

    #[test]
    fn resolves_to_the_nearest_existing_ancestor() {
        let container = Node {
            key: None,
            span: 10..20,
            children: Children::Object(vec![(
                "name".into(),
                Node {
                    key: Some(10..14),
                    ..Node::leaf(16..19)
                },
            )]),
        };
        let root = Node {
            key: None,
            span: 0..30,
            children: Children::Object(vec![(
                "containers".into(),
                Node {
                    key: Some(0..10),
                    span: 10..20,
                    children: Children::Array(vec![container]),
                },
            )]),
        };
        let found = root.resolve(&[key("containers"), PathSegment::Index(0), key("name")]);
        assert_eq!((found.matched, found.span()), (3, 10..14));
        let missing = root.resolve(&[key("containers"), PathSegment::Index(0), key("resources")]);
        assert_eq!((missing.matched, missing.span()), (2, 10..20));
        let by_string_index = root.resolve(&[key("containers"), key("0")]);
        assert_eq!(by_string_index.matched, 2);
    }
}
