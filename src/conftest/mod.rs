//! `paved test`: the conftest front door. The same rule conventions, inputs, counting,
//! output and exit codes as conftest (`docs/conftest.md`), so scripts can swap the
//! command; plus line numbers for results that carry a `path` or `_loc`, parallel
//! evaluation, and an output order that never depends on timing.

mod locate;
mod output;
mod reads;
pub mod strict;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::parse::{self, Dialect, Format, Kind, ParsedFile, PathSegment, Projection};
use crate::policy::{self, Effect, PolicyFile};
use crate::source::SourceFile;

pub use output::{render, summary, Output, Style};

/// One file's results in one namespace, as conftest reports them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckResult {
    pub filename: String,
    pub namespace: String,
    pub successes: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub msg: String,
    /// Beyond conftest: where the result is, from its `path` or `_loc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<ItemLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// The rule that produced it (`namespace/rule`), for SARIF and JUnit.
    #[serde(skip)]
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// The settings of a `paved test` run, from the flags and `conftest.toml`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    pub data: Vec<PathBuf>,
    pub combine: bool,
    pub parser: Option<String>,
    pub rego_v0: bool,
    pub jobs: Option<usize>,
    /// Walked paths this matches are left out (`--ignore`).
    pub ignore: Option<regex::Regex>,
    /// The name standard input goes by (`--stdin-filename`); `-` otherwise.
    pub stdin_filename: Option<String>,
    /// Each query and what it gave, on standard error (`--trace`).
    pub trace: bool,
    /// `--strict` and `--capabilities`, checked before anything is evaluated.
    pub checks: strict::Checks,
}

/// conftest's `conftest.toml` (or `-c FILE`): the flags' long names as keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfigFile {
    pub policy: Option<OneOrMany>,
    pub namespace: Option<OneOrMany>,
    pub data: Option<OneOrMany>,
    pub all_namespaces: Option<bool>,
    pub combine: Option<bool>,
    pub parser: Option<String>,
    pub fail_on_warn: Option<bool>,
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub quiet: Option<bool>,
    pub suppress_exceptions: Option<bool>,
    pub output: Option<String>,
    pub rego_version: Option<String>,
    pub ignore: Option<String>,
    pub trace: Option<bool>,
    pub strict: Option<bool>,
    pub capabilities: Option<String>,
    pub junit_hide_message: Option<bool>,
    pub github_hide_passed: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// Reads `-c FILE`, or `conftest.toml` in the working directory when there is one.
pub fn config_file(explicit: Option<&Path>) -> anyhow::Result<ConfigFile> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None if Path::new("conftest.toml").is_file() => PathBuf::from("conftest.toml"),
        None => return Ok(ConfigFile::default()),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| {
        let at = SourceFile::new(&text).position(e.span().map_or(0, |s| s.start));
        anyhow::anyhow!(
            "{}:{}:{}: {}",
            path.display(),
            at.line,
            at.column,
            e.message()
        )
    })
}

/// What a run produced: results per file and namespace, `print()` lines, and errors
/// (which make conftest exit 1).
#[derive(Debug, Default)]
pub struct Report {
    pub results: Vec<CheckResult>,
    pub prints: Vec<String>,
    pub errors: Vec<String>,
    /// `--trace` lines, for standard error.
    pub traces: Vec<String>,
    /// The rules, for SARIF's descriptions.
    pub catalogue: std::sync::Arc<crate::policy::Catalogue>,
}

/// The parser conftest picks for a file: by name, then by extension.
pub fn parser_for(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return Some("dockerfile");
    }
    if lower.starts_with(".env") {
        return Some("dotenv");
    }
    if lower == ".gitignore" || lower == ".dockerignore" {
        return Some("ignore");
    }
    if lower == "jenkinsfile" {
        return Some("groovy");
    }
    if lower == "nginx.conf" {
        return Some("nginx");
    }
    match lower.rsplit_once('.')?.1 {
        "yaml" | "yml" => Some("yaml"),
        "json" => Some("json"),
        "tf" | "tfvars" | "hcl" => Some("hcl2"),
        "toml" => Some("toml"),
        "ini" | "cfg" => Some("ini"),
        "properties" => Some("properties"),
        "xml" => Some("xml"),
        "env" => Some("dotenv"),
        "edn" => Some("edn"),
        "groovy" => Some("groovy"),
        // conftest picks a parser named by the extension: `.libsonnet` libraries are not
        // inputs (they are imported).
        "jsonnet" => Some("jsonnet"),
        "hocon" => Some("hocon"),
        "vcl" => Some("vcl"),
        "cue" => Some("cue"),
        "textproto" | "textpb" => Some("textproto"),
        "spdx" => Some("spdx"),
        _ => None,
    }
}

