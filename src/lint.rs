//! `paved lint`: discover → parse → evaluate → findings, files in parallel, then one
//! repository document per root. Errors in one file never stop the others.

pub(crate) mod chart;
mod kustomize;

use std::collections::hash_map::{Entry, HashMap};
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;

use crate::class::Class;
use crate::config;
use crate::discover::{self, Candidate, Root};
use crate::engine::{Engine, Evaluation};
use crate::finding::{self, Finding, Location, RepositoryPath, Severity};
use crate::parse::{self, Document, Kind};
use crate::policy::{self, Catalogue, PolicyError, PolicyFile};
use crate::read::{self, ReadError};
use crate::repository::{self, FileDigest, Origins};
use crate::source::SourceFile;
use crate::suppress::{self, Baseline, BaselineEntry, Suppressed};

pub use crate::policy::own::{PARSE_ERROR, UNSAFE_FILE};

/// Resolved settings of a run: the config file's, with the command line's applied last.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub builtin: bool,
    pub data: Vec<PathBuf>,
    /// `data.paved_config`: the organisation's settings for the built-in rules.
    pub policy_config: Option<Value>,
    pub exclude: Vec<String>,
    pub jobs: Option<usize>,
    pub rules: config::Rules,
    pub suppressions: config::Suppressions,
    pub waivers: Vec<config::Waiver>,
    /// The config file, which waivers point at and are relative to.
    pub config_file: Option<PathBuf>,
    /// Show everything: no inline ignores, no waivers.
    pub no_ignores: bool,
    pub baseline: Option<PathBuf>,
    /// Only these files get file-level rules (`--changed-since`); `None` means all.
    pub only_files: Option<std::collections::HashSet<PathBuf>>,
    /// Only repository-level rules (the `paved-repo` pre-commit hook).
    pub repository_only: bool,
    /// What standard input (`-` among the paths) is called, and so what kind it is.
    pub stdin_filename: Option<String>,
    /// The classes of input file rules run on (files named on the command line always);
    /// empty means [`crate::class::DEFAULT`].
    pub classes: Vec<Class>,
    /// `[[helm]]` settings, their chart globs relative to where paved runs.
    pub helm: Vec<config::HelmChart>,
}

impl Options {
    fn allows(&self, class: Class) -> bool {
        if self.classes.is_empty() {
            crate::class::DEFAULT.contains(&class)
        } else {
            self.classes.contains(&class)
        }
    }
}

/// A problem that is not a finding: a file that cannot be read, a rule that failed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunError {
    pub file: String,
    pub message: String,
    /// The file within its repository, for the reports code scanning reads.
    #[serde(skip)]
    pub repository: Option<RepositoryPath>,
}

pub struct Outcome {
    pub findings: Vec<Finding>,
    /// What inline ignores, waivers and the baseline kept out of `findings`.
    pub suppressed: Vec<Suppressed>,
    /// Baseline entries no finding matched any more.
    pub fixed: Vec<BaselineEntry>,
    /// Whether a baseline was applied (SARIF then says which results are new).
    pub baselined: bool,
    pub errors: Vec<RunError>,
    pub files: usize,
    pub documents: usize,
    /// Paths `.gitignore` and `.ignore` kept out of the walk (git-tracked files never are).
    pub ignored: usize,
    /// Only files were named, so no repository rule ran.
    pub files_only: bool,
    /// Inputs file rules did not run on, by class (fixtures and generated files by default).
    pub skipped: BTreeMap<Class, usize>,
    pub duration: Duration,
    pub catalogue: Arc<Catalogue>,
}

/// Loads the built-in bundle (without its tests) and the user's bundles.
pub fn load_engine(
    policies: &[PathBuf],
    builtin: bool,
    data: &[PathBuf],
) -> Result<Engine, PolicyError> {
    load_selected(policies, builtin, data, None, &config::Rules::default())
}

/// Loads the bundles with the organisation's settings and only the selected rules.
fn load_selected(
    policies: &[PathBuf],
    builtin: bool,
    data: &[PathBuf],
    policy_config: Option<&Value>,
    rules: &config::Rules,
) -> Result<Engine, PolicyError> {
    let mut files: Vec<PolicyFile> = Vec::new();
    if builtin {
        files.extend(policy::builtin_files().into_iter().filter(|f| !f.is_test()));
    }
    let mut values = Vec::new();
    for path in policies {
        let bundle = policy::bundle::read(path)?;
        files.extend(bundle.files.into_iter().filter(|f| !f.is_test()));
        values.extend(bundle.data);
    }
    for path in data {
        values.extend(policy::read_data(path)?);
    }
    if let Some(settings) = policy_config {
        values.push(serde_json::json!({ "paved_config": settings }));
    }
    let selection = Selection::new(rules)?;
    Engine::load_selected(&files, values, &|id| selection.includes(id))
}

