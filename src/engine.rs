//! Evaluation with regorus: every policy compiles once into one engine, which each worker
//! clones (cheap: the modules are shared); a document runs only the rules for its kind.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::parse::{Kind, PathSegment};
use crate::policy::{Catalogue, Module, PolicyError, PolicyFile, RuleHead};

#[derive(Clone)]
pub struct Engine {
    regorus: regorus::Engine,
    catalogue: Arc<Catalogue>,
    /// Rule indices per document kind, in catalogue order.
    by_kind: Arc<Vec<Vec<usize>>>,
    /// Some policy reads `data.conftest.file`, so each evaluation must provide it.
    reads_file_data: bool,
}

/// One result a rule returned for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub rule: usize,
    pub query: usize,
    pub message: String,
    pub path: Option<Vec<PathSegment>>,
    /// conftest's `_loc: {file, line}`.
    pub loc: Option<(String, usize)>,
    pub metadata: Map<String, Value>,
}

/// What a document's evaluation produced, rule by rule.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub results: Vec<RuleResult>,
    /// Queries dropped by a conftest `exception`: (rule, query).
    pub exceptions: Vec<(usize, usize)>,
    /// Rules that failed to evaluate: (rule, error).
    pub errors: Vec<(usize, String)>,
}

impl Engine {
    /// Compiles the policies. Any syntax, annotation or analysis error stops here, with the
    /// file and line, before a single document is read.
    pub fn load(files: &[PolicyFile], data: Vec<Value>) -> Result<Engine, PolicyError> {
        let Compiled {
            mut regorus,
            packages,
            heads,
        } = compile(files, data)?;
        let modules: Vec<Module<'_>> = files
            .iter()
            .zip(packages)
            .map(|(file, package)| Module {
                file,
                package,
                heads: heads.get(&file.path).cloned().unwrap_or_default(),
            })
            .collect();
        let catalogue = Catalogue::build(&modules)?;
        check_entry_points(&mut regorus, &catalogue)?;
        // The first evaluation prepares the engine (analysis, scheduling); clones share it.
        regorus
            .eval_query("true".into(), false)
            .map_err(|e| policy_error("policy", &e))?;
        let by_kind = Kind::ALL
            .iter()
            .map(|kind| {
                (0..catalogue.rules.len())
                    .filter(|&i| catalogue.rules[i].applies_to(*kind))
                    .collect()
            })
            .collect();
        Ok(Engine {
            regorus,
            reads_file_data: files.iter().any(|f| f.text.contains("data.conftest")),
            catalogue: Arc::new(catalogue),
            by_kind: Arc::new(by_kind),
        })
    }

    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    pub fn has_rules_for(&self, kind: Kind) -> bool {
        !self.by_kind[kind as usize].is_empty()
    }

    /// Runs every rule that applies to `kind` on one document.
    pub fn evaluate(&mut self, kind: Kind, input: Value, file: &str) -> Evaluation {
        let rules = Arc::clone(&self.by_kind);
        self.evaluate_rules(&rules[kind as usize], input, file)
    }

    /// Runs the given rules on one document.
    pub fn evaluate_rules(&mut self, rules: &[usize], input: Value, file: &str) -> Evaluation {
        let mut evaluation = Evaluation::default();
        self.regorus.set_input(regorus::Value::from(input));
        let catalogue = Arc::clone(&self.catalogue);
        let file_data = self.reads_file_data.then(|| file_data(file));
        for &index in rules {
            let rule = &catalogue.rules[index];
            let excepted = if rule.has_exceptions {
                match self.query(
                    &format!("data.{}.exception", rule.package),
                    file_data.as_deref(),
                ) {
                    Ok(value) => exception_names(&value),
                    Err(e) => {
                        evaluation.errors.push((index, e));
                        continue;
                    }
                }
            } else {
                Vec::new()
            };
            for (query_index, query) in rule.queries.iter().enumerate() {
                let short = query.name.split_once('_').map_or("", |(_, rest)| rest);
                if excepted.iter().any(|name| name == short) {
                    evaluation.exceptions.push((index, query_index));
                    continue;
                }
                match self.query(&query.reference, file_data.as_deref()) {
                    Ok(value) => match results(&value) {
                        Ok(found) => evaluation.results.extend(found.into_iter().map(|mut r| {
                            r.rule = index;
                            r.query = query_index;
                            r
                        })),
                        Err(e) => evaluation
                            .errors
                            .push((index, format!("{}: {e}", query.reference))),
                    },
                    Err(e) => evaluation.errors.push((index, e)),
                }
            }
        }
        evaluation
    }

