//! `paved audit`: find the repositories, take this shard's, lint each as `paved lint` would
//! with the organisation's config on top, score it, and write its line as soon as it is
//! done. One policy engine serves every repository that adds no policies or data of its own.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::audit::line::{FindingLine, Line, UnitLine, Writer, SCHEMA};
use crate::audit::progress::Progress;
use crate::audit::shard::Shard;
use crate::audit::{clone, scorecard, targets, units, Source, Target};
use crate::cli::{AuditArgs, AuditCommand};
use crate::config::{self, Loaded};
use crate::engine::Engine;
use crate::finding::{self, Finding};
use crate::lint;
use crate::policy::{self, Rule};

const CLEAN: u8 = 0;
const FINDINGS: u8 = 1;
const ERROR: u8 = 2;

pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    if let Some(AuditCommand::Report(report)) = args.command {
        return super::audit_report::run(report);
    }
    let shard = shard_of(&args)?;
    let org = Org::load(args.config.as_deref())?;
    let mut found = targets::under_roots(&args.roots)?;
    if let Some(list) = &args.repos {
        let clone_dir = args
            .clone_dir
            .clone()
            .unwrap_or_else(targets::default_clone_dir);
        found.extend(targets::listed(list, &clone_dir)?);
    }
    if args.roots.is_empty() && args.repos.is_none() {
        anyhow::bail!("nothing to audit: give ROOT directories or --repos FILE");
    }
    // An audit of nothing is a wrong path or a failed checkout, not a clean organisation.
    if found.is_empty() {
        let roots: Vec<String> = args.roots.iter().map(|r| r.display().to_string()).collect();
        anyhow::bail!(
            "found no repository to audit: no directory under {} holds a .git{} (lint a \
             directory that is not a git repository with `paved lint`)",
            roots.join(", "),
            match args.repos.is_some() {
                true => " and --repos lists none",
                false => "",
            }
        );
    }
    let mut chosen: Vec<Target> = targets::sorted(found)
        .into_iter()
        .filter(|t| shard.is_none_or(|s| s.contains(&t.id)))
        .collect();
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => {
            if args.resume {
                let done = crate::audit::line::done(path)?;
                chosen.retain(|t| !done.contains(&t.id));
            }
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(args.resume)
                .write(true)
                .truncate(!args.resume)
                .open(path)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            Box::new(file)
        }
        None => Box::new(std::io::stdout()),
    };
    let writer = Writer::new(out);
    let engines = Engines::new(&org)?;
    let progress = Progress::new(chosen.len(), args.quiet);
    let pool = crate::render::helm::template::render_pool(args.jobs.unwrap_or(0))?;
    let threshold = args.fail_level.and_then(|l| l.threshold());
    let results: Vec<anyhow::Result<(bool, bool)>> = pool.install(|| {
        chosen
            .par_iter()
            .with_max_len(1)
            .map(|target| {
                let line = audit_one(target, &org, &engines);
                progress.finished(line.findings.len());
                writer.write(&line)?;
                let failing =
                    threshold.is_some_and(|t| line.findings.iter().any(|f| f.severity >= t));
                Ok((line.error.is_some(), failing))
            })
            .collect()
    });
    progress.finish();
    let mut code = CLEAN;
    for result in results {
        let (error, failing) = result?;
        if error {
            code = ERROR;
        } else if failing && code == CLEAN {
            code = FINDINGS;
        }
    }
    Ok(code)
}

/// `--shard I/N`, or `--shard-count N` with the index a Kubernetes Indexed Job gives.
fn shard_of(args: &AuditArgs) -> anyhow::Result<Option<Shard>> {
    let Some(count) = args.shard_count else {
        return Ok(args.shard);
    };
    let index = std::env::var("JOB_COMPLETION_INDEX").map_err(|_| {
        anyhow::anyhow!("--shard-count needs JOB_COMPLETION_INDEX (set by an Indexed Job)")
    })?;
    let index: u64 = index
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("JOB_COMPLETION_INDEX is `{index}`, not a shard number"))?;
    Ok(Some(Shard::new(index, count).map_err(anyhow::Error::msg)?))
}

/// The organisation's configuration: applied on top of every repository's.
struct Org {
    loaded: Loaded,
    required: config::Required,
}

impl Org {
    fn load(file: Option<&Path>) -> anyhow::Result<Org> {
        let loaded = match file {
            Some(file) => config::load(file)?,
            None => Loaded::default(),
        };
        let config = &loaded.config;
        // Their paths would be relative to one repository, and every repository is another.
        if !config.waivers.is_empty() || config.baseline.is_some() {
            anyhow::bail!(
                "{}: waivers and baselines belong in a repository's own paved.toml, not the \
                 organisation's",
                file.unwrap_or(Path::new("org config")).display()
            );
        }
        let required = config::Required::new(&config.required)?;
        Ok(Org { loaded, required })
    }