/// Parses text with a conftest parser name.
pub fn parse_as(parser: &str, text: &str) -> Result<ParsedFile, String> {
    parse_with(parser, text, None, true)
}

/// [`parse_as`] for the text of `file`: a Jsonnet file imports beside it.
pub fn parse_file_as(parser: &str, text: &str, file: &Path) -> Result<ParsedFile, String> {
    parse_with(parser, text, Some(file), true)
}

/// [`parse_as`], with or without the source map (the values are the same); `file` is where
/// the text was read from (`None` for standard input).
fn parse_with(
    parser: &str,
    text: &str,
    file: Option<&Path>,
    source_map: bool,
) -> Result<ParsedFile, String> {
    let options = parse_options(source_map);
    // Documents are labelled with the parser's kind, as `paved parse --parser` shows them.
    let structured = |format, kind| parse::parse(text, format, kind, options);
    Ok(match parser {
        "yaml" | "yml" => structured(Format::Yaml, Kind::Yaml),
        "json" => structured(Format::Json, Kind::Json),
        "hcl2" | "tf" => structured(Format::Hcl, Kind::Terraform),
        "hcl" => structured(Format::Hcl, Kind::Hcl),
        "dockerfile" => structured(Format::Dockerfile, Kind::Dockerfile),
        "toml" => structured(Format::Toml, Kind::Toml),
        "ini" => parse::conftest::ini(text),
        "dotenv" | "env" => parse::conftest::dotenv(text),
        "properties" => parse::conftest::properties(text),
        "xml" => parse::conftest::xml(text),
        "ignore" => parse::conftest::ignore(text),
        "nginx" => parse::nginx::parse(text),
        "edn" => parse::edn::parse(text),
        "jsonnet" => parse::jsonnet::parse_isolated(text, file),
        // conftest reads a CycloneDX JSON document as it is.
        "cyclonedx" if text.trim_start().starts_with('{') => structured(Format::Json, Kind::Json),
        "cyclonedx" => return Err(unavailable("cyclonedx", "only the JSON form of a CycloneDX document is read; convert the XML form to JSON")),
        other => match UNAVAILABLE.iter().find(|(name, _)| *name == other) {
            Some((name, why)) => return Err(unavailable(name, why)),
            None => {
                return Err(format!(
                    "unknown parser `{other}` (known: yaml, json, hcl2, dockerfile, toml, ini, dotenv, properties, xml, ignore, nginx, edn, jsonnet, cyclonedx)"
                ))
            }
        },
    })
}

/// How conftest's parsers read: YAML 1.1, a key written twice an error.
fn parse_options(source_map: bool) -> parse::Options {
    parse::Options {
        dialect: Dialect::Yaml11,
        source_map,
        last_duplicate_wins: false,
    }
}

/// conftest parsers paved does not have, and why (docs/conftest.md).
const UNAVAILABLE: &[(&str, &str)] = &[
    ("cue", "CUE has no implementation outside Go that evaluates it as conftest does"),
    ("groovy", "conftest's input is the concrete syntax tree of one Go Groovy 2.4 parser, which paved cannot reproduce node for node"),
    ("hocon", "conftest's input is go-akka/configuration's text rendering of each value (arrays become text such as `[a,b]`, strings with spaces keep their quotes, null is `\"\"`), which no HOCON reader reproduces; render the file to JSON first"),
    ("vcl", "conftest's shape is that of one Go VCL decoder, which paved cannot reproduce"),
    ("textproto", "a text protocol buffer needs its message definitions (.proto files), which paved does not compile"),
    ("spdx", "conftest's shape is that of the Go SPDX tools' document structure, which paved does not reproduce"),
    ("hcl1", "HCL 1 differs from HCL 2 in the shape conftest gives; use hcl2 for files HCL 2 also reads"),
];

