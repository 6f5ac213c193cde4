//! `paved.toml` (or `.paved.toml`): raw options as written → resolved settings, with the
//! CLI's flags applied last. Unknown keys and bad values are errors with file:line:column.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::source::SourceFile;

mod extends;
mod origins;
#[cfg(test)]
mod schema;

use extends::Reach;
pub use origins::{annotate, Origin, Origins};

pub const FILE_NAMES: [&str; 2] = ["paved.toml", ".paved.toml"];

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Configurations this one is composed on top of, in order: paths relative to this file,
    /// or remote sources (`oci://…`, `git::https://…//dir?ref=…`, `https://…`) whose top
    /// holds a paved.toml (docs/configuration.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extends: Vec<String>,
    /// This directory is a repository of its own (a fixture or vendored repository inside
    /// another): looking up for the repository root of a path stops here, as at `.git`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
    /// Which inputs get file rules, by class (deployable, example, fixture, generated,
    /// template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<crate::class::Class>>,
    /// Extra policy bundles: directories or files relative to the config file, or remote
    /// sources (oci://, git::, https://; docs/sources.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PathBuf>,
    /// Whether the built-in bundle runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builtin: Option<bool>,
    /// JSON/YAML files merged into `data`, relative to the config file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<PathBuf>,
    /// Globs of paths to skip, relative to each directory linted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The lowest severity that fails the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, schemars(extend("enum" = ["error", "warning", "info", "never"])))]
    pub fail_level: Option<String>,
    /// A baseline file: only findings not in it are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub rules: Rules,
    /// Rule-id globs no repository may turn off: in an organisation's config, `paved audit`
    /// runs them whatever a repository selects, and counts their suppressed findings; a
    /// configuration that `extends` this one may not ignore, waive or lower them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub policy: PolicySettings,
    #[serde(default, skip_serializing_if = "is_default")]
    pub suppressions: Suppressions,
    #[serde(default, rename = "waiver", skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
    /// How Helm charts are rendered, per chart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helm: Vec<HelmChart>,
}

/// `[[helm]]`: settings for the charts whose directory matches `chart`, on top of the
/// chart's own `values.yaml` (and each of its `ci/*-values.yaml` scenarios).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HelmChart {
    /// A glob of chart directories, relative to the config file (`charts/*`).
    pub chart: String,
    /// Value files, relative to the chart directory, applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<PathBuf>,
    /// `--set`-style overrides (`image.tag=1.2`), applied after the files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The Kubernetes version `.Capabilities` reports (`1.29.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_version: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Rule-id globs to run (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    /// Rule-id globs not to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Severity overrides by rule id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub severity: std::collections::BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// Organisation settings, given to policies as `data.paved_config`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    #[cfg_attr(test, schemars(with = "serde_json::Map<String, serde_json::Value>"))]
    pub config: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Suppressions {
    /// Whether `paved:ignore` comments are honoured at all.
    #[serde(default = "yes")]
    pub allow_inline: bool,
    /// Whether an inline ignore needs `-- reason`.
    #[serde(default = "yes")]
    pub require_reason: bool,
    /// Rule-id globs that cannot be ignored inline (waivers still work).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbid_inline: Vec<String>,
}

fn yes() -> bool {
    true
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Default for Suppressions {
    fn default() -> Self {
        Suppressions {
            allow_inline: true,
            require_reason: true,
            forbid_inline: Vec::new(),
        }
    }
}

/// A time-boxed, owned exception for a rule on some paths.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub rule: String,
    /// Globs relative to the directory of the config file.
    pub paths: Vec<String>,
    pub reason: String,
    pub owner: String,
    /// `YYYY-MM-DD`; from that day on the waiver no longer suppresses and is reported.
    #[cfg_attr(test, schemars(with = "String"))]
    pub expires: toml::value::Datetime,
    /// The line of the `[[waiver]]` entry, for reporting it.
    #[serde(skip)]
    pub line: usize,
}

/// A configuration and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// The file, when one was found.
    pub file: Option<PathBuf>,
    /// Where each value came from: the file and the files it extends.
    pub origins: Origins,
}

