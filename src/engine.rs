//! Evaluation with regorus: every policy compiles once into one engine, which each worker
//! clones (cheap: the modules are shared); a document runs only the rules for its kind.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;

use crate::parse::{Kind, PathSegment};
use crate::policy::{Catalogue, Module, PolicyError, PolicyFile, RuleHead};

/// Bounds every rule evaluation in this process, on the interpreter and on the VM: a
/// policy can loop for hours (`some a, b, c in numbers.range(1, 3000)`), and a stopped
/// evaluation is an error of that rule on that document while the run goes on.
pub fn set_rule_timeout(limit: Duration) {
    regorus::utils::limits::set_fallback_execution_timer_config(Some(
        regorus::utils::limits::ExecutionTimerConfig {
            limit,
            check_interval: std::num::NonZeroU32::new(1024).expect("non-zero"),
        },
    ));
}

/// regorus' error, said for a person when it is the time limit.
pub(crate) fn describe(error: &anyhow::Error) -> String {
    let text = error.to_string();
    match regorus::utils::limits::fallback_execution_timer_config() {
        Some(config) if text.contains("execution exceeded time limit") => format!(
            "stopped after {:.1}s (--rule-timeout): it loops over far more than it needs, \
             or the limit is too low for this input",
            config.limit.as_secs_f64()
        ),
        _ => text,
    }
}

#[derive(Clone)]
pub struct Engine {
    regorus: regorus::Engine,
    catalogue: Arc<Catalogue>,
    /// Rule indices per document kind, in catalogue order.
    by_kind: Arc<Vec<Vec<usize>>>,
    /// Some policy reads `data.conftest.file`, so each evaluation must provide it.
    reads_file_data: bool,
    /// Per document kind, the generated rules that evaluate all its rules at once.
    batches: Arc<Vec<Vec<Batch>>>,
    /// This worker's virtual machines, one per VM batch, made on first use.
    machines: Machines,
    /// Batches and the VM are turned off only by tests that compare them with the
    /// rule-by-rule interpreter.
    mode: Mode,
    /// The merged `data` document, for the VMs.
    data: regorus::Value,
    /// `data.paved_module` for the documents evaluated next (see [`crate::modules`]).
    module: Option<regorus::Value>,
    /// Changes with `module`, so that each VM takes the new `data` once, not per document.
    data_version: u64,
    /// Some rules of its batches no longer run (see [`Engine::narrowed`]): their results
    /// are dropped.
    narrowed: bool,
}

/// Several rules of one document kind in one evaluation: a generated rule lists every
/// query's value, so helpers the rules share (a workload's containers, say) are computed
/// once per document instead of once per rule.
#[derive(Clone)]
struct Batch {
    reference: String,
    /// (rule, query) of each element of the generated array.
    queries: Vec<(usize, usize)>,
    rules: Vec<usize>,
    /// The batch compiled for regorus' VM (several times faster than its interpreter),
    /// when every rule in it compiles; the interpreter runs the rest.
    program: Option<(usize, Arc<Program>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Batches, on the VM where they compile.
    Fast,
    /// Batches, all on the interpreter.
    #[cfg_attr(not(test), allow(dead_code))]
    Interpreter,
    /// Each rule on its own, on the interpreter.
    #[cfg_attr(not(test), allow(dead_code))]
    RuleByRule,
}

/// Virtual machines are not `Clone`; each engine clone starts with empty slots and makes
/// its own machines. Each holds the `data_version` of the data it was given.
struct Machines(Vec<Option<(RegoVM, u64)>>);

impl Clone for Machines {
    fn clone(&self) -> Self {
        Machines(self.0.iter().map(|_| None).collect())
    }
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
#[derive(Debug, Default, Clone)]
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
        Engine::load_selected(files, data, &|_| true)
    }

    /// Like [`Engine::load`], running only the rules whose id `selected` accepts.
    pub fn load_selected(
        files: &[PolicyFile],
        data: Vec<Value>,
        selected: &dyn Fn(&str) -> bool,
    ) -> Result<Engine, PolicyError> {
        Engine::load_with(files, data, selected, false)
    }

    /// The conftest front door's engine: Rego v0 on request, `print()` output gathered.
    pub fn load_conftest(
        files: &[PolicyFile],
        data: Vec<Value>,
        rego_v0: bool,
    ) -> Result<Engine, PolicyError> {
        let mut engine = Engine::load_with(files, data, &|_| true, rego_v0)?;
        engine.regorus.set_gather_prints(true);
        Ok(engine)
    }