/// Which rules run: `select` (all when empty) less `ignore`.
struct Selection {
    select: Option<globset::GlobSet>,
    ignore: globset::GlobSet,
}

impl Selection {
    fn new(rules: &config::Rules) -> Result<Selection, PolicyError> {
        Ok(Selection {
            select: (!rules.select.is_empty())
                .then(|| rule_globs(&rules.select))
                .transpose()?,
            ignore: rule_globs(&rules.ignore)?,
        })
    }

    fn includes(&self, id: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.is_match(id)) && !self.ignore.is_match(id)
    }
}

fn rule_globs(patterns: &[String]) -> Result<globset::GlobSet, PolicyError> {
    let invalid = |pattern: &str, e: globset::Error| PolicyError {
        file: "rule selection".into(),
        line: None,
        message: format!("`{pattern}` is not a valid glob: {e}"),
    };
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(globset::Glob::new(pattern).map_err(|e| invalid(pattern, e))?);
    }
    builder
        .build()
        .map_err(|e| invalid(&patterns.join(", "), e))
}

/// A gate must not pass because nothing ran: every rule id or pattern the configuration
/// names must name a rule, and some rule must be left to run.
fn check_configuration(options: &Options, catalogue: &Catalogue) -> anyhow::Result<()> {
    let names_a_rule = |pattern: &str| match globset::Glob::new(pattern) {
        Ok(glob) => {
            let matcher = glob.compile_matcher();
            catalogue.rules.iter().any(|r| matcher.is_match(&r.id))
        }
        Err(_) => false,
    };
    let rules = &options.rules;
    let named = rules
        .select
        .iter()
        .map(|p| ("select", p))
        .chain(rules.ignore.iter().map(|p| ("ignore", p)))
        .chain(rules.severity.keys().map(|id| ("a severity override", id)))
        .chain(options.waivers.iter().map(|w| ("a waiver", &w.rule)));
    let unknown: Vec<String> = named
        .filter(|(_, pattern)| !names_a_rule(pattern))
        .map(|(place, pattern)| format!("{place} names `{pattern}`"))
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "{} no rule of the loaded bundles (`paved rules` lists them): {}",
            if unknown.len() == 1 {
                "this matches"
            } else {
                "these match"
            },
            unknown.join("; ")
        );
    }
    let selection = Selection::new(rules)?;
    let selected_own = rules.select.iter().any(|pattern| {
        globset::Glob::new(pattern).is_ok_and(|glob| {
            let matcher = glob.compile_matcher();
            catalogue
                .rules
                .iter()
                .any(|r| policy::own::is_own(&r.id) && matcher.is_match(&r.id))
        })
    });
    if !selected_own
        && !catalogue
            .rules
            .iter()
            .any(|r| !policy::own::is_own(&r.id) && selection.includes(&r.id))
    {
        anyhow::bail!(
            "no rule to run: the bundles loaded have no deny, violation or warn rule{}",
            if rules.select.is_empty() && rules.ignore.is_empty() {
                ""
            } else {
                " left after select and ignore"
            }
        );
    }
    Ok(())
}

/// Applies `ignore` and severity overrides to paved's own findings (a Rego rule's are
/// applied when it is made). `select` does not drop them: a file that could not be read or
/// parsed is checked by no rule, and a narrow selection must not hide that.
fn apply_to_own_findings(options: &Options, findings: &mut Vec<Finding>) -> anyhow::Result<()> {
    let ignore = rule_globs(&options.rules.ignore)?;
    findings.retain(|f| !policy::own::is_own(&f.rule) || !ignore.is_match(&f.rule));
    for finding in findings.iter_mut().filter(|f| policy::own::is_own(&f.rule)) {
        if let Some(&severity) = options.rules.severity.get(&finding.rule) {
            finding.severity = severity;
        }
    }
    Ok(())
}

pub fn run(options: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let engine = load_selected(
        &options.policies,
        options.builtin,
        &options.data,
        options.policy_config.as_ref(),
        &options.rules,
    )?;
    let pool = crate::render::helm::template::render_pool(options.jobs.unwrap_or(0))?;
    let (outcome, _) = pool.install(|| run_on(&engine, options, false, started))?;
    Ok(outcome)
}

/// What `paved audit` needs of a repository beyond its findings: each unit's directory
/// (`"."` for the root), kinds, CODEOWNERS entries and catalog owners.
pub type UnitSummary = Value;

