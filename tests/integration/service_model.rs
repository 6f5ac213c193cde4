//! What a service is: service rules (on-call, SLOs, runbook, alerting, tracing, metrics) run
//! on units with a deployable artefact of their own, while libraries, CLIs, Terraform
//! modules and a monorepo root keep their own expectations (tests, CODEOWNERS, CI).

use crate::common::{concise, run, tree};

/// The repository-level findings of a fixture repository, as `file [rule]` relative to it.
fn repository_findings(name: &str) -> Vec<String> {
    findings_in(&format!("fixtures/repos/{name}"), &["--repository-only"])
}

/// The findings of `paved lint DIR ARGS…`, as `file [rule]` relative to `dir`.
fn findings_in(dir: &str, args: &[&str]) -> Vec<String> {
    let mut command = vec!["lint", dir, "-f", "concise"];
    command.extend(args);
    let (code, stdout, stderr) = run(&command);
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    concise(&stdout)
        .into_iter()
        .map(|line| {
            let (place, rest) = line.split_once(": ").expect("a concise finding line");
            let file = place.split(':').next().unwrap_or(place);
            let file = file.strip_prefix(&format!("{dir}/")).unwrap_or(file);
            let rule = rest.split(['[', ']']).nth(1).expect("a rule id");
            format!("{file} [{rule}]")
        })
        .collect()
}

#[test]
fn a_terraform_module_with_examples_is_infrastructure_not_a_service() {
    // Its example's Dockerfile and Deployment are not its own: no service findings, and the
    // module still needs tests and owners.
    assert_eq!(
        repository_findings("terraform-module"),
        [
            "README.md [ownership/catalog-entity]",
            "README.md [ownership/codeowners]",
            "README.md [testing/tests-present]",
            "examples/website/deployment.yaml [kubernetes/service-account-token]",
        ]
    );
}

#[test]
fn a_directory_inside_a_monorepo_is_judged_with_its_own_unit_only() {
    // The storefront's findings and the repository's own; not the orders service's, nor a
    // workload finding placed in a file outside the directory (deploy/orders.yaml).
    assert_eq!(
        findings_in(
            "fixtures/repos/two-service-monorepo/services/storefront",
            &["--repository-only"]
        ),
        [
            "fixtures/repos/two-service-monorepo/README.md [ownership/catalog-entity]",
            "package.json [observability/alerting]",
            "package.json [observability/metrics]",
            "package.json [observability/slos]",
            "package.json [observability/tracing]",
            "package.json [ownership/on-call]",
            "package.json [ownership/runbook]",
        ]
    );
}

#[test]
fn a_go_cli_with_a_dev_container_is_a_cli() {
    assert_eq!(
        repository_findings("go-cli"),
        [
            "README.md [ownership/catalog-entity]",
            "README.md [testing/tests-present]",
        ]
    );
}

#[test]
fn a_library_whose_deployment_is_a_test_fixture_is_a_library() {
    assert_eq!(
        repository_findings("manifest-library"),
        ["README.md [ownership/catalog-entity]"]
    );
}

#[test]
fn a_monorepo_is_judged_per_service_unit_and_its_root_is_not_a_service() {
    // The orders service exposes metrics and traces; the storefront neither. The root, which
    // deploys both, gets only whole-repository findings.
    assert_eq!(
        repository_findings("two-service-monorepo"),
        [
            "README.md [ownership/catalog-entity]",
            "deploy/orders.yaml [kubernetes/service-account-token]",
            "services/orders/go.mod [observability/alerting]",
            "services/orders/go.mod [observability/slos]",
            "services/orders/go.mod [ownership/on-call]",
            "services/orders/go.mod [ownership/runbook]",
            "services/storefront/package.json [observability/alerting]",
            "services/storefront/package.json [observability/metrics]",
            "services/storefront/package.json [observability/slos]",
            "services/storefront/package.json [observability/tracing]",
            "services/storefront/package.json [ownership/on-call]",
            "services/storefront/package.json [ownership/runbook]",
        ]
    );
}

