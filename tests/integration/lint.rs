use serde_json::Value;

use crate::common::{concise, run, run_in, tree};

/// Lints the stack fixture with one policy file written for the test (no built-in bundle).
fn lint_with_policy(name: &str, rego: &[u8], extra: &[&str]) -> (i32, String, String) {
    let policies = tree(&[(name, rego)]);
    let dir = policies.path().to_str().unwrap();
    let mut args = vec!["lint", "--no-builtin", "-p", dir];
    args.extend(extra);
    args.push("fixtures/inputs/stack.yaml");
    run(&args)
}

const CONFTEST: [&str; 4] = ["--no-builtin", "-p", "fixtures/policies/conftest", "-f"];

#[test]
fn builtin_bundle_on_the_sample_repository() {
    let (code, stdout, _) = run(&["lint", "fixtures/repos/checkout-service", "-f", "concise"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(concise(&stdout).join("\n"));
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("Checked 6 files and 9 documents in "),
        "{summary}"
    );
}

#[test]
fn conftest_style_policies_multi_document_yaml_terraform_and_parse_errors() {
    let mut args = CONFTEST.to_vec();
    args.extend(["concise", "fixtures/inputs"]);
    args.insert(0, "lint");
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        concise(&stdout),
        [
            "fixtures/inputs/broken.json:4:18: error [parse-error] invalid JSON: Trailing commas are not allowed",
            "fixtures/inputs/broken.yaml:6:1: error [parse-error] invalid YAML: while parsing a flow sequence, expected ',' or ']'",
            "fixtures/inputs/buckets.tf:1:1: error [main/deny_public_acl] bucket assets is public",
            "fixtures/inputs/buckets.tf:5:3: warning [main/warn_versioning] bucket assets has versioning disabled",
            "fixtures/inputs/duplicate.yaml:5:1: error [parse-error] duplicate key `metadata` in a YAML mapping (first defined on line 3)",
            "fixtures/inputs/stack.yaml:10:1: warning [main/warn_service_type] NodePort services are exposed on every node",
            "fixtures/inputs/stack.yaml:17:1: error [main/deny] Deployment web must set runAsNonRoot",
            "fixtures/inputs/stack.yaml:21:3: error [main/violation] Deployment web needs at least 2 replicas",
        ]
    );
}

#[test]
fn json_findings_carry_the_document_index_path_and_location() {
    let (code, stdout, _) = run(&[
        "lint",
        "--no-builtin",
        "-p",
        "fixtures/policies/conftest",
        "-f",
        "json",
        "fixtures/inputs/stack.yaml",
    ]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let violation = &report["findings"][2];
    assert_eq!(violation["rule"], "main/violation");
    assert_eq!(violation["severity"], "error");
    assert_eq!(violation["document"], 2);
    assert_eq!(violation["path"], serde_json::json!(["spec", "replicas"]));
    assert_eq!(
        violation["location"],
        serde_json::json!({"file": "fixtures/inputs/stack.yaml", "start": {"line": 21, "column": 3}, "end": {"line": 21, "column": 11}})
    );
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["summary"]["documents"], 3);
    assert_eq!(
        report["summary"]["findings"],
        serde_json::json!({"error": 2, "warning": 1, "info": 0})
    );
}

#[test]
fn fail_level_decides_the_exit_code() {
    let only_warnings = [
        "lint",
        "--no-builtin",
        "-p",
        "fixtures/policies/conftest",
        "-f",
        "concise",
    ];
    let service = "fixtures/inputs/stack.yaml";
    let tree = tree(&[(
        "svc.yaml",
        b"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {type: NodePort}\n",
    )]);
    let file = tree.path().join("svc.yaml");
    let file = file.to_str().unwrap();
    let with = |level: &str, path: &str| {
        let mut args = only_warnings.to_vec();
        args.extend(["--fail-level", level, path]);
        run(&args).0
    };
    assert_eq!(with("error", file), 0);
    assert_eq!(with("warning", file), 1);
    assert_eq!(with("info", file), 1);
    assert_eq!(with("never", service), 0);
    assert_eq!(with("error", service), 1);
}

