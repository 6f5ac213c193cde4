//! Where reports go and what the exit code says: `-f FORMAT=FILE` pairs, ambiguous pairings
//! refused, and a reader that closes the pipe early changes nothing but what is printed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{run, tree};

const INPUTS: [&str; 5] = [
    "lint",
    "--no-builtin",
    "-p",
    "fixtures/policies/locations",
    "fixtures/locations",
];

#[test]
fn each_format_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let mut args = INPUTS.to_vec();
    let to_file = format!("sarif={}", sarif.display());
    args.extend(["-f", "github", "-f", &to_file]);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 1, "{stderr}");
    // The notice that GitHub shows 10 of the 16, then the 16.
    assert_eq!(stdout.lines().count(), 17, "{stdout}");
    assert!(stdout
        .lines()
        .skip(1)
        .all(|l| l.starts_with("::error file=fixtures/locations/")));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(report["runs"][0]["results"].as_array().unwrap().len(), 16);
}

#[test]
fn an_ambiguous_pairing_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let mut args = INPUTS.to_vec();
    args.extend(["-f", "github", "-f", "sarif", "-o", sarif.to_str().unwrap()]);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: 1 --output for 2 --format without a file: which report goes where is \
         ambiguous; name each file in its format, e.g. `-f sarif=paved.sarif -f github`\n"
    );
    assert!(!sarif.exists());
}

#[test]
fn positional_outputs_pair_when_there_are_as_many_as_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (gitlab, junit) = (dir.path().join("gl.json"), dir.path().join("j.xml"));
    let mut args = INPUTS.to_vec();
    args.extend(["-f", "gitlab", "-o", gitlab.to_str().unwrap()]);
    args.extend(["-f", "junit", "-o", junit.to_str().unwrap()]);
    let (code, stdout, _) = run(&args);
    assert_eq!((code, stdout.as_str()), (1, ""));
    let issues: Value = serde_json::from_str(&std::fs::read_to_string(gitlab).unwrap()).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), 16);
    assert!(std::fs::read_to_string(junit)
        .unwrap()
        .contains("<testsuites name=\"paved\""));
}

/// A directory with `documents` Deployments in one stream, each a finding of `deny`, and
/// `extra` policy files.
fn many_findings(documents: usize, extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let stream: String = (0..documents)
        .map(|i| {
            format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n")
        })
        .collect();
    let mut files: Vec<(&str, &[u8])> = vec![
        ("stream.yaml", stream.as_bytes()),
        (
            "policy/deny.rego",
            b"package main\n\nimport rego.v1\n\ndeny contains sprintf(\"deployment %s\", [input.metadata.name]) if input.kind == \"Deployment\"\n",
        ),
    ];
    files.extend_from_slice(extra);
    tree(&files)
}

/// Runs paved in `dir`, reads one line of its standard output, closes the pipe and waits:
/// (exit code, the line, standard error).
fn read_one_line_then_close(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paved starts");
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().expect("paved exits with a code"),
        first,
        String::from_utf8(output.stderr).unwrap(),
    )
}

const LINT: [&str; 7] = [
    "lint",
    "--no-builtin",
    "--no-config",
    "-p",
    "policy",
    "stream.yaml",
    "-f",
];

#[test]
fn a_closed_pipe_keeps_the_exit_code_of_the_findings() {
    // Far more than a pipe holds (64 KiB), so writing really fails once the reader is gone.
    let dir = many_findings(3000, &[]);
    for format in ["text", "concise", "json", "sarif"] {
        let mut args = LINT.to_vec();
        args.push(format);
        let (code, first, stderr) = read_one_line_then_close(dir.path(), &args);
        assert_eq!((code, stderr.as_str()), (1, ""), "{format}: {first}");
        assert!(!first.is_empty(), "{format}");
    }
}

#[test]
fn a_closed_pipe_keeps_the_exit_code_of_run_errors() {
    let broken = b"package broken\n\nimport rego.v1\n\ndeny contains \"x\" if 1 / 0 == 1\n";
    let dir = many_findings(3000, &[("policy/broken.rego", broken)]);
    let mut args = LINT.to_vec();
    args.push("concise");
    let (code, first, stderr) = read_one_line_then_close(dir.path(), &args);
    assert_eq!(code, 2);
    assert_eq!(
        first,
        "stream.yaml:3:1: error [main/deny] deployment app-0\n"
    );
    assert_eq!(stderr, "");
}

#[test]
fn parse_into_a_closed_pipe_stops_quietly() {
    let dir = many_findings(3000, &[]);
    let (code, first, stderr) = read_one_line_then_close(dir.path(), &["parse", "stream.yaml"]);
    assert_eq!((code, first.as_str(), stderr.as_str()), (0, "[\n", ""));
}

#[test]
fn a_closed_pipe_before_the_run_writes_its_report_files() {
    let dir = many_findings(3000, &[]);
    let report = dir.path().join("report.json");
    let to_file = format!("json={}", report.display());
    let mut args = LINT.to_vec();
    args.extend(["concise", "-f", &to_file]);
    let (code, _, stderr) = read_one_line_then_close(dir.path(), &args);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 3000);
}
