use serde_json::{json, Value};

use crate::common::{concise, run, run_in, tree};

#[test]
fn prints_the_input_of_each_document() {
    let (code, stdout, _) = run(&[
        "parse",
        "fixtures/inputs/stack.yaml",
        "fixtures/inputs/buckets.tf",
    ]);
    assert_eq!(code, 0);
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents.len(), 4);
    assert_eq!(documents[2]["document"], 2);
    assert_eq!(documents[2]["kind"], "kubernetes");
    assert_eq!(documents[2]["input"]["spec"]["replicas"], 1);
    assert_eq!(documents[3]["kind"], "terraform");
    assert_eq!(
        documents[3]["input"]["resource"]["aws_s3_bucket"]["assets"][0]["versioning"],
        json!([{"enabled": true}, {"enabled": false}])
    );
}

#[test]
fn github_workflows_keep_the_on_key() {
    let (_, stdout, _) = run(&[
        "parse",
        "fixtures/repos/checkout-service/.github/workflows/ci.yml",
    ]);
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents[0]["kind"], "github-actions");
    assert!(documents[0]["input"]["on"].is_object());
}

#[test]
fn parse_errors_are_reported_with_their_location() {
    let (code, stdout, stderr) = run(&["parse", "fixtures/inputs/duplicate.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(stdout.trim(), "[]");
    assert!(
        stderr.contains("fixtures/inputs/duplicate.yaml:5:1: duplicate key `metadata`"),
        "{stderr}"
    );
}

/// Lints `dir` with one rule, returning the exit code and the concise finding lines.
fn lint_concise(dir: &std::path::Path, rule: &str) -> (i32, Vec<String>) {
    let (code, stdout, stderr) = run_in(dir, &["lint", "-f", "concise", "--select", rule]);
    assert!(stderr.is_empty(), "{stderr}");
    (
        code,
        concise(&stdout).iter().map(|l| l.to_string()).collect(),
    )
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: api:latest\n";

#[test]
fn old_mac_line_endings_put_findings_on_their_own_lines() {
    let repo = tree(&[("k8s/pod.yaml", POD.replace('\n', "\r").as_bytes())]);
    let (code, lines) = lint_concise(repo.path(), "kubernetes/image-pinned");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["k8s/pod.yaml:8:7: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest"]
    );
}