    fn requires(&self, id: &str) -> bool {
        self.required.requires(id)
    }
}

/// Loaded engines by what they load: the organisation's bundles, and each different set
/// of bundles, data and settings a repository adds (rule selection narrows a loaded
/// engine, it does not need one of its own).
struct Engines {
    loaded: Mutex<HashMap<String, Arc<Engine>>>,
}

impl Engines {
    /// Loads the organisation's engine first: a broken bundle or a `required` rule that does
    /// not exist stops the audit before any repository is read.
    fn new(org: &Org) -> anyhow::Result<Engines> {
        let engines = Engines {
            loaded: Mutex::new(HashMap::new()),
        };
        let options = merged(org, &Loaded::default(), Path::new("."), &[])?;
        let engine = engines.get(&options)?;
        for pattern in &org.loaded.config.required {
            let glob = globset::Glob::new(pattern)?.compile_matcher();
            if !engine
                .catalogue()
                .rules
                .iter()
                .any(|r| glob.is_match(&r.id))
            {
                anyhow::bail!(
                    "required names `{pattern}`, which matches no rule of the loaded bundles"
                );
            }
        }
        Ok(engines)
    }

    fn get(&self, options: &lint::Options) -> anyhow::Result<Arc<Engine>> {
        let key = serde_json::json!([
            options.policies,
            options.builtin,
            options.data,
            options.policy_config
        ])
        .to_string();
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(engine) = loaded.get(&key) {
            return Ok(Arc::clone(engine));
        }
        let engine = Arc::new(lint::load_for(options)?);
        loaded.insert(key, Arc::clone(&engine));
        Ok(engine)
    }
}

/// A repository's run options: its own config, with the organisation's applied on top.
/// Lists add up; the organisation's single values win; `required` rules keep running
/// whatever the repository selects, and cannot be ignored inline or have their severity
/// lowered. `own` lists paved's own rule ids (their `ignore` is applied by `lint`).
fn merged(org: &Org, repo: &Loaded, path: &Path, own: &[String]) -> anyhow::Result<lint::Options> {
    let (o, r) = (&org.loaded.config, &repo.config);
    let resolved = |loaded: &Loaded, paths: &[PathBuf]| -> Vec<PathBuf> {
        paths.iter().map(|p| loaded.resolve(p)).collect()
    };
    let mut policies = resolved(&org.loaded, &o.policies);
    policies.extend(resolved(repo, &r.policies));
    // Remote sources are pinned by the lock beside the organisation's config.
    let policies = crate::sources::resolve_policies(&policies, None, &org.loaded.base())?;
    let mut data = resolved(&org.loaded, &o.data);
    data.extend(resolved(repo, &r.data));
    let mut settings = r.policy.config.clone();
    settings.extend(o.policy.config.clone());
    let policy_config = (!settings.is_empty())
        .then(|| serde_json::to_value(&settings))
        .transpose()?;
    let ignores_required = |pattern: &String| {
        globset::Glob::new(pattern).is_ok_and(|glob| {
            let glob = glob.compile_matcher();
            own.iter().any(|id| org.requires(id) && glob.is_match(id))
        })
    };
    let mut rules = r.rules.clone();
    rules.select.extend(o.rules.select.iter().cloned());
    rules.ignore.retain(|p| !ignores_required(p));
    rules.ignore.extend(o.rules.ignore.iter().cloned());
    rules.severity.retain(|id, _| !org.requires(id));
    rules.severity.extend(o.rules.severity.clone());
    let mut suppressions = r.suppressions.clone();
    suppressions.allow_inline &= o.suppressions.allow_inline;
    suppressions.require_reason |= o.suppressions.require_reason;
    suppressions
        .forbid_inline
        .extend(o.suppressions.forbid_inline.iter().cloned());
    suppressions
        .forbid_inline
        .extend(o.required.iter().cloned());
    let mut exclude = r.exclude.clone();
    exclude.extend(o.exclude.iter().cloned());
    Ok(lint::Options {
        paths: vec![path.to_path_buf()],
        policies,
        builtin: o.builtin.or(r.builtin).unwrap_or(true),
        data,
        policy_config,
        exclude,
        rules,
        suppressions,
        waivers: r.waivers.clone(),
        config_file: repo.file.clone(),
        baseline: r.baseline.as_ref().map(|b| repo.resolve(b)),
        classes: o
            .classes
            .clone()
            .or_else(|| r.classes.clone())
            .unwrap_or_else(|| crate::class::DEFAULT.to_vec()),
        ..lint::Options::default()
    })
}

/// A repository's own paved.toml (or .paved.toml), at its root only: what is above the
/// repository is not its configuration. Read through `read.rs`, as every file of it.
fn repository_config(path: &Path) -> anyhow::Result<Loaded> {
    let boundary = crate::read::canonical_dir(path);
    for name in config::FILE_NAMES {
        let file = path.join(name);
        if let Some(text) = crate::read::read_text_if_present(&file, &boundary) {
            let text = text.map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            return Ok(config::load_text(&file, &text)?);
        }
    }
    Ok(Loaded::default())
}

