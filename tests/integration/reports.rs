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
    assert_eq!(lines.len(), 16);
    assert!(lines.contains(&"::error file=fixtures/locations/stack.yaml,line=28,col=15,endLine=28,endColumn=20,title=main/deny_deep::a list element deep in a Deployment"), "{out}");
    for line in lines {
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
}

#[test]
fn several_reports_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("paved.sarif");
    let junit = dir.path().join("paved.xml");
    let mut args = INPUTS.to_vec();
    args.extend([
        "-f",
        "sarif",
        "-o",
        sarif.to_str().unwrap(),
        "-f",
        "junit",
        "-o",
        junit.to_str().unwrap(),
        "-f",
        "concise",
    ]);
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
