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
    assert_eq!(lines, [POD_FINDING]);
}

/// The finding every hostile-input test expects from the normal file beside the hostile one.
const POD_FINDING: &str = "k8s/pod.yaml:8:7: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest";

#[test]
fn numbers_out_of_range_are_parse_errors_and_the_run_goes_on() {
    let repo = tree(&[
        ("k8s/pod.yaml", POD.as_bytes()),
        (
            "k8s/huge.json",
            b"{\"apiVersion\": \"v1\",\n \"kind\": \"ConfigMap\",\n \"data\": {\"n\": 1e999999}}",
        ),
        (
            "k8s/huge.yaml",
            b"apiVersion: v1\nkind: ConfigMap\nreplicas: 1e999999\n",
        ),
    ]);
    let (code, lines) = lint_concise(repo.path(), "kubernetes/image-pinned");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "k8s/huge.json:3:16: error [parse-error] the number `1e999999` is out of range",
            "k8s/huge.yaml:3:11: error [parse-error] the number `1e999999` is out of range",
            POD_FINDING,
        ]
    );
}

#[test]
fn a_yaml_alias_of_a_large_string_repeated_is_a_parse_error() {
    let big = "x".repeat(1024 * 1024);
    let bomb = format!("big: &big {big}\ncopies: [{}]\n", "*big, ".repeat(20_000));
    let repo = tree(&[
        ("k8s/pod.yaml", POD.as_bytes()),
        ("k8s/bomb.yaml", bomb.as_bytes()),
    ]);
    let (code, lines) = lint_concise(repo.path(), "kubernetes/image-pinned");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "k8s/bomb.yaml:2:394: error [parse-error] YAML aliases expand to more than 64 MiB of text",
            POD_FINDING,
        ]
    );
}

#[test]
fn hcl_labels_count_toward_the_depth_limit_and_brackets_in_heredocs_do_not() {
    let labels = format!("resource {} {{}}\n", "\"l\" ".repeat(5_000));
    let heredoc = format!(
        "# {{{{{{ not code\nresource \"aws_sqs_queue\" \"q\" {{\n  policy = <<EOT\n{}\nEOT\n}}\n",
        "{".repeat(1_000)
    );
    let repo = tree(&[
        ("labels.tf", labels.as_bytes()),
        ("queue.tf", heredoc.as_bytes()),
    ]);
    let (code, lines) = lint_concise(repo.path(), "terraform/owner-tags");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "labels.tf:1:1026: error [parse-error] HCL blocks and labels nested deeper than 256 levels",
            "queue.tf:2:1: error [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)",
        ]
    );
}

#[test]
fn deep_xml_is_a_parse_error_and_the_next_file_is_still_read() {
    let deep = format!(
        "<x>\n{}{}\n</x>\n",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let repo = tree(&[
        ("deep.xml", deep.as_bytes()),
        ("pom.xml", b"<project><version>1</version></project>\n"),
    ]);
    let (code, stdout, stderr) = run_in(
        repo.path(),
        &["parse", "--parser", "xml", "deep.xml", "pom.xml"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: deep.xml:2:769: XML nested deeper than 256 levels\n"
    );
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["input"], json!({"project": {"version": "1"}}));
}

#[test]
fn properties_keep_the_last_key_and_drop_the_byte_order_mark() {
    let repo = tree(&[
        ("app.properties", "\u{feff}name=api\nlast=x \\".as_bytes()),
        (".env", "\u{feff}TOKEN=1\n".as_bytes()),
    ]);
    let (code, stdout, stderr) = run_in(repo.path(), &["parse", "app.properties", ".env"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents[0]["input"], json!({"name": "api", "last": "x"}));
    assert_eq!(documents[1]["input"], json!({"TOKEN": "1"}));
}

#[test]
fn utf16_files_are_named_as_such() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(POD.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let repo = tree(&[("k8s/pod.yaml", POD.as_bytes()), ("k8s/wide.yaml", &utf16)]);
    let (code, lines) = lint_concise(repo.path(), "kubernetes/image-pinned");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            POD_FINDING,
            "k8s/wide.yaml:1:1: error [parse-error] the file is UTF-16LE text (it starts with a byte-order mark); paved reads UTF-8: convert it",
        ]
    );
}

#[test]
fn a_parser_named_labels_documents_with_its_kind() {
    let repo = tree(&[
        (
            "main.txt",
            b"resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n",
        ),
        ("build.txt", b"FROM alpine:3.20\n"),
        ("conf.txt", b"a = 1\n"),
    ]);
    let kinds = |parser: &str, file: &str| {
        let (code, stdout, stderr) = run_in(repo.path(), &["parse", "--parser", parser, file]);
        assert_eq!(code, 0, "{stderr}");
        let documents: Value = serde_json::from_str(&stdout).unwrap();
        documents[0]["kind"].as_str().unwrap().to_string()
    };
    assert_eq!(kinds("hcl2", "main.txt"), "terraform");
    assert_eq!(kinds("hcl", "main.txt"), "hcl");
    assert_eq!(kinds("dockerfile", "build.txt"), "dockerfile");
    assert_eq!(kinds("toml", "conf.txt"), "toml");
    assert_eq!(kinds("yaml", "conf.txt"), "yaml");
}