    fn load_with(
        files: &[PolicyFile],
        data: Vec<Value>,
        selected: &dyn Fn(&str) -> bool,
        rego_v0: bool,
    ) -> Result<Engine, PolicyError> {
        let Compiled {
            mut regorus,
            packages,
            heads,
        } = compile(files, data, rego_v0)?;
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
        let by_kind: Vec<Vec<usize>> = Kind::ALL
            .iter()
            .map(|kind| {
                (0..catalogue.rules.len())
                    .filter(|&i| {
                        catalogue.rules[i].applies_to(*kind) && selected(&catalogue.rules[i].id)
                    })
                    .collect()
            })
            .collect();
        let batches = build_batches(&mut regorus, &catalogue, &by_kind)?;
        let programs = batches
            .iter()
            .flatten()
            .filter(|b| b.program.is_some())
            .count();
        // The first evaluation prepares the engine (analysis, scheduling); clones share it.
        regorus
            .eval_query("true".into(), false)
            .map_err(|e| policy_error("policy", &e))?;
        let data = regorus.get_data();
        Ok(Engine {
            regorus,
            reads_file_data: files.iter().any(|f| f.text.contains("data.conftest")),
            catalogue: Arc::new(catalogue),
            by_kind: Arc::new(by_kind),
            batches: Arc::new(batches),
            machines: Machines((0..programs).map(|_| None).collect()),
            mode: Mode::Fast,
            data,
            module: None,
            data_version: 0,
            narrowed: false,
        })
    }

    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    /// Whether a rule of this id runs in this engine (it exists and was selected).
    pub fn runs(&self, id: &str) -> bool {
        self.catalogue
            .rules
            .iter()
            .position(|r| r.id == id)
            .is_some_and(|index| self.by_kind.iter().any(|rules| rules.contains(&index)))
    }

    /// This engine running only the rules `selected` accepts among those it runs: one
    /// repository's selection on an organisation's engine, without compiling again.
    pub fn narrowed(&self, selected: &dyn Fn(&str) -> bool) -> Engine {
        let by_kind: Vec<Vec<usize>> = self
            .by_kind
            .iter()
            .map(|rules| {
                rules
                    .iter()
                    .copied()
                    .filter(|&i| selected(&self.catalogue.rules[i].id))
                    .collect()
            })
            .collect();
        let mut engine = self.clone();
        if by_kind != *self.by_kind {
            engine.by_kind = Arc::new(by_kind);
            engine.narrowed = true;
        }
        engine
    }

    pub fn has_rules_for(&self, kind: Kind) -> bool {
        !self.by_kind[kind as usize].is_empty()
    }

    /// Runs every rule that applies to `kind` on one document.
    pub fn evaluate(&mut self, kind: Kind, input: &Value, file: &str) -> Evaluation {
        let mut evaluation = Evaluation::default();
        // Read from the reference: a document is not cloned to be converted.
        let input = serde::Deserialize::deserialize(input).unwrap_or(regorus::Value::Undefined);
        self.regorus.set_input(input.clone());
        let by_kind = Arc::clone(&self.by_kind);
        let batches = Arc::clone(&self.batches);
        let mut done = Vec::new();
        if !self.reads_file_data && self.mode != Mode::RuleByRule {
            for batch in &batches[kind as usize] {
                if self.evaluate_batch(batch, &input, &mut evaluation) {
                    done.extend(&batch.rules);
                }
            }
        }
        if self.narrowed {
            let runs = &by_kind[kind as usize];
            evaluation.results.retain(|r| runs.contains(&r.rule));
        }
        for &index in &by_kind[kind as usize] {
            if !done.contains(&index) {
                self.evaluate_rule(index, file, &mut evaluation);
            }
        }
        evaluation
    }