#[test]
fn a_run_without_findings_exits_zero() {
    let repo = tree(&[
        ("CODEOWNERS", b"* @org/platform\n"),
        (
            "k8s/svc.yaml",
            b"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        ),
    ]);
    let args = [
        "lint",
        "-f",
        "concise",
        "--select",
        "kubernetes/*",
        "--select",
        "ownership/codeowners*",
    ];
    let (code, stdout, _) = run_in(repo.path(), &args);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(concise(&stdout), Vec::<&str>::new());
}

#[test]
fn a_broken_policy_exits_two_with_its_file_and_line() {
    let (code, stdout, stderr) = lint_with_policy(
        "bad.rego",
        b"package main\n\ndeny contains msg if {\n  msg := \n}\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("bad.rego:4: expecting `}` while parsing set"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_annotation_exits_two_with_its_file_and_line() {
    let (code, _, stderr) = lint_with_policy(
        "p.rego",
        b"# METADATA\n# title: t\n# custom:\n#   level: platinum\npackage p\n\nimport rego.v1\n\ndeny contains \"x\" if true\n",
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("p.rego:4: unknown level `platinum` (expected bronze, silver or gold)"),
        "{stderr}"
    );
}

#[test]
fn a_rule_that_fails_at_run_time_is_an_error_and_the_run_goes_on() {
    let (code, stdout, _) = lint_with_policy(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains {\"message\": \"no msg key\"} if input.kind == \"Service\"\n\ndeny_deploy contains \"deployment\" if input.kind == \"Deployment\"\n",
        &["-f", "concise"],
    );
    assert_eq!(code, 2);
    let lines = concise(&stdout);
    assert!(
        lines.contains(&"fixtures/inputs/stack.yaml:17:1: error [main/deny_deploy] deployment"),
        "{stdout}"
    );
    assert!(lines.contains(&"fixtures/inputs/stack.yaml: error [paved] rule main/deny failed on 2 documents (first: fixtures/inputs/stack.yaml#0): data.main.deny: \"msg\" field must be present and a string"), "{stdout}");
}

#[test]
fn invalid_utf8_binary_and_unreadable_files_do_not_stop_the_run() {
    let repo = tree(&[
        ("bad.yaml", b"a: \xff\xfe\n"),
        ("blob.json", b"{\"a\":\0}"),
        (
            "ok.yaml",
            b"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {type: NodePort}\n",
        ),
    ]);
    let dir = repo.path().to_str().unwrap();
    let mut args = CONFTEST.to_vec();
    args.insert(0, "lint");
    args.extend(["concise", dir]);
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 1);
    let lines: Vec<String> = concise(&stdout)
        .iter()
        .map(|l| l.replace(dir, "DIR"))
        .collect();
    assert_eq!(
        lines,
        [
            "DIR/bad.yaml:1:4: error [parse-error] invalid UTF-8: the file is not valid text",
            "DIR/blob.json:1:6: error [parse-error] binary file: contains a NUL byte, not text",
            "DIR/ok.yaml:2:1: warning [main/warn_service_type] NodePort services are exposed on every node",
        ]
    );
}

#[test]
fn gitignore_exclude_and_explicit_files() {
    let repo = tree(&[
        (".gitignore", b"generated/\n"),
        (
            "generated/a.yaml",
            b"apiVersion: v1\nkind: Service\nspec: {type: NodePort}\n",
        ),
        (
            "vendor/b.yaml",
            b"apiVersion: v1\nkind: Service\nspec: {type: NodePort}\n",
        ),
        (
            "c.yaml",
            b"apiVersion: v1\nkind: Service\nspec: {type: NodePort}\n",
        ),
    ]);
    let mut args = vec!["lint", "--no-builtin", "-p"];
    let policies = crate::common::root().join("fixtures/policies/conftest");
    args.push(policies.to_str().unwrap());
    args.extend(["-f", "concise", "--exclude", "vendor"]);
    let (_, stdout, _) = run_in(repo.path(), &args);
    assert_eq!(concise(&stdout), ["c.yaml:2:1: warning [main/warn_service_type] NodePort services are exposed on every node"]);
    // A file named on the command line is always checked, ignored or not.
    args.push("generated/a.yaml");
    let (_, stdout, _) = run_in(repo.path(), &args);
    assert_eq!(concise(&stdout), ["generated/a.yaml:2:1: warning [main/warn_service_type] NodePort services are exposed on every node"]);
}

#[test]
fn data_files_reach_policies_under_data() {
    let policies = tree(&[
        ("p.rego", b"package main\n\nimport rego.v1\n\ndeny contains msg if {\n  not input.kind in data.allowed_kinds\n  msg := sprintf(\"kind %s is not allowed\", [input.kind])\n}\n"),
        ("data/kinds.yaml", b"allowed_kinds: [Service, Deployment]\n"),
    ]);
    let dir = policies.path();
    let policy = dir.join("p.rego");
    let data = dir.join("data");
    let (code, stdout, _) = run(&[
        "lint",
        "--no-builtin",
        "-p",
        policy.to_str().unwrap(),
        "-d",
        data.to_str().unwrap(),
        "-f",
        "concise",
        "fixtures/inputs/stack.yaml",
        "fixtures/inputs/duplicate.yaml",
        "fixtures/repos/checkout-service/k8s/deployment.yaml",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        concise(&stdout),
        [
            "fixtures/inputs/duplicate.yaml:5:1: error [parse-error] duplicate key `metadata` in a YAML mapping (first defined on line 3)",
            "fixtures/repos/checkout-service/k8s/deployment.yaml:13:1: error [main/deny] kind ConfigMap is not allowed",
        ]
    );
}

#[test]
fn text_output_shows_the_snippet_rule_and_help() {
    let (_, stdout, _) = run(&[
        "lint",
        "fixtures/repos/checkout-service/k8s/deployment.yaml",
        "--color",
        "never",
    ]);
    assert!(stdout.contains("kubernetes/resource-limits"), "{stdout}");
    assert!(
        stdout.contains("× container \"checkout\" has no memory limit"),
        "{stdout}"
    );
    assert!(
        stdout.contains("╭─[fixtures/repos/checkout-service/k8s/deployment.yaml:44:13]"),
        "{stdout}"
    );
    assert!(stdout.contains("`memory` is missing here"), "{stdout}");
    assert!(
        stdout.contains("help: Set resources.requests and resources.limits"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour when not asked for");
}

#[test]
fn version_and_help() {
    let (code, stdout, _) = run(&["--version"]);
    assert_eq!(
        (code, stdout.trim()),
        (0, concat!("paved ", env!("CARGO_PKG_VERSION")))
    );
    let (code, stdout, _) = run(&["lint", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--policy",
        "--no-builtin",
        "--data",
        "--format",
        "--fail-level",
        "--exclude",
        "--jobs",
    ] {
        assert!(stdout.contains(flag), "{flag} in lint --help");
    }
}

#[test]
fn huge_files_and_missing_paths_are_reported_not_fatal() {
    let repo = tree(&[(
        "ok.yaml",
        b"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {type: NodePort}\n",
    )]);
    let huge = vec![b'#'; 33 * 1024 * 1024];
    std::fs::write(repo.path().join("huge.yaml"), huge).unwrap();
    let mut args = CONFTEST.to_vec();
    args.insert(0, "lint");
    args.extend(["concise", "huge.yaml", "ok.yaml", "missing.yaml"]);
    let policies = crate::common::root().join("fixtures/policies/conftest");
    args[3] = policies.to_str().unwrap();
    let (code, stdout, _) = run_in(repo.path(), &args);
    assert_eq!(code, 2, "a path that cannot be read is an error: {stdout}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>()[..3],
        [
            "huge.yaml: error [parse-error] file is larger than 32 MiB; paved does not read it",
            "ok.yaml:2:1: warning [main/warn_service_type] NodePort services are exposed on every node",
            "missing.yaml: error [paved] cannot read: No such file or directory (os error 2)",
        ]
    );
}

/// Files, overlays and repositories are each a job of their own, taken by whichever thread is
/// free: the report must still come out in the same order, byte for byte, on any number.
#[test]
fn the_report_is_the_same_on_one_thread_and_on_many() {
    let report = |jobs: &str| {
        let (code, stdout, stderr) = run(&[
            "lint",
            "fixtures/repos",
            "fixtures/charts",
            "-j",
            jobs,
            "-f",
            "json",
            "--fail-level",
            "never",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let mut report: Value = serde_json::from_str(&stdout).unwrap();
        report["summary"]
            .as_object_mut()
            .unwrap()
            .remove("duration_ms");
        report
    };
    let one = report("1");
    assert!(one["findings"].as_array().unwrap().len() > 100, "{one}");
    for jobs in ["2", "7"] {
        assert_eq!(report(jobs), one, "-j {jobs}");
    }
}
