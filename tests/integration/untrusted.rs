//! A repository is untrusted input: symlinks out of it, FIFOs, devices, ignore files that
//! hide committed configuration, revisions that look like options.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command as Process;
use std::time::Duration;

use crate::common::{concise, git, paved, run_in, tree};

const POD: &[u8] = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: nginx\n";

/// Runs paved in `dir`, ended after a minute should it ever hang on a FIFO again.
fn run_guarded(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = paved()
        .current_dir(dir)
        .env("PAVED_TEST_SECRET", "hunter2-do-not-print")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("paved runs");
    (
        output.status.code().expect("paved exited by itself"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn mkfifo(path: &Path) {
    assert!(Process::new("mkfifo").arg(path).status().unwrap().success());
}

fn lines_for<'a>(stdout: &'a str, file: &str) -> Vec<&'a str> {
    concise(stdout)
        .into_iter()
        .filter(|l| l.starts_with(&format!("{file}:")))
        .collect()
}

#[test]
fn symlinks_out_of_the_repository_are_reported_and_never_read() {
    let dir = tree(&[("pod.yaml", POD), ("k8s/.keep", b"")]);
    symlink("/proc/self/environ", dir.path().join("CODEOWNERS")).unwrap();
    symlink("/etc/passwd", dir.path().join("passwd.yaml")).unwrap();
    symlink("../pod.yaml", dir.path().join("k8s/inside.yaml")).unwrap();
    symlink("../k8s", dir.path().join("k8s/loop")).unwrap();
    symlink("/etc", dir.path().join("etc.yaml")).unwrap();
    let (code, stdout, stderr) = run_guarded(dir.path(), &["lint", "-f", "concise", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
    assert!(!stdout.contains("root:x:0"), "{stdout}");
    assert_eq!(
        lines_for(&stdout, "CODEOWNERS"),
        ["CODEOWNERS: warning [paved/unsafe-file] this file is a symlink to /proc/self/environ, outside the scanned directory; paved does not follow it"]
    );
    assert_eq!(
        lines_for(&stdout, "passwd.yaml"),
        ["passwd.yaml: warning [paved/unsafe-file] this file is a symlink to /etc/passwd, outside the scanned directory; paved does not follow it"]
    );
    assert_eq!(
        lines_for(&stdout, "etc.yaml"),
        ["etc.yaml: warning [paved/unsafe-file] this file is a symlink to /etc, outside the scanned directory; paved does not follow it"]
    );
    // A link to a directory inside is not followed (its files are walked where they are)
    // and is nothing to report.
    assert_eq!(lines_for(&stdout, "k8s/loop"), Vec::<&str>::new());
    // A link that stays inside is checked like the file it points at.
    let inside: Vec<String> = lines_for(&stdout, "k8s/inside.yaml")
        .iter()
        .map(|l| l.replacen("k8s/inside.yaml", "pod.yaml", 1))
        .collect();
    assert_eq!(inside, lines_for(&stdout, "pod.yaml"));
    assert!(!inside.is_empty());
    // The unread CODEOWNERS is not taken for one.
    assert!(stdout.contains(".: error [ownership/codeowners] no CODEOWNERS file"));
}

#[test]
fn fifos_and_devices_in_a_repository_are_never_opened() {
    let dir = tree(&[("pod.yaml", POD)]);
    mkfifo(&dir.path().join("fifo.yaml"));
    mkfifo(&dir.path().join(".gitignore"));
    symlink("/dev/zero", dir.path().join("zero.tf")).unwrap();
    let (code, stdout, stderr) = run_guarded(dir.path(), &["lint", "-f", "concise", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        lines_for(&stdout, "fifo.yaml"),
        ["fifo.yaml: warning [paved/unsafe-file] this file is a FIFO, not a regular file; paved does not read it"]
    );
    assert_eq!(
        lines_for(&stdout, ".gitignore"),
        [".gitignore: warning [paved/unsafe-file] this file is a FIFO, not a regular file; paved does not read it"]
    );
    assert_eq!(
        lines_for(&stdout, "zero.tf"),
        ["zero.tf: warning [paved/unsafe-file] this file is a symlink to /dev/zero, outside the scanned directory; paved does not follow it"]
    );
    assert!(lines_for(&stdout, "pod.yaml").len() > 5);
}

#[test]
fn a_pipe_named_on_the_command_line_is_read_and_a_device_is_an_error() {
    let dir = tree(&[]);
    let pipe = dir.path().join("rendered.yaml");
    mkfifo(&pipe);
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::write(pipe, POD).unwrap())
    };
    let (code, stdout, stderr) =
        run_guarded(dir.path(), &["lint", "-f", "concise", "rendered.yaml"]);
    writer.join().unwrap();
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains(
        "rendered.yaml:8:7: error [kubernetes/image-pinned] container \"api\" uses image \"nginx\", which has no tag"
    ), "{stdout}");

    let (code, stdout, _) = run_guarded(dir.path(), &["lint", "-f", "concise", "/dev/null"]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains(
            "/dev/null: error [paved] is a device, not a file or directory; paved does not read it"
        ),
        "{stdout}"
    );
    let (code, _, stderr) = run_guarded(dir.path(), &["parse", "/dev/zero"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: /dev/zero: this file is a device, not a regular file; paved does not read it\n"
    );
}

#[test]
fn ignore_files_do_not_hide_files_git_tracks() {
    let dir = tree(&[
        ("deploy/tracked.yaml", POD),
        ("deploy/untracked.yaml", POD),
        ("notes/scratch.yaml", POD),
        (".gitignore", b"deploy/\n"),
        (".ignore", b"notes/\n"),
    ]);
    git(dir.path(), &["init", "-q", "."]);
    git(
        dir.path(),
        &["add", "-f", ".gitignore", "deploy/tracked.yaml"],
    );
    let (code, stdout, _) = run_guarded(dir.path(), &["lint", "-f", "concise", "."]);
    assert_eq!(code, 1);
    assert!(!lines_for(&stdout, "deploy/tracked.yaml").is_empty());
    assert!(lines_for(&stdout, "deploy/untracked.yaml").is_empty());
    assert!(lines_for(&stdout, "notes/scratch.yaml").is_empty());
    assert!(
        stdout.contains("; 2 paths skipped by .gitignore/.ignore"),
        "{stdout}"
    );
    let (_, json, _) = run_guarded(dir.path(), &["lint", "-f", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["summary"]["ignored"], 2);
}

#[test]
fn a_directory_given_twice_is_checked_once_and_fingerprints_ignore_how_it_was_typed() {
    let dir = tree(&[("repo/k8s/pod.yaml", POD), ("repo/.git/HEAD", b"")]);
    let absolute = dir.path().join("repo").display().to_string();
    let fingerprints = |cwd: &Path, args: &[&str]| -> Vec<String> {
        let mut all = vec!["lint", "-f", "json"];
        all.extend(args);
        let (_, stdout, _) = run_in(cwd, &all);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let mut prints: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect();
        prints.sort();
        prints
    };
    let typed = fingerprints(dir.path(), &["repo"]);
    assert!(typed.len() > 10);
    assert_eq!(fingerprints(dir.path(), &["repo/"]), typed);
    assert_eq!(fingerprints(dir.path(), &[&absolute]), typed);
    assert_eq!(fingerprints(&dir.path().join("repo"), &["."]), typed);
    assert_eq!(fingerprints(dir.path(), &["repo", &absolute]), typed);
    let file_alone = fingerprints(dir.path(), &["repo/k8s/pod.yaml"]);
    let in_repo = fingerprints(&dir.path().join("repo/k8s"), &["pod.yaml"]);
    assert_eq!(file_alone, in_repo);
}

#[test]
fn revisions_never_reach_git_as_options() {
    let dir = tree(&[("pod.yaml", POD)]);
    git(dir.path(), &["init", "-q", "."]);
    git(dir.path(), &["add", "pod.yaml"]);
    git(dir.path(), &["commit", "-qm", "first"]);
    let written = dir.path().join("written-by-git");
    let option = format!("--changed-since=--output={}", written.display());
    let (code, _, stderr) = run_in(dir.path(), &["lint", &option]);
    assert_eq!(code, 2);
    assert!(!written.exists());
    assert!(
        stderr.contains(&format!(
            "--changed-since: `--output={}` is not a revision",
            written.display()
        )),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--changed-since", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--changed-since: `no-such-branch` is not a commit in the repository"),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--changed-since", "HEAD"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
}

#[test]
fn file_names_that_are_not_utf8_are_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&[]);
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.yaml");
    std::fs::write(dir.path().join(name), POD).unwrap();
    let output = paved()
        .current_dir(dir.path())
        .args(["lint", "-f", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("bad\u{fffd}.yaml:8:7: error [kubernetes/image-pinned]"),
        "{stdout}"
    );
    let named = paved()
        .current_dir(dir.path())
        .arg("lint")
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(1));
}

const RUNAWAY: &[u8] = b"package main

deny contains msg if {
\tsome a in numbers.range(1, 3000)
\tsome b in numbers.range(1, 3000)
\tsome c in numbers.range(1, 3000)
\ta + b + c == -1
\tmsg := \"never\"
}

test_runaway if {
\tcount(deny) == 0
}
";

const STOPPED: &str = "stopped after 0.3s (--rule-timeout): it loops over far more than it needs, or the limit is too low for this input";

#[test]
fn a_runaway_policy_is_stopped_per_document_and_the_run_goes_on() {
    let dir = tree(&[
        ("policy/runaway.rego", RUNAWAY),
        (
            "policy/pods.rego",
            b"package pods\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tmsg := \"a pod\"\n}\n",
        ),
        ("a.yaml", b"kind: Pod\n"),
        ("b.yaml", b"kind: Pod\n"),
    ]);
    let timeout = ["--rule-timeout", "0.3"];
    let mut lint = vec!["lint", "--no-builtin", "-p", "policy", "-f", "concise"];
    lint.extend(timeout);
    lint.extend(["a.yaml", "b.yaml"]);
    let (code, stdout, _) = run_guarded(dir.path(), &lint);
    assert_eq!(code, 2);
    assert_eq!(
        concise(&stdout),
        [
            "a.yaml:1:1: error [pods/deny] a pod".to_string(),
            "b.yaml:1:1: error [pods/deny] a pod".to_string(),
            // One error for the rule, however many documents it stopped on.
            format!("a.yaml: error [paved] rule main/deny failed on 2 documents (first: a.yaml): {STOPPED}"),
        ]
    );
    let mut verify = vec!["verify", "-p", "policy"];
    verify.extend(timeout);
    let (code, stdout, _) = run_guarded(dir.path(), &verify);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!("at policy/runaway.rego:11: {STOPPED}")),
        "{stdout}"
    );
    let mut test = vec!["test", "-p", "policy", "a.yaml"];
    test.extend(timeout);
    let (code, _, stderr) = run_guarded(dir.path(), &test);
    assert_eq!(code, 1);
    assert_eq!(stderr, format!("Error: a.yaml: main/deny: {STOPPED}\n"));
}

#[test]
fn invalid_selections_thread_counts_and_reserved_packages_are_errors() {
    let dir = tree(&[
        ("a.yaml", b"kind: Pod\n"),
        (
            "lib/evil.rego",
            b"package paved.lib.k8s\n\nimport rego.v1\n\ncontainers := []\n",
        ),
    ]);
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--select", "[", "a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: rule selection: `[` is not a valid glob: error parsing glob '[': unclosed character class; missing ']'\n"
    );
    let (code, _, stderr) = run_in(dir.path(), &["lint", "-j", "100000", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a number of threads from 1 to 256"),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(dir.path(), &["lint", "-p", "lib", "a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: lib/evil.rego: package paved.lib.k8s is paved's own helper library: a bundle loaded with the built-in one cannot add rules to it; use a package of your own\n"
    );
    // Alone, a copy of the library loads, and a bundle without rules does not pass a gate.
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--no-builtin", "-p", "lib", "a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no rule to run: the bundles loaded have no deny, violation or warn rule\n"
    );
}