    /// Evaluates a batch; false when it failed, so each of its rules runs on its own and
    /// the failure is attributed to the rule that caused it.
    fn evaluate_batch(
        &mut self,
        batch: &Batch,
        input: &regorus::Value,
        evaluation: &mut Evaluation,
    ) -> bool {
        let value = match (&batch.program, self.mode) {
            (Some((slot, program)), Mode::Fast) => {
                let (machine, version) = self.machines.0[*slot].get_or_insert_with(|| {
                    let mut machine = RegoVM::new();
                    machine.load_program(Arc::clone(program));
                    // Its default stops after 25,000 instructions, which one large
                    // repository document takes; Rego always ends, and the interpreter,
                    // which a failed batch falls back to, has no such limit either.
                    machine.set_max_instructions(usize::MAX);
                    (machine, u64::MAX)
                });
                if *version != self.data_version {
                    let mut data = self.data.clone();
                    if let (Some(module), Ok(fields)) = (&self.module, data.as_object_mut()) {
                        fields.insert(regorus::Value::from("paved_module"), module.clone());
                    }
                    if machine.set_data(data).is_err() {
                        return false;
                    }
                    *version = self.data_version;
                }
                machine.set_input(input.clone());
                machine.execute().map_err(|e| e.to_string())
            }
            // The interpreter's batch would not see `data.paved_module`: rule by rule, it does.
            _ if self.module.is_some() => return false,
            _ => self
                .regorus
                .eval_rule(batch.reference.clone())
                .map_err(|e| describe(&e)),
        };
        let Ok(regorus::Value::Array(values)) = value else {
            return false;
        };
        let mut found = Evaluation::default();
        for (value, &(rule, query)) in values.iter().zip(&batch.queries) {
            if *value == regorus::Value::Null {
                continue;
            }
            let Ok(value) = serde_json::to_value(value) else {
                return false;
            };
            self.record(rule, query, &value, &mut found);
        }
        if !found.errors.is_empty() {
            return false;
        }
        evaluation.results.extend(found.results);
        true
    }

    /// Runs the given rules one by one (no batch) on a document, as `paved test` counts them.
    pub fn evaluate_rules(
        &mut self,
        rules: &[usize],
        input: &regorus::Value,
        file: &str,
    ) -> Evaluation {
        let mut evaluation = Evaluation::default();
        self.regorus.set_input(input.clone());
        for &rule in rules {
            self.evaluate_rule(rule, file, &mut evaluation);
        }
        evaluation
    }

    /// Sets `data.paved_module` (what the other files of the document's Terraform module
    /// declare) for the documents evaluated next; `None` leaves it undefined. It is part of
    /// the VMs' `data`; the interpreter gets it with `with`, a literal it parses per query.
    pub fn set_module(&mut self, module: Option<&Value>) {
        if module.is_none() && self.module.is_none() {
            return;
        }
        self.module =
            module.map(|m| serde::Deserialize::deserialize(m).unwrap_or(regorus::Value::Undefined));
        self.data_version += 1;
    }

    /// What policies printed with `print()` since the last call (gathered for `paved test`).
    pub fn take_prints(&mut self) -> Vec<String> {
        self.regorus.take_prints().unwrap_or_default()
    }

