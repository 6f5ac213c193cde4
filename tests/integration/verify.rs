use crate::common::{run, tree};

#[test]
fn the_builtin_bundle_passes_its_own_tests() {
    let (code, stdout, _) = run(&["verify", "-p", "policies"]);
    assert_eq!(code, 0, "{stdout}");
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.ends_with(" passed, 0 warnings, 0 failures, 0 exceptions"),
        "{summary}"
    );
    assert!(stdout.lines().filter(|l| l.starts_with("PASS ")).count() >= 20);
}

#[test]
fn the_embedded_bundle_is_the_same_as_the_source() {
    let (_, embedded, _) = run(&["verify"]);
    let (_, source, _) = run(&["verify", "-p", "policies"]);
    let names = |out: &str| -> Vec<String> {
        out.lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(names(&embedded), names(&source));
}

#[test]
fn failures_and_skips_are_listed_and_exit_one() {
    let policies = tree(&[(
        "t_test.rego",
        b"package t\n\nimport rego.v1\n\nallow if input.ok\n\ntest_allowed if allow with input as {\"ok\": true}\n\ntest_denied if allow with input as {\"ok\": false}\n\ntodo_test_later if false\n",
    )]);
    let dir = policies.path().to_str().unwrap();
    let (code, stdout, _) = run(&["verify", "-p", dir]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("PASS data.t.test_allowed ("),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("FAIL data.t.test_denied ("),
        "{stdout}"
    );
    assert!(lines[1].ends_with("t_test.rego:9: undefined"), "{stdout}");
    assert_eq!(lines[2], "SKIP data.t.todo_test_later");
    assert_eq!(
        lines[3],
        "3 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions, 1 skipped"
    );
}

#[test]
fn the_rules_reference_is_up_to_date() {
    let (code, stdout, _) = run(&["rules", "--format", "markdown"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(crate::common::root().join("docs/rules.md")).unwrap();
    assert!(
        committed == stdout,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn explain_prints_why_how_settings_and_examples() {
    let (code, stdout, _) = run(&["explain", "terraform/owner-tags"]);
    assert_eq!(code, 0);
    for part in [
        "Why: ",
        "How to fix: ",
        "Level: bronze",
        "Settings ([policy.config] in paved.toml): terraform.owner_tag_keys",
        "Fails:",
        "Passes:",
    ] {
        assert!(stdout.contains(part), "{part} in {stdout}");
    }
    let (code, _, stderr) = run(&["explain", "no/such-rule"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no rule `no/such-rule`"), "{stderr}");
}

#[test]
fn verify_takes_conftest_output_names() {
    let (code, stdout, _) = run(&["verify", "-o", "stdout", "--no-color"]);
    assert_eq!(code, 0);
    assert!(stdout
        .lines()
        .last()
        .unwrap()
        .ends_with("0 failures, 0 exceptions"));
    let (code, stdout, _) = run(&["verify", "-o", "json"]);
    assert_eq!(code, 0);
    let tests: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert!(tests.iter().all(|t| t["status"] == "pass"));
}
