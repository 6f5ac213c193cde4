//! HCL and Terraform through `hcl-edit`, converted to conftest's HCL2 input shape: block
//! labels become nested keys and every block body is an array, so one policy handles a block
//! whether it appears once or many times. Expressions that are not literals become
//! `"${...}"` strings, as conftest gives them.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::Span as _;
use serde_json::{Map, Value};

use super::nesting::{nesting_error, Syntax};
use super::sourcemap::{Children, Node};
use super::{strip_bom, Document, Kind, Options, ParseError, ParsedFile, MAX_DEPTH};
use crate::source::Span;

pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body_text, bom) = strip_bom(text);
    let mut parsed = ParsedFile::default();
    if let Some(error) = nesting_error(body_text, bom, Syntax::Hcl) {
        parsed.errors.push(error);
        return parsed;
    }
    let body = match hcl_edit::parser::parse_body(body_text) {
        Ok(body) => body,
        Err(error) => {
            let at = bom + error.location().offset();
            parsed.errors.push(ParseError::new(
                format!("invalid HCL: {}", error.message()),
                at..at,
            ));
            return parsed;
        }
    };
    let converter = Converter {
        text: body_text,
        base: bom,
        options,
    };
    let (value, mut map) = match converter.body(&body, 0) {
        Ok(built) => built,
        Err(error) => {
            parsed.errors.push(error);
            return parsed;
        }
    };
    map.span = bom..text.len();
    parsed.documents.push(Document {
        kind: Kind::Terraform,
        index: 0,
        anchor: bom..bom,
        value,
        map,
    });
    parsed
}

struct Converter<'a> {
    text: &'a str,
    base: usize,
    options: Options,
}

