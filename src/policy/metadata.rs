//! `# METADATA` annotations (OPA's standard), read by paved because regorus does not expose
//! `rego.metadata.*`. A block before `package` describes the package; a block before a rule
//! describes that rule and overrides the package's values.

use serde_json::Value;

use crate::finding::Severity;
use crate::parse::{self, Format, Kind};

/// A maturity level; levels are cumulative, so they order bronze < silver < gold.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Bronze,
    Silver,
    Gold,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Bronze, Level::Silver, Level::Gold];

    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Bronze => "bronze",
            Level::Silver => "silver",
            Level::Gold => "gold",
        }
    }
}

/// What one annotation block says; every field is optional so rule blocks can override
/// package blocks field by field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub title: Option<String>,
    pub description: Option<String>,
    pub related: Vec<String>,
    pub id: Option<String>,
    pub severity: Option<Severity>,
    pub level: Option<Level>,
    pub inputs: Option<Vec<Kind>>,
    pub remediation: Option<String>,
    /// The settings (`category.key`) the rule reads.
    pub config: Vec<String>,
    /// Short inputs that fail and pass, for `paved explain`.
    pub example_fail: Option<String>,
    pub example_pass: Option<String>,
}

impl Annotation {
    /// `self` with the fields `over` sets replaced.
    pub fn overlay(&self, over: &Annotation) -> Annotation {
        Annotation {
            title: over.title.clone().or_else(|| self.title.clone()),
            description: over
                .description
                .clone()
                .or_else(|| self.description.clone()),
            related: if over.related.is_empty() {
                self.related.clone()
            } else {
                over.related.clone()
            },
            id: over.id.clone().or_else(|| self.id.clone()),
            severity: over.severity.or(self.severity),
            level: over.level.or(self.level),
            inputs: over.inputs.clone().or_else(|| self.inputs.clone()),
            remediation: over
                .remediation
                .clone()
                .or_else(|| self.remediation.clone()),
            config: if over.config.is_empty() {
                self.config.clone()
            } else {
                over.config.clone()
            },
            example_fail: over
                .example_fail
                .clone()
                .or_else(|| self.example_fail.clone()),
            example_pass: over
                .example_pass
                .clone()
                .or_else(|| self.example_pass.clone()),
        }
    }
}

/// Where an annotation block applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    Package,
    /// The rule whose head starts on this 1-based line.
    Rule(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub scope: Scope,
    pub annotation: Annotation,
}

/// A malformed annotation: the 1-based line in the policy file and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct MetadataError {
    pub line: usize,
    pub message: String,
}

/// Finds every `# METADATA` block in a policy file and the line it attaches to.
pub fn read(source: &str) -> Result<Vec<Block>, MetadataError> {
    let lines: Vec<&str> = source.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut yaml = String::new();
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with('#') {
            let text = lines[i].trim_start().trim_start_matches('#');
            yaml.push_str(text.strip_prefix(' ').unwrap_or(text));
            yaml.push('\n');
            i += 1;
        }
        let annotation = annotation(&yaml, start)?;
        let target = lines[i..]
            .iter()
            .position(|l| !l.trim().is_empty())
            .map(|offset| i + offset);
        let scope = match target {
            Some(t) if lines[t].trim_start().starts_with("package ") => Scope::Package,
            Some(t) => Scope::Rule(t + 1),
            None => {
                return Err(MetadataError {
                    line: start,
                    message: "a METADATA block must come before a package or a rule".into(),
                })
            }
        };
        blocks.push(Block { scope, annotation });
    }
    Ok(blocks)
}

