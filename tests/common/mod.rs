//! Helpers shared by the integration tests: run the built binary from the project root.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn paved() -> Command {
    let mut command = Command::cargo_bin("paved").expect("the paved binary is built");
    command.current_dir(root()).env("NO_COLOR", "1");
    command
}

/// Runs paved with `args`, returning (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output: Output = paved()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("paved runs");
    (
        output.status.code().expect("paved exits with a code"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// The finding lines of `--format concise` output (the summary line dropped).
pub fn concise(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| !l.starts_with("Checked "))
        .collect()
}

/// The summary line that ends a text report ("Checked N files and M documents in ...").
pub fn summary(stdout: &str) -> &str {
    stdout.lines().last().expect("a summary line")
}

/// The concise finding lines of `paved lint` run in `dir` with only the rules `select`,
/// checking that nothing went to standard error.
pub fn selected_findings(dir: &Path, select: &[&str]) -> Vec<String> {
    let mut args = vec!["lint", "-f", "concise"];
    for rule in select {
        args.extend(["--select", rule]);
    }
    let (_, stdout, stderr) = run_in(dir, &args);
    assert!(stderr.is_empty(), "{stderr}");
    concise(&stdout).into_iter().map(String::from).collect()
}

/// Writes `files` (path, contents) under a new temporary directory.
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(path, contents).expect("file written");
    }
    dir
}

/// Runs git in `dir` as a test user, failing the test when git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=paved",
            "-c",
            "user.email=paved@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// `paved lint PATH -f FORMAT` from `dir` with only the bundle in `policies` and no
/// configuration: how tests run a policy written for them.
pub fn lint_with_bundle(
    dir: &Path,
    policies: &Path,
    format: &str,
    path: &str,
) -> (i32, String, String) {
    let policies = policies.to_str().expect("a UTF-8 temporary path");
    run_in(
        dir,
        &[
            "lint",
            "--no-builtin",
            "--no-config",
            "-p",
            policies,
            "-f",
            format,
            path,
        ],
    )
}
