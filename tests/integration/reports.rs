//! Every output format over fixtures with findings in several files and formats.

use serde_json::Value;

use crate::common::{root, run};

const INPUTS: [&str; 5] = [
    "lint",
    "--no-builtin",
    "-p",
    "fixtures/policies/locations",
    "fixtures/locations",
];

fn report(format: &str) -> String {
    let mut args = INPUTS.to_vec();
    args.extend(["-f", format]);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 1, "{stderr}");
    stdout
}

fn sarif_validator() -> jsonschema::Validator {
    let schema = root().join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(schema).expect("the SARIF schema in tests/data"),
    )
    .unwrap();
    jsonschema::draft4::new(&schema).expect("a valid schema")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let sarif: Value = serde_json::from_str(&report("sarif")).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "paved");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 16);
    let deep = results
        .iter()
        .find(|r| r["ruleId"] == "main/deny_deep")
        .unwrap();
    assert_eq!(deep["level"], "error");
    assert_eq!(
        deep["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/locations/stack.yaml"
    );
    assert_eq!(
        deep["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 28, "startColumn": 15, "endLine": 28, "endColumn": 20})
    );
    assert_eq!(
        deep["partialFingerprints"]["paved/v1"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let index = deep["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "main/deny_deep");
}

#[test]
fn sarif_describes_builtin_rules_with_their_metadata() {
    let (_, stdout, _) = run(&["lint", "fixtures/repos/checkout-service", "-f", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    assert!(sarif_validator().is_valid(&sarif));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let limits = rules
        .iter()
        .find(|r| r["id"] == "kubernetes/resource-limits")
        .unwrap();
    assert_eq!(
        limits["shortDescription"]["text"],
        "Containers declare CPU and memory requests and limits"
    );
    assert!(limits["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("starve"));
    assert!(limits["help"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Set resources.requests"));
    assert_eq!(
        limits["helpUri"],
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
    );
    assert_eq!(limits["defaultConfiguration"]["level"], "error");
    // Code scanning sorts by security-severity: error is high, warning medium, info low.
    assert_eq!(
        limits["properties"],
        serde_json::json!({"tags": ["kubernetes"], "security-severity": "8.0"})
    );
    let severities: std::collections::BTreeSet<(&str, &str)> = rules
        .iter()
        .map(|r| {
            (
                r["defaultConfiguration"]["level"].as_str().unwrap(),
                r["properties"]["security-severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        severities,
        [("error", "8.0"), ("note", "2.0"), ("warning", "5.0")].into()
    );
}

#[test]
fn junit_has_a_suite_per_file_and_a_failure_per_finding() {
    let xml = report("junit");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "fixtures/locations/Dockerfile",
            "fixtures/locations/anchors.yaml",
            "fixtures/locations/main.tf.json",
            "fixtures/locations/modules/network/main.tf",
            "fixtures/locations/settings.toml",
            "fixtures/locations/stack.yaml",
            "fixtures/locations/unicode.yaml",
        ]
    );
    let failures = document
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, 16);
    let stack = suites
        .iter()
        .find(|s| s.attribute("name") == Some("fixtures/locations/stack.yaml"))
        .unwrap();
    assert_eq!(stack.attribute("failures"), Some("3"));
    let case = stack
        .children()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap();
    assert_eq!(case.attribute("name"), Some("main/deny_document:14:1"));
}

#[test]
fn github_workflow_commands() {
    let out = report("github");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 17);
    // GitHub would show 10 of the 16 errors, and say nothing of the others: paved says so.
    assert_eq!(lines[0], "::notice title=paved::16 errors, 0 warnings and 0 notices: GitHub shows 10 annotations of each kind a step, so some are not shown here. Every finding is in this step's log, and counted by rule in the job summary.");
    assert!(lines.contains(&"::error file=fixtures/locations/stack.yaml,line=28,col=15,endLine=28,endColumn=20,title=main/deny_deep::a list element deep in a Deployment"), "{out}");
    for line in &lines[1..] {
        let (head, message) = line
            .strip_prefix("::error ")
            .unwrap()
            .split_once("::")
            .unwrap();
        assert!(!message.is_empty());
        assert!(head.split(',').all(|p| p.contains('=')), "{head}");
    }
}

#[test]
fn github_annotations_github_shows_all_of_come_without_a_notice() {
    let mut args = INPUTS.to_vec();
    args.extend(["--select", "main/deny_d*", "-f", "github"]);
    let (code, out, stderr) = run(&args);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = out.lines().collect();
    assert!((1..=10).contains(&lines.len()), "{out}");
    assert!(lines.iter().all(|l| l.starts_with("::error ")), "{out}");
}

#[test]
fn github_format_writes_the_step_summary() {
    let summary = tempfile::NamedTempFile::new().unwrap();
    let output = crate::common::paved()
        .args(INPUTS)
        .args(["-f", "github"])
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let markdown = std::fs::read_to_string(summary.path()).unwrap();
    assert!(
        markdown.starts_with("## ❌ paved: 16 errors, 0 warnings, 0 info"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `main/deny_deep` | 🔴 error | 1 |"),
        "{markdown}"
    );
}

#[test]
fn gitlab_code_quality() {
    let issues: Vec<Value> = serde_json::from_str(&report("gitlab")).unwrap();
    assert_eq!(issues.len(), 16);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 16, "fingerprints are unique");
    for issue in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let deep = issues
        .iter()
        .find(|i| i["check_name"] == "main/deny_deep")
        .unwrap();
    assert_eq!(
        deep["location"],
        serde_json::json!({"path": "fixtures/locations/stack.yaml", "lines": {"begin": 28}})
    );
}

#[test]
fn markdown_summary() {
    let markdown = report("markdown");
    assert!(
        markdown.starts_with("## ❌ paved: 16 errors, 0 warnings, 0 info\n"),
        "{markdown}"
    );
    assert!(markdown.contains("| 🔴 error | `fixtures/locations/stack.yaml:28:15` | `main/deny_deep` | a list element deep in a Deployment |"), "{markdown}");
    let mut args = INPUTS.to_vec();
    args.extend(["--select", "main/deny_deep", "-f", "markdown"]);
    let (_, one, _) = run(&args);
    assert!(
        one.starts_with("## ❌ paved: 1 error, 0 warnings, 0 info\n"),
        "{one}"
    );
}

#[test]
fn several_reports_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("paved.sarif");
    let junit = dir.path().join("paved.xml");
    let mut args = INPUTS.to_vec();
    let sarif_to = format!("sarif={}", sarif.display());
    let junit_to = format!("junit={}", junit.display());
    args.extend(["-f", &sarif_to, "-f", &junit_to, "-f", "concise"]);
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 1);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .starts_with("fixtures/locations/Dockerfile:4:1: error [main/deny_continued]"),
        "{stdout}"
    );
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 16);
    assert!(std::fs::read_to_string(junit)
        .unwrap()
        .contains("<testsuites"));
    let mut too_many = INPUTS.to_vec();
    too_many.extend(["-f", "sarif", "-f", "junit"]);
    let (code, _, stderr) = run(&too_many);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("only one report can go to standard output"),
        "{stderr}"
    );
}

/// A repository with a rule that fails on one file (division by zero) and a file whose
/// name needs percent-encoding in a URI.
fn failing_rule() -> (tempfile::TempDir, tempfile::TempDir) {
    let repository = crate::common::tree(&[("a b#?é.yaml", b"a: 1\n"), ("ok.yaml", b"b: 1\n")]);
    let policies = crate::common::tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"a is set\" if input.a\n\ndeny contains \"broken\" if {\n\tinput.b\n\t1 / 0 == 1\n}\n",
    )]);
    (repository, policies)
}

fn report_of_failing_rule(format: &str) -> String {
    let (repository, policies) = failing_rule();
    let (code, stdout, stderr) =
        crate::common::lint_with_bundle(repository.path(), policies.path(), format, ".");
    assert_eq!(code, 2, "run errors exit 2: {stderr}");
    stdout
}

#[test]
fn sarif_reports_run_errors_in_the_invocation() {
    let sarif: Value = serde_json::from_str(&report_of_failing_rule("sarif")).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0]["level"], "error");
    assert!(
        notifications[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("rule main/deny failed on ok.yaml: "),
        "{notifications:#?}"
    );
    // Outside any git repository, files are absolute `file://` URIs, percent-encoded.
    let uri = |location: &Value| {
        let artifact = &location["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact.get("uriBaseId"), None, "{artifact}");
        artifact["uri"].as_str().unwrap().to_string()
    };
    let notified = uri(&notifications[0]["locations"][0]);
    assert!(
        notified.starts_with("file:///") && notified.ends_with("/ok.yaml"),
        "{notified}"
    );
    let found = uri(&run["results"][0]["locations"][0]);
    assert!(
        found.starts_with("file:///") && found.ends_with("/a%20b%23%3F%C3%A9.yaml"),
        "{found}"
    );
}

#[test]
fn a_clean_sarif_run_is_successful_without_notifications() {
    let sarif: Value = serde_json::from_str(&report("sarif")).unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"],
        serde_json::json!([{"executionSuccessful": true}])
    );
}