fn unavailable(parser: &str, why: &str) -> String {
    format!("the {parser} parser is not available in paved: {why}")
}

/// A file (or standard input) read and parsed, without source maps (see [`locate`]).
struct Loaded {
    name: String,
    text: String,
    /// The conftest parser that read it, to parse it again with source maps.
    parser: String,
    /// Its documents, as the policies read them.
    documents: Vec<Input>,
}

pub fn run(options: &Options) -> anyhow::Result<Report> {
    let mut files: Vec<PolicyFile> = Vec::new();
    for path in &options.policies {
        files.extend(policy::read_path(path)?);
    }
    let mut data = Vec::new();
    for path in &options.data {
        data.extend(policy::read_data(path)?);
    }
    options.checks.check(&files)?;
    let engine = Engine::load_conftest(&files, data, options.rego_v0)?;
    let namespaces = namespace_rules(&engine, options);
    let mut report = Report {
        catalogue: std::sync::Arc::clone(engine.catalogue()),
        ..Report::default()
    };
    let walk = Walk {
        forced_parser: options.parser.is_some(),
        ignore: options.ignore.as_ref(),
    };
    let paths = inputs(&options.paths, &walk, &mut report.errors);
    // One input at a time, untraced, a YAML document need only be built as far as the
    // policies can read it; combined, each is part of a larger input.
    let projection = (!options.combine && !options.trace)
        .then(|| reads::projection(&files))
        .flatten();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()?;
    let load = |path: &PathBuf| {
        load(
            path,
            options.parser.as_deref(),
            options.stdin_filename.as_deref(),
            projection.as_ref(),
        )
    };
    // Reading and parsing is most of a run's work, so it runs in parallel too; the results
    // keep path order, and errors reading a file come before those evaluating one.
    let evaluated: Vec<Evaluated> = if options.combine {
        let read: Vec<Result<Loaded, String>> =
            pool.install(|| paths.par_iter().with_max_len(1).map(load).collect());
        let loaded = successes(read, &mut report.errors);
        vec![evaluate_combined(
            &engine,
            &namespaces,
            &loaded,
            options.trace,
        )]
    } else {
        // Each file is evaluated as soon as it is parsed and then dropped: its memory is
        // reused for the next instead of fresh pages for every file of the run. The files
        // are taken largest first, each by the next free thread: in path order, a 2.5 MB
        // CRD met last kept one thread busy while the others had nothing left to do.
        let mut done: Vec<(usize, Result<Evaluated, String>)> = pool.install(|| {
            largest_first(&paths)
                .into_iter()
                .par_bridge()
                .map_init(
                    || engine.clone(),
                    |engine, (index, path)| {
                        let evaluated = load(path)
                            .map(|file| evaluate_file(engine, &namespaces, &file, options.trace));
                        (index, evaluated)
                    },
                )
                .collect()
        });
        done.sort_unstable_by_key(|(index, _)| *index);
        successes(
            done.into_iter().map(|(_, evaluated)| evaluated).collect(),
            &mut report.errors,
        )
    };
    for evaluated in evaluated {
        report.results.extend(evaluated.results);
        report.prints.extend(evaluated.prints);
        report.errors.extend(evaluated.errors);
        report.traces.extend(evaluated.traces);
    }
    Ok(report)
}

/// The paths with their places in `paths`, largest file first (standard input and files
/// that cannot be read last, in path order).
fn largest_first(paths: &[PathBuf]) -> Vec<(usize, &PathBuf)> {
    let mut sized: Vec<(u64, usize, &PathBuf)> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            (size, index, path)
        })
        .collect();
    sized.sort_by_key(|&(size, index, _)| (std::cmp::Reverse(size), index));
    sized
        .into_iter()
        .map(|(_, index, path)| (index, path))
        .collect()
}

/// The values of the results that succeeded; the errors are added to `errors`, in order.
fn successes<T>(results: Vec<Result<T, String>>, errors: &mut Vec<String>) -> Vec<T> {
    let mut values = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(error) => errors.push(error),
        }
    }
    values
}

