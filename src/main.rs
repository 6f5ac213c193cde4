//! The `paved` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 findings at the fail level, 2 a tool, configuration or policy error).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use paved::cli::{
    BaselineArgs, Cli, Command, ExplainArgs, InitArgs, LintCommand, ParseArgs, PolicyArgs,
    RulesArgs, RulesFormat, TestArgs, VerifyArgs, VerifyFormat,
};
use paved::policy::verify::{self, Outcome};
use paved::policy::{self, Catalogue, PolicyFile};
use paved::{config, conftest, lint, parse, report};
use std::path::PathBuf;

// glibc malloc made policy loading 100x slower after a large heap was freed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CLEAN: u8 = 0;
const FINDINGS: u8 = 1;
const ERROR: u8 = 2;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e`, which libmimalloc-sys does not name;
/// the option after it, which it names, pins the number down.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(MI_OPTION_PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes);

fn main() -> ExitCode {
    // paved lives for seconds. By default mimalloc gives freed pages back to the OS after
    // 10 ms, and the next document's values fault them back in, zeroed: that cost a tenth
    // of a lint run (bench/lint.sh). Called before any other thread exists, as it must be.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // regorus' errors are anyhow errors, and its parser makes one at each alternative it
    // backtracks from: under RUST_BACKTRACE=1, which CI often sets, each captured a stack
    // trace, and a Terraform repository took five times as long. paved prints errors, never
    // their traces; panics still follow RUST_BACKTRACE.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
    let cli = Cli::parse();
    paved::engine::set_rule_timeout(std::time::Duration::from_secs_f64(cli.rule_timeout));
    let result = match cli.command {
        Command::Lint(args) => run_lint(args),
        Command::Test(args) => run_test(args),
        Command::Parse(args) => run_parse(args),
        Command::Verify(args) => run_verify(args),
        Command::Rules(args) => run_rules(args),
        Command::Explain(args) => run_explain(args),
        Command::Baseline(args) => run_baseline(args),
        Command::Init(args) => run_init(args),
        Command::Config(args) => paved::commands::config::run(args),
        Command::Audit(args) => paved::commands::audit::run(args),
        Command::Render(args) => paved::commands::render::run(&args),
        Command::Pull(args) => paved::commands::pull::run(&args),
        Command::Push(args) => paved::commands::push::run(&args),
        Command::Lock(args) => paved::commands::lock::run(&args),
        Command::JsonnetWorker { file } => paved::parse::jsonnet::worker(file.as_deref()),
    };
    // A closed standard output (`paved lint | head`) only silences it (report::stdout): the
    // exit code stays the one the run gives.
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(ERROR)
        }
    }
}

fn run_lint(command: LintCommand) -> anyhow::Result<u8> {
    let LintCommand {
        lint: args,
        reports,
    } = command;
    // Before the run: a mistyped command line should not cost a whole lint.
    let destinations = reports.destinations().map_err(|e| anyhow::anyhow!(e))?;
    let loaded = config::for_lint(&args)?;
    let options = config::lint_options(&args, &loaded)?;
    let outcome = lint::run(&options)?;
    let style = report::Style {
        color: args.color.enabled(),
        show_suppressed: args.show_suppressed,
    };
    for (format, output) in &destinations {
        match output {
            Some(path) => {
                report::write_atomically(path, |out| report::render(*format, &outcome, style, out))
                    .map_err(|e| {
                        anyhow::anyhow!("{}: cannot write the report: {e}", path.display())
                    })?
            }
            None => {
                // Stdout is line-buffered: a large JSON report would be a write per line.
                let mut out = std::io::BufWriter::new(report::stdout());
                report::render(*format, &outcome, style, &mut out)?;
                out.flush()?;
            }
        }
        if *format == report::Format::Github {
            report::write_step_summary(&outcome)?;
        }
    }
    if !outcome.errors.is_empty() {
        return Ok(ERROR);
    }
    let failing = config::fail_level(&args, &loaded)
        .threshold()
        .is_some_and(|threshold| outcome.findings.iter().any(|f| f.severity >= threshold));
    // The process ends here: freeing every finding one by one would only delay the exit.
    std::mem::forget(outcome);
    Ok(if failing { FINDINGS } else { CLEAN })
}

fn run_baseline(args: BaselineArgs) -> anyhow::Result<u8> {
    let loaded = config::for_lint(&args.lint)?;
    let mut options = config::lint_options(&args.lint, &loaded)?;
    options.baseline = None;
    let outcome = lint::run(&options)?;
    let baseline = paved::suppress::Baseline::of(&outcome.findings);
    let text = serde_json::to_string_pretty(&baseline)? + "\n";
    report::write_atomically(&args.output, |out| out.write_all(text.as_bytes())).map_err(|e| {
        anyhow::anyhow!("{}: cannot write the baseline: {e}", args.output.display())
    })?;
    eprintln!(
        "wrote {} to {}",
        paved::report::plural(baseline.findings.len(), "finding"),
        args.output.display()
    );
    Ok(if outcome.errors.is_empty() {
        CLEAN
    } else {
        ERROR
    })
}

fn run_init(args: InitArgs) -> anyhow::Result<u8> {
    let path = args.dir.join("paved.toml");
    if path.exists() && !args.force {
        anyhow::bail!("{} exists; use --force to replace it", path.display());
    }
    report::write_atomically(&path, |out| out.write_all(config::STARTER.as_bytes()))
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
    writeln!(report::stdout(), "wrote {}", path.display())?;
    Ok(CLEAN)
}

fn run_test(args: TestArgs) -> anyhow::Result<u8> {
    let file = conftest::config_file(args.config_file.as_deref())?;
    let flag = |set: bool, configured: Option<bool>| set || configured.unwrap_or(false);
    let many = |given: &[PathBuf], configured: Option<conftest::OneOrMany>| -> Vec<PathBuf> {
        if given.is_empty() {
            configured
                .map(|c| c.into_vec().into_iter().map(PathBuf::from).collect())
                .unwrap_or_default()
        } else {
            given.to_vec()
        }
    };
    let mut policies = many(&args.policy, file.policy);
    if policies.is_empty() {
        policies.push(PathBuf::from("policy"));
    }
    // conftest's --update: pull each source into the (first) policy directory first.
    let fetch = paved::sources::FetchOptions::unpinned(args.cache_dir.as_deref())?;
    for source in &args.update {
        let fetched = paved::sources::fetch(source, &fetch)?;
        paved::commands::pull::copy_tree(&fetched.dir, &policies[0])?;
    }
    let policies = paved::sources::resolve_policies(
        &policies,
        args.cache_dir.as_deref(),
        std::path::Path::new(""),
    )?;
    let namespaces = if args.namespace.is_empty() {
        file.namespace.map(|n| n.into_vec()).unwrap_or_default()
    } else {
        args.namespace.clone()
    };
    let rego_version = args.rego_version.clone().or(file.rego_version);
    let options = conftest::Options {
        paths: args.paths.clone(),
        policies,
        namespaces,
        all_namespaces: flag(args.all_namespaces, file.all_namespaces),
        data: many(&args.data, file.data),
        combine: flag(args.combine, file.combine),
        parser: args.parser.clone().or(file.parser),
        rego_v0: rego_version.as_deref() == Some("v0"),
        jobs: args.jobs,
        ignore: args
            .ignore
            .clone()
            .or(file.ignore)
            .as_deref()
            .map(regex::Regex::new)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--ignore: {e}"))?,
        stdin_filename: args.stdin_filename.clone(),
        trace: flag(args.conftest.trace, file.trace),
        checks: conftest::strict::Checks::new(
            flag(args.conftest.strict, file.strict),
            args.conftest
                .capabilities
                .clone()
                .or(file.capabilities.map(PathBuf::from))
                .as_deref(),
        )?,
    };
    let output = match (args.output, file.output.as_deref()) {
        (Some(output), _) => output,
        (None, Some(name)) => <conftest::Output as clap::ValueEnum>::from_str(name, true)
            .map_err(|_| anyhow::anyhow!("conftest.toml: unknown output `{name}`"))?,
        (None, None) => conftest::Output::Stdout,
    };
    let report = conftest::run(&options)?;
    for line in &report.traces {
        eprintln!("TRAC   {line}");
    }
    for error in &report.errors {
        eprintln!("Error: {error}");
    }
    let code = conftest::exit_code(
        &report,
        flag(args.fail_on_warn, file.fail_on_warn),
        flag(args.no_fail, file.no_fail),
    );
    if code == 0 && flag(args.quiet, file.quiet) {
        return Ok(code);
    }
    use std::io::IsTerminal;
    let style = conftest::Style {
        color: !flag(args.no_color, file.no_color) && std::io::stdout().is_terminal(),
        suppress_exceptions: flag(args.suppress_exceptions, file.suppress_exceptions),
        junit_hide_message: flag(args.junit_hide_message, file.junit_hide_message),
        github_hide_passed: flag(args.github_hide_passed, file.github_hide_passed),
    };
    let catalogue = std::sync::Arc::clone(&report.catalogue);
    let mut out = report::stdout();
    conftest::render(output, &report, &catalogue, &style, &mut out)?;
    out.flush()?;
    Ok(code)
}

fn run_parse(args: ParseArgs) -> anyhow::Result<u8> {
    if args.repository {
        let inputs = lint::repository_inputs(&args.files, &[])?;
        let mut out = report::stdout();
        serde_json::to_writer_pretty(&mut out, &inputs)?;
        writeln!(out)?;
        return Ok(CLEAN);
    }
    let mut documents = Vec::new();
    let mut code = CLEAN;
    for path in &args.files {
        // A chart's template is not YAML until its chart renders it.
        if args.parser.is_none() {
            if let Some(rendered) = paved::commands::render::template_documents(path)? {
                documents.extend(rendered);
                continue;
            }
        }
        let shown = path.display().to_string();
        let bytes = paved::read::read_named(path).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        let text = match parse::decode(&bytes) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {shown}: {}", e.message);
                code = FINDINGS;
                continue;
            }
        };
        let parsed = match (&args.parser, parse::classify(path)) {
            (Some(parser), _) => {
                conftest::parse_file_as(parser, text, path).map_err(|e| anyhow::anyhow!(e))?
            }
            (None, Some((format, kind))) => {
                let mut parsed = parse::parse(text, format, kind, parse::Options::default());
                parse::expand_lists(&mut parsed);
                parsed
            }
            (None, None) => match conftest::parser_for(path) {
                Some(parser) => {
                    conftest::parse_file_as(parser, text, path).map_err(|e| anyhow::anyhow!(e))?
                }
                None => {
                    eprintln!(
                        "error: {shown}: paved does not know this kind of file; pass --parser"
                    );
                    code = FINDINGS;
                    continue;
                }
            },
        };
        let source = paved::source::SourceFile::new(text);
        for error in &parsed.errors {
            let at = source.position(error.span.start);
            eprintln!(
                "error: {shown}:{}:{}: {}",
                at.line, at.column, error.message
            );
            code = FINDINGS;
        }
        for document in parsed.documents {
            documents.push(serde_json::json!({
                "file": shown,
                "document": document.index,
                "kind": document.kind.as_str(),
                "input": document.value,
            }));
        }
        // With a conftest parser the file is only what `paved test` reads: nothing rendered.
        if args.parser.is_some() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "Chart.yaml") {
            documents.extend(paved::commands::render::rendered_documents(path)?);
        }
        if path.is_file() && paved::commands::render_kustomize::is_kustomization(path) {
            let (built, failed) = paved::commands::render_kustomize::built_documents(path);
            documents.extend(built);
            if failed {
                code = FINDINGS;
            }
        }
    }
    let mut out = report::stdout();
    serde_json::to_writer_pretty(&mut out, &documents)?;
    writeln!(out)?;
    Ok(code)
}

/// The policy files a command reads (the built-in bundle unless left out, then `-p`
/// sources) and the data their bundles hold.
fn policy_files(args: &PolicyArgs) -> anyhow::Result<(Vec<PolicyFile>, Vec<serde_json::Value>)> {
    let mut files = Vec::new();
    let mut data = Vec::new();
    if !args.no_builtin {
        files.extend(policy::builtin_files());
    }
    for path in &policy_sources(args)? {
        let bundle = policy::bundle::read(path)?;
        files.extend(bundle.files);
        data.extend(bundle.data);
    }
    Ok((files, data))
}

/// `-p` sources as local paths (remote ones fetched, checked against ./paved.lock).
fn policy_sources(args: &PolicyArgs) -> anyhow::Result<Vec<PathBuf>> {
    Ok(paved::sources::resolve_policies(
        &args.policy,
        args.cache_dir.as_deref(),
        std::path::Path::new(""),
    )?)
}

fn run_verify(args: VerifyArgs) -> anyhow::Result<u8> {
    let mut policies = args.policies.clone();
    // With bundles named, verify those; with none, verify the built-in bundle.
    policies.no_builtin |= !policies.policy.is_empty();
    let (files, mut data) = policy_files(&policies)?;
    conftest::strict::Checks::new(args.conftest.strict, args.conftest.capabilities.as_deref())?
        .check(&files)?;
    for path in &policies.data {
        data.extend(policy::read_data(path)?);
    }
    let results = verify::run(&files, data)?;
    let failed = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail { .. }))
        .count();
    let skipped = results
        .iter()
        .filter(|r| r.outcome == Outcome::Skip)
        .count();
    let passed = results.len() - failed - skipped;
    if args.quiet && failed == 0 {
        return Ok(CLEAN);
    }
    let mut out = report::stdout();
    match args.format {
        VerifyFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &results)?;
            writeln!(out)?;
        }
        VerifyFormat::Junit => {
            let report = conftest::verify_report(&results);
            let style = conftest::Style {
                color: false,
                suppress_exceptions: false,
                junit_hide_message: args.junit_hide_message,
                github_hide_passed: false,
            };
            let catalogue = std::sync::Arc::clone(&report.catalogue);
            conftest::render(
                conftest::Output::Junit,
                &report,
                &catalogue,
                &style,
                &mut out,
            )?;
        }
        VerifyFormat::Text => {
            for result in &results {
                let name = format!("data.{}.{}", result.package, result.name);
                let time = format!("{:.2}ms", result.duration.as_secs_f64() * 1000.0);
                if args.conftest.trace {
                    for line in &result.output {
                        eprintln!("TRAC   {name}: {line}");
                    }
                }
                match &result.outcome {
                    Outcome::Pass => writeln!(out, "PASS {name} ({time})")?,
                    Outcome::Skip => writeln!(out, "SKIP {name}")?,
                    Outcome::Fail { reason } => {
                        writeln!(
                            out,
                            "FAIL {name} ({time}) at {}:{}: {reason}",
                            result.file, result.line
                        )?;
                        if args.report.as_deref().is_some_and(|r| r != "fails") {
                            for line in &result.output {
                                writeln!(out, "     {line}")?;
                            }
                        }
                    }
                }
            }
            // conftest verify's summary: a test is a pass or a failure, never a warning.
            let plural = |n: usize, word: &str| {
                if n == 1 {
                    format!("{n} {word}")
                } else {
                    format!("{n} {word}s")
                }
            };
            let skipped = if skipped > 0 {
                format!(", {skipped} skipped")
            } else {
                String::new()
            };
            writeln!(
                out,
                "{}, {passed} passed, 0 warnings, {}, 0 exceptions{skipped}",
                plural(results.len(), "test"),
                plural(failed, "failure")
            )?;
        }
    }
    Ok(if failed > 0 { FINDINGS } else { CLEAN })
}

fn catalogue(args: &PolicyArgs) -> anyhow::Result<std::sync::Arc<Catalogue>> {
    let engine = lint::load_engine(&policy_sources(args)?, !args.no_builtin, &args.data)?;
    Ok(std::sync::Arc::clone(engine.catalogue()))
}

fn run_rules(args: RulesArgs) -> anyhow::Result<u8> {
    let catalogue = catalogue(&args.policies)?;
    let mut out = report::stdout();
    match args.format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &catalogue.rules)?;
            writeln!(out)?;
        }
        RulesFormat::Markdown => report::catalogue::markdown(&catalogue, &mut out)?,
        RulesFormat::Text => report::catalogue::table(&catalogue, &mut out)?,
    }
    Ok(CLEAN)
}

fn run_explain(args: ExplainArgs) -> anyhow::Result<u8> {
    let catalogue = catalogue(&args.policies)?;
    let Some(rule) = catalogue.get(&args.rule) else {
        anyhow::bail!("no rule `{}` (run `paved rules` to list them)", args.rule);
    };
    let mut out = report::stdout();
    report::catalogue::explain(rule, &mut out)?;
    Ok(CLEAN)
}