    /// Runs one rule on the current input, with conftest's exceptions.
    fn evaluate_rule(&mut self, index: usize, file: &str, evaluation: &mut Evaluation) {
        let catalogue = Arc::clone(&self.catalogue);
        let rule = &catalogue.rules[index];
        let file_data = self.reads_file_data.then(|| file_data(file));
        let excepted = if rule.has_exceptions {
            let reference = format!("data.{}.exception", rule.package);
            match self.query(&reference, file_data.as_deref()) {
                Ok(value) => exception_names(&value),
                Err(e) => {
                    evaluation.errors.push((index, e));
                    return;
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
                Ok(value) => self.record(index, query_index, &value, evaluation),
                Err(e) => evaluation.errors.push((index, e)),
            }
        }
    }

    fn record(&self, rule: usize, query: usize, value: &Value, evaluation: &mut Evaluation) {
        match results(value) {
            Ok(found) => evaluation.results.extend(found.into_iter().map(|mut r| {
                r.rule = rule;
                r.query = query;
                r
            })),
            Err(e) => {
                let reference = &self.catalogue.rules[rule].queries[query].reference;
                evaluation.errors.push((rule, format!("{reference}: {e}")));
            }
        }
    }

    /// Evaluates a rule reference; with `file_data`, as conftest does, under
    /// `data.conftest.file` for the current file.
    fn query(&mut self, reference: &str, file_data: Option<&str>) -> Result<Value, String> {
        let mut bindings = Vec::new();
        if let Some(data) = file_data {
            bindings.push(format!(" with data.conftest.file as {data}"));
        }
        if let Some(module) = &self.module {
            let module = serde_json::to_string(module).map_err(|e| e.to_string())?;
            bindings.push(format!(" with data.paved_module as {module}"));
        }
        let value = if bindings.is_empty() {
            self.regorus
                .eval_rule(reference.to_string())
                .map_err(|e| describe(&e))?
        } else {
            let query = format!("x := {reference}{}", bindings.concat());
            let results = self
                .regorus
                .eval_query(query, false)
                .map_err(|e| describe(&e))?;
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
        };
        if value == regorus::Value::Undefined {
            return Ok(Value::Null);
        }
        serde_json::to_value(&value).map_err(|e| e.to_string())
    }
}

/// Generates the batches of every kind and compiles each once for regorus' VM. Compiling
/// also finds what the interpreter would report only when the line runs (an unknown
/// function, an unsafe variable), so those fail here, at load time.
///
/// Per kind, the built-in rules form one batch, run on the VM when it compiles; the user's
/// rules form another, always interpreted (the VM does not yet agree with the interpreter on
/// every construct, and only the built-in rules are checked against it, by
/// `batches_and_the_vm_agree_with_the_interpreter`). Rules with conftest exceptions stay
/// out of batches: an exception drops a query's results, which they must be run alone to know.
fn build_batches(
    regorus: &mut regorus::Engine,
    catalogue: &Catalogue,
    by_kind: &[Vec<usize>],
) -> Result<Vec<Vec<Batch>>, PolicyError> {
    let mut batches: Vec<Vec<Batch>> = Vec::new();
    // Kinds with the same rules share one batch (a policy's own rules apply to every kind):
    // generated, compiled and split once.
    let mut generated: HashMap<Vec<usize>, Batch> = HashMap::new();
    for (kind, rules) in Kind::ALL.iter().zip(by_kind) {
        let mut kind_batches = Vec::new();
        for builtin in [true, false] {
            let members: Vec<usize> = rules
                .iter()
                .copied()
                .filter(|&i| {
                    catalogue.rules[i].builtin == builtin && !catalogue.rules[i].has_exceptions
                })
                .collect();
            if members.is_empty() {
                continue;
            }
            if let Some(batch) = generated.get(&members) {
                kind_batches.push(batch.clone());
                continue;
            }
            let name = format!(
                "{}_{}",
                kind.as_str().replace('-', "_"),
                if builtin { "builtin" } else { "user" }
            );
            let batch = generate_batch(regorus, catalogue, members.clone(), &name)?;
            generated.insert(members, batch.clone());
            kind_batches.push(batch);
        }
        batches.push(kind_batches);
    }
    let mut next_program = 0;
    let mut split = Vec::new();
    let mut compiler = VmCompiler::default();
    // Each batch's program by reference (`None`: the interpreter runs it); the failures.
    let mut programs: HashMap<String, Option<(usize, Arc<Program>)>> = HashMap::new();
    let mut failed: HashSet<String> = HashSet::new();
    for (kind, kind_batches) in batches.iter_mut().enumerate() {
        for (index, batch) in kind_batches.iter_mut().enumerate() {
            if let Some(program) = programs.get(&batch.reference) {
                batch.program = program.clone();
                continue;
            }
            if failed.contains(&batch.reference) {
                split.push((kind, index));
                continue;
            }
            match compiler.program(regorus, &batch.reference) {
                Ok(program) => {
                    if batch.rules.iter().all(|&r| catalogue.rules[r].builtin) {
                        batch.program = Some((next_program, program));
                        next_program += 1;
                    }
                    programs.insert(batch.reference.clone(), batch.program.clone());
                }
                Err(error) => {
                    load_time_error(catalogue, &batch.rules, &error)?;
                    failed.insert(batch.reference.clone());
                    split.push((kind, index));
                }
            }
        }
    }
    // A batch the VM cannot compile as a whole: find the rules it can, rule by rule.
    let mut parts_of: HashMap<String, Vec<Batch>> = HashMap::new();
    for (kind, index) in split.into_iter().rev() {
        let batch = batches[kind].remove(index);
        if let Some(parts) = parts_of.get(&batch.reference) {
            batches[kind].extend(parts.iter().cloned());
            continue;
        }
        let mut parts = Vec::new();
        let (compiled, interpreted): (Vec<usize>, Vec<usize>) =
            batch.rules.iter().partition(|&&r| {
                catalogue.rules[r].builtin
                    && catalogue.rules[r]
                        .queries
                        .iter()
                        .all(|q| compiler.program(regorus, &q.reference).is_ok())
            });
        for (suffix, rules) in [("vm", compiled), ("interpreted", interpreted)] {
            if rules.is_empty() {
                continue;
            }
            let name = format!(
                "{}_{suffix}",
                batch.reference.trim_end_matches(".all").replace('.', "_")
            );
            let mut part = generate_batch(regorus, catalogue, rules, &name)?;
            compiler.modules_changed();
            if suffix == "vm" {
                if let Ok(program) = compiler.program(regorus, &part.reference) {
                    part.program = Some((next_program, program));
                    next_program += 1;
                }
            }
            parts.push(part);
        }
        batches[kind].extend(parts.iter().cloned());
        parts_of.insert(batch.reference, parts);
    }
    // Rules kept out of batches are checked on their own.
    for (index, rule) in catalogue
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.has_exceptions)
    {
        for query in &rule.queries {
            if let Err(error) = compiler.program(regorus, &query.reference) {
                load_time_error(catalogue, &[index], &error)?;
            }
        }
    }
    Ok(batches)
}

