//! Parsing: every format produces [`Document`]s — the value a policy sees as `input` plus a
//! source map from JSON paths to byte spans, built in the same pass.

pub mod conftest;
mod dockerfile;
pub mod edn;
mod hcl;
mod json;
pub mod jsonnet;
mod nesting;
pub mod nginx;
mod projection;
mod reindent;
mod sourcemap;
mod toml;
mod tree;
pub use tree::to_regorus;
mod yaml;

use std::path::Path;

use serde_json::Value;

pub use projection::Projection;
pub use sourcemap::{Children, Node, PathSegment, Resolved};
pub use yaml::{regorus_documents, scanner_events};

use crate::source::Span;

/// What a document is, which decides the rules that run on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Kubernetes,
    Terraform,
    GithubActions,
    GitlabCi,
    Dockerfile,
    Backstage,
    Yaml,
    Json,
    Toml,
    Hcl,
    /// A `kustomization.yaml` (or `kind: Component`): what an overlay is built from.
    Kustomization,
    /// A file a kustomization uses as a patch: a fragment, never linted as a whole object.
    KustomizePatch,
    Repository,
    /// A Helm chart's `Chart.yaml`; the chart's rendered manifests are `kubernetes`.
    HelmChart,
    /// A chart's `values*.yaml` and `ci/*-values.yaml`.
    HelmValues,
}

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::Kubernetes,
        Kind::Terraform,
        Kind::GithubActions,
        Kind::GitlabCi,
        Kind::Dockerfile,
        Kind::Backstage,
        Kind::Yaml,
        Kind::Json,
        Kind::Toml,
        Kind::Hcl,
        Kind::Kustomization,
        Kind::KustomizePatch,
        Kind::Repository,
        Kind::HelmChart,
        Kind::HelmValues,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Kubernetes => "kubernetes",
            Kind::Terraform => "terraform",
            Kind::GithubActions => "github-actions",
            Kind::GitlabCi => "gitlab-ci",
            Kind::Dockerfile => "dockerfile",
            Kind::Backstage => "backstage",
            Kind::Yaml => "yaml",
            Kind::Json => "json",
            Kind::Toml => "toml",
            Kind::Hcl => "hcl",
            Kind::Kustomization => "kustomization",
            Kind::KustomizePatch => "kustomize-patch",
            Kind::Repository => "repository",
            Kind::HelmChart => "helm-chart",
            Kind::HelmValues => "helm-values",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The syntax a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    /// JSON with comments and trailing commas (VS Code, TypeScript, devcontainers).
    Jsonc,
    /// JSON5 (`*.json5`, Babel's `.babelrc`).
    Json5,
    Hcl,
    Dockerfile,
    Toml,
}

impl Format {
    /// How a comment starts in this format; `paved:ignore` is read only in comments.
    /// (A Dockerfile `#` is a comment only at the start of a line: elsewhere it is an
    /// argument, and the instruction's span covers it.)
    pub fn comment_markers(self) -> &'static [&'static str] {
        match self {
            Format::Yaml | Format::Toml | Format::Dockerfile => &["#"],
            Format::Json | Format::Jsonc | Format::Json5 => &["//"],
            Format::Hcl => &["#", "//"],
        }
    }
}

/// How YAML scalars are read: `paved lint` reads YAML 1.2 (as GitHub does); the conftest
/// front door reads YAML 1.1 like Go's yaml libraries (`on`, `yes`, `no` are booleans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Yaml12,
    Yaml11,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub dialect: Dialect,
    /// Build the source map. `paved test` parses without it and maps a file again only when
    /// one of its results needs a line.
    pub source_map: bool,
    /// A repeated YAML key replaces the earlier one instead of being an error, as Go's
    /// yaml.v2 does for Helm's `fromYaml`.
    pub last_duplicate_wins: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dialect: Dialect::Yaml12,
            source_map: true,
            last_duplicate_wins: false,
        }
    }
}

/// One unit of evaluation: a YAML document, a whole Terraform file, a Dockerfile, ...
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// Position of the document inside its file (0 for single-document formats).
    pub index: usize,
    pub value: Value,
    pub map: Node,
    /// Where findings without a path point: the `kind:` key of a manifest, else the start.
    pub anchor: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

/// Everything a file produced: the documents that parsed, and the errors of those that did not.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub documents: Vec<Document>,
    pub errors: Vec<ParseError>,
}

