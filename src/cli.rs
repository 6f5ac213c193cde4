//! Command-line definitions: one struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "paved",
    version,
    about = "Platform standards as code: lint repositories and infrastructure against Rego policies",
    long_about = "paved checks repositories, Kubernetes manifests, Terraform, CI workflows and \
                  Dockerfiles against platform standards written as Rego policies, and reports \
                  every finding at its file, line and column.\n\n\
                  Exit codes: 0 clean, 1 findings at or above --fail-level, 2 a tool, \
                  configuration or policy error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Stop a rule that runs longer than this on one document, and report it as an error
    /// naming the rule and the file (a runaway policy must not hang a CI job).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0,
          value_parser = positive_seconds)]
    pub rule_timeout: f64,
}

/// More threads than this only costs memory and start-up time (each has its own stack and
/// engine): thousands used to spend most of a minute starting.
const MAX_THREADS: usize = 256;

fn thread_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!("a number of threads from 1 to {MAX_THREADS}")),
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err("a number of seconds above 0 and at most 86400".into()),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and repositories against the built-in bundle and your policies.
    Lint(LintCommand),
    /// Test files against conftest policies, as `conftest test` does (a drop-in replacement).
    Test(TestArgs),
    /// Print the `input` document paved builds for each file, as policies see it.
    Parse(ParseArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy bundles.
    Verify(VerifyArgs),
    /// List the rules of the loaded bundles.
    Rules(RulesArgs),
    /// Show what a rule checks, why, and how to fix it.
    Explain(ExplainArgs),
    /// Write the current findings to a baseline file; `lint --baseline` then reports only new ones.
    Baseline(BaselineArgs),
    /// Write a commented starter paved.toml.
    Init(InitArgs),
    /// Print the configuration that applies to a path, resolved.
    Config(ConfigArgs),
    /// Audit every repository of an organisation (levels, owners and findings, as JSON
    /// lines), or report on audit results (`paved audit report`).
    Audit(AuditArgs),
    /// Print what paved lints for a Helm chart (its rendered manifests, as `helm template`)
    /// or a kustomization (its build, as `kustomize build`).
    Render(RenderArgs),
    /// Download a policy source (oci://, git::, https://, a path) into a directory.
    Pull(PullArgs),
    /// Upload a policy bundle directory to an OCI registry (as `conftest push` does).
    Push(PushArgs),
    /// Pin every remote source (the configurations paved.toml extends, its policies and -p's)
    /// to its digest in paved.lock.
    Lock(LockArgs),
    /// Internal: evaluates the Jsonnet program on standard input in a process of its own,
    /// bounded in memory (src/parse/jsonnet.rs).
    #[command(name = "__jsonnet", hide = true)]
    JsonnetWorker {
        /// Where the program was read from: imports resolve beside it.
        file: Option<PathBuf>,
    },
}

/// Where policies come from, shared by every command that loads them.
#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    /// A policy bundle to add (repeatable): a directory, file or .tar.gz, or
    /// oci://REGISTRY/REPO:TAG, git::URL//SUBDIR?ref=REF, https://…/bundle.tar.gz.
    #[arg(short = 'p', long = "policy", value_name = "SOURCE")]
    pub policy: Vec<PathBuf>,
    /// Leave the built-in platform-standards bundle out.
    #[arg(long)]
    pub no_builtin: bool,
    /// A JSON or YAML file, or a directory of them, merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Where fetched policy sources are cached (default: $PAVED_CACHE_DIR, else the user
    /// cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// `paved pull SOURCE [DIR]`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// oci://…, git::…, https://…/bundle.tar.gz, or a local path.
    pub source: String,
    /// Where the bundle's files go (created when missing).
    #[arg(default_value = "policy")]
    pub dir: PathBuf,
    /// Where fetched policy sources are cached (default: $PAVED_CACHE_DIR, else the user
    /// cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// `paved push DIR oci://REGISTRY/REPO[:TAG]`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The bundle directory (its .rego, data and .manifest files are pushed).
    pub dir: PathBuf,
    /// oci://REGISTRY/REPOSITORY[:TAG] (tag `latest` when none).
    pub reference: String,
}