/// The selected namespaces, each with the catalogue rules (conftest queries) it holds.
fn namespace_rules(engine: &Engine, options: &Options) -> BTreeMap<String, Vec<usize>> {
    let patterns = if options.namespaces.is_empty() {
        vec!["main".to_string()]
    } else {
        options.namespaces.clone()
    };
    let selected = namespace_globs(&patterns);
    let mut namespaces: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, rule) in engine.catalogue().rules.iter().enumerate() {
        if options.all_namespaces || selected.is_match(&rule.package) {
            namespaces
                .entry(rule.package.clone())
                .or_default()
                .push(index);
        }
    }
    namespaces
}

/// A namespace with `*`, `?` or `[` is a glob over package paths; `*` also matches dots.
fn namespace_globs(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(false).build() {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// How directories are walked for inputs.
struct Walk<'a> {
    /// Every file is taken, not only those a parser is known for.
    forced_parser: bool,
    /// `--ignore`: a walked path it matches (a directory: all below it, the one named too)
    /// is left out, as in conftest; files named on the command line are always taken.
    ignore: Option<&'a regex::Regex>,
}

/// The files to test: files as named (`-` is standard input), directories walked for files
/// a parser reads, in path order.
fn inputs(paths: &[PathBuf], walk: &Walk<'_>, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            let ignore = walk.ignore.cloned();
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .standard_filters(false)
                .filter_entry(move |e| {
                    !ignore
                        .as_ref()
                        .is_some_and(|r| r.is_match(&e.path().to_string_lossy()))
                })
                .build()
                .flatten()
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| walk.forced_parser || parser_for(p).is_some())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            errors.push(format!("{}: no such file or directory", path.display()));
        }
    }
    files
}

/// Reads and parses one input. Standard input is named `-`, as conftest prints it, or
/// `--stdin-filename`, whose name then picks the parser.
fn load(
    path: &Path,
    forced: Option<&str>,
    stdin_name: Option<&str>,
    projection: Option<&Projection>,
) -> Result<Loaded, String> {
    let stdin = path.as_os_str() == "-";
    let name = match stdin_name {
        Some(name) if stdin => name.to_string(),
        _ => path.display().to_string(),
    };
    let bytes = if stdin {
        crate::read::read_stream(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?
    } else {
        crate::read::read_named(path).map_err(|e| format!("{name}: {e}"))?
    };
    let parser = match forced {
        Some(parser) => parser,
        None if stdin => stdin_name
            .and_then(|n| parser_for(Path::new(n)))
            .unwrap_or("yaml"),
        None => parser_for(path)
            .ok_or_else(|| format!("{name}: no parser for this file; pass --parser"))?,
    };
    let text = parse::decode(&bytes)
        .map_err(|e| format!("{name}: {}", e.message))?
        .to_string();
    // YAML, most of what is tested, goes straight to the values the policies read.
    let direct = match parser {
        "yaml" | "yml" => parse::regorus_documents(&text, parse_options(false), projection),
        _ => None,
    };
    let documents = match direct {
        Some(documents) => documents,
        None => parse_to_inputs(parser, &text, path, &name)?,
    };
    Ok(Loaded {
        name,
        text,
        parser: parser.to_string(),
        documents,
    })
}

/// Parses `text` with a conftest parser into policy inputs, or says where its first error is.
fn parse_to_inputs(
    parser: &str,
    text: &str,
    path: &Path,
    name: &str,
) -> Result<Vec<Input>, String> {
    // Standard input is `-`, whose directory is the working directory, as in conftest.
    let file = Some(path);
    let parsed = parse_with(parser, text, file, false).map_err(|e| format!("{name}: {e}"))?;
    if !parsed.errors.is_empty() {
        // With its source map the parser words some errors more fully (where a duplicate
        // key was first defined); a program (Jsonnet) is not run twice.
        let mapped = match parser {
            "jsonnet" => None,
            _ => Some(parse_with(parser, text, file, true).map_err(|e| format!("{name}: {e}"))?),
        };
        let error = mapped
            .as_ref()
            .and_then(|mapped| mapped.errors.first())
            .unwrap_or(&parsed.errors[0]);
        let at = SourceFile::new(text).position(error.span.start);
        return Err(format!(
            "{name}:{}:{}: {}",
            at.line, at.column, error.message
        ));
    }
    Ok(parsed
        .documents
        .iter()
        .map(|d| parse::to_regorus(&d.value))
        .collect())
}

/// A policy's input: the value regorus evaluates.
type Input = regorus::Value;

/// A document's inputs, each with its element index: a top-level array (of a YAML or JSON
/// document) is evaluated element by element; a Dockerfile's instruction list is one input.
fn document_inputs(document: &Input, is_dockerfile: bool) -> Vec<(&Input, Option<usize>)> {
    match (document, is_dockerfile) {
        (Input::Array(items), false) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, Some(i)))
            .collect(),
        (value, _) => vec![(value, None)],
    }
}