    /// Evaluates a rule reference; with `file_data`, as conftest does, under
    /// `data.conftest.file` for the current file.
    fn query(&mut self, reference: &str, file_data: Option<&str>) -> Result<Value, String> {
        let value = match file_data {
            None => self
                .regorus
                .eval_rule(reference.to_string())
                .map_err(|e| e.to_string())?,
            Some(data) => {
                let query = format!("x := {reference} with data.conftest.file as {data}");
                let results = self
                    .regorus
                    .eval_query(query, false)
                    .map_err(|e| e.to_string())?;
                results
                    .result
                    .first()
                    .and_then(|r| {
                        r.bindings
                            .as_object()
                            .ok()
                            .and_then(|b| b.get(&regorus::Value::from("x")).cloned())
                    })
                    .unwrap_or(regorus::Value::Undefined)
            }
        };
        if value == regorus::Value::Undefined {
            return Ok(Value::Null);
        }
        serde_json::to_value(&value).map_err(|e| e.to_string())
    }
}

/// Policies compiled into one regorus engine, with what each file declares.
pub(crate) struct Compiled {
    pub regorus: regorus::Engine,
    /// The package of each file, in the order given, without `data.`.
    pub packages: Vec<String>,
    /// Rule heads by file path.
    pub heads: std::collections::HashMap<String, Vec<RuleHead>>,
}

pub(crate) fn compile(files: &[PolicyFile], data: Vec<Value>) -> Result<Compiled, PolicyError> {
    let mut regorus = regorus::Engine::new();
    let mut packages = Vec::new();
    for file in files {
        let package = regorus
            .add_policy(file.path.clone(), file.text.clone())
            .map_err(|e| policy_error(&file.path, &e))?;
        packages.push(package.trim_start_matches("data.").to_string());
    }
    for value in data {
        regorus
            .add_data(regorus::Value::from(value))
            .map_err(|e| PolicyError {
                file: "--data".into(),
                line: None,
                message: e.to_string(),
            })?;
    }
    let heads = rule_heads(&regorus)?;
    Ok(Compiled {
        regorus,
        packages,
        heads,
    })
}

fn file_data(file: &str) -> String {
    let dir = std::path::Path::new(file)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    serde_json::json!({"name": file, "dir": dir}).to_string()
}

/// The names listed by `exception` rules: `exception contains ["name"]` gives `name`.
fn exception_names(value: &Value) -> Vec<String> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Turns a rule's value into results the way conftest does: a set or array gives one
/// result per element, a string is a message, an object needs a string `msg`; anything
/// else (a boolean, say) is a pass.
fn results(value: &Value) -> Result<Vec<RuleResult>, String> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::String(_) | Value::Object(_) => vec![value],
        _ => return Ok(Vec::new()),
    };
    items.into_iter().filter_map(result).collect()
}

