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