impl Converter<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        range.map_or(0..0, |r| self.base + r.start..self.base + r.end)
    }

    fn source(&self, range: Option<std::ops::Range<usize>>) -> &str {
        range.and_then(|r| self.text.get(r)).unwrap_or_default()
    }

    /// `depth` is how deeply the value being built is nested: each block adds its type,
    /// each label and its body array, so thousands of labels cannot nest without bound.
    fn body(&self, body: &Body, depth: usize) -> Result<(Value, Node), ParseError> {
        let mut object = Map::new();
        let mut members: Vec<(String, Node)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str().to_string();
                    let (value, mut node) = self.expression(&attribute.value);
                    node.key = Some(self.span(attribute.key.span()));
                    object.insert(key.clone(), value);
                    if self.options.source_map {
                        members.push((key, node));
                    }
                }
                Structure::Block(block) => self.block(block, depth, &mut object, &mut members)?,
            }
        }
        let node = Node {
            key: None,
            span: self.span(body.span()),
            children: Children::Object(members),
        };
        Ok((Value::Object(object), node))
    }

    /// Inserts a block at `type.label1.label2...` and appends its body to the array there.
    fn block(
        &self,
        block: &Block,
        depth: usize,
        object: &mut Map<String, Value>,
        members: &mut Vec<(String, Node)>,
    ) -> Result<(), ParseError> {
        let mut keys = vec![(
            block.ident.as_str().to_string(),
            self.span(block.ident.span()),
        )];
        keys.extend(block.labels.iter().map(|label| match label {
            BlockLabel::Ident(ident) => (ident.as_str().to_string(), self.span(ident.span())),
            BlockLabel::String(string) => (string.as_str().to_string(), self.span(string.span())),
        }));
        if depth + keys.len() + 1 > MAX_DEPTH {
            let first_too_deep = (MAX_DEPTH - depth).saturating_sub(1).min(keys.len() - 1);
            return Err(ParseError::new(
                format!("HCL blocks and labels nested deeper than {MAX_DEPTH} levels"),
                keys[first_too_deep].1.clone(),
            ));
        }
        let (value, mut node) = self.body(&block.body, depth + keys.len() + 1)?;
        let block_span = self.span(block.span());
        let header_end = keys.last().map_or(block_span.start, |(_, span)| span.end);
        node.key = Some(block_span.start..header_end);
        node.span = block_span;

        let mut target = object;
        let mut target_members = Some(members);
        let last = keys.len() - 1;
        for (depth, (key, key_span)) in keys.into_iter().enumerate() {
            let slot = target.entry(key.clone()).or_insert_with(|| {
                if depth == last {
                    Value::Array(vec![])
                } else {
                    Value::Object(Map::new())
                }
            });
            let member_node = target_members.take().map(|members| {
                if let Some(i) = members.iter().position(|(k, _)| *k == key) {
                    &mut members[i].1
                } else {
                    let children = if depth == last {
                        Children::Array(vec![])
                    } else {
                        Children::Object(vec![])
                    };
                    members.push((
                        key.clone(),
                        Node {
                            key: Some(key_span.clone()),
                            span: node.span.clone(),
                            children,
                        },
                    ));
                    &mut members.last_mut().expect("just pushed").1
                }
            });
            if depth == last {
                if let Value::Array(items) = slot {
                    items.push(value);
                    if let Some(Node {
                        children: Children::Array(nodes),
                        ..
                    }) = member_node
                    {
                        nodes.push(node);
                    }
                }
                return Ok(());
            }
            // An attribute and a block of the same name: keep the attribute, drop the block.
            let Value::Object(next) = slot else {
                return Ok(());
            };
            target = next;
            target_members = match member_node {
                Some(Node {
                    children: Children::Object(m),
                    ..
                }) => Some(m),
                _ => None,
            };
        }
        Ok(())
    }

    fn expression(&self, expression: &Expression) -> (Value, Node) {
        let span = self.span(expression.span());
        let leaf = |value: Value| (value, Node::leaf(span.clone()));
        match expression {
            Expression::Null(_) => leaf(Value::Null),
            Expression::Bool(b) => leaf(Value::Bool(*b.value())),
            Expression::Number(n) => {
                let text = n.value().to_string();
                leaf(serde_json::from_str(&text).unwrap_or(Value::String(text)))
            }
            Expression::String(s) => leaf(Value::String(s.value().to_string())),
            Expression::Array(array) => {
                let mut values = Vec::new();
                let mut nodes = Vec::new();
                for item in array.iter() {
                    let (value, node) = self.expression(item);
                    values.push(value);
                    nodes.push(node);
                }
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
            Expression::Object(object) => {
                let mut map = Map::new();
                let mut members = Vec::new();
                for (key, value) in object.iter() {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(ident) => (ident.as_str().to_string(), ident.span()),
                        ObjectKey::Expression(Expression::String(s)) => {
                            (s.value().to_string(), s.span())
                        }
                        ObjectKey::Expression(other) => {
                            (self.source(other.span()).to_string(), other.span())
                        }
                    };
                    let (value, mut node) = self.expression(value.expr());
                    node.key = Some(self.span(key_span));
                    map.insert(name.clone(), value);
                    if self.options.source_map {
                        members.push((name, node));
                    }
                }
                (
                    Value::Object(map),
                    Node {
                        key: None,
                        span,
                        children: Children::Object(members),
                    },
                )
            }
            Expression::StringTemplate(template) => {
                let text = self.source(template.span());
                let inner = text
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .unwrap_or(text);
                leaf(Value::String(inner.to_string()))
            }
            Expression::HeredocTemplate(heredoc) => {
                leaf(Value::String(heredoc_text(self.source(heredoc.span()))))
            }
            Expression::Parenthesis(inner) => {
                let (value, _) = self.expression(inner.inner());
                match value {
                    Value::String(_) | Value::Array(_) | Value::Object(_) => leaf(Value::String(
                        format!("${{{}}}", self.source(expression.span())),
                    )),
                    literal => leaf(literal),
                }
            }
            _ => leaf(Value::String(format!(
                "${{{}}}",
                self.source(expression.span())
            ))),
        }
    }
}

/// The content of a heredoc: the lines between its markers, with `<<-` indentation removed.
fn heredoc_text(source: &str) -> String {
    let mut lines = source.lines();
    let header = lines.next().unwrap_or_default();
    let mut body: Vec<&str> = lines.collect();
    body.pop();
    if header.starts_with("<<-") {
        let indent = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        body.iter()
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
            .collect()
    } else {
        body.iter().map(|l| format!("{l}\n")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::PathSegment;
    use serde_json::json;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.into())
    }

    const MAIN_TF: &str = r#"terraform {
  required_version = ">= 1.5"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}"
  tags = {
    owner = "team-a"
  }
  versioning {
    enabled = true
  }
  versioning {
    enabled = false
  }
}