/// The VM compiler's errors that the interpreter would hit at run time; its other errors
/// are constructs it does not support yet, which the interpreter runs instead.
fn load_time_error(catalogue: &Catalogue, rules: &[usize], error: &str) -> Result<(), PolicyError> {
    let file = rules
        .first()
        .map_or("policy", |&r| catalogue.rules[r].file.as_str());
    let error = policy_error(file, &anyhow::anyhow!(error.to_string()));
    if error.message.starts_with("Undefined variable")
        || error.message.starts_with("Unknown function")
    {
        return Err(error);
    }
    Ok(())
}

fn generate_batch(
    regorus: &mut regorus::Engine,
    catalogue: &Catalogue,
    rules: Vec<usize>,
    name: &str,
) -> Result<Batch, PolicyError> {
    let package = format!("paved_internal.batch_{name}");
    let mut text = format!("package {package}\n\nimport rego.v1\n\n");
    let mut queries = Vec::new();
    for &rule in &rules {
        for (query, q) in catalogue.rules[rule].queries.iter().enumerate() {
            let n = queries.len();
            text.push_str(&format!(
                "default q{n} := null\n\nq{n} := {}\n\n",
                q.reference
            ));
            queries.push((rule, query));
        }
    }
    let names: Vec<String> = (0..queries.len()).map(|n| format!("q{n}")).collect();
    text.push_str(&format!("all := [{}]\n", names.join(", ")));
    regorus
        .add_policy(format!("<batch {name}>"), text)
        .map_err(|e| policy_error("<batch>", &e))?;
    Ok(Batch {
        reference: format!("data.{package}.all"),
        queries,
        rules,
        program: None,
    })
}

/// Compiles batches and rules for regorus' VM. regorus' compilation step redoes its loop
/// analysis of every module each time, whatever the entry point (a tenth of a small run,
/// once per batch): it is done once for the engine's modules as they are, and again only
/// after a module is added.
#[derive(Default)]
struct VmCompiler {
    policy: Option<regorus::CompiledPolicy>,
}

impl VmCompiler {
    fn program(
        &mut self,
        regorus: &mut regorus::Engine,
        reference: &str,
    ) -> Result<Arc<Program>, String> {
        let policy = match &self.policy {
            Some(policy) => policy,
            None => {
                let compiled = regorus
                    .compile_with_entrypoint(&reference.into())
                    .map_err(|e| e.to_string())?;
                self.policy.insert(compiled)
            }
        };
        Compiler::compile_from_policy(policy, &[reference]).map_err(|e| e.to_string())
    }

    /// A module was added: the next program compiles the policy again.
    fn modules_changed(&mut self) {
        self.policy = None;
    }
}

/// Policies compiled into one regorus engine, with what each file declares.
pub(crate) struct Compiled {
    pub regorus: regorus::Engine,
    /// The package of each file, in the order given, without `data.`.
    pub packages: Vec<String>,
    /// Rule heads by file path.
    pub heads: HashMap<String, Vec<RuleHead>>,
}