/// [`run`] with an engine already loaded for `options`' policies, data and selection (an
/// audit loads one for many repositories), also returning each repository unit's summary.
/// It runs on the caller's rayon pool (`options.jobs` is not read): an audit's threads
/// serve every repository, and a pool made per repository would leave each one's thread
/// heaps behind.
pub fn run_with_engine(
    engine: &Engine,
    options: &Options,
) -> anyhow::Result<(Outcome, Vec<UnitSummary>)> {
    run_on(engine, options, true, Instant::now())
}

/// The rules `rules` selects, for narrowing a loaded engine (see [`Engine::narrowed`]).
pub fn selection(rules: &config::Rules) -> Result<impl Fn(&str) -> bool, PolicyError> {
    let selection = Selection::new(rules)?;
    Ok(move |id: &str| selection.includes(id))
}

/// Loads the bundles a run's options name, running every rule (narrow it per run).
pub fn load_for(options: &Options) -> Result<Engine, PolicyError> {
    load_selected(
        &options.policies,
        options.builtin,
        &options.data,
        options.policy_config.as_ref(),
        &config::Rules::default(),
    )
}

fn run_on(
    engine: &Engine,
    options: &Options,
    keep_units: bool,
    started: Instant,
) -> anyhow::Result<(Outcome, Vec<UnitSummary>)> {
    check_configuration(options, engine.catalogue())?;
    let baseline = options
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()?;
    let exclude = discover::exclude_set(&options.exclude)?;
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let discovery = discover::discover(
        &paths,
        &exclude,
        rayon::current_num_threads(),
        options.stdin_filename.as_deref(),
    );
    let mut errors: Vec<RunError> = discovery
        .errors
        .iter()
        .map(|(file, message)| RunError {
            file: file.clone(),
            message: message.clone(),
            repository: None,
        })
        .collect();

    // One group per repository (and one for files named outside any), so a repository's
    // digest lives only while that repository is checked.
    let mut groups: Vec<Vec<&Candidate>> = vec![Vec::new(); discovery.roots.len() + 1];
    for candidate in &discovery.files {
        groups[candidate.root.unwrap_or(discovery.roots.len())].push(candidate);
    }
    let checked: Vec<Checked> = groups
        .par_iter()
        .with_max_len(1)
        .enumerate()
        .map(|(index, files)| {
            check_group(
                engine,
                options,
                discovery.roots.get(index),
                files,
                keep_units,
            )
        })
        .collect();
    let mut findings = Vec::with_capacity(checked.iter().map(|g| g.findings.len()).sum());
    let mut suppressed = Vec::new();
    let mut documents = 0;
    let mut failures = Vec::new();
    let mut skipped: BTreeMap<Class, usize> = BTreeMap::new();
    let mut units = Vec::new();
    let mut read_by_overlays = HashSet::new();
    for group in checked {
        read_by_overlays.extend(group.read_by_overlays);
        units.extend(group.units);
        findings.extend(group.findings);
        suppressed.extend(group.suppressed);
        errors.extend(group.errors);
        failures.extend(group.failures);
        documents += group.documents;
        for (class, count) in group.skipped {
            *skipped.entry(class).or_default() += count;
        }
    }
    errors.extend(group_failures(engine.catalogue(), failures));
    // Named files, a directory inside a repository, --changed-since: not every file of the
    // repositories had its file rules run.
    let partial = options.only_files.is_some()
        || options.repository_only
        || discovery.roots.is_empty()
        || discovery.files.iter().any(|c| !c.in_scope);
    if !options.no_ignores {
        let today = chrono::Local::now().date_naive();
        suppress::apply_waivers(
            &options.waivers,
            options.config_file.as_deref(),
            today,
            !partial,
            &mut findings,
            &mut suppressed,
        );
    }
    let fixed = match &baseline {
        Some(baseline) => suppress::apply_baseline(baseline, &mut findings, &mut suppressed),
        None => Vec::new(),
    };
    apply_to_own_findings(options, &mut findings)?;
    let files = discovery
        .files
        .iter()
        .filter(|c| {
            let through = || read_by_overlays.contains(&crate::render::kustomize::key(&c.path));
            c.format.is_some() && (evaluates(options, c) || through())
        })
        .count()
        + outside_walk(&discovery.files, &read_by_overlays);
    finding::sort(&mut findings);
    suppressed.par_sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    let outcome = Outcome {
        findings,
        suppressed,
        fixed,
        baselined: baseline.is_some(),
        errors,
        files,
        documents,
        ignored: discovery.ignored,
        files_only: discovery.roots.is_empty() && !discovery.files.is_empty(),
        skipped,
        duration: started.elapsed(),
        catalogue: Arc::clone(engine.catalogue()),
    };
    Ok((outcome, units))
}

