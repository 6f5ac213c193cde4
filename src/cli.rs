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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and repositories against the built-in bundle and your policies.
    Lint(LintArgs),
    /// Print the `input` document paved builds for each file, as policies see it.
    Parse(ParseArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy bundles.
    Verify(VerifyArgs),
    /// List the rules of the loaded bundles.
    Rules(RulesArgs),
    /// Show what a rule checks, why, and how to fix it.
    Explain(ExplainArgs),
}

/// Where policies come from, shared by every command that loads them.
#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    /// A directory or file of Rego policies to add (repeatable).
    #[arg(short = 'p', long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Leave the built-in platform-standards bundle out.
    #[arg(long)]
    pub no_builtin: bool,
    /// A JSON or YAML file, or a directory of them, merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and directories to check; directories are walked honouring .gitignore.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The lowest severity that makes the run fail (exit 1); `never` always exits 0 on findings.
    #[arg(long, value_enum, default_value_t = FailLevel::Error)]
    pub fail_level: FailLevel,
    /// Skip paths matching this glob, relative to each directory given (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// When to use colour in text output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
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
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[arg(short = 'f', long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
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
    Text,
    Json,
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