resource "aws_s3_bucket" "data" {
  bucket = var.name
  policy = <<-EOT
    line one
      line two
  EOT
}
"#;

    #[test]
    fn converts_to_the_conftest_shape() {
        let parsed = parse(MAIN_TF, Options::default());
        assert!(parsed.errors.is_empty());
        let value = &parsed.documents[0].value;
        assert_eq!(value["terraform"], json!([{"required_version": ">= 1.5"}]));
        let logs = &value["resource"]["aws_s3_bucket"]["logs"][0];
        assert_eq!(logs["bucket"], json!("logs-${var.env}"));
        assert_eq!(logs["tags"], json!({"owner": "team-a"}));
        assert_eq!(
            logs["versioning"],
            json!([{"enabled": true}, {"enabled": false}])
        );
        let data = &value["resource"]["aws_s3_bucket"]["data"][0];
        assert_eq!(data["bucket"], json!("${var.name}"));
        assert_eq!(data["policy"], json!("line one\n  line two\n"));
    }

    #[test]
    fn paths_resolve_to_labels_blocks_and_attributes() {
        let parsed = parse(MAIN_TF, Options::default());
        let map = &parsed.documents[0].map;
        let at = |path: &[PathSegment]| {
            let found = map.resolve(path);
            (found.matched, &MAIN_TF[found.span()])
        };
        let logs = [key("resource"), key("aws_s3_bucket"), key("logs")];
        assert_eq!(at(&logs), (3, "\"logs\""));
        let second_versioning = [
            &logs[..],
            &[
                PathSegment::Index(0),
                key("versioning"),
                PathSegment::Index(1),
                key("enabled"),
            ],
        ]
        .concat();
        let (matched, text) = at(&second_versioning);
        assert_eq!((matched, text), (7, "enabled"));
        let found = map.resolve(&second_versioning);
        assert_eq!(
            crate::source::SourceFile::new(MAIN_TF)
                .position(found.span().start)
                .line,
            14
        );
        let header = [&logs[..], &[PathSegment::Index(0)]].concat();
        assert_eq!(at(&header), (4, "resource \"aws_s3_bucket\" \"logs\""));
        let missing = [
            &logs[..],
            &[PathSegment::Index(0), key("tags"), key("team")],
        ]
        .concat();
        assert_eq!(at(&missing), (5, "tags"));
    }

    #[test]
    fn thousands_of_block_labels_are_refused_at_the_label_past_the_limit() {
        let text = format!("\nresource {} {{}}\n", "\"l\" ".repeat(5_000));
        let parsed = parse(&text, Options::default());
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.errors.len(), 1);
        let error = &parsed.errors[0];
        assert_eq!(
            error.message,
            "HCL blocks and labels nested deeper than 256 levels"
        );
        // `resource`, 254 labels and the body array fit; the 255th label does not.
        let start = "\nresource ".len() + 254 * 4;
        assert_eq!(error.span, start..start + 3);
        let source = crate::source::SourceFile::new(&text);
        assert_eq!(source.position(error.span.start).line, 2);
    }

    #[test]
    fn brackets_in_comments_and_heredocs_are_not_nesting() {
        let many = "{".repeat(1_000);
        let text = format!(
            "# {many}\nresource \"aws_s3_bucket\" \"a\" {{\n  policy = <<EOT\n{many}\nEOT\n  /* {many} */\n  bucket = \"a\"\n}}\n"
        );
        let parsed = parse(&text, Options::default());
        assert_eq!(parsed.errors, []);
        let bucket = &parsed.documents[0].value["resource"]["aws_s3_bucket"]["a"][0];
        assert_eq!(bucket["policy"], json!(format!("{many}\n")));
        assert_eq!(bucket["bucket"], json!("a"));
    }

    /// hcl-edit as released parsed a failing operand of a binary operator twice when the
    /// chain already held an operator (once in the chain, once more from its last
    /// operator), so every nested chain doubled the work: a fuzzer's 381 bytes took 11 s,
    /// and the 15 levels of two chains here some twenty minutes (docs/hcl-edit-patch.md).
    /// Patched, each is one quick error, and the same chains closed still parse.
    #[test]
    fn nested_operator_chains_that_fail_deep_inside_fail_at_once() {
        let chains = " --c[y==s --c[ypm\n==b".repeat(15);
        for tail in ["\"unterminated", "{3"] {
            let parsed = parse(&format!("m = a{chains}\n== {tail}"), Options::default());
            assert!(parsed.documents.is_empty(), "{tail}");
            assert!(
                parsed.errors[0].message.starts_with("invalid HCL"),
                "{tail}"
            );
        }
        let closed = format!("m = a{chains}\n== 3{}\n", "]".repeat(30));
        let parsed = parse(&closed, Options::default());
        assert_eq!(parsed.errors, []);
        let value = &parsed.documents[0].value["m"];
        assert!(
            value
                .as_str()
                .is_some_and(|s| s.starts_with("${a --c[y==s")),
            "{value}"
        );
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let parsed = parse("resource \"x\" {\n  a = \n}\n", Options::default());
        assert!(parsed.documents.is_empty());
        assert!(parsed.errors[0].message.starts_with("invalid HCL"));
    }
}