pub(crate) fn compile(
    files: &[PolicyFile],
    data: Vec<Value>,
    rego_v0: bool,
) -> Result<Compiled, PolicyError> {
    // regorus caches compiled regexes and globs process-wide; its defaults (256 and 128)
    // are smaller than the patterns of the built-in bundle, and an LRU that thrashes
    // recompiles every pattern on every document.
    regorus::cache::configure(regorus::cache::Config {
        regex: 8192,
        glob: 8192,
    });
    let mut regorus = regorus::Engine::new();
    regorus.set_rego_v0(rego_v0);
    let mut packages = Vec::new();
    let with_builtin = files.iter().any(PolicyFile::is_builtin);
    for file in files {
        let package = regorus
            .add_policy(file.path.clone(), file.text.clone())
            .map_err(|e| policy_error(&file.path, &e))?;
        let package = package.trim_start_matches("data.").to_string();
        if with_builtin && !file.is_builtin() && is_builtin_library(&package) {
            return Err(PolicyError {
                file: file.path.clone(),
                line: None,
                message: format!(
                    "package {package} is paved's own helper library: a bundle loaded with \
                     the built-in one cannot add rules to it; use a package of your own"
                ),
            });
        }
        packages.push(package);
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
    let heads = files
        .iter()
        .map(|f| (f.path.clone(), crate::policy::rule_heads(&f.text)))
        .collect();
    Ok(Compiled {
        regorus,
        packages,
        heads,
    })
}

/// `paved.lib` and below: rules added there would change what every built-in rule sees.
fn is_builtin_library(package: &str) -> bool {
    package == "paved.lib" || package.starts_with("paved.lib.")
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
            .filter(|r| !r.builtin)
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
        let evaluation = engine.evaluate(Kind::Yaml, &json!({"kind": "Pod"}), "a.yaml");
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
        let excepted =
            engine.evaluate(Kind::Yaml, &json!({"kind": "Pod", "allow": true}), "a.yaml");
        assert_eq!(excepted.results.len(), 2);
        assert_eq!(excepted.exceptions, [(1, 0)]);
    }

    #[test]
    fn a_narrowed_engine_reports_only_the_rules_it_keeps() {
        let files = [
            policy(
                "a.rego",
                "package a\nimport rego.v1\ndeny contains \"from a\" if true\n",
            ),
            policy(
                "b.rego",
                "package b\nimport rego.v1\ndeny contains \"from b\" if true\n",
            ),
        ];
        let engine = Engine::load(&files, vec![]).unwrap();
        let messages = |engine: &mut Engine| -> Vec<String> {
            let evaluation = engine.evaluate(Kind::Yaml, &json!({}), "x.yaml");
            evaluation.results.into_iter().map(|r| r.message).collect()
        };
        assert_eq!(messages(&mut engine.clone()), ["from a", "from b"]);
        let mut only_b = engine.narrowed(&|id| id == "b/deny");
        assert_eq!(messages(&mut only_b), ["from b"]);
        assert!(!only_b.runs("a/deny"));
        assert!(only_b.runs("b/deny"));
        let none = engine.narrowed(&|_| false);
        assert!(!none.has_rules_for(Kind::Yaml));
    }

    #[test]
    fn a_result_without_msg_is_an_error() {
        let files = [policy(
            "p.rego",
            "package main\nimport rego.v1\ndeny contains {\"message\": 1} if true\n",
        )];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let evaluation = engine.evaluate(Kind::Yaml, &json!({}), "a.yaml");
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

    /// The built-in bundle (without its tests), loaded once for every test that needs it:
    /// compiling it unoptimised takes seconds.
    fn builtin_engine() -> Engine {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        ENGINE
            .get_or_init(|| {
                let files: Vec<PolicyFile> = crate::policy::builtin_files()
                    .into_iter()
                    .filter(|f| !f.is_test())
                    .collect();
                Engine::load(&files, vec![]).unwrap()
            })
            .clone()
    }

    /// A policy's own rules apply to every kind: one batch for all of them, generated and
    /// compiled once (compiling it for each of fifteen kinds was most of a small run).
    #[test]
    fn kinds_with_the_same_rules_share_one_batch() {
        // The second policy's `with` is beyond the VM: its batch is split, once.
        for text in [
            "package main\nimport rego.v1\ndeny contains \"x\" if input.x\nwarn contains \"y\" if input.y\n",
            "package main\nimport rego.v1\ndeny contains \"x\" if input.x\nwarn contains \"y\" if { y with input.z as 1 }\ny if input.y\n",
        ] {
            let reference = batch_shared_by_kinds(text);
            assert_eq!(reference.ends_with("_interpreted.all"), text.contains(" with "));
        }
    }

    /// The one batch reference of every kind, whose results are the policy's.
    fn batch_shared_by_kinds(text: &str) -> String {
        let files = [policy("p.rego", text)];
        let mut engine = Engine::load_conftest(&files, vec![], false).unwrap();
        let references: HashSet<&str> = engine
            .batches
            .iter()
            .flatten()
            .map(|b| b.reference.as_str())
            .collect();
        let kinds_run = engine
            .by_kind
            .iter()
            .filter(|rules| !rules.is_empty())
            .count();
        assert!(kinds_run > 10, "{kinds_run}");
        assert_eq!(engine.batches.iter().flatten().count(), kinds_run);
        assert_eq!(references.len(), 1, "{references:?}");
        for (kind, _) in Kind::ALL
            .into_iter()
            .zip(engine.by_kind.to_vec())
            .filter(|(_, rules)| !rules.is_empty())
        {
            let evaluation = engine.evaluate(kind, &json!({"x": true, "y": true}), "a.yaml");
            let mut messages: Vec<&str> = evaluation
                .results
                .iter()
                .map(|r| r.message.as_str())
                .collect();
            messages.sort();
            assert_eq!(messages, ["x", "y"], "{kind:?}");
        }
        engine.batches[0][0].reference.clone()
    }

    /// The VM and the batches must give exactly what the interpreter gives rule by rule:
    /// every built-in rule on every document of every fixture.
    #[test]
    fn batches_and_the_vm_agree_with_the_interpreter() {
        let fast = builtin_engine();
        assert!(
            fast.batches.iter().flatten().any(|b| b.program.is_some()),
            "some batch runs on the VM"
        );
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut documents = 0;
        for entry in ignore::WalkBuilder::new(&fixtures)
            .hidden(false)
            .build()
            .flatten()
        {
            let Some((format, kind)) = crate::parse::classify(entry.path()) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for document in
                crate::parse::parse(&text, format, kind, crate::parse::Options::default()).documents
            {
                let mut outcomes = Vec::new();
                for mode in [Mode::Fast, Mode::Interpreter, Mode::RuleByRule] {
                    let mut engine = fast.clone();
                    engine.mode = mode;
                    let mut results = engine.evaluate(document.kind, &document.value, "f").results;
                    results.sort_by(|a, b| {
                        (a.rule, a.query, &a.message).cmp(&(b.rule, b.query, &b.message))
                    });
                    outcomes.push(results);
                }
                assert_eq!(
                    outcomes[0],
                    outcomes[2],
                    "VM vs interpreter on {}",
                    entry.path().display()
                );
                assert_eq!(
                    outcomes[1],
                    outcomes[2],
                    "batch vs rule by rule on {}",
                    entry.path().display()
                );
                documents += 1;
            }
        }
        assert!(documents > 10);
        // And the repository documents of the fixture repositories.
        for repository in ["checkout-service", "python-service", "platform-monorepo"] {
            let root = fixtures.join("repos").join(repository);
            for input in crate::lint::repository_inputs(&[root], &[]).unwrap() {
                let mut outcomes = Vec::new();
                for mode in [Mode::Fast, Mode::Interpreter, Mode::RuleByRule] {
                    let mut engine = fast.clone();
                    engine.mode = mode;
                    let mut results = engine.evaluate(Kind::Repository, &input, "r").results;
                    results.sort_by(|a, b| {
                        (a.rule, a.query, &a.message).cmp(&(b.rule, b.query, &b.message))
                    });
                    outcomes.push(results);
                }
                assert_eq!(
                    outcomes[0], outcomes[2],
                    "VM vs interpreter on {repository} {}",
                    input["path"]
                );
                assert_eq!(
                    outcomes[1], outcomes[2],
                    "batch vs rule by rule on {repository} {}",
                    input["path"]
                );
            }
        }
    }

    /// The bundle is written so that regorus' VM runs all of it, and runs it fast: an aliased
    /// package (`k8s.containers` after `import data.paved.lib.k8s`) compiles to a lookup
    /// that evaluates every rule of the package and builds it as an object, on every use.
    #[test]
    fn builtin_rules_run_on_the_vm_without_whole_package_lookups() {
        let engine = builtin_engine();
        for batch in engine.batches.iter().flatten() {
            let Some((_, program)) = &batch.program else {
                panic!("{} does not compile for the VM", batch.reference);
            };
            let listing =
                regorus::rvm::program::generate_assembly_listing(program, &Default::default());
            assert!(
                !listing.contains("VirtualDataDocumentLookup"),
                "{} reads a package as a whole: refer to a lib rule by its full path",
                batch.reference
            );
        }
    }

    /// A large repository runs on the VM too, not on the interpreter after the VM gave up.
    #[test]
    fn a_large_document_stays_on_the_vm() {
        let mut engine = builtin_engine();
        let files: Vec<String> = (0..8_000).map(|i| format!("src/pkg{i}/file.go")).collect();
        let input = json!({"path": ".", "kinds": ["service"], "languages": ["go"], "files": files});
        let input = regorus::Value::from(input);
        let batches = Arc::clone(&engine.batches);
        let batch = &batches[Kind::Repository as usize][0];
        let mut evaluation = Evaluation::default();
        assert!(engine.evaluate_batch(batch, &input, &mut evaluation));
        assert!(evaluation
            .results
            .iter()
            .any(|r| r.message.starts_with("no go tests")));
    }

    /// A Terraform file of a module runs its batches on the VM with `data.paved_module`,
    /// and finds what the interpreter finds rule by rule with the module given by `with`.
    #[test]
    fn a_modules_provider_defaults_reach_the_vm_batches_as_they_reach_the_interpreter() {
        let hcl = |text: &str| {
            let parsed = crate::parse::parse(
                text,
                crate::parse::Format::Hcl,
                Kind::Terraform,
                crate::parse::Options::default(),
            );
            parsed.documents.into_iter().next().unwrap().value
        };
        let resource = hcl("resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n");
        let providers = hcl(
            "provider \"aws\" {\n  default_tags {\n    tags = {\n      owner = \"payments\"\n    }\n  }\n}\n",
        );
        let module = json!({"provider": providers["provider"]});
        let owner_tags = |engine: &mut Engine, module: Option<&Value>| {
            engine.set_module(module);
            let results = engine
                .evaluate(Kind::Terraform, &resource, "main.tf")
                .results;
            let catalogue = Arc::clone(&engine.catalogue);
            results
                .iter()
                .filter(|r| catalogue.rules[r.rule].id == "terraform/owner-tags")
                .map(|r| r.message.clone())
                .collect::<Vec<_>>()
        };
        for mode in [Mode::Fast, Mode::RuleByRule] {
            let mut engine = builtin_engine();
            engine.mode = mode;
            let unowned = owner_tags(&mut engine, None);
            assert_eq!(
                unowned,
                ["aws_s3_bucket.logs has no owner tag (one of owner, team)"],
                "{mode:?}"
            );
            assert!(
                owner_tags(&mut engine, Some(&module)).is_empty(),
                "{mode:?}"
            );
            // The module's data does not stay for the next document.
            assert_eq!(owner_tags(&mut engine, None), unowned, "{mode:?}");
        }
        let mut engine = builtin_engine();
        engine.set_module(Some(&module));
        let batches = Arc::clone(&engine.batches);
        let input = regorus::Value::from(resource.clone());
        for batch in &batches[Kind::Terraform as usize] {
            assert!(batch.program.is_some());
            assert!(engine.evaluate_batch(batch, &input, &mut Evaluation::default()));
        }
    }
    #[test]
    fn regular_expressions_have_unicode_classes() {
        let files = [policy("p.rego", "package main\nimport rego.v1\ndeny contains \"x\" if regex.match(`(?i)^\\w+\\s\\bB$`, \"a b\")\n")];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let evaluation = engine.evaluate(Kind::Yaml, &json!({}), "a.yaml");
        assert_eq!(evaluation.errors, []);
        assert_eq!(evaluation.results.len(), 1);
    }

    #[test]
    fn data_conftest_file_is_provided_when_read() {
        let files = [policy(
            "p.rego",
            "package main\nimport rego.v1\ndeny contains data.conftest.file.name if true\n",
        )];
        let mut engine = Engine::load(&files, vec![]).unwrap();
        let evaluation = engine.evaluate(Kind::Yaml, &json!({}), "dir/a.yaml");
        assert_eq!(evaluation.results[0].message, "dir/a.yaml");
    }
}