/// Files overlays read from outside what was walked (an overlay's `../../base` when only
/// the overlay was named): linted through it, so counted.
fn outside_walk(files: &[Candidate], read_by_overlays: &HashSet<PathBuf>) -> usize {
    let walked: HashSet<PathBuf> = files
        .iter()
        .map(|c| crate::render::kustomize::key(&c.path))
        .collect();
    read_by_overlays.difference(&walked).count()
}

/// Whether a file's own rules run (they do not for `--repository-only`, nor for files
/// outside `--changed-since`). A chart is rendered again when any file of it changed: its
/// values and templates are what its `Chart.yaml` document renders.
fn evaluates(options: &Options, candidate: &Candidate) -> bool {
    candidate.in_scope
        && !options.repository_only
        && options.only_files.as_ref().is_none_or(|only| {
            let Ok(path) = candidate.path.canonicalize() else {
                return false;
            };
            match (candidate.format, path.parent()) {
                (Some((_, Kind::HelmChart)), Some(chart)) => {
                    only.iter().any(|changed| changed.starts_with(chart))
                }
                _ => only.contains(&path),
            }
        })
}

/// The repository documents paved builds for the repositories under `paths`, for
/// `paved parse --repository`: what repository-level rules see as `input`.
pub fn repository_inputs(paths: &[PathBuf], exclude: &[String]) -> anyhow::Result<Vec<Value>> {
    let engine = Engine::load(&[], Vec::new())?;
    let discovery = discover::discover(paths, &discover::exclude_set(exclude)?, 0, None);
    let mut inputs = Vec::new();
    for (index, root) in discovery.roots.iter().enumerate() {
        let digests: Vec<FileDigest> = discovery
            .files
            .par_iter()
            .with_max_len(1)
            .filter(|c| c.root == Some(index))
            .map_init(
                || engine.clone(),
                |engine, candidate| {
                    check_file(
                        engine,
                        &Options::default(),
                        candidate,
                        Some(root),
                        &HashMap::new(),
                        None,
                    )
                    .digest
                },
            )
            .collect();
        inputs.extend(
            repository::build(root, digests)
                .into_iter()
                .map(|(value, _)| value),
        );
    }
    Ok(inputs)
}

/// What checking one file, or one repository, produced.
#[derive(Default)]
struct Checked {
    findings: Vec<Finding>,
    suppressed: Vec<Suppressed>,
    errors: Vec<RunError>,
    failures: Vec<RuleFailure>,
    documents: usize,
    digest: FileDigest,
    /// The digests of files read through this one: a chart's rendered templates.
    rendered: Vec<FileDigest>,
    /// Inputs whose class file rules do not run on, by class.
    skipped: BTreeMap<Class, usize>,
    units: Vec<UnitSummary>,
    /// Files linted through kustomize overlays (normalised paths), in scope or not.
    read_by_overlays: HashSet<PathBuf>,
    /// The file is a build's committed output: it is checked again, as generated.
    committed_output: bool,
}

impl Checked {
    fn absorb(&mut self, other: Checked) {
        self.read_by_overlays.extend(other.read_by_overlays);
        self.findings.extend(other.findings);
        self.suppressed.extend(other.suppressed);
        self.errors.extend(other.errors);
        self.failures.extend(other.failures);
        self.documents += other.documents;
        for (class, count) in other.skipped {
            *self.skipped.entry(class).or_default() += count;
        }
    }
}