impl Loaded {
    /// The directory relative paths in the config are resolved against.
    pub fn base(&self) -> PathBuf {
        self.file
            .as_ref()
            .and_then(|f| f.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    pub fn resolve(&self, path: &Path) -> PathBuf {
        let base = self.base();
        let remote = path.to_str().is_some_and(crate::sources::spec::is_remote);
        if remote || path.is_absolute() || base.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            base.join(path)
        }
    }

    /// The `[[helm]]` entries, their chart globs relative to where paved runs.
    pub fn helm_charts(&self) -> Vec<HelmChart> {
        self.config
            .helm
            .iter()
            .map(|helm| HelmChart {
                chart: self.resolve(Path::new(&helm.chart)).display().to_string(),
                ..helm.clone()
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The config file that applies to `start`: the first `paved.toml` or `.paved.toml` in it
/// or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = match start.parent() {
        Some(parent) if start.is_file() && parent.as_os_str().is_empty() => Path::new("."),
        Some(parent) if start.is_file() => parent,
        _ => start,
    };
    let absolute = std::path::absolute(start).ok()?;
    let found = absolute.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })?;
    // Shown in findings (waivers point at it): relative to where paved runs, when below it.
    let cwd = std::env::current_dir().ok()?;
    Some(
        found
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(found),
    )
}

/// Loads `file` and what it `extends`, composed (docs/configuration.md). The files it
/// extends are read where the user keeps them: each within its own repository.
pub fn load(file: &Path) -> Result<Loaded, ConfigError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| ConfigError {
        file: shown.clone(),
        line: 1,
        column: 1,
        message: format!("cannot read: {e}"),
    })?;
    extends::resolve(file, &text, &Reach::Own)
}

/// [`load`] of a file's text, read by the caller (`paved audit` reads a repository's
/// config through `read.rs`, as it reads every file of an untrusted repository): what it
/// extends must be inside the same repository.
pub fn load_text(file: &Path, text: &str) -> Result<Loaded, ConfigError> {
    extends::resolve(file, text, &Reach::Within(crate::read::boundary_of(file)))
}

impl ConfigError {
    /// An error about the bytes `span` of `text`, the content of the file shown as `file`.
    pub fn at(file: &str, text: &str, span: std::ops::Range<usize>, message: String) -> Self {
        let position = SourceFile::new(text).position(span.start);
        ConfigError {
            file: file.to_string(),
            line: position.line,
            column: position.column,
            message,
        }
    }
}

/// The `required` rule-id globs of an organisation's config: rules that keep running
/// whatever a repository selects, that no repository may ignore, waive or lower.
#[derive(Debug)]
pub struct Required {
    patterns: Vec<(String, globset::GlobMatcher)>,
    set: globset::GlobSet,
}

impl Required {
    pub fn new(patterns: &[String]) -> Result<Required, globset::Error> {
        let mut set = globset::GlobSetBuilder::new();
        let mut each = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            let glob = globset::Glob::new(pattern)?;
            each.push((pattern.clone(), glob.compile_matcher()));
            set.add(glob);
        }
        Ok(Required {
            patterns: each,
            set: set.build()?,
        })
    }

    pub fn requires(&self, id: &str) -> bool {
        self.set.is_match(id)
    }

    /// The first required pattern that a selection pattern (a rule id or a glob such as
    /// `security/*`) reaches: one of the two matches the other. Overlaps neither spells
    /// out (`a*` against `*b`) pass: the check needs no rule catalogue.
    pub fn reached_by(&self, pattern: &str) -> Option<usize> {
        let glob = globset::Glob::new(pattern)
            .ok()
            .map(|g| g.compile_matcher());
        self.patterns.iter().position(|(required, matcher)| {
            matcher.is_match(pattern) || glob.as_ref().is_some_and(|g| g.is_match(required))
        })
    }
}

/// Parses and checks a config's text; errors carry the byte span they are about.
pub fn parse(text: &str) -> Result<Config, (std::ops::Range<usize>, String)> {
    let mut config: Config =
        toml::from_str(text).map_err(|e| (e.span().unwrap_or(0..0), e.message().to_string()))?;
    let waiver_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[waiver]]")
        .map(|(i, _)| i + 1)
        .collect();
    for (waiver, line) in config.waivers.iter_mut().zip(waiver_lines) {
        waiver.line = line;
    }
    let at = |needle: &str| text.find(needle).map_or(0..0, |i| i..i + needle.len());
    if let Some(level) = &config.fail_level {
        if !matches!(level.as_str(), "error" | "warning" | "info" | "never") {
            return Err((
                at(level),
                format!("unknown fail-level `{level}` (expected error, warning, info or never)"),
            ));
        }
    }
    for waiver in &config.waivers {
        if waiver.expires.date.is_none() || waiver.expires.time.is_some() {
            return Err((
                at(&waiver.expires.to_string()),
                "a waiver's `expires` must be a date (YYYY-MM-DD)".into(),
            ));
        }
        if waiver.reason.trim().is_empty() || waiver.owner.trim().is_empty() {
            return Err((
                at(&waiver.rule),
                "a waiver needs a reason and an owner".into(),
            ));
        }
        for glob in &waiver.paths {
            globset::Glob::new(glob).map_err(|e| (at(glob), format!("invalid glob: {e}")))?;
        }
    }
    for helm in &config.helm {
        globset::Glob::new(&helm.chart)
            .map_err(|e| (at(&helm.chart), format!("invalid glob: {e}")))?;
    }
    for glob in config
        .rules
        .select
        .iter()
        .chain(&config.rules.ignore)
        .chain(&config.suppressions.forbid_inline)
        .chain(&config.required)
    {
        globset::Glob::new(glob).map_err(|e| (at(glob), format!("invalid glob: {e}")))?;
    }
    Ok(config)
}