/// `paved lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// More sources to pin besides paved.toml's `policies` (repeatable).
    #[arg(short = 'p', long = "policy", value_name = "SOURCE")]
    pub policy: Vec<String>,
    /// Use this config file instead of looking for paved.toml from the current directory;
    /// paved.lock is written beside it.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the policy sources are cached (default: $PAVED_CACHE_DIR, else the user cache
    /// directory); the configurations paved.toml extends are always cached there.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// `paved lint`: what to check and how, then where the reports go.
#[derive(Debug, Args)]
pub struct LintCommand {
    #[command(flatten)]
    pub lint: LintArgs,
    #[command(flatten)]
    pub reports: ReportArgs,
}

/// The reports of `paved lint`; `paved baseline` writes a baseline instead.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format: text, concise, json, sarif, junit, github, gitlab or markdown.
    /// `FORMAT=FILE` writes that report to FILE; repeat for several reports in one run
    /// (`-f sarif=paved.sarif -f github`). At most one report goes to standard output.
    #[arg(short = 'f', long, value_name = "FORMAT[=FILE]", value_parser = report_spec)]
    pub format: Vec<ReportSpec>,
    /// Write the report to this file. With several formats, only as many --output as
    /// --format (paired in order); otherwise name the file in the format: `-f sarif=FILE`.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Vec<PathBuf>,
}

/// One `--format`: a format, and the file its report goes to when given as `FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSpec {
    pub format: Format,
    pub output: Option<PathBuf>,
}

fn report_spec(text: &str) -> Result<ReportSpec, String> {
    let (name, output) = match text.split_once('=') {
        Some((_, "")) => return Err(format!("`{text}` names no file: write FORMAT=FILE")),
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (text, None),
    };
    let format = <Format as ValueEnum>::from_str(name, true).map_err(|_| {
        let known: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format `{name}` (one of {})", known.join(", "))
    })?;
    Ok(ReportSpec { format, output })
}

impl ReportArgs {
    /// Each report's format and file (`None`: standard output). `-o` files pair with the
    /// formats given without one, in order, only when that cannot be misread: as many of
    /// each. `-f github -f sarif -o out.sarif` is refused rather than guessed.
    pub fn destinations(&self) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
        let mut specs = self.format.clone();
        if specs.is_empty() {
            specs.push(ReportSpec {
                format: Format::Text,
                output: None,
            });
        }
        let unnamed = specs.iter().filter(|s| s.output.is_none()).count();
        if !self.output.is_empty() && self.output.len() != unnamed {
            return Err(format!(
                "{} --output for {unnamed} --format without a file: which report goes where \
                 is ambiguous; name each file in its format, e.g. `-f sarif=paved.sarif -f github`",
                self.output.len()
            ));
        }
        let mut outputs = self.output.iter();
        let destinations: Vec<(Format, Option<PathBuf>)> = specs
            .into_iter()
            .map(|spec| {
                let output = spec.output.or_else(|| outputs.next().cloned());
                (spec.format, output)
            })
            .collect();
        if destinations.iter().filter(|(_, o)| o.is_none()).count() > 1 {
            return Err(
                "only one report can go to standard output; give the others a file \
                        (`-f FORMAT=FILE`)"
                    .into(),
            );
        }
        let mut files: Vec<&PathBuf> = destinations
            .iter()
            .filter_map(|(_, o)| o.as_ref())
            .collect();
        files.sort();
        if let Some(twice) = files.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!("two reports would go to {}", twice[0].display()));
        }
        Ok(destinations)
    }
}