fn result(item: &Value) -> Option<Result<RuleResult, String>> {
    let mut result = RuleResult {
        rule: 0,
        query: 0,
        message: String::new(),
        path: None,
        loc: None,
        metadata: Map::new(),
    };
    match item {
        Value::String(message) => result.message = message.clone(),
        Value::Object(object) => {
            let Some(Value::String(message)) = object.get("msg") else {
                return Some(Err("\"msg\" field must be present and a string".into()));
            };
            result.message = message.clone();
            for (key, value) in object {
                match key.as_str() {
                    "msg" => {}
                    "path" => match path(value) {
                        Some(path) => result.path = Some(path),
                        None => {
                            return Some(Err(format!(
                                "\"path\" must be an array of keys and indices, got {value}"
                            )))
                        }
                    },
                    "_loc" => {
                        let file = value
                            .get("file")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        let line = value.get("line").and_then(Value::as_u64).unwrap_or(1) as usize;
                        result.loc = Some((file, line));
                    }
                    _ => {
                        result.metadata.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        _ => return None,
    }
    Some(Ok(result))
}

fn path(value: &Value) -> Option<Vec<PathSegment>> {
    match value {
        Value::Array(items) => items.iter().map(PathSegment::from_value).collect(),
        Value::String(dotted) => Some(
            dotted
                .split('.')
                .map(|s| PathSegment::Key(s.to_string()))
                .collect(),
        ),
        _ => None,
    }
}

/// regorus errors read `--> file:line:col`, a snippet, then `error: message`; nested
/// errors repeat that, and the innermost one is the cause.
fn policy_error(file: &str, error: &anyhow::Error) -> PolicyError {
    let text = error.to_string();
    let location = text.rsplit("--> ").next().filter(|_| text.contains("--> "));
    let message = text
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .next_back()
        .unwrap_or(text.trim())
        .to_string();
    if let Some(location) = location {
        let head = location.lines().next().unwrap_or_default();
        let mut parts = head.rsplitn(3, ':');
        let (_col, line, path) = (parts.next(), parts.next(), parts.next());
        if let (Some(line), Some(path)) = (line.and_then(|l| l.parse().ok()), path) {
            return PolicyError {
                file: path.to_string(),
                line: Some(line),
                message,
            };
        }
    }
    PolicyError {
        file: file.to_string(),
        line: None,
        message,
    }
}

/// The tree-walking interpreter reports an unknown function or an unsafe variable only
/// when that line runs; compiling each entry point for regorus' VM finds them at load time.
/// Only those two kinds of error are taken: the VM compiler is stricter than the interpreter
/// in ways that do not matter here.
fn check_entry_points(
    regorus: &mut regorus::Engine,
    catalogue: &Catalogue,
) -> Result<(), PolicyError> {
    use regorus::languages::rego::compiler::Compiler;
    for rule in &catalogue.rules {
        for query in &rule.queries {
            let Ok(compiled) = regorus.compile_with_entrypoint(&query.reference.as_str().into())
            else {
                continue;
            };
            if let Err(e) = Compiler::compile_from_policy(&compiled, &[query.reference.as_str()]) {
                let error = policy_error(&rule.file, &anyhow::anyhow!(e.to_string()));
                if error.message.starts_with("Undefined variable")
                    || error.message.starts_with("Unknown function")
                {
                    return Err(error);
                }
            }
        }
    }
    Ok(())
}

/// The rule heads of every module, by file, from regorus' AST.
fn rule_heads(
    engine: &regorus::Engine,
) -> Result<std::collections::HashMap<String, Vec<RuleHead>>, PolicyError> {
    let internal = |message: String| PolicyError {
        file: "policy".into(),
        line: None,
        message,
    };
    let ast = engine
        .get_ast_as_json()
        .map_err(|e| internal(e.to_string()))?;
    let modules: Vec<Value> = serde_json::from_str(&ast).map_err(|e| internal(e.to_string()))?;
    let mut heads = std::collections::HashMap::new();
    for module in modules {
        let file = module["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let rules = module["ast"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let list: Vec<RuleHead> = rules
            .iter()
            .filter_map(|rule| {
                let (variant, body) = rule.as_object()?.iter().next()?;
                let refr = match variant.as_str() {
                    "Spec" => body["head"].as_object()?.values().next()?.get("refr")?,
                    "Default" => body.get("refr")?,
                    _ => return None,
                };
                Some(RuleHead {
                    name: leftmost_var(refr)?,
                    line: body["span"]["line"].as_u64()? as usize,
                })
            })
            .collect();
        heads.insert(file, list);
    }
    Ok(heads)
}

fn leftmost_var(refr: &Value) -> Option<String> {
    let (variant, body) = refr.as_object()?.iter().next()?;
    match variant.as_str() {
        "Var" => body["value"].as_str().map(str::to_string),
        _ => leftmost_var(body.get("refr")?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(path: &str, text: &str) -> PolicyFile {
        PolicyFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn conftest_style_results_and_exceptions() {
        let files = [policy(
            "p.rego",
            r#"package main
import rego.v1
deny contains msg if { input.kind == "Pod"; msg := "no pods" }
deny_latest contains {"msg": "latest", "path": ["spec", "image"], "team": "a"} if true
warn_x contains "careful" if true
violation_y contains {"msg": "y"} if false
exception contains ["latest"] if input.allow
"#,
        )];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let rules: Vec<&str> = engine
            .catalogue()
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            rules,
            [
                "main/deny",
                "main/deny_latest",
                "main/violation_y",
                "main/warn_x"
            ]
        );
        let evaluation = engine.evaluate(Kind::Yaml, json!({"kind": "Pod"}), "a.yaml");
        let messages: Vec<&str> = evaluation
            .results
            .iter()
            .map(|r| r.message.as_str())
            .collect();
        assert_eq!(messages, ["no pods", "latest", "careful"]);
        let latest = &evaluation.results[1];
        assert_eq!(
            latest.path,
            Some(vec![
                PathSegment::Key("spec".into()),
                PathSegment::Key("image".into())
            ])
        );
        assert_eq!(
            latest.metadata,
            json!({"team": "a"}).as_object().unwrap().clone()
        );
        let excepted = engine.evaluate(Kind::Yaml, json!({"kind": "Pod", "allow": true}), "a.yaml");
        assert_eq!(excepted.results.len(), 2);
        assert_eq!(excepted.exceptions, [(1, 0)]);
    }

    #[test]
    fn a_result_without_msg_is_an_error() {
        let files = [policy(
            "p.rego",
            "package main\nimport rego.v1\ndeny contains {\"message\": 1} if true\n",
        )];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let evaluation = engine.evaluate(Kind::Yaml, json!({}), "a.yaml");
        assert!(evaluation.errors[0]
            .1
            .contains("\"msg\" field must be present and a string"));
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let files = [policy(
            "bad.rego",
            "package main\n\ndeny contains msg if {\n  msg := \n}\n",
        )];
        let error = Engine::load(&files, vec![]).err().unwrap();
        assert_eq!((error.file.as_str(), error.line), ("bad.rego", Some(4)));
        assert_eq!(error.message, "expecting `}` while parsing set");
    }

    #[test]
    fn unknown_functions_and_unsafe_variables_fail_at_load_time() {
        let unknown = [policy(
            "u.rego",
            "package main\nimport rego.v1\ndeny contains x if { x := nosuch.fn(1) }\n",
        )];
        let error = Engine::load(&unknown, vec![]).err().unwrap();
        assert_eq!(error.to_string(), "u.rego:3: Unknown function: 'nosuch.fn'");
        let unsafe_var = [policy(
            "u.rego",
            "package main\nimport rego.v1\ndeny contains x if { x := y }\n",
        )];
        let error = Engine::load(&unsafe_var, vec![]).err().unwrap();
        assert_eq!(error.to_string(), "u.rego:3: Undefined variable: 'y'");
    }

    #[test]
    fn data_conftest_file_is_provided_when_read() {
        let files = [policy(
            "p.rego",
            "package main\nimport rego.v1\ndeny contains data.conftest.file.name if true\n",
        )];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let evaluation = engine.evaluate(Kind::Yaml, json!({}), "dir/a.yaml");
        assert_eq!(evaluation.results[0].message, "dir/a.yaml");
    }
}