/// Audits one repository; whatever goes wrong is its line's `error`, never the run's.
fn audit_one(target: &Target, org: &Org, engines: &Engines) -> Line {
    let started = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let clock = Instant::now();
    let mut line = Line {
        schema: SCHEMA,
        repository: target.id.clone(),
        source: target.source,
        path: target.path.display().to_string(),
        commit: None,
        branch: None,
        started,
        duration_ms: 0,
        files: 0,
        owner: None,
        level: None,
        next: None,
        rules: Default::default(),
        counts: Default::default(),
        units: Vec::new(),
        findings: Vec::new(),
        error: None,
    };
    if let Err(error) = fill(&mut line, target, org, engines) {
        line.error = Some(error);
    }
    line.duration_ms = clock.elapsed().as_millis() as u64;
    line
}

fn fill(line: &mut Line, target: &Target, org: &Org, engines: &Engines) -> Result<(), String> {
    if let Some(problem) = &target.problem {
        return Err(problem.clone());
    }
    if target.source == Source::Url {
        clone::checkout(&target.id, &target.path).map_err(|e| format!("clone failed: {e}"))?;
    }
    if target.path.join(".git").exists() {
        (line.commit, line.branch) = clone::head(&target.path);
    }
    let fail = |e: anyhow::Error| format!("{e:#}");
    let repo = repository_config(&target.path).map_err(fail)?;
    let base = engines
        .get(&merged(org, &repo, &target.path, &[]).map_err(fail)?)
        .map_err(fail)?;
    let own: Vec<String> = base
        .catalogue()
        .rules
        .iter()
        .filter(|r| policy::own::is_own(&r.id))
        .map(|r| r.id.clone())
        .collect();
    let options = merged(org, &repo, &target.path, &own).map_err(fail)?;
    let org_selects = lint::selection(&org.loaded.config.rules).map_err(|e| e.to_string())?;
    let repo_selects = lint::selection(&repo.config.rules).map_err(|e| e.to_string())?;
    let engine = base.narrowed(&|id| org.requires(id) || (org_selects(id) && repo_selects(id)));
    let (outcome, summaries) = lint::run_with_engine(&engine, &options).map_err(fail)?;
    // What a repository suppressed of a required rule still counts.
    let mut counted: Vec<Finding> = outcome.findings;
    counted.extend(
        outcome
            .suppressed
            .into_iter()
            .map(|s| s.finding)
            .filter(|f| org.requires(&f.rule)),
    );
    finding::sort(&mut counted);
    let keeps_own = lint::selection(&crate::config::Rules {
        ignore: options.rules.ignore.clone(),
        ..Default::default()
    })
    .map_err(|e| e.to_string())?;
    let ran: Vec<&Rule> = outcome
        .catalogue
        .rules
        .iter()
        .filter(|r| engine.runs(&r.id) || (policy::own::is_own(&r.id) && keeps_own(&r.id)))
        .collect();
    let threshold = config::configured_fail_level(
        org.loaded
            .config
            .fail_level
            .as_deref()
            .or(repo.config.fail_level.as_deref()),
    )
    .threshold();
    let (root, services) = units::of(&summaries);
    let place = |f: &Finding| -> String {
        match &f.location.repository {
            Some(p) if !p.path.is_empty() => p.path.clone(),
            Some(_) => ".".into(),
            None => f.location.file.clone(),
        }
    };
    let severity = &options.rules.severity;
    let card = scorecard::score(&ran, severity, &counted, threshold);
    line.units = services
        .iter()
        .map(|unit| {
            let mine = counted
                .iter()
                .filter(|f| units::unit_of(&services, &place(f)) == unit.root);
            UnitLine::new(
                unit.clone(),
                scorecard::score(&ran, severity, mine, threshold),
            )
        })
        .collect();
    line.findings = counted
        .iter()
        .map(|f| {
            let file = place(f);
            FindingLine {
                rule: f.rule.clone(),
                severity: f.severity,
                line: f.location.start.map(|p| p.line),
                column: f.location.start.map(|p| p.column),
                message: f.message.clone(),
                fingerprint: f.fingerprint.clone(),
                unit: units::unit_of(&services, &file).to_string(),
                file,
            }
        })
        .collect();
    line.files = outcome.files;
    line.owner = root.owner;
    line.level = card.level;
    line.next = card.next;
    line.rules = card.rules;
    line.counts = card.counts;
    if !outcome.errors.is_empty() {
        let problems: Vec<String> = outcome
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.file, e.message))
            .collect();
        return Err(format!(
            "not every file could be checked: {}",
            problems.join("; ")
        ));
    }
    Ok(())
}