/// Nesting deeper than this is refused: it is never a real configuration file, and the
/// recursive value builders must not overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// The format and the path-based kind of a file, or `None` for files paved does not read.
pub fn classify(path: &Path) -> Option<(Format, Kind)> {
    // A name that is not UTF-8 is still classified: such a file must not go unchecked.
    let lower = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let in_workflows = path
        .parent()
        .is_some_and(|p| p.ends_with(".github/workflows"));
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if matches!(
        lower.as_str(),
        "kustomization.yaml" | "kustomization.yml" | "kustomization"
    ) {
        return Some((Format::Yaml, Kind::Kustomization));
    }
    if lower == "dockerfile" || lower.ends_with(".dockerfile") || lower.starts_with("dockerfile.") {
        return Some((Format::Dockerfile, Kind::Dockerfile));
    }
    if lower.ends_with(".tf.json") {
        return Some((Format::Json, Kind::Terraform));
    }
    if let Some(format) = tool_json(path, &lower) {
        return Some((format, Kind::Json));
    }
    if yaml {
        let kind = if in_workflows || lower == "action.yml" || lower == "action.yaml" {
            Kind::GithubActions
        } else if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" {
            Kind::GitlabCi
        } else if lower == "catalog-info.yaml" || lower == "catalog-info.yml" {
            Kind::Backstage
        } else {
            Kind::Yaml
        };
        return Some((Format::Yaml, kind));
    }
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    match extension {
        "tf" | "tfvars" => Some((Format::Hcl, Kind::Terraform)),
        "hcl" => Some((Format::Hcl, Kind::Hcl)),
        "json" => Some((Format::Json, Kind::Json)),
        "toml" => Some((Format::Toml, Kind::Toml)),
        _ => None,
    }
}

/// The JSON dialect of a tool's configuration file, known by its name: the tool reads it
/// with comments and trailing commas (or as JSON5), so paved does too. Any other `.json`
/// is strict JSON.
fn tool_json(path: &Path, lower: &str) -> Option<Format> {
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().to_ascii_lowercase());
    let in_tool_directory = matches!(parent.as_deref(), Some(".vscode" | ".devcontainer"));
    let named = |prefix: &str| lower.starts_with(prefix) && lower.ends_with(".json");
    if lower.ends_with(".json5") || matches!(lower, ".babelrc" | ".babelrc.json") {
        Some(Format::Json5)
    } else if lower.ends_with(".jsonc")
        || (in_tool_directory && lower.ends_with(".json"))
        || named("tsconfig")
        || named("jsconfig")
        || matches!(
            lower,
            "devcontainer.json"
                | ".devcontainer.json"
                | ".eslintrc.json"
                | "renovate.json"
                | ".renovaterc"
                | ".renovaterc.json"
                | ".swcrc"
                | "api-extractor.json"
        )
    {
        Some(Format::Jsonc)
    } else {
        None
    }
}

/// The kinds a file that failed to parse might have had: its path's kind and, for generic
/// YAML or JSON that looks like a manifest (under a deployment-like directory, or with
/// `apiVersion` in its text), Kubernetes. Whether its parse error matters depends on them.
pub fn possible_kinds(path: &Path, kind: Kind, text: &str) -> Vec<Kind> {
    const DEPLOYMENT_WORDS: [&str; 8] = [
        "k8s", "kube", "manifest", "deploy", "kustomiz", "chart", "helm", "overlays",
    ];
    if matches!(kind, Kind::Kustomization | Kind::KustomizePatch) {
        // What a cluster gets is built from them: a broken one breaks the deployment.
        return vec![kind, Kind::Kubernetes];
    }
    if !matches!(kind, Kind::Yaml | Kind::Json) {
        return vec![kind];
    }
    let in_deployment_directory = path.parent().is_some_and(|parent| {
        parent.components().any(|c| {
            let name = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            DEPLOYMENT_WORDS.iter().any(|w| name.contains(w))
        })
    });
    if in_deployment_directory || text.contains("apiVersion") {
        vec![kind, Kind::Kubernetes]
    } else {
        vec![kind]
    }
}

/// Kinds any YAML, JSON or TOML file has: no rule is written for them by default.
pub fn is_generic(kind: Kind) -> bool {
    matches!(kind, Kind::Yaml | Kind::Json | Kind::Toml | Kind::Hcl)
}

/// Parses a file's text. Never fails: what cannot be read becomes a [`ParseError`].
pub fn parse(text: &str, format: Format, kind: Kind, options: Options) -> ParsedFile {
    let mut parsed = match format {
        Format::Yaml => yaml::parse(text, options),
        Format::Json | Format::Jsonc | Format::Json5 => json::parse(text, format, options),
        Format::Hcl => hcl::parse(text, options),
        Format::Dockerfile => dockerfile::parse(text, options),
        Format::Toml => toml::parse(text, options),
    };
    for document in &mut parsed.documents {
        document.kind = refine_kind(kind, &document.value);
    }
    parsed
}

