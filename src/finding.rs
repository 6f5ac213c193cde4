//! What a run reports: findings with a rule, a severity and an exact location.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::class::Class;
use crate::parse::PathSegment;
use crate::source::{Position, SourceFile, Span};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is: a file and, when it is about a place in the file, a span there.
/// Repository findings about a missing file carry only the repository directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
    #[serde(skip)]
    pub span: Option<Span>,
    /// The file within its repository, whatever path was typed: what fingerprints hash and
    /// what code-scanning URIs name. `None` until the run sets it.
    #[serde(skip)]
    pub repository: Option<RepositoryPath>,
}

/// A file's path relative to the root of the git repository holding it (`in_git`), or,
/// outside any, to the directory scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryPath {
    pub path: String,
    pub in_git: bool,
}

impl Location {
    pub fn file_only(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            start: None,
            end: None,
            span: None,
            repository: None,
        }
    }

    /// `:line:column` when the location has a position, for `file:line:column` displays.
    pub fn position_suffix(&self) -> String {
        self.start
            .map_or(String::new(), |p| format!(":{}:{}", p.line, p.column))
    }

    pub fn at(file: impl Into<String>, source: &SourceFile<'_>, span: Span) -> Location {
        Location {
            file: file.into(),
            start: Some(source.position(span.start)),
            end: Some(source.position(span.end)),
            span: Some(span),
            repository: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// What the input is for; only examples are reported by default besides deployable
    /// configuration (see [`Class`]).
    #[serde(skip_serializing_if = "Class::is_deployable")]
    pub class: Class,
    /// Index of the document inside its file (a YAML stream's third document is 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// The path into `input` the rule returned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathSegment>>,
    /// Said when the path goes past what exists: the location is the nearest ancestor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The result's other keys, as the rule returned them.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
    /// Identifies the finding across runs without line numbers (see [`fingerprint`]).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
}

/// A finding's identity across edits: the rule, the file (relative to its repository, not as
/// typed), the document's identity, the logical path into it, and the message (which says
/// the offending value). Never a line number or the text around the finding: adding an env
/// var to a container, reordering containers, inserting a document above or reformatting the
/// file leaves every unrelated finding's fingerprint as it was.
pub fn fingerprint(finding: &Finding, document: Option<&Value>) -> String {
    Basis::of(finding, document).fingerprint(finding)
}

/// What a finding's fingerprint takes from its document: the object's identity and the
/// logical path. Findings waiting to be merged keep this rather than their document, which
/// can be megabytes (a CRD), once per finding and scenario.
#[derive(Debug, Clone, Default)]
pub struct Basis {
    identity: String,
    path: String,
}

impl Basis {
    pub fn of(finding: &Finding, document: Option<&Value>) -> Basis {
        let path = match (&finding.path, document) {
            (Some(path), Some(value)) => logical_path(value, path),
            (Some(path), None) => serde_json::to_string(path).unwrap_or_default(),
            (None, _) => String::new(),
        };
        Basis {
            identity: document.map(identity).unwrap_or_default(),
            path,
        }
    }

    /// The fingerprint of the finding, as it is now, on this basis.
    pub fn fingerprint(&self, finding: &Finding) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let file = finding.location.repository.as_ref();
        for part in [
            finding.rule.as_str(),
            file.map_or(&finding.location.file, |r| &r.path),
            &self.identity,
            &self.path,
            &finding.message,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A Kubernetes object's kind, namespace and name; nothing for other documents (their
/// place in the file does not identify them better than the path does).
fn identity(document: &Value) -> String {
    let metadata = &document["metadata"];
    match (&document["kind"], &metadata["name"]) {
        (Value::String(kind), Value::String(name)) => format!(
            "{kind}/{}/{name}",
            metadata["namespace"].as_str().unwrap_or("")
        ),
        _ => String::new(),
    }
}

/// The path with each array index replaced by what names the element (a container's
/// `name`, a step's `id`, a CODEOWNERS entry's `pattern`...) where it has one.
fn logical_path(document: &Value, path: &[PathSegment]) -> String {
    const NAMING_KEYS: [&str; 5] = ["name", "id", "pattern", "path", "file"];
    let mut node = Some(document);
    let mut parts = Vec::with_capacity(path.len());
    for segment in path {
        let element = node.and_then(|n| match segment {
            PathSegment::Key(key) => n.get(key),
            PathSegment::Index(i) => n.get(i),
        });
        parts.push(match segment {
            PathSegment::Key(key) => key.clone(),
            PathSegment::Index(i) => NAMING_KEYS
                .iter()
                .find_map(|key| {
                    element
                        .and_then(|e| e.get(key))
                        .and_then(Value::as_str)
                        .map(|name| format!("[{key}={name}]"))
                })
                .unwrap_or_else(|| format!("[{i}]")),
        });
        node = element;
    }
    parts.join("\u{0}")
}

impl Finding {
    /// The message as the formats people read show it: a finding on an example (or on a
    /// fixture, generated file or template that `--classes` let in) says so, since it is
    /// judged as configuration someone copies, not as what this repository deploys.
    pub fn shown_message(&self) -> std::borrow::Cow<'_, str> {
        match self.class {
            Class::Deployable => self.message.as_str().into(),
            class => format!("{} ({})", self.message, class.as_str()).into(),
        }
    }

    /// A finding paved reports itself (a parse error, a suppression problem): no document,
    /// no path, no metadata.
    pub fn own(rule: &str, severity: Severity, message: String, location: Location) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            message,
            location,
            class: Class::Deployable,
            document: None,
            path: None,
            label: None,
            metadata: Map::new(),
            fingerprint: String::new(),
        }
    }

    /// The order of every report: file, line, column, then rule and message.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.location.file,
            self.location.start,
            &self.rule,
            &self.message,
            self.document,
        )
    }
}

impl Serialize for PathSegment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PathSegment::Key(k) => serializer.serialize_str(k),
            PathSegment::Index(i) => serializer.serialize_u64(*i as u64),
        }
    }
}

/// Sorts in parallel (on the current rayon pool): an org-wide run has findings by the
/// hundred thousand.
pub fn sort(findings: &mut [Finding]) {
    use rayon::slice::ParallelSliceMut;
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Counts of findings by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            counts.add(f.severity);
        }
        counts
    }

    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
}