impl Waiver {
    /// The expiry date as `YYYY-MM-DD`.
    pub fn expiry(&self) -> Option<chrono::NaiveDate> {
        let date = self.expires.date?;
        chrono::NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
    }
}

/// The configuration a `paved lint` run uses: `--config`, else the paved.toml found from the
/// first path, else none (`--no-config`).
pub fn for_lint(args: &crate::cli::LintArgs) -> anyhow::Result<Loaded> {
    if args.no_config {
        return Ok(Loaded::default());
    }
    let file = match &args.config {
        Some(file) => Some(file.clone()),
        None => find(args.paths.first().map_or(Path::new("."), PathBuf::as_path)),
    };
    Ok(match file {
        Some(file) => load(&file)?,
        None => Loaded::default(),
    })
}

/// Resolves a run's options: the config file's values, then the command line's.
pub fn lint_options(
    args: &crate::cli::LintArgs,
    loaded: &Loaded,
) -> anyhow::Result<crate::lint::Options> {
    let config = &loaded.config;
    let mut policies: Vec<PathBuf> = config.policies.iter().map(|p| loaded.resolve(p)).collect();
    policies.extend(args.policies.policy.iter().cloned());
    let lock_dir = loaded
        .file
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    let policies =
        crate::sources::resolve_policies(&policies, args.policies.cache_dir.as_deref(), lock_dir)?;
    let mut data: Vec<PathBuf> = config.data.iter().map(|p| loaded.resolve(p)).collect();
    data.extend(args.policies.data.iter().cloned());
    let mut exclude = config.exclude.clone();
    exclude.extend(args.exclude.iter().cloned());
    let mut rules = config.rules.clone();
    rules.select.extend(args.select.iter().cloned());
    rules.ignore.extend(args.ignore.iter().cloned());
    let policy_config = (!config.policy.config.is_empty())
        .then(|| serde_json::to_value(&config.policy.config))
        .transpose()?;
    let only_files = match &args.changed_since {
        Some(rev) => {
            let mut changed = crate::git::changed_since(&args.paths, rev)?;
            crate::modules::with_module_files(&mut changed);
            Some(changed)
        }
        None => None,
    };
    Ok(crate::lint::Options {
        paths: args.paths.clone(),
        policies,
        builtin: !args.policies.no_builtin && config.builtin.unwrap_or(true),
        data,
        policy_config,
        exclude,
        jobs: args.jobs,
        rules,
        suppressions: config.suppressions.clone(),
        waivers: config.waivers.clone(),
        config_file: loaded.file.clone(),
        no_ignores: args.no_ignores,
        baseline: args
            .baseline
            .clone()
            .or_else(|| config.baseline.as_ref().map(|b| loaded.resolve(b))),
        only_files,
        repository_only: args.repository_only,
        stdin_filename: args.stdin_filename.clone(),
        helm: loaded.helm_charts(),
        classes: if args.classes.is_empty() {
            config
                .classes
                .clone()
                .unwrap_or_else(|| crate::class::DEFAULT.to_vec())
        } else {
            args.classes.clone()
        },
    })
}

/// The fail level: the command line's, else the config's, else `error`.
pub fn fail_level(args: &crate::cli::LintArgs, loaded: &Loaded) -> crate::cli::FailLevel {
    args.fail_level
        .unwrap_or_else(|| configured_fail_level(loaded.config.fail_level.as_deref()))
}

/// A config's `fail-level` (checked when parsed), `error` when not set.
pub fn configured_fail_level(level: Option<&str>) -> crate::cli::FailLevel {
    use crate::cli::FailLevel;
    match level {
        Some("warning") => FailLevel::Warning,
        Some("info") => FailLevel::Info,
        Some("never") => FailLevel::Never,
        _ => FailLevel::Error,
    }
}