/// What to check and how: shared by `paved lint` and `paved baseline`.
#[derive(Debug, Args, Clone)]
pub struct LintArgs {
    /// Files and directories to check; directories are walked honouring .gitignore.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// The lowest severity that makes the run fail (exit 1); `never` always exits 0 on findings.
    #[arg(long, value_enum)]
    pub fail_level: Option<FailLevel>,
    /// Skip paths matching this glob, relative to each directory given (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Run only rules whose id matches this glob (repeatable), e.g. `kubernetes/*`.
    #[arg(long, value_name = "GLOB")]
    pub select: Vec<String>,
    /// Do not run rules whose id matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub ignore: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = thread_count)]
    pub jobs: Option<usize>,
    /// When to use colour in text output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Use this config file instead of looking for paved.toml.
    #[arg(short = 'c', long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any paved.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Report only findings not in this baseline (see `paved baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Show everything: honour no inline ignores and no waivers.
    #[arg(long)]
    pub no_ignores: bool,
    /// Also list what was suppressed, by what, and why.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Check only files changed since this git revision (and the repository rules of their
    /// repositories).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Which inputs get file rules, by what they are for (default: deployable,example).
    /// Fixtures (test data, live-object snapshots, Kubernetes objects in `.github/` and other
    /// CI directories) and generated files are skipped and counted; a file named on the
    /// command line is checked whatever its path says.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "CLASS,...")]
    pub classes: Vec<crate::class::Class>,
    /// The name findings give the input read from standard input (`-`); its kind follows
    /// from the name (`deploy.yaml`, `main.tf`, `Dockerfile`), YAML when it says nothing.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Run only repository-level rules (the `paved-repo` pre-commit hook).
    #[arg(long)]
    pub repository_only: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub lint: LintArgs,
    /// Write the baseline to this file (replaced whole, never left half-written).
    #[arg(
        short = 'o',
        long,
        alias = "write",
        value_name = "FILE",
        default_value = "paved-baseline.json"
    )]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write paved.toml in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing paved.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Merge audit results (shard outputs) into one report: HTML, markdown, CSV or JSON.
    Report(AuditReportArgs),
}

#[derive(Debug, Args)]
pub struct AuditReportArgs {
    /// JSON-lines files written by `paved audit` (one per shard; a repository in several
    /// keeps its latest audit).
    #[arg(value_name = "RESULTS", required = true)]
    pub results: Vec<PathBuf>,
    /// Report format; by default html when --output ends in .html, else markdown.
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<crate::audit::report::Format>,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A SQLite history file: this run is recorded in it, and the report shows what changed
    /// since the previous run and the trend over all of them.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The chart directory (or its Chart.yaml), or a kustomization's directory (or file).
    pub path: PathBuf,
    /// A values file, applied over the chart's values.yaml (repeatable, in order).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// A value override in Helm's syntax, `a.b[0].c=v` (repeatable, after the files).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The release name [default: paved.toml's `[[helm]]` release, else release-name].
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
    /// [default: paved.toml's `[[helm]]` namespace, else default]
    #[arg(short = 'n', long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// The Kubernetes version `.Capabilities` reports [default: paved.toml's `[[helm]]`
    /// kube-version, else v1.31.0].
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    #[arg(long, value_enum, default_value_t = RenderFormat::Yaml)]
    pub format: RenderFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// A YAML stream, each document after `# Source: <template>`.
    Yaml,
    /// `{chart, scenario, templates: {name: text}, crds, missing, errors}`.
    Json,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The path whose configuration to show.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Use this config file instead of looking for paved.toml.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(short = 'f', long, value_enum, default_value = "text")]
    pub format: ConfigFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigFormat {
    /// The resolved paved.toml; composed from several files, each value says where from.
    Text,
    /// `{file, config, origins}`: origins maps each key path to the `file:line` of each value.
    Json,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Files or directories to test; `-` reads standard input (as YAML unless --parser).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Where the policies are (repeatable; default `policy`): a path or a source
    /// (oci://, git::, https://), as for `paved lint -p`.
    #[arg(short = 'p', long = "policy", value_name = "SOURCE")]
    pub policy: Vec<PathBuf>,
    /// Where fetched policy sources are cached (default: $PAVED_CACHE_DIR, else the user
    /// cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Packages to query (repeatable; default `main`); `*`, `?` and `[` make a glob.
    #[arg(short = 'n', long = "namespace", value_name = "NAMESPACE")]
    pub namespace: Vec<String>,
    /// Query every package.
    #[arg(long)]
    pub all_namespaces: bool,
    /// JSON or YAML data files or directories, merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Evaluate all files together, as one array of {path, contents}.
    #[arg(long)]
    pub combine: bool,
    /// Parse every input with this parser (yaml, json, hcl2, dockerfile, toml, ini, dotenv,
    /// properties, xml, ignore, nginx, edn, cyclonedx).
    #[arg(long, value_name = "PARSER")]
    pub parser: Option<String>,
    /// Exit 1 on warnings, and 2 on failures.
    #[arg(long)]
    pub fail_on_warn: bool,
    /// Exit 0 even when there are failures.
    #[arg(long)]
    pub no_fail: bool,
    /// Print nothing when the exit code is 0.
    #[arg(long)]
    pub quiet: bool,
    /// No colour in the output.
    #[arg(long)]
    pub no_color: bool,
    /// Do not print exceptions (they are still counted).
    #[arg(long)]
    pub suppress_exceptions: bool,
    /// The Rego syntax of the policies.
    #[arg(long, value_parser = ["v0", "v1"], value_name = "VERSION")]
    pub rego_version: Option<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<crate::conftest::Output>,
    /// A conftest.toml to read instead of ./conftest.toml.
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = thread_count)]
    pub jobs: Option<usize>,
    /// Pull these policy sources before testing (conftest's --update).
    #[arg(
        short = 'u',
        long = "update",
        value_name = "URL",
        value_delimiter = ','
    )]
    pub update: Vec<String>,
    /// A regular expression: files and directories whose path matches are not tested.
    #[arg(long, value_name = "REGEX")]
    pub ignore: Option<String>,
    /// The name results give standard input (`-`); its parser is chosen by this name.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    #[command(flatten)]
    pub conftest: ConftestPolicyArgs,
    /// JUnit: name each test by its file only, without the message.
    #[arg(long)]
    pub junit_hide_message: bool,
    /// GitHub: leave out the lines of passed tests.
    #[arg(long)]
    pub github_hide_passed: bool,
}