/// Checks a repository's files in parallel, then its repository document.
fn check_group(
    engine: &Engine,
    options: &Options,
    root: Option<&Root>,
    files: &[&Candidate],
    keep_units: bool,
) -> Checked {
    let modules = if engine.has_rules_for(Kind::Terraform) {
        crate::modules::contexts(files, |c| read_candidate(c).ok())
    } else {
        HashMap::new()
    };
    // A plain file an overlay includes is linted through the overlay: alone, only listed; so
    // is a file named of a chart an overlay renders (its values are the overlay's).
    let plan = kustomize::Plan::of(files);
    let overlays = kustomize::build_overlays(options, files, &plan);
    // A build's output committed beside its overlay is generated: not linted alone.
    let committed = kustomize::CommittedOutputs::of(&overlays);
    let mut through_overlays: HashMap<usize, Candidate> = files
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c.format,
                Some((_, Kind::Kubernetes | Kind::Yaml | Kind::Json))
            )
        })
        .filter(|(_, c)| plan.included(c) || c.named && plan.in_rendered_chart(c))
        .map(|(i, c)| {
            (
                i,
                Candidate {
                    format: None,
                    ..(*c).clone()
                },
            )
        })
        .collect();
    // A chart an overlay renders: its Chart.yaml is checked, its chart rendered only there.
    for (index, chart) in files.iter().enumerate() {
        if matches!(chart.format, Some((_, Kind::HelmChart))) && plan.included(chart) {
            let chart = Candidate {
                rendered_by_overlay: true,
                ..(*chart).clone()
            };
            through_overlays.insert(index, chart);
        }
    }
    let each: Vec<&Candidate> = files
        .iter()
        .enumerate()
        .map(|(i, c)| through_overlays.get(&i).unwrap_or(c))
        .collect();
    // One job per file, as in `paved test`: sizes differ ten-thousandfold.
    let mut results: Vec<Checked> = each
        .par_iter()
        .with_max_len(1)
        .map_init(
            || engine.clone(),
            |engine, candidate| {
                let checked = check_file(
                    engine,
                    options,
                    candidate,
                    root,
                    &modules,
                    committed.as_ref(),
                );
                if !checked.committed_output {
                    return checked;
                }
                let output = Candidate {
                    class: Class::Generated,
                    ..(*candidate).clone()
                };
                check_file(engine, options, &output, root, &modules, None)
            },
        )
        .collect();
    results.push(kustomize::check_overlays(
        engine, options, root, files, overlays,
    ));
    let mut group = Checked::default();
    let mut digests = Vec::new();
    let mut rendered = Vec::new();
    for mut result in results {
        let digest = std::mem::take(&mut result.digest);
        // The overlays' check is no file of its own (its objects come in `rendered`).
        if !digest.relative.is_empty() {
            digests.push(digest);
        }
        rendered.append(&mut result.rendered);
        group.absorb(result);
    }
    merge_rendered(&mut digests, rendered);
    let evaluated = engine.has_rules_for(Kind::Repository);
    if let Some(root) = root.filter(|_| evaluated || keep_units) {
        let mut engine = engine.clone();
        let scope = Scope::of(files);
        for (value, origins) in repository::build(root, digests) {
            if keep_units {
                group.units.push(unit_summary(&value));
            }
            if !evaluated || !scope.holds_unit(value["path"].as_str().unwrap_or(".")) {
                continue;
            }
            let evaluation = engine.evaluate(Kind::Repository, &value, &root.display);
            let (mut findings, failures) =
                repository_findings(&engine, options, &origins, evaluation, root, &value);
            findings.retain(|f| scope.shows(f));
            group.findings.extend(findings);
            group.failures.extend(failures);
            group.documents += 1;
        }
    }
    group
}

/// The workload or object of the model a finding's path leads to: one in an example says
/// `"class": "example"`, one a chart renders names the chart.
fn model_item<'a>(document: &'a Value, path: &[parse::PathSegment]) -> Option<&'a Value> {
    use parse::PathSegment::{Index, Key};
    let [Key(field), Index(index), ..] = path else {
        return None;
    };
    matches!(field.as_str(), "workloads" | "objects")
        .then(|| document[field.as_str()].get(*index))
        .flatten()
}

/// What of a repository a directory inside it asks about (`paved lint services/pay`): the
/// units it lies in or holds, and no finding placed in a file outside it. Another
/// service's findings are not this run's; the repository's own (no catalog entity) are.
/// The whole repository when every file is in scope.
struct Scope {
    /// The directories holding an in-scope file, relative to the repository root (`None`:
    /// every file is in scope).
    holding: Option<HashSet<String>>,
    /// Out-of-scope files, as findings show them.
    outside: HashSet<String>,
}

impl Scope {
    fn of(files: &[&Candidate]) -> Scope {
        let (inside, outside): (Vec<&&Candidate>, Vec<&&Candidate>) =
            files.iter().partition(|c| c.in_scope);
        // Built only for a partial run: a whole repository's files are not gone through.
        let holding = || {
            let directories = |c: &&&Candidate| {
                let relative = c.relative.as_str();
                let ends = relative.match_indices('/').map(|(at, _)| at);
                ends.map(|at| relative[..at].to_string())
                    .collect::<Vec<_>>()
            };
            inside.iter().flat_map(directories).collect()
        };
        Scope {
            holding: (!outside.is_empty()).then(holding),
            outside: outside.iter().map(|c| c.display.clone()).collect(),
        }
    }

    /// Whether a unit (its path from the root, `.` for the root) holds an in-scope file.
    fn holds_unit(&self, unit: &str) -> bool {
        self.holding
            .as_ref()
            .is_none_or(|holding| unit == "." || holding.contains(unit))
    }

    /// Whether a finding is shown: not when placed at a line of a file outside the scope.
    fn shows(&self, finding: &Finding) -> bool {
        finding.location.start.is_none() || !self.outside.contains(&finding.location.file)
    }
}