#[test]
fn gitlab_lists_run_errors_as_critical_issues() {
    let issues: Vec<Value> = serde_json::from_str(&report_of_failing_rule("gitlab")).unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["check_name"], "main/deny");
    let error = &issues[1];
    assert_eq!(error["check_name"], "paved/run-error");
    assert_eq!(error["severity"], "critical");
    assert_eq!(
        error["location"],
        serde_json::json!({"path": "ok.yaml", "lines": {"begin": 1}})
    );
    assert!(error["description"]
        .as_str()
        .unwrap()
        .starts_with("rule main/deny failed on ok.yaml: "));
    assert_eq!(error["fingerprint"].as_str().unwrap().len(), 32);
}

/// The names in a directory, sorted: what a failed write left behind.
fn entries(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_report_that_cannot_be_written_leaves_nothing_and_names_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("missing/paved.sarif");
    // A directory where the report should go: the rename over it fails after the write.
    let occupied = directory.path().join("paved.json");
    std::fs::create_dir(&occupied).unwrap();
    for target in [&missing, &occupied] {
        let mut args = INPUTS.to_vec();
        args.extend(["-f", "sarif", "-o", target.to_str().unwrap()]);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{stdout}");
        assert!(
            stderr.starts_with(&format!(
                "error: {}: cannot write the report: ",
                target.display()
            )),
            "{stderr}"
        );
    }
    assert_eq!(entries(directory.path()), ["paved.json"]);
    assert!(entries(&occupied).is_empty());
    // paved init writes the same way.
    let (code, _, stderr) = crate::common::run_in(directory.path(), &["init", "missing"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: missing/paved.toml: cannot write: "),
        "{stderr}"
    );
    let (code, _, stderr) = crate::common::run_in(directory.path(), &["init", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(entries(directory.path()), ["paved.json", "paved.toml"]);
}

#[test]
fn baseline_output_is_the_baseline_file() {
    let repository = crate::common::tree(&[("a.yaml", b"a: 1\n")]);
    let policies = crate::common::tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"a is set\" if input.a\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    let baseline = |flags: &[&str]| {
        let mut args = vec!["baseline", "--no-builtin", "--no-config", "-p", policy];
        args.extend(flags);
        crate::common::run_in(repository.path(), &args)
    };
    let (code, stdout, stderr) = baseline(&["-o", "base.json"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "wrote 1 finding to base.json\n");
    let written: Value =
        serde_json::from_slice(&std::fs::read(repository.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(written["findings"].as_array().unwrap().len(), 1);
    // The old flag still works; lint's report options are not offered.
    let (code, _, stderr) = baseline(&["--write", "old.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repository.path().join("old.json").is_file());
    let (code, _, stderr) = baseline(&["-f", "json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unexpected argument '-f'"), "{stderr}");
    assert_eq!(
        entries(repository.path()),
        ["a.yaml", "base.json", "old.json"]
    );
}

/// A git repository with one finding in `k8s/app.yaml`, inside a parent directory, and a
/// policy bundle beside it.
fn repository_in_git() -> (tempfile::TempDir, std::path::PathBuf, tempfile::TempDir) {
    let parent = crate::common::tree(&[(
        "repo/k8s/app.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n",
    )]);
    let repo = parent.path().join("repo");
    crate::common::git(&repo, &["init", "-q"]);
    let policies = crate::common::tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains {\"msg\": \"a deployment\", \"path\": [\"metadata\", \"name\"]} if input.kind == \"Deployment\"\n",
    ), (
        "advice.rego",
        b"# METADATA\n# custom:\n#   id: team/advice\n#   severity: info\npackage team.advice\n\nimport rego.v1\n\ndeny contains \"consider a label\" if input.kind == \"Deployment\"\n",
    )]);
    (parent, repo, policies)
}

#[test]
fn reports_name_files_within_their_repository_whatever_path_was_typed() {
    let (parent, repo, policies) = repository_in_git();
    let absolute = repo.to_str().unwrap().to_string();
    let subdirectory = repo.join("k8s").to_str().unwrap().to_string();
    // (working directory, path typed)
    let runs: Vec<(std::path::PathBuf, String)> = vec![
        (root(), absolute.clone()),
        (root(), format!("{absolute}/")),
        (parent.path().to_path_buf(), "repo".into()),
        (parent.path().to_path_buf(), "repo/".into()),
        (parent.path().to_path_buf(), "./repo/k8s".into()),
        (repo.clone(), ".".into()),
        (repo.join("k8s"), "..".into()),
        (repo.join("k8s"), ".".into()),
        (root(), subdirectory),
    ];
    let validator = sarif_validator();
    for (dir, path) in &runs {
        let lint = |format: &str| {
            let (code, stdout, stderr) =
                crate::common::lint_with_bundle(dir, policies.path(), format, path);
            assert_eq!(code, 1, "{path} from {}: {stderr}", dir.display());
            serde_json::from_str::<Value>(&stdout).unwrap()
        };
        let sarif = lint("sarif");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        let locations: Vec<&Value> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
            .collect();
        let in_repository = serde_json::json!({"uri": "k8s/app.yaml", "uriBaseId": "%SRCROOT%"});
        assert_eq!(
            locations,
            [&in_repository, &in_repository],
            "{path} from {}",
            dir.display()
        );
        let gitlab = lint("gitlab");
        let places: Vec<&Value> = gitlab
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| &issue["location"])
            .collect();
        assert_eq!(
            places,
            [
                &serde_json::json!({"path": "k8s/app.yaml", "lines": {"begin": 2}}),
                &serde_json::json!({"path": "k8s/app.yaml", "lines": {"begin": 4}}),
            ],
            "{path} from {}",
            dir.display()
        );
    }
}

/// Info findings are advice: passing test cases that say so, not failures.
#[test]
fn junit_names_files_within_their_repository_and_passes_info_findings() {
    let (_parent, repo, policies) = repository_in_git();
    let (code, stdout, stderr) =
        crate::common::lint_with_bundle(&root(), policies.path(), "junit", repo.to_str().unwrap());
    assert_eq!(code, 1, "{stderr}");
    let document = roxmltree::Document::parse(&stdout).unwrap();
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("k8s/app.yaml"));
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<roxmltree::Node> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let shown = |case: &roxmltree::Node| {
        let child = case.children().find(|n| n.is_element()).unwrap();
        let text = child.text().or(child.attribute("message")).unwrap_or("");
        (
            case.attribute("name").unwrap().to_string(),
            case.attribute("classname").unwrap().to_string(),
            child.tag_name().name().to_string(),
            text.to_string(),
        )
    };
    assert_eq!(
        cases.iter().map(shown).collect::<Vec<_>>(),
        [
            (
                "team/advice:2:1".to_string(),
                "k8s/app.yaml".to_string(),
                "system-out".to_string(),
                "info: k8s/app.yaml:2:1: consider a label [team/advice]".to_string()
            ),
            (
                "main/deny:4:3".to_string(),
                "k8s/app.yaml".to_string(),
                "failure".to_string(),
                "k8s/app.yaml:4:3: a deployment [main/deny]".to_string()
            ),
        ]
    );
}