/// What evaluating one file (or the combined input) produced.
#[derive(Default)]
struct Evaluated {
    results: Vec<CheckResult>,
    prints: Vec<String>,
    errors: Vec<String>,
    traces: Vec<String>,
}

/// Places a result by its `path` or `_loc`.
type Placer<'a> =
    dyn Fn(Option<&[PathSegment]>, Option<&(String, usize)>) -> Option<ItemLocation> + 'a;

fn evaluate_file(
    engine: &mut Engine,
    namespaces: &BTreeMap<String, Vec<usize>>,
    file: &Loaded,
    trace: bool,
) -> Evaluated {
    let is_dockerfile = file.documents.first().is_some_and(|d| {
        d.as_array()
            .is_ok_and(|a| a.first().is_some_and(|i| i["Cmd"] != Input::Undefined))
    });
    let locator = locate::Locator::new(file);
    let inputs: Vec<(&Input, usize, Option<usize>)> = file
        .documents
        .iter()
        .enumerate()
        .flat_map(|(index, d)| {
            document_inputs(d, is_dockerfile)
                .into_iter()
                .map(move |(value, element)| (value, index, element))
        })
        .collect();
    let placers: Vec<Box<Placer<'_>>> = inputs
        .iter()
        .map(|&(_, document, element)| -> Box<Placer<'_>> {
            let locator = &locator;
            Box::new(
                move |path: Option<&[PathSegment]>, loc: Option<&(String, usize)>| {
                    locator.place(document, element, path, loc)
                },
            )
        })
        .collect();
    let checked: Vec<(&Input, &Placer<'_>)> = inputs
        .iter()
        .map(|i| i.0)
        .zip(placers.iter().map(|p| p.as_ref()))
        .collect();
    check(engine, namespaces, &file.name, &checked, trace)
}

/// `--combine`: one evaluation of every document together, as
/// `[{"path": file, "contents": document}, ...]`, reported under `Combined`.
fn evaluate_combined(
    engine: &Engine,
    namespaces: &BTreeMap<String, Vec<usize>>,
    files: &[Loaded],
    trace: bool,
) -> Evaluated {
    // (file, document) indices, in path order.
    let mut entries: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| (0..file.documents.len()).map(move |d| (f, d)))
        .collect();
    entries.sort_by(|a, b| files[a.0].name.cmp(&files[b.0].name));
    let entry = |&(f, d): &(usize, usize)| {
        Input::from(BTreeMap::from([
            (Input::from("path"), Input::from(files[f].name.as_str())),
            (Input::from("contents"), files[f].documents[d].clone()),
        ]))
    };
    let input = Input::from(entries.iter().map(entry).collect::<Vec<_>>());
    let locators: Vec<locate::Locator<'_>> = files.iter().map(locate::Locator::new).collect();
    // A path `[i, "contents", ...]` leads into the i-th document.
    let placed = |path: Option<&[PathSegment]>, loc: Option<&(String, usize)>| {
        let Some([PathSegment::Index(i), PathSegment::Key(contents), rest @ ..]) = path else {
            return loc.map(|(file, line)| ItemLocation {
                file: file.clone(),
                line: *line,
                column: 1,
            });
        };
        if contents != "contents" {
            return None;
        }
        let &(file, document) = entries.get(*i)?;
        locators[file].place(document, None, Some(rest), None)
    };
    check(
        &mut engine.clone(),
        namespaces,
        "Combined",
        &[(&input, &placed)],
        trace,
    )
}