/// The slice of a repository document an audit reads: who owns the unit, what it is.
fn unit_summary(document: &Value) -> UnitSummary {
    let catalog_owners: Vec<&Value> = document["documents"]
        .as_object()
        .into_iter()
        .flat_map(|documents| documents.values())
        .filter_map(|d| d["spec"]["owner"].as_str().map(|_| &d["spec"]["owner"]))
        .collect();
    serde_json::json!({
        "path": document["path"],
        "kinds": document["kinds"],
        "codeowners": document["codeowners"],
        "catalog_owners": catalog_owners,
    })
}

/// Rendered and built objects join the digest of the file they start in (a chart's
/// template, an overlay's base resource).
fn merge_rendered(digests: &mut Vec<FileDigest>, rendered: Vec<FileDigest>) {
    let index: HashMap<String, usize> = digests
        .iter()
        .enumerate()
        .map(|(i, d)| (d.relative.clone(), i))
        .collect();
    for extra in rendered {
        match index.get(&extra.relative) {
            Some(&at) => digests[at].absorb(extra),
            None => digests.push(extra),
        }
    }
}

fn check_file(
    engine: &mut Engine,
    options: &Options,
    candidate: &Candidate,
    root: Option<&Root>,
    modules: &HashMap<PathBuf, Value>,
    committed: Option<&kustomize::CommittedOutputs>,
) -> Checked {
    if let Some(checked) = chart::check_named_part(engine, options, candidate, root, modules) {
        return checked;
    }
    let mut checked = Checked {
        digest: FileDigest {
            relative: candidate.relative.clone(),
            display: candidate.display.clone(),
            regular: !candidate.special,
            ..FileDigest::default()
        },
        ..Checked::default()
    };
    let mut evaluate = evaluates(options, candidate);
    let needed_for_model = candidate.root.is_some();
    let file = &candidate.display;
    let repository_path = match root {
        Some(root) => root.repository_path(&candidate.relative),
        None => discover::named_repository_path(candidate),
    };
    let Some((format, kind)) = candidate.format.filter(|_| evaluate || needed_for_model) else {
        // Listed, not read: still say when it is a symlink out of the repository.
        if evaluate && candidate.special {
            if let Err(e) = read::check(&candidate.path, &candidate.boundary) {
                checked.add_read_error(file, &repository_path, e);
            }
        }
        return checked;
    };
    let bytes = match read_candidate(candidate) {
        Ok(bytes) => bytes,
        Err(e) => {
            if evaluate {
                checked.add_read_error(file, &repository_path, e);
            }
            return checked;
        }
    };
    let text = match parse::decode(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let lossy = String::from_utf8_lossy(&bytes);
            let location = Location::at(file.clone(), &SourceFile::new(&lossy), e.span.clone());
            let severity = parse_error_severity(engine, candidate, kind, &lossy);
            checked
                .findings
                .push(parse_error(severity, location, e.message));
            return checked;
        }
    };
    // Named files are checked whatever they are; a walked fixture or generated file is
    // parsed for the repository model only.
    let class = if candidate.named {
        Class::Deployable
    } else {
        candidate.class.of_text(kind, text)
    };
    if evaluate && !options.allows(class) {
        *checked.skipped.entry(class).or_default() += 1;
        evaluate = false;
    }
    let mut parsed = parse::parse(text, format, kind, parse::Options::default());
    parse::expand_lists(&mut parsed);
    if committed.is_some_and(|c| c.may_be(candidate) && c.is(&parsed)) {
        checked.committed_output = true;
        return checked;
    }
    let source = SourceFile::new(text);
    if !parsed.errors.is_empty() {
        let severity = parse_error_severity(engine, candidate, kind, text);
        for error in parsed.errors {
            let location = Location::at(file.clone(), &source, error.span);
            checked
                .findings
                .push(parse_error(severity, location, error.message));
        }
    }
    checked.documents = parsed.documents.len();
    let catalogue = Arc::clone(engine.catalogue());
    for document in &parsed.documents {
        if needed_for_model {
            checked.digest.add(
                document,
                class.of_document(&candidate.relative, document.kind, &document.value),
            );
        }
        if !evaluate || !engine.has_rules_for(document.kind) {
            continue;
        }
        let document_class = class.of_document(&candidate.relative, document.kind, &document.value);
        if !options.allows(document_class) {
            *checked.skipped.entry(document_class).or_default() += 1;
            continue;
        }
        let module = candidate.path.parent().and_then(|dir| modules.get(dir));
        engine.set_module(module.filter(|_| document.kind == Kind::Terraform));
        let evaluation = engine.evaluate(document.kind, &document.value, file);
        engine.set_module(None);
        let multi_document = parsed.documents.len() > 1;
        for (rule, error) in evaluation.errors {
            checked.failures.push(RuleFailure {
                rule,
                error,
                file: file.clone(),
                document: multi_document.then_some(document.index),
                repository: repository_path.clone(),
            });
        }
        for result in evaluation.results {
            let (location, label) = locate_in_document(file, &source, document, &result);
            let mut finding = make_finding(
                &catalogue,
                options,
                result,
                location,
                label,
                Some(document.index),
            );
            finding.class = document_class;
            finding.location.repository = Some(repository_path.clone());
            finding.fingerprint = finding::fingerprint(&finding, Some(&document.value));
            checked.findings.push(finding);
        }
    }
    if !evaluate {
        checked.findings.clear();
        checked.documents = 0;
        return checked;
    }
    if !options.no_ignores && text.contains("paved:ignore") {
        let rule_id = |id: &str| inline_rule_id(engine, id);
        let in_file = suppress::InlineFile {
            name: file,
            source: &source,
            format,
            documents: &parsed.documents,
        };
        suppress::apply_inline(
            &in_file,
            &mut checked.findings,
            &mut checked.suppressed,
            &options.suppressions,
            &rule_id,
        );
    }
    // Parse errors and suppression findings: the text under their span.
    for finding in checked
        .findings
        .iter_mut()
        .filter(|f| f.fingerprint.is_empty())
    {
        finding.location.repository = Some(repository_path.clone());
        finding.fingerprint = finding::fingerprint(finding, None);
    }
    // After the file's own inline ignores, which are about Chart.yaml's lines only.
    if kind == Kind::HelmChart && !parsed.documents.is_empty() && !candidate.rendered_by_overlay {
        chart::check_chart(engine, options, candidate, root, text, &mut checked);
    }
    checked
}