#[test]
fn a_service_without_owners_ci_tests_or_tracing_keeps_those_findings() {
    assert_eq!(
        repository_findings("bare-service"),
        [
            "README.md [observability/alerting]",
            "README.md [observability/metrics]",
            "README.md [observability/slos]",
            "README.md [observability/tracing]",
            "README.md [ownership/catalog-entity]",
            "README.md [ownership/codeowners]",
            "README.md [ownership/on-call]",
            "README.md [ownership/runbook]",
            "README.md [testing/ci-config]",
            "README.md [testing/tests-present]",
        ]
    );
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
spec:
  selector:
    matchLabels: {app: ledger}
  template:
    metadata:
      labels: {app: ledger}
    spec:
      containers:
        - name: ledger
          image: ledger
";

#[test]
fn a_service_deployed_through_a_kustomization_is_a_service() {
    // Its only artefact is a Deployment that a kustomization includes (the image is built by
    // jib, no Dockerfile): linted through the kustomization, it still makes the unit a service.
    let repository = tree(&[
        ("README.md", b"# ledger\n"),
        ("go.mod", b"module example.com/ledger\n\ngo 1.22\n"),
        ("main.go", b"package main\n\nfunc main() {}\n"),
        ("main_test.go", b"package main\n"),
        ("k8s/base/deployment.yaml", DEPLOYMENT.as_bytes()),
        (
            "k8s/base/kustomization.yaml",
            b"resources:\n  - deployment.yaml\n",
        ),
    ]);
    let findings = findings_in(&repository.path().display().to_string(), &[]);
    for rule in [
        "observability/alerting",
        "ownership/on-call",
        "ownership/runbook",
    ] {
        assert!(
            findings.contains(&format!("README.md [{rule}]")),
            "{rule} missing: {findings:?}"
        );
    }
}

#[test]
fn the_model_of_a_repository_with_a_kustomization_lists_its_files_only() {
    let repository = tree(&[
        ("k8s/deployment.yaml", DEPLOYMENT.as_bytes()),
        (
            "k8s/kustomization.yaml",
            b"resources:\n  - deployment.yaml\n",
        ),
    ]);
    let policy = tree(&[(
        "files.rego",
        b"# METADATA\n# custom:\n#   id: model/files\n#   severity: error\n#   input: repository\n\
package model.files\n\nimport rego.v1\n\n\
deny contains {\"msg\": concat(\" \", input.files)} if true\n",
    )]);
    let dir = repository.path().display().to_string();
    let (code, stdout, stderr) = run(&[
        "lint",
        &dir,
        "-p",
        &policy.path().display().to_string(),
        "--select",
        "model/*",
        "-f",
        "concise",
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    assert_eq!(
        concise(&stdout),
        [format!(
            "{dir}: error [model/files] k8s/deployment.yaml k8s/kustomization.yaml"
        )]
    );
}

#[test]
fn a_chart_repository_with_no_code_is_not_a_service() {
    // The chart packages software built elsewhere: the Deployment it renders does not make
    // the repository a service of its own.
    let repository = tree(&[
        ("README.md", b"# charts\n"),
        (
            "charts/ledger/Chart.yaml",
            b"apiVersion: v2\nname: ledger\nversion: 1.0.0\n",
        ),
        ("charts/ledger/values.yaml", b"image: ledger\n"),
        (
            "charts/ledger/templates/deployment.yaml",
            DEPLOYMENT
                .replace("image: ledger", "image: {{ .Values.image }}")
                .as_bytes(),
        ),
    ]);
    // The whole run: a chart's templates are rendered by file rules' pass.
    let findings = findings_in(&repository.path().display().to_string(), &[]);
    assert!(findings
        .contains(&"charts/ledger/templates/deployment.yaml [kubernetes/probes]".to_string()));
    assert!(
        findings.iter().all(|f| !f.contains("[observability/")
            && !f.contains("[ownership/on-call]")
            && !f.contains("[ownership/runbook]")),
        "{findings:?}"
    );
    assert!(findings.contains(&"README.md [ownership/catalog-entity]".to_string()));
}

#[test]
fn the_model_says_why_a_unit_is_a_service() {
    let (code, stdout, stderr) = run(&[
        "parse",
        "--repository",
        "fixtures/repos/two-service-monorepo",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let units: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let summary: Vec<serde_json::Value> = units
        .as_array()
        .expect("a list of units")
        .iter()
        .map(|u| serde_json::json!([u["path"], u["kinds"], u["evidence"]]))
        .collect();
    assert_eq!(
        summary,
        [
            serde_json::json!([".", ["monorepo"], [
                {"kind": "monorepo", "file": "services/orders", "because": "a service unit below the root"},
                {"kind": "monorepo", "file": "services/storefront", "because": "a service unit below the root"},
            ]]),
            serde_json::json!(["services/orders", ["service"], [
                {"kind": "service", "file": "Dockerfile", "because": "a Dockerfile"},
            ]]),
            serde_json::json!(["services/storefront", ["service"], [
                {"kind": "service", "file": "Dockerfile", "because": "a Dockerfile"},
            ]]),
        ]
    );
}