/// The policy flags `paved test` and `paved verify` share with conftest.
#[derive(Debug, Clone, Default, Args)]
pub struct ConftestPolicyArgs {
    /// Print each rule query and what it gave (and `trace()` notes) on standard error.
    #[arg(long)]
    pub trace: bool,
    /// OPA's strict mode: unused and duplicate imports and deprecated built-ins are errors.
    #[arg(long)]
    pub strict: bool,
    /// An OPA capabilities JSON file: policies may call only the built-ins it lists.
    #[arg(long, value_name = "FILE")]
    pub capabilities: Option<PathBuf>,
    /// Report errors of built-in functions (conftest's opt-in; paved always reports them).
    #[arg(long)]
    pub show_builtin_errors: bool,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to parse (directories, with --repository).
    #[arg(value_name = "PATH", required = true)]
    pub files: Vec<PathBuf>,
    /// Print the `repository` documents of these directories instead: what
    /// repository-level rules see.
    #[arg(long)]
    pub repository: bool,
    /// Parse as `paved test` does, with this conftest parser (yaml, json, hcl2, dockerfile,
    /// toml, ini, dotenv, properties, xml, ignore, nginx, edn, cyclonedx).
    #[arg(long, value_name = "PARSER")]
    pub parser: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Output format.
    #[arg(short = 'f', long = "format", visible_short_alias = 'o', visible_alias = "output", value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
    /// No colour (accepted for conftest; the listing is never coloured).
    #[arg(long)]
    pub no_color: bool,
    /// `full` also lists what each failing test printed (conftest's --report).
    #[arg(long, value_parser = ["full", "notes", "fails"], value_name = "REPORT")]
    pub report: Option<String>,
    /// Print nothing when every test passes.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub conftest: ConftestPolicyArgs,
    /// JUnit: name each failing test by its file and package, without the test's name.
    #[arg(long)]
    pub junit_hide_message: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[arg(short = 'f', long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule.
    Text,
    Json,
    /// The reference in docs/rules.md.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `kubernetes/resource-limits`.
    pub rule: String,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    /// One line per test and the summary (`stdout`, as conftest calls it).
    #[value(alias = "stdout")]
    Text,
    Json,
    /// JUnit XML, as `conftest verify -o junit` writes it.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Never,
}

impl FailLevel {
    /// The lowest severity that fails the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailLevel::Error => Some(Severity::Error),
            FailLevel::Warning => Some(Severity::Warning),
            FailLevel::Info => Some(Severity::Info),
            FailLevel::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn destinations(args: &[&str]) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
        let mut argv = vec!["paved", "lint"];
        argv.extend(args);
        match Cli::try_parse_from(argv)
            .map_err(|e| e.to_string())?
            .command
        {
            Command::Lint(lint) => lint.reports.destinations(),
            _ => unreachable!("a lint command"),
        }
    }

    fn to(file: &str) -> Option<PathBuf> {
        Some(PathBuf::from(file))
    }

    #[test]
    fn formats_name_their_files() {
        assert_eq!(
            destinations(&["-f", "github", "-f", "sarif=out.sarif"]),
            Ok(vec![
                (Format::Github, None),
                (Format::Sarif, to("out.sarif"))
            ])
        );
        assert_eq!(destinations(&[]), Ok(vec![(Format::Text, None)]));
        assert_eq!(
            destinations(&["-o", "report.txt"]),
            Ok(vec![(Format::Text, to("report.txt"))])
        );
    }

    #[test]
    fn outputs_pair_by_position_only_when_unambiguous() {
        assert_eq!(
            destinations(&["-f", "sarif", "-o", "a.sarif"]),
            Ok(vec![(Format::Sarif, to("a.sarif"))])
        );
        assert_eq!(
            destinations(&["-f", "sarif", "-f", "junit", "-o", "a", "-o", "b"]),
            Ok(vec![(Format::Sarif, to("a")), (Format::Junit, to("b"))])
        );
        assert_eq!(
            destinations(&["-f", "gitlab=gl.json", "-f", "junit", "-o", "j.xml"]),
            Ok(vec![
                (Format::Gitlab, to("gl.json")),
                (Format::Junit, to("j.xml"))
            ])
        );
        let ambiguous = destinations(&["-f", "github", "-f", "sarif", "-o", "out.sarif"]);
        assert_eq!(
            ambiguous,
            Err(
                "1 --output for 2 --format without a file: which report goes where is \
                 ambiguous; name each file in its format, e.g. `-f sarif=paved.sarif -f github`"
                    .into()
            )
        );
    }

    #[test]
    fn one_report_on_stdout_and_one_per_file() {
        let two = destinations(&["-f", "sarif", "-f", "junit"]).unwrap_err();
        assert!(
            two.starts_with("only one report can go to standard output"),
            "{two}"
        );
        assert_eq!(
            destinations(&["-f", "sarif=r", "-f", "junit=r"]),
            Err("two reports would go to r".into())
        );
        let unknown = destinations(&["-f", "yaml=x"]).unwrap_err();
        assert!(unknown.contains("unknown format `yaml` (one of text, concise, json, sarif, junit, github, gitlab, markdown)"), "{unknown}");
        let empty = destinations(&["-f", "sarif="]).unwrap_err();
        assert!(
            empty.contains("`sarif=` names no file: write FORMAT=FILE"),
            "{empty}"
        );
    }
}

/// `paved audit`: which repositories, with which organisation settings, where the lines go;
/// or `paved audit report` on the lines written.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Directories holding the repositories: every directory below them with a `.git` is
    /// audited (paved does not look for more inside a repository it found).
    #[arg(value_name = "ROOT")]
    pub roots: Vec<PathBuf>,
    /// A file listing repositories, one a line: paths (relative to the file) or git URLs
    /// (https://, ssh://, file://), which are cloned shallowly into --clone-dir.
    #[arg(long, value_name = "FILE")]
    pub repos: Option<PathBuf>,
    /// Where URLs are cloned, and fetched again on the next run
    /// (default: ~/.cache/paved/repositories).
    #[arg(long, value_name = "DIR")]
    pub clone_dir: Option<PathBuf>,
    /// The organisation's paved.toml, applied on top of each repository's own; its
    /// `required = [...]` rules cannot be turned off, ignored or waived by a repository.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the JSON lines to this file (default: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Skip the repositories --output already has a line for, and append.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Audit only shard I of N (0-based): the repositories whose id hashes to I.
    #[arg(long, value_name = "I/N", value_parser = crate::audit::shard::Shard::parse,
          conflicts_with = "shard_count")]
    pub shard: Option<crate::audit::shard::Shard>,
    /// Audit shard $JOB_COMPLETION_INDEX of N (a Kubernetes Indexed Job's index).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u64>,
    /// Repositories audited at once (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = thread_count)]
    pub jobs: Option<usize>,
    /// Exit 1 when a finding at or above this severity is counted (by default findings do
    /// not fail an audit).
    #[arg(long, value_enum)]
    pub fail_level: Option<FailLevel>,
    /// No progress on standard error.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}
