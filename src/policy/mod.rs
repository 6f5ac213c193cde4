//! Policy bundles: loading Rego files (built-in, embedded in the binary, and the user's),
//! reading their annotations, and the rule catalogue every later stage reads.

pub mod bundle;
mod heads;
pub mod metadata;
pub mod own;
pub mod verify;

pub use heads::scan as rule_heads;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::Serialize;

use crate::finding::Severity;
use crate::parse::Kind;
pub use metadata::Level;
use metadata::{Annotation, Scope};

static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// A Rego source file. Built-in files have paths starting with `builtin:`.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: String,
    pub text: String,
}

impl PolicyFile {
    pub fn is_test(&self) -> bool {
        self.path.ends_with("_test.rego")
    }

    pub fn is_builtin(&self) -> bool {
        self.path.starts_with("builtin:")
    }
}

/// A policy that cannot be used: the file, the line when known, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PolicyError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Every `.rego` file of the built-in bundle (tests included), in path order.
pub fn builtin_files() -> Vec<PolicyFile> {
    let mut files = Vec::new();
    collect_embedded(&BUILTIN, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect_embedded(dir: &Dir<'_>, files: &mut Vec<PolicyFile>) {
    for file in dir.files() {
        if file.path().extension().is_some_and(|e| e == "rego") {
            files.push(PolicyFile {
                path: format!("builtin:{}", file.path().display()),
                text: file.contents_utf8().unwrap_or_default().to_string(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

/// The `.rego` files under a directory (or the file itself), in path order.
pub fn read_path(path: &Path) -> Result<Vec<PolicyFile>, PolicyError> {
    let error = |message: String| PolicyError {
        file: path.display().to_string(),
        line: None,
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => error(
            "no such policy file or directory (give the one holding your .rego files with -p)"
                .into(),
        ),
        _ => error(format!("cannot read policy path: {e}")),
    })?;
    let mut paths = Vec::new();
    if metadata.is_file() {
        paths.push(path.to_path_buf());
    } else {
        for entry in ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .build()
        {
            let entry = entry.map_err(|e| error(format!("cannot walk policy directory: {e}")))?;
            if entry.file_type().is_some_and(|t| t.is_file())
                && entry.path().extension().is_some_and(|e| e == "rego")
            {
                paths.push(entry.into_path());
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| PolicyError {
                file: p.display().to_string(),
                line: None,
                message: format!("cannot read policy: {e}"),
            })?;
            Ok(PolicyFile {
                path: p.display().to_string(),
                text,
            })
        })
        .collect()
}

/// Whether conftest would query a rule of this name, and as what.
pub fn effect_of(name: &str) -> Option<Effect> {
    let suffix_ok = |rest: &str| {
        rest.is_empty()
            || rest.strip_prefix('_').is_some_and(|r| {
                r.split('_')
                    .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
            })
    };
    if let Some(rest) = name
        .strip_prefix("deny")
        .or_else(|| name.strip_prefix("violation"))
    {
        return suffix_ok(rest).then_some(Effect::Deny);
    }
    if let Some(rest) = name.strip_prefix("warn") {
        return suffix_ok(rest).then_some(Effect::Warn);
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Deny,
    Warn,
}

/// One queried rule name in one package, e.g. `data.main.deny_latest`.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    pub name: String,
    /// `data.<package>.<name>`, ready to evaluate.
    #[serde(skip)]
    pub reference: String,
    pub effect: Effect,
    /// How many bodies define it (conftest counts each as a test).
    pub bodies: usize,
}

/// A rule of the catalogue: what findings carry and what the renderers describe.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub remediation: Option<String>,
    pub related: Vec<String>,
    /// The settings (`category.key`) the rule reads, which `[policy.config]` overrides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example_fail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example_pass: Option<String>,
    pub severity: Severity,
    pub level: Option<Level>,
    /// The document kinds it runs on; `None` means every file document.
    pub inputs: Option<Vec<Kind>>,
    pub package: String,
    pub queries: Vec<Query>,
    /// The package defines `exception` (conftest's per-rule opt-out).
    #[serde(skip)]
    pub has_exceptions: bool,
    pub file: String,
    pub line: usize,
    pub builtin: bool,
}

impl Rule {
    pub fn applies_to(&self, kind: Kind) -> bool {
        match &self.inputs {
            Some(kinds) => kinds.contains(&kind),
            None => kind != Kind::Repository,
        }
    }

    /// The severity of a result from a query of this rule: `warn` rules never exceed warning.
    pub fn severity_of(&self, effect: Effect) -> Severity {
        match effect {
            Effect::Deny => self.severity,
            Effect::Warn => self.severity.min(Severity::Warning),
        }
    }
}

/// A rule head as the Rego parser saw it.
#[derive(Debug, Clone)]
pub struct RuleHead {
    pub name: String,
    pub line: usize,
}

/// What one loaded policy file declares.
#[derive(Debug, Clone)]
pub struct Module<'a> {
    pub file: &'a PolicyFile,
    /// Without the `data.` prefix.
    pub package: String,
    pub heads: Vec<RuleHead>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Catalogue {
    pub rules: Vec<Rule>,
}

/// A user file in a built-in package would add its results to the built-in rules (and its
/// rules to their ids) unnoticed: an error at load, naming both files.
fn builtin_packages_untouched(modules: &[Module<'_>]) -> Result<(), PolicyError> {
    let builtin: BTreeMap<&str, &str> = modules
        .iter()
        .filter(|m| m.file.is_builtin())
        .map(|m| (m.package.as_str(), m.file.path.as_str()))
        .collect();
    match modules
        .iter()
        .filter(|m| !m.file.is_builtin())
        .find_map(|m| builtin.get(m.package.as_str()).map(|b| (m, b)))
    {
        Some((module, builtin)) => Err(PolicyError {
            file: module.file.path.clone(),
            line: None,
            message: format!(
                "package {} is a built-in package ({builtin}); give yours a name of its own",
                module.package
            ),
        }),
        None => Ok(()),
    }
}

impl Catalogue {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Builds the catalogue from the modules of a bundle: every `deny`/`violation`/`warn`
    /// query becomes part of the rule its annotations name (or `<package>/<name>`).
    pub fn build(modules: &[Module<'_>]) -> Result<Catalogue, PolicyError> {
        let mut package_annotations: BTreeMap<&str, Annotation> = BTreeMap::new();
        let mut rule_blocks = Vec::new();
        for module in modules {
            let blocks = metadata::read(&module.file.text).map_err(|e| PolicyError {
                file: module.file.path.clone(),
                line: Some(e.line),
                message: e.message,
            })?;
            for block in blocks {
                match block.scope {
                    Scope::Package => {
                        let entry = package_annotations.entry(&module.package).or_default();
                        *entry = entry.overlay(&block.annotation);
                    }
                    Scope::Rule(line) => {
                        rule_blocks.push((module.file.path.as_str(), line, block.annotation))
                    }
                }
            }
        }
        builtin_packages_untouched(modules)?;
        // conftest keeps `exception` anywhere in the package, often in a file of its own.
        let excepting: BTreeSet<&str> = modules
            .iter()
            .filter(|m| m.heads.iter().any(|h| h.name == "exception"))
            .map(|m| m.package.as_str())
            .collect();
        let mut rules: Vec<Rule> = Vec::new();
        for module in modules {
            let has_exceptions = excepting.contains(module.package.as_str());
            let package_annotation = package_annotations
                .get(module.package.as_str())
                .cloned()
                .unwrap_or_default();
            for head in &module.heads {
                let Some(effect) = effect_of(&head.name) else {
                    continue;
                };
                let annotation = rule_blocks
                    .iter()
                    .find(|(file, line, _)| *file == module.file.path && *line == head.line)
                    .map_or_else(
                        || package_annotation.clone(),
                        |(_, _, a)| package_annotation.overlay(a),
                    );
                let id = annotation
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("{}/{}", module.package, head.name));
                let reference = format!("data.{}.{}", module.package, head.name);
                match rules.iter_mut().find(|r| r.id == id) {
                    Some(rule) if rule.package != module.package => {
                        return Err(PolicyError {
                            file: module.file.path.clone(),
                            line: Some(head.line),
                            message: format!(
                                "rule id `{id}` is already used by package {} ({})",
                                rule.package, rule.file
                            ),
                        });
                    }
                    Some(rule) => {
                        match rule.queries.iter_mut().find(|q| q.reference == reference) {
                            Some(query) => query.bodies += 1,
                            None => rule.queries.push(Query {
                                name: head.name.clone(),
                                reference,
                                effect,
                                bodies: 1,
                            }),
                        }
                    }
                    None => rules.push(Rule {
                        id,
                        title: annotation.title,
                        description: annotation.description,
                        remediation: annotation.remediation,
                        related: annotation.related,
                        config: annotation.config,
                        example_fail: annotation.example_fail,
                        example_pass: annotation.example_pass,
                        severity: annotation.severity.unwrap_or(Severity::Error),
                        level: annotation.level,
                        inputs: annotation.inputs,
                        package: module.package.clone(),
                        queries: vec![Query {
                            name: head.name.clone(),
                            reference,
                            effect,
                            bodies: 1,
                        }],
                        has_exceptions,
                        file: module.file.path.clone(),
                        line: head.line,
                        builtin: module.file.is_builtin(),
                    }),
                }
            }
        }
        if let Some(taken) = rules.iter().find(|r| own::is_own(&r.id)) {
            return Err(PolicyError {
                file: taken.file.clone(),
                line: Some(taken.line),
                message: format!("rule id `{}` is one of paved's own rules", taken.id),
            });
        }
        rules.extend(own::rules());
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Catalogue { rules })
    }
}

/// Reads `--data` files (JSON or YAML); each file's top-level keys merge into `data`.
pub fn read_data(path: &Path) -> Result<Vec<serde_json::Value>, PolicyError> {
    let error = |p: &Path, message: String| PolicyError {
        file: p.display().to_string(),
        line: None,
        message,
    };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .build()
            .flatten()
        {
            let p = entry.path();
            let data_file = matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            );
            if entry.file_type().is_some_and(|t| t.is_file()) && data_file {
                files.push(entry.into_path());
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut values = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file)
            .map_err(|e| error(&file, format!("cannot read data file: {e}")))?;
        let text = crate::parse::decode(&bytes).map_err(|e| error(&file, e.message))?;
        let format = if file.extension().is_some_and(|e| e == "json") {
            crate::parse::Format::Json
        } else {
            crate::parse::Format::Yaml
        };
        let parsed =
            crate::parse::parse(text, format, Kind::Yaml, crate::parse::Options::default());
        if let Some(e) = parsed.errors.first() {
            let line = crate::source::SourceFile::new(text)
                .position(e.span.start)
                .line;
            return Err(PolicyError {
                file: file.display().to_string(),
                line: Some(line),
                message: e.message.clone(),
            });
        }
        for document in parsed.documents {
            if !document.value.is_object() {
                return Err(error(
                    &file,
                    "data files must hold an object at the top level".into(),
                ));
            }
            values.push(document.value);
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conftest_rule_names() {
        assert_eq!(effect_of("deny"), Some(Effect::Deny));
        assert_eq!(effect_of("deny_alb_http"), Some(Effect::Deny));
        assert_eq!(effect_of("violation_x1"), Some(Effect::Deny));
        assert_eq!(effect_of("warn_tags"), Some(Effect::Warn));
        assert_eq!(effect_of("denyfoo"), None);
        assert_eq!(effect_of("deny__x"), None);
        assert_eq!(effect_of("warning"), None);
        assert_eq!(effect_of("exception"), None);
    }

    #[test]
    fn builtin_bundle_is_embedded() {
        let files = builtin_files();
        assert!(files.iter().any(|f| !f.is_test()));
        assert!(files.iter().all(|f| f.is_builtin()));
    }
}
