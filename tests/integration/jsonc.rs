//! Tools' JSON dialects (JSONC, JSON5) read as their tools read them, and parse errors
//! weighed by whether any rule would have read the file.

use serde_json::{json, Value};

use crate::common::{concise, run_in, tree};

/// Lints `dir` for parse errors only (plus `extra` arguments): the exit code and the lines.
fn parse_errors(dir: &std::path::Path, extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["lint", "-f", "concise", "--select", "parse-error"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run_in(dir, &args);
    assert!(stderr.is_empty(), "{stderr}");
    let lines = concise(&stdout).iter().map(|l| l.to_string()).collect();
    (code, lines)
}

const TRAILING_COMMAS: &[u8] =
    b"{\n  // formatting\n  \"editor.tabSize\": 2,\n  \"files.exclude\": {\"dist\": true,},\n}\n";

#[test]
fn tool_configuration_files_take_comments_and_trailing_commas() {
    let dir = tree(&[
        (".vscode/settings.json", TRAILING_COMMAS),
        ("web/tsconfig.build.json", b"{\"compilerOptions\": {\"strict\": true, /* on */},}\n"),
        (".devcontainer/devcontainer.json", b"{\"image\": \"node:20\",\n}\n"),
        (".eslintrc.json", b"{\"rules\": {},}\n"),
        ("renovate.json5", b"{\n  extends: ['config:recommended'],\n  prHourlyLimit: 0x2,\n}\n"),
        (".babelrc", b"{presets: ['@babel/preset-env',],}\n"),
        ("settings.jsonc", b"[1, 2,]\n"),
        (
            "k8s/service.json",
            b"{\"apiVersion\": \"v1\", \"kind\": \"Service\",\n \"metadata\": {\"name\": \"api\"},}\n",
        ),
    ]);
    let (code, lines) = parse_errors(dir.path(), &[]);
    assert_eq!(
        lines,
        ["k8s/service.json:2:29: error [parse-error] invalid JSON: Trailing commas are not allowed"]
    );
    assert_eq!(code, 1);

    let (code, stdout, stderr) = run_in(dir.path(), &["parse", "renovate.json5", ".babelrc"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let inputs: Vec<&Value> = documents.iter().map(|d| &d["input"]).collect();
    assert_eq!(
        inputs,
        [
            &json!({"extends": ["config:recommended"], "prHourlyLimit": 2}),
            &json!({"presets": ["@babel/preset-env"]}),
        ]
    );
}

#[test]
fn a_json5_nan_is_an_error_where_it_is_written() {
    let dir = tree(&[("limits.json5", b"{\n  ratio: NaN,\n}\n")]);
    let (_, lines) = parse_errors(dir.path(), &[]);
    assert_eq!(
        lines,
        ["limits.json5:2:10: info [parse-error] `NaN` has no JSON value: policies read JSON, write a number or a string"]
    );
}

const BROKEN_YAML: &[u8] = b"name: api\nports: [80,\nowner: team\n";

/// A broken file of every sort: which of them some rule would have read decides its severity.
fn broken_files() -> tempfile::TempDir {
    tree(&[
        ("config/settings.yaml", BROKEN_YAML),
        (".vscode/launch.json", b"{\"configurations\": [}\n"),
        ("pyproject.d/tool.toml", b"[tool\n"),
        (
            "services/api.yaml",
            b"apiVersion: v1\nkind: Service\nspec: [\n  a: 1\n",
        ),
        ("deploy/prod/values.yaml", BROKEN_YAML),
        (".github/workflows/ci.yml", b"on: [push\njobs: {}\n"),
        ("package.json", b"{\"dependencies\": {\n"),
    ])
}

#[test]
fn parse_errors_in_files_no_rule_reads_are_info() {
    let dir = broken_files();
    let (code, lines) = parse_errors(dir.path(), &[]);
    assert_eq!(
        lines,
        [
            ".github/workflows/ci.yml:2:5: error [parse-error] invalid YAML: illegal placement of ':' indicator",
            ".vscode/launch.json:1:21: info [parse-error] invalid JSON: Unexpected close brace",
            "config/settings.yaml:3:1: info [parse-error] invalid YAML: invalid indentation in flow construct",
            "deploy/prod/values.yaml:3:1: error [parse-error] invalid YAML: invalid indentation in flow construct",
            "package.json:1:18: error [parse-error] invalid JSON: Unterminated object",
            "pyproject.d/tool.toml:1:6: info [parse-error] invalid TOML: unclosed table, expected `]`",
            "services/api.yaml:5:1: error [parse-error] invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'",
        ]
    );
    assert_eq!(code, 1);
    let (code, lines) = parse_errors(dir.path(), &["config/settings.yaml", ".vscode/launch.json"]);
    assert_eq!(lines.len(), 2);
    assert_eq!(code, 0, "info findings do not fail the run");
}

#[test]
fn a_rule_that_reads_a_generic_kind_makes_its_parse_errors_errors() {
    let dir = broken_files();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    std::fs::write(
        dir.path().join("policy/team.rego"),
        "# METADATA\n# title: Settings name a team\n# custom:\n#   id: acme/settings-team\n#   severity: warning\n#   input: yaml\npackage acme.settings_team\n\nimport rego.v1\n\ndeny contains \"the settings name no team\" if not input.team\n",
    )
    .unwrap();
    let (_, lines) = parse_errors(
        dir.path(),
        &[
            "--select",
            "acme/settings-team",
            "--policy",
            "policy",
            "config/settings.yaml",
            ".vscode/launch.json",
        ],
    );
    assert_eq!(
        lines,
        [
            ".vscode/launch.json:1:21: info [parse-error] invalid JSON: Unexpected close brace",
            "config/settings.yaml:3:1: error [parse-error] invalid YAML: invalid indentation in flow construct",
        ]
    );
}

#[test]
fn a_severity_override_for_parse_errors_applies_on_top() {
    let dir = broken_files();
    std::fs::write(
        dir.path().join("paved.toml"),
        "[rules.severity]\n\"parse-error\" = \"warning\"\n",
    )
    .unwrap();
    let (_, lines) = parse_errors(
        dir.path(),
        &["config/settings.yaml", ".github/workflows/ci.yml"],
    );
    assert_eq!(
        lines,
        [
            ".github/workflows/ci.yml:2:5: warning [parse-error] invalid YAML: illegal placement of ':' indicator",
            "config/settings.yaml:3:1: warning [parse-error] invalid YAML: invalid indentation in flow construct",
        ]
    );
}

/// A matrix list closed at its key's column, and a quoted string continued at the left
/// margin: libyaml (PyYAML, the Kubernetes tools) reads both.
const WORKFLOW: &[u8] = b"on: push
jobs:
  validate:
    runs-on: ubuntu-22.04
    strategy:
      matrix:
        dir: [
          'iac/a',
          'iac/b'
        ]
    env:
      NOTE: \"one
    two\"
    steps:
      - uses: actions/checkout@v4
";

#[test]
fn yaml_that_libyaml_reads_is_read_with_exact_locations() {
    let dir = tree(&[(".github/workflows/validate.yml", WORKFLOW)]);
    let (_, stdout, stderr) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "parse-error",
            "--select",
            "ci/actions-pinned",
        ],
    );
    assert_eq!(stderr, "");
    assert_eq!(
        concise(&stdout),
        [".github/workflows/validate.yml:15:9: warning [ci/actions-pinned] \"actions/checkout@v4\" is pinned to \"v4\", which can move; use a full commit SHA"]
    );
    let (code, stdout, _) = run_in(dir.path(), &["parse", ".github/workflows/validate.yml"]);
    assert_eq!(code, 0);
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let job = &documents[0]["input"]["jobs"]["validate"];
    assert_eq!(job["strategy"]["matrix"]["dir"], json!(["iac/a", "iac/b"]));
    assert_eq!(job["env"]["NOTE"], "one two");
}