/// A commented starter file for `paved init`.
pub const STARTER: &str = r#"# paved configuration. paved uses the first paved.toml or .paved.toml found in the
# linted directory or above it. Command-line flags override what is set here.

# Configurations this one is composed on top of, such as your organisation's, in order:
# this file's settings win, except over the rules they list as `required`.
# extends = ["../org/paved.toml"]

# Extra policy bundles (directories or .rego files), relative to this file.
# policies = ["policy"]

# Set to false to run only your own bundles.
# builtin = true

# JSON or YAML files merged into `data`.
# data = ["policy/data"]

# Paths to skip, relative to the linted directory (.gitignore is always honoured).
exclude = ["vendor", "node_modules", "**/testdata"]

# The lowest severity that fails the run: error, warning, info or never.
fail-level = "error"

# A baseline written by `paved baseline`: only new findings are reported.
# baseline = "paved-baseline.json"

[rules]
# Rule ids (globs) to run; all when empty. `paved rules` lists them.
# select = ["kubernetes/*", "terraform/*"]
# ignore = ["kubernetes/recommended-labels"]

[rules.severity]
# "kubernetes/probes" = "error"

[policy.config]
# Organisation settings the built-in rules read (see `paved explain RULE`), e.g.:
# terraform = { owner_tag_keys = ["owner", "team"] }

[suppressions]
# Whether `# paved:ignore <rule> -- <reason>` comments are honoured, and whether they need
# a reason.
allow-inline = true
require-reason = true
# Rules that can only be waived here, never inline.
# forbid-inline = ["ownership/*"]

# A time-boxed exception, reported once it expires.
# [[waiver]]
# rule = "terraform/owner-tags"
# paths = ["legacy/**"]
# reason = "Legacy stack, being replaced"
# owner = "@org/platform"
# expires = 2027-03-31
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_file_is_valid() {
        let config = parse(STARTER).unwrap();
        assert_eq!(config.exclude, ["vendor", "node_modules", "**/testdata"]);
        assert!(config.suppressions.allow_inline);
    }

    #[test]
    fn full_config() {
        let text = "policies = [\"policy\"]\nfail-level = \"warning\"\n\n[rules]\nignore = [\"kubernetes/probes\"]\n\n[rules.severity]\n\"ci/job-timeouts\" = \"error\"\n\n[policy.config]\nterraform = { owner_tag_keys = [\"cost-center\"] }\n\n[[waiver]]\nrule = \"terraform/owner-tags\"\npaths = [\"legacy/**\"]\nreason = \"old\"\nowner = \"@org/a\"\nexpires = 2027-01-31\n";
        let config = parse(text).unwrap();
        assert_eq!(config.rules.severity["ci/job-timeouts"], Severity::Error);
        assert_eq!(
            config.policy.config["terraform"]["owner_tag_keys"][0].as_str(),
            Some("cost-center")
        );
        assert_eq!(config.waivers[0].line, 13);
        assert_eq!(
            config.waivers[0].expiry(),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 31)
        );
    }

    #[test]
    fn helm_settings_per_chart() {
        let text = "[[helm]]\nchart = \"charts/*\"\nvalues = [\"prod.yaml\"]\nset = [\"image.tag=2\"]\nrelease = \"api\"\nnamespace = \"prod\"\nkube-version = \"1.29.0\"\n";
        let config = parse(text).unwrap();
        assert_eq!(
            config.helm,
            [HelmChart {
                chart: "charts/*".into(),
                values: vec![PathBuf::from("prod.yaml")],
                set: vec!["image.tag=2".into()],
                release: Some("api".into()),
                namespace: Some("prod".into()),
                kube_version: Some("1.29.0".into()),
            }]
        );
        let error = parse("[[helm]]\nchart = \"a[\"\n").unwrap_err();
        assert!(error.1.starts_with("invalid glob"), "{}", error.1);
    }

    #[test]
    fn unknown_keys_and_bad_values_have_a_location() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "exclude = []\n\n[rules]\nselekt = [\"x\"]\n").unwrap();
        let error = load(file.path()).unwrap_err();
        assert_eq!((error.line, error.column), (4, 1));
        assert!(
            error.message.contains("unknown field `selekt`"),
            "{}",
            error.message
        );
        std::fs::write(file.path(), "fail-level = \"fatal\"\n").unwrap();
        let error = load(file.path()).unwrap_err();
        assert_eq!((error.line, error.column), (1, 15));
        std::fs::write(file.path(), "[rules.severity]\n\"a/b\" = \"loud\"\n").unwrap();
        let error = load(file.path()).unwrap_err();
        assert_eq!(error.line, 2);
    }
}