fn annotation(yaml: &str, metadata_line: usize) -> Result<Annotation, MetadataError> {
    let error = |line: usize, message: String| MetadataError {
        line: metadata_line + 1 + line,
        message,
    };
    let parsed = parse::parse(yaml, Format::Yaml, Kind::Yaml, parse::Options::default());
    if let Some(e) = parsed.errors.first() {
        let line = yaml[..e.span.start.min(yaml.len())].matches('\n').count();
        return Err(error(
            line,
            format!("METADATA is not valid YAML: {}", e.message),
        ));
    }
    let Some(document) = parsed.documents.first() else {
        return Ok(Annotation::default());
    };
    let line_of = |path: &[&str]| {
        let segments: Vec<parse::PathSegment> = path
            .iter()
            .map(|s| parse::PathSegment::Key(s.to_string()))
            .collect();
        let span = document.map.resolve(&segments).span();
        yaml[..span.start.min(yaml.len())].matches('\n').count()
    };
    let value = &document.value;
    let text = |path: &[&str]| -> Result<Option<String>, MetadataError> {
        let mut v = value;
        for key in path {
            match v.get(key) {
                Some(next) => v = next,
                None => return Ok(None),
            }
        }
        match v {
            Value::String(s) => Ok(Some(s.trim().to_string())),
            _ => Err(error(
                line_of(path),
                format!("`{}` must be a string", path.join(".")),
            )),
        }
    };
    let severity = match text(&["custom", "severity"])? {
        None => None,
        Some(s) => Some(Severity::from_name(&s).ok_or_else(|| {
            error(
                line_of(&["custom", "severity"]),
                format!("unknown severity `{s}` (expected error, warning or info)"),
            )
        })?),
    };
    let level = match text(&["custom", "level"])?.as_deref() {
        None => None,
        Some("bronze") => Some(Level::Bronze),
        Some("silver") => Some(Level::Silver),
        Some("gold") => Some(Level::Gold),
        Some(other) => {
            return Err(error(
                line_of(&["custom", "level"]),
                format!("unknown level `{other}` (expected bronze, silver or gold)"),
            ))
        }
    };
    let inputs = match value.pointer("/custom/input") {
        None => None,
        Some(input) => {
            let names: Vec<&Value> = match input {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            let kinds = names
                .into_iter()
                .map(|name| {
                    name.as_str().and_then(Kind::from_name).ok_or_else(|| {
                        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                        error(
                            line_of(&["custom", "input"]),
                            format!(
                                "unknown input kind {name} (expected one of: {})",
                                known.join(", ")
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<Kind>, _>>()?;
            Some(kinds)
        }
    };
    let related = match value.get("related_resources") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Object(o) => o
                    .get("ref")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        error(
                            line_of(&["related_resources"]),
                            "each related_resources entry needs a `ref`".into(),
                        )
                    }),
                _ => Err(error(
                    line_of(&["related_resources"]),
                    "related_resources entries must be strings or {ref}".into(),
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(error(
                line_of(&["related_resources"]),
                "`related_resources` must be a list".into(),
            ))
        }
    };
    Ok(Annotation {
        title: text(&["title"])?,
        description: text(&["description"])?,
        related,
        id: text(&["custom", "id"])?,
        severity,
        level,
        inputs,
        remediation: text(&["custom", "remediation"])?,
        config: match value.pointer("/custom/config") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            Some(_) => {
                return Err(error(
                    line_of(&["custom", "config"]),
                    "`custom.config` must be a list of settings".into(),
                ))
            }
        },
        example_fail: text(&["custom", "examples", "fail"])?,
        example_pass: text(&["custom", "examples", "pass"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "# METADATA\n# title: Limits\n# description: >-\n#   Long text.\n# related_resources:\n#   - ref: https://example.com\n# custom:\n#   id: kubernetes/limits\n#   severity: warning\n#   level: silver\n#   input: [kubernetes]\npackage paved.k\n\n# METADATA\n# title: Only this rule\ndeny contains 1 if true\n";

    #[test]
    fn reads_package_and_rule_blocks() {
        let blocks = read(POLICY).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].scope, Scope::Package);
        let a = &blocks[0].annotation;
        assert_eq!(a.title.as_deref(), Some("Limits"));
        assert_eq!(a.description.as_deref(), Some("Long text."));
        assert_eq!(a.related, ["https://example.com"]);
        assert_eq!(a.id.as_deref(), Some("kubernetes/limits"));
        assert_eq!(a.severity, Some(Severity::Warning));
        assert_eq!(a.level, Some(Level::Silver));
        assert_eq!(a.inputs, Some(vec![Kind::Kubernetes]));
        assert_eq!(blocks[1].scope, Scope::Rule(16));
        let merged = a.overlay(&blocks[1].annotation);
        assert_eq!(merged.title.as_deref(), Some("Only this rule"));
        assert_eq!(merged.id.as_deref(), Some("kubernetes/limits"));
    }

    #[test]
    fn malformed_annotations_name_the_line() {
        let bad = "# METADATA\n# title: x\n# custom:\n#   severity: fatal\npackage p\n";
        let e = read(bad).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("unknown severity `fatal`"));
        let bad_kind = "# METADATA\n# custom:\n#   input: k8s\npackage p\n";
        assert_eq!(read(bad_kind).unwrap_err().line, 3);
        let bad_yaml = "# METADATA\n# title: [unclosed\npackage p\n";
        assert!(read(bad_yaml)
            .unwrap_err()
            .message
            .contains("not valid YAML"));
    }
}