/// Checks the inputs reported under one file name against every selected namespace.
fn check(
    engine: &mut Engine,
    namespaces: &BTreeMap<String, Vec<usize>>,
    filename: &str,
    inputs: &[(&Input, &Placer<'_>)],
    trace: bool,
) -> Evaluated {
    let mut evaluated = Evaluated::default();
    for (namespace, rules) in namespaces {
        let mut result = CheckResult {
            filename: filename.to_string(),
            namespace: namespace.clone(),
            ..CheckResult::default()
        };
        for (value, placed) in inputs {
            count(
                engine,
                rules,
                namespace,
                value,
                filename,
                *placed,
                &mut result,
                &mut evaluated,
                trace,
            );
            evaluated.prints.extend(engine.take_prints());
        }
        evaluated.results.push(result);
    }
    evaluated
}

/// Evaluates a namespace's rules on one input and counts them as conftest does: each
/// result is a failure or a warning, an excepted rule is one exception, a rule that yields
/// nothing is one pass, and passes are topped up to the number of rule bodies.
#[allow(clippy::too_many_arguments)]
fn count(
    engine: &mut Engine,
    rules: &[usize],
    namespace: &str,
    input: &Input,
    file: &str,
    placed: &Placer<'_>,
    result: &mut CheckResult,
    evaluated: &mut Evaluated,
    trace: bool,
) {
    let catalogue = std::sync::Arc::clone(engine.catalogue());
    let evaluation = engine.evaluate_rules(rules, input, file);
    for (rule, error) in &evaluation.errors {
        evaluated
            .errors
            .push(format!("{file}: {}: {error}", catalogue.rules[*rule].id));
    }
    let (mut failures, mut warnings, mut exceptions, mut passes, mut bodies) = (0, 0, 0, 0, 0);
    for &index in rules {
        let rule = &catalogue.rules[index];
        for (query_index, query) in rule.queries.iter().enumerate() {
            bodies += query.bodies;
            let excepted = evaluation.exceptions.contains(&(index, query_index));
            if trace {
                evaluated
                    .traces
                    .push(trace_line(file, query, &evaluation, index, query_index));
            }
            if excepted {
                let name = query.name.split_once('_').map_or("", |(_, rest)| rest);
                result.exceptions.push(Item {
                    msg: format!("data.{namespace}.exception[_][_] == \"{name}\""),
                    location: None,
                    metadata: None,
                    rule: rule.id.clone(),
                });
                exceptions += 1;
                continue;
            }
            let found: Vec<&crate::engine::RuleResult> = evaluation
                .results
                .iter()
                .filter(|r| r.rule == index && r.query == query_index)
                .collect();
            if found.is_empty() {
                passes += 1;
            }
            for r in found {
                let item = Item {
                    msg: r.message.clone(),
                    location: placed(r.path.as_deref(), r.loc.as_ref()),
                    metadata: (!r.metadata.is_empty()).then(|| r.metadata.clone()),
                    rule: rule.id.clone(),
                };
                match query.effect {
                    Effect::Deny => {
                        failures += 1;
                        result.failures.push(item);
                    }
                    Effect::Warn => {
                        warnings += 1;
                        result.warnings.push(item);
                    }
                }
            }
        }
    }
    let counted = failures + warnings + exceptions + passes;
    result.successes += passes + bodies.saturating_sub(counted);
}

/// One `--trace` line: the query, and how many results it gave or that it was excepted.
fn trace_line(
    file: &str,
    query: &crate::policy::Query,
    evaluation: &crate::engine::Evaluation,
    rule: usize,
    query_index: usize,
) -> String {
    let outcome = if evaluation.exceptions.contains(&(rule, query_index)) {
        "excepted".to_string()
    } else {
        let n = evaluation
            .results
            .iter()
            .filter(|r| r.rule == rule && r.query == query_index)
            .count();
        format!("{n} result{}", if n == 1 { "" } else { "s" })
    };
    format!("{file}: {} = {outcome}", query.reference)
}

/// `paved verify`'s results as conftest's verify gives them to its output formats: per file
/// and package, a passing test is a success and a failing one a failure named
/// `data.<package>.<test>`; skipped tests are neither.
pub fn verify_report(tests: &[crate::policy::verify::TestResult]) -> Report {
    use crate::policy::verify::Outcome;
    let mut grouped: BTreeMap<(&str, &str), CheckResult> = BTreeMap::new();
    for test in tests {
        let result = grouped
            .entry((test.file.as_str(), test.package.as_str()))
            .or_insert_with(|| CheckResult {
                filename: test.file.clone(),
                namespace: test.package.clone(),
                ..CheckResult::default()
            });
        match &test.outcome {
            Outcome::Pass => result.successes += 1,
            Outcome::Fail { .. } => result.failures.push(Item {
                msg: format!("data.{}.{}", test.package, test.name),
                location: Some(ItemLocation {
                    file: test.file.clone(),
                    line: test.line,
                    column: 1,
                }),
                metadata: None,
                rule: format!("{}/{}", test.package, test.name),
            }),
            Outcome::Skip => {}
        }
    }
    Report {
        results: grouped.into_values().collect(),
        ..Report::default()
    }
}

/// conftest's exit codes: 0 clean; 1 a failure or an error; with `--fail-on-warn`, 1 for
/// warnings only and 2 for failures; with `--no-fail`, 0 despite failures (errors still 1).
pub fn exit_code(report: &Report, fail_on_warn: bool, no_fail: bool) -> u8 {
    if !report.errors.is_empty() {
        return 1;
    }
    let failures = report.results.iter().any(|r| !r.failures.is_empty());
    let warnings = report.results.iter().any(|r| !r.warnings.is_empty());
    match (no_fail, fail_on_warn, failures, warnings) {
        (true, _, _, _) => 0,
        (false, true, true, _) => 2,
        (false, true, false, true) => 1,
        (false, false, true, _) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_globs_match_dots() {
        let globs = namespace_globs(&["main.*".to_string(), "k8s".to_string()]);
        assert!(globs.is_match("main.deep.nested"));
        assert!(globs.is_match("k8s"));
        assert!(!globs.is_match("k8s.x"));
        assert!(namespace_globs(&["*".to_string()]).is_match("a.b.c"));
    }

    #[test]
    fn parsers_by_name_and_extension() {
        let p = |s: &str| parser_for(Path::new(s));
        assert_eq!(p("Dockerfile.prod"), Some("dockerfile"));
        assert_eq!(p(".env.local"), Some("dotenv"));
        assert_eq!(p(".dockerignore"), Some("ignore"));
        assert_eq!(p("a/main.tfvars"), Some("hcl2"));
        assert_eq!(p("app.properties"), Some("properties"));
        assert_eq!(p("pom.xml"), Some("xml"));
        assert_eq!(p("setup.cfg"), Some("ini"));
        assert_eq!(p("ci/Jenkinsfile"), Some("groovy"));
        assert_eq!(p("etc/nginx.conf"), Some("nginx"));
        assert_eq!(p("deps.edn"), Some("edn"));
        assert_eq!(p("main.jsonnet"), Some("jsonnet"));
        assert_eq!(p("lib/k.libsonnet"), None);
        assert_eq!(p("config.textpb"), Some("textproto"));
        assert_eq!(p("README.md"), None);
    }

    #[test]
    fn exit_codes() {
        let with = |failures: bool, warnings: bool| Report {
            results: vec![CheckResult {
                failures: if failures { vec![item()] } else { vec![] },
                warnings: if warnings { vec![item()] } else { vec![] },
                ..CheckResult::default()
            }],
            ..Report::default()
        };
        assert_eq!(exit_code(&with(false, false), false, false), 0);
        assert_eq!(exit_code(&with(false, true), false, false), 0);
        assert_eq!(exit_code(&with(true, false), false, false), 1);
        assert_eq!(exit_code(&with(false, true), true, false), 1);
        assert_eq!(exit_code(&with(true, true), true, false), 2);
        assert_eq!(exit_code(&with(true, true), true, true), 0);
        let errors = Report {
            errors: vec!["x".into()],
            ..Report::default()
        };
        assert_eq!(exit_code(&errors, false, true), 1);
    }

    fn item() -> Item {
        Item {
            msg: "m".into(),
            location: None,
            metadata: None,
            rule: "main/deny".into(),
        }
    }
}