/// Replaces each Kubernetes list (`kind: List`, `PodList`, what `kubectl get -o yaml` and
/// `helm template --output json` print) by its items, each a document of its own with its
/// place in the file, so rules see the objects rather than a wrapper. `paved lint` does this;
/// `paved test` does not, as conftest does not.
pub fn expand_lists(parsed: &mut ParsedFile) {
    let is_list = |d: &Document| {
        d.kind == Kind::Kubernetes
            && d.value["kind"]
                .as_str()
                .is_some_and(|k| k.ends_with("List"))
            && d.value["items"].is_array()
    };
    if !parsed.documents.iter().any(is_list) {
        return;
    }
    let mut expanded = Vec::with_capacity(parsed.documents.len());
    for mut document in std::mem::take(&mut parsed.documents) {
        if !is_list(&document) {
            expanded.push(document);
            continue;
        }
        let Value::Array(items) = document.value["items"].take() else {
            continue;
        };
        let maps = match document.map.child_key("items").map(|n| &n.children) {
            Some(sourcemap::Children::Array(nodes)) => nodes.clone(),
            _ => Vec::new(),
        };
        for (position, item) in items.into_iter().enumerate() {
            let map = maps
                .get(position)
                .cloned()
                .unwrap_or_else(|| Node::leaf(document.anchor.clone()));
            expanded.push(Document {
                kind: refine_kind(Kind::Yaml, &item),
                index: 0,
                anchor: document_anchor(&map),
                value: item,
                map,
            });
        }
    }
    for (index, document) in expanded.iter_mut().enumerate() {
        document.index = index;
    }
    parsed.documents = expanded;
}

/// Each error's message and the text under its span, for tests to compare at a glance.
#[cfg(test)]
pub(crate) fn errors_with_text<'a>(
    parsed: &'a ParsedFile,
    text: &'a str,
) -> Vec<(&'a str, &'a str)> {
    parsed
        .errors
        .iter()
        .map(|e| (e.message.as_str(), &text[e.span.clone()]))
        .collect()
}

/// Generic YAML and JSON documents that carry `apiVersion` and `kind` are Kubernetes objects.
fn refine_kind(kind: Kind, value: &Value) -> Kind {
    let is_object = |v: &Value| {
        v.get("apiVersion").is_some_and(Value::is_string)
            && v.get("kind").is_some_and(Value::is_string)
    };
    match kind {
        Kind::Yaml | Kind::Json if is_object(value) => Kind::Kubernetes,
        _ => kind,
    }
}

/// The span a document-level finding points at: the `kind` key when there is one.
fn document_anchor(map: &Node) -> Span {
    map.child_key("kind")
        .and_then(|n| n.key.clone())
        .unwrap_or(map.span.start..map.span.start)
}

/// A number too large for a JSON number: an error at its location, never a string or a
/// crash (Go's YAML and JSON readers, and so OPA and conftest, refuse it too).
fn out_of_range(text: &str, span: Span) -> ParseError {
    ParseError::new(format!("the number `{text}` is out of range"), span)
}

/// Reads a file's bytes as UTF-8, or says where the first invalid byte is.
///
/// UTF-16 and UTF-32 text (with a byte-order mark) is named as such rather than called
/// binary, but not decoded: every span and column paved reports is a byte offset into the
/// file as read, and decoding would make them point at text that is not in the file.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(ParseError::new(
            format!("the file is {encoding} text (it starts with a byte-order mark); paved reads UTF-8: convert it"),
            0..0,
        ));
    }
    if let Some(nul) = memchr::memchr(0, bytes) {
        return Err(ParseError::new(
            "binary file: contains a NUL byte, not text",
            nul..nul + 1,
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        ParseError::new("invalid UTF-8: the file is not valid text", at..at + 1)
    })
}

/// The encoding a UTF-16 or UTF-32 byte-order mark announces.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32LE"),
        [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32BE"),
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        _ => None,
    }
}