/// What a rule id in a `paved:ignore` names: a rule that runs (paved's own parse and
/// render errors always do), one not selected, or nothing.
fn inline_rule_id(engine: &Engine, id: &str) -> suppress::RuleId {
    if engine.runs(id) || id == PARSE_ERROR || id == policy::own::RENDER_ERROR {
        suppress::RuleId::Runs
    } else if engine.catalogue().get(id).is_some() {
        suppress::RuleId::NotSelected
    } else {
        suppress::RuleId::Unknown
    }
}

/// Reads a candidate within its boundary; a pipe named on the command line is read as the
/// stream it is.
fn read_candidate(candidate: &Candidate) -> Result<Vec<u8>, ReadError> {
    if candidate.path.as_os_str() == discover::STDIN {
        return read::read_stream(std::io::stdin().lock());
    }
    if candidate.named {
        return read::read_named(&candidate.path);
    }
    if !candidate.special {
        return read::read_found(&candidate.path);
    }
    read::read(&candidate.path, &candidate.boundary)
}

impl Checked {
    /// A file that was not read: unsafe and too large ones are findings, so the run says
    /// what it did not check; one that cannot be read is a run error.
    fn add_read_error(&mut self, file: &str, repository_path: &RepositoryPath, error: ReadError) {
        if error.is_directory() {
            return;
        }
        let (rule, severity) = match &error {
            ReadError::Io(_) => {
                self.errors.push(RunError {
                    file: file.to_string(),
                    message: error.to_string(),
                    repository: Some(repository_path.clone()),
                });
                return;
            }
            ReadError::TooLarge => (PARSE_ERROR, Severity::Error),
            ReadError::Outside { .. } | ReadError::NotRegular { .. } => {
                (UNSAFE_FILE, Severity::Warning)
            }
        };
        let mut finding = Finding::own(
            rule,
            severity,
            error.to_string(),
            Location::file_only(file.to_string()),
        );
        finding.location.repository = Some(repository_path.clone());
        finding.fingerprint = finding::fingerprint(&finding, None);
        self.findings.push(finding);
    }
}

fn parse_error(severity: Severity, location: Location, message: String) -> Finding {
    Finding::own(PARSE_ERROR, severity, message, location)
}

/// A broken file is an `error` where a rule would have read it: paved's own kinds, the
/// dependency manifests the repository model reads, a file that may be a Kubernetes
/// manifest, a generic kind a selected rule reads. Elsewhere (an editor's settings, a
/// tool's YAML) no verdict was lost: `info`.
fn parse_error_severity(
    engine: &Engine,
    candidate: &Candidate,
    kind: Kind,
    text: &str,
) -> Severity {
    let path = std::path::Path::new(&candidate.relative);
    let name = path.file_name().map(|n| n.to_string_lossy());
    let read = parse::possible_kinds(path, kind, text)
        .into_iter()
        .any(|k| !parse::is_generic(k) || engine.has_rules_for(k))
        || name.is_some_and(|n| repository::is_manifest(&n));
    if read {
        Severity::Error
    } else {
        Severity::Info
    }
}

/// A rule that failed on one document. A broken policy fails the same way on every
/// document it runs on: [`group_failures`] reports that once, not once per document.
struct RuleFailure {
    rule: usize,
    error: String,
    file: String,
    /// The document's index, in a file of several.
    document: Option<usize>,
    repository: RepositoryPath,
}

impl RuleFailure {
    /// `file`, or `file#index` in a file of several documents.
    fn document_name(&self) -> String {
        match self.document {
            Some(index) => format!("{}#{index}", self.file),
            None => self.file.clone(),
        }
    }
}

/// One run error per rule and error text, naming the document it failed on, or how many
/// and the first (in file order) when it failed on several.
fn group_failures(catalogue: &Catalogue, mut failures: Vec<RuleFailure>) -> Vec<RunError> {
    failures.sort_by(|a, b| (&a.file, a.document).cmp(&(&b.file, b.document)));
    let mut groups: Vec<(&RuleFailure, usize)> = Vec::new();
    let mut index: HashMap<(usize, &str), usize> = HashMap::new();
    for failure in &failures {
        match index.entry((failure.rule, &failure.error)) {
            Entry::Occupied(at) => groups[*at.get()].1 += 1,
            Entry::Vacant(slot) => {
                slot.insert(groups.len());
                groups.push((failure, 1));
            }
        }
    }
    groups
        .into_iter()
        .map(|(first, count)| {
            let rule = &catalogue.rules[first.rule].id;
            let on = match count {
                1 => first.document_name(),
                n => format!("{n} documents (first: {})", first.document_name()),
            };
            RunError {
                file: first.file.clone(),
                message: format!("rule {rule} failed on {on}: {}", first.error),
                repository: Some(first.repository.clone()),
            }
        })
        .collect()
}

/// Where a result is in its document: `_loc` when given, else the path resolved through
/// the source map (the nearest existing ancestor when it goes past what exists), else the
/// document's anchor.
fn locate_in_document(
    file: &str,
    source: &SourceFile<'_>,
    document: &Document,
    result: &crate::engine::RuleResult,
) -> (Location, Option<String>) {
    if let Some((loc_file, line)) = &result.loc {
        let shown = if loc_file.is_empty() { file } else { loc_file };
        return (Location::at(shown, source, source.line_span(*line)), None);
    }
    match &result.path {
        None => (Location::at(file, source, document.anchor.clone()), None),
        Some(path) => {
            let found = document.map.resolve(path);
            let label = (found.matched < path.len())
                .then(|| repository::missing_label(&path[found.matched]));
            // A node without a key (a list item: a container) is underlined on the line
            // that opens it, not over every line it spans.
            let span = match found.node.key {
                Some(_) => found.span(),
                None => source.first_line_of(found.span()),
            };
            (Location::at(file, source, span), label)
        }
    }
}

fn make_finding(
    catalogue: &Catalogue,
    options: &Options,
    result: crate::engine::RuleResult,
    location: Location,
    label: Option<String>,
    document: Option<usize>,
) -> Finding {
    let rule = &catalogue.rules[result.rule];
    let severity = match options.rules.severity.get(&rule.id) {
        Some(&forced) => forced,
        None => rule.severity_of(rule.queries[result.query].effect),
    };
    Finding {
        rule: rule.id.clone(),
        severity,
        message: result.message,
        location,
        class: Class::Deployable,
        document,
        path: result.path,
        label,
        metadata: result.metadata,
        fingerprint: String::new(),
    }
}

fn repository_findings(
    engine: &Engine,
    options: &Options,
    origins: &Origins,
    evaluation: Evaluation,
    root: &Root,
    document: &Value,
) -> (Vec<Finding>, Vec<RuleFailure>) {
    let catalogue = engine.catalogue();
    let failures = evaluation
        .errors
        .into_iter()
        .map(|(rule, error)| RuleFailure {
            rule,
            error,
            file: root.display.clone(),
            document: None,
            repository: root.repository_path(""),
        })
        .collect();
    let findings = evaluation
        .results
        .into_iter()
        .map(|result| {
            let (location, label) = origins.locate(result.path.as_deref());
            let item = result.path.as_deref().and_then(|p| model_item(document, p));
            let mut finding = make_finding(catalogue, options, result, location, label, None);
            if let Some(item) = item {
                // Said of a workload or object as the file findings on it say it.
                if let Ok(class) = serde_json::from_value(item["class"].clone()) {
                    finding.class = class;
                }
                if let Some(chart) = item["chart"].as_str() {
                    finding.message = format!("{} (chart {chart})", finding.message);
                }
            }
            finding.location.repository =
                Some(root.repository_path_of_display(&finding.location.file));
            finding.fingerprint = finding::fingerprint(&finding, Some(document));
            finding
        })
        .collect();
    (findings, failures)
}