/// Strips a UTF-8 byte-order mark, returning how many bytes were removed.
fn strip_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_path() {
        let kind = |p: &str| classify(Path::new(p)).map(|(_, k)| k);
        assert_eq!(kind(".github/workflows/ci.yml"), Some(Kind::GithubActions));
        assert_eq!(kind("a/.gitlab-ci.yml"), Some(Kind::GitlabCi));
        assert_eq!(kind("catalog-info.yaml"), Some(Kind::Backstage));
        assert_eq!(kind("build/Dockerfile.prod"), Some(Kind::Dockerfile));
        assert_eq!(kind("api.dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(kind("main.tf"), Some(Kind::Terraform));
        assert_eq!(kind("main.tf.json"), Some(Kind::Terraform));
        assert_eq!(kind("prod.tfvars"), Some(Kind::Terraform));
        assert_eq!(kind("terragrunt.hcl"), Some(Kind::Hcl));
        assert_eq!(kind("k8s/deploy.yaml"), Some(Kind::Yaml));
        assert_eq!(kind("README.md"), None);
    }

    #[test]
    fn tool_configuration_json_is_jsonc_or_json5_by_name() {
        let format = |p: &str| classify(Path::new(p)).map(|(f, _)| f);
        for jsonc in [
            ".vscode/settings.json",
            "web/.vscode/launch.json",
            "tsconfig.json",
            "packages/app/tsconfig.build.json",
            "jsconfig.json",
            ".devcontainer/devcontainer.json",
            ".devcontainer/features.json",
            "devcontainer.json",
            ".eslintrc.json",
            "renovate.json",
            ".swcrc",
            "api-extractor.json",
            "settings.jsonc",
        ] {
            assert_eq!(format(jsonc), Some(Format::Jsonc), "{jsonc}");
        }
        for json5 in ["renovate.json5", "config/app.json5", ".babelrc"] {
            assert_eq!(format(json5), Some(Format::Json5), "{json5}");
        }
        for strict in [
            "k8s/deployment.json",
            "package.json",
            "vscode/settings.json",
        ] {
            assert_ne!(format(strict), Some(Format::Jsonc), "{strict}");
            assert_ne!(format(strict), Some(Format::Json5), "{strict}");
        }
        assert_eq!(format("k8s/deployment.json"), Some(Format::Json));
        let kind = classify(Path::new(".vscode/settings.json")).map(|(_, k)| k);
        assert_eq!(kind, Some(Kind::Json));
    }

    #[test]
    fn a_broken_generic_file_may_be_kubernetes_by_directory_or_text() {
        let kinds = |p: &str, kind, text| possible_kinds(Path::new(p), kind, text);
        assert_eq!(kinds("config/app.yaml", Kind::Yaml, "a: [\n"), [Kind::Yaml]);
        assert_eq!(
            kinds("config/app.yaml", Kind::Yaml, "apiVersion: v1\nkind: [\n"),
            [Kind::Yaml, Kind::Kubernetes]
        );
        for deployment in [
            "k8s/app.yaml",
            "deploy/prod/app.yaml",
            "Manifests/app.json",
            "kustomize/base/app.yaml",
            "charts/api/values.yaml",
        ] {
            assert_eq!(
                kinds(deployment, Kind::Yaml, "a: [\n"),
                [Kind::Yaml, Kind::Kubernetes],
                "{deployment}"
            );
        }
        assert_eq!(
            kinds("k8s/settings.toml", Kind::Toml, "apiVersion = ["),
            [Kind::Toml]
        );
        assert_eq!(
            kinds(".github/workflows/ci.yml", Kind::GithubActions, "on: ["),
            [Kind::GithubActions]
        );
    }

    #[test]
    fn yaml_with_api_version_and_kind_is_kubernetes() {
        let parsed = parse(
            "apiVersion: v1\nkind: Service\n---\nfoo: 1\n",
            Format::Yaml,
            Kind::Yaml,
            Options::default(),
        );
        let kinds: Vec<Kind> = parsed.documents.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [Kind::Kubernetes, Kind::Yaml]);
    }

    #[test]
    fn binary_and_invalid_utf8_are_errors() {
        assert!(decode(b"a\0b").unwrap_err().message.contains("binary"));
        assert_eq!(decode(b"ab\xffc").unwrap_err().span, 2..3);
    }

    #[test]
    fn utf16_and_utf32_are_named_not_called_binary() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: 1\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let error = decode(&utf16le).unwrap_err();
        assert_eq!(
            error.message,
            "the file is UTF-16LE text (it starts with a byte-order mark); paved reads UTF-8: convert it"
        );
        assert_eq!(error.span, 0..0);
        assert!(decode(b"\xFE\xFF\0a")
            .unwrap_err()
            .message
            .contains("UTF-16BE"));
        assert!(decode(b"\xFF\xFE\0\0a\0\0\0")
            .unwrap_err()
            .message
            .contains("UTF-32LE"));
        assert!(decode(b"\0\0\xFE\xFF")
            .unwrap_err()
            .message
            .contains("UTF-32BE"));
    }
}
