//! The testing rules on repositories shaped like real ones: CI that runs tests through
//! Cloud Build or Prow, and Terraform modules, which are code and need tests.

use crate::common::{concise, run_in, tree};

const WORKFLOW: &[u8] = b"on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 10\n    steps:\n      - run: terraform validate\n";

fn testing_findings(dir: &std::path::Path) -> Vec<String> {
    let (_, stdout, _) = run_in(
        dir,
        &["lint", "-f", "concise", "--select", "testing/*", "."],
    );
    concise(&stdout).into_iter().map(str::to_string).collect()
}

#[test]
fn cloud_build_and_prow_steps_run_the_tests() {
    let cloud_build = tree(&[
        ("go.mod", b"module example.com/app\n\ngo 1.22\n"),
        ("main.go", b"package main\n\nfunc main() {}\n"),
        ("main_test.go", b"package main\n"),
        (
            "cloudbuild.yaml",
            b"steps:\n  - name: gcr.io/cloud-builders/go\n    args: [test, ./...]\n",
        ),
    ]);
    assert_eq!(testing_findings(cloud_build.path()), Vec::<String>::new());
    let prow = tree(&[
        ("go.mod", b"module example.com/app\n\ngo 1.22\n"),
        ("main.go", b"package main\n\nfunc main() {}\n"),
        ("main_test.go", b"package main\n"),
        (
            ".prow.yaml",
            b"presubmits:\n  - name: unit\n    spec:\n      containers:\n        - image: golang:1.22\n          command: [make]\n          args: [test]\n",
        ),
    ]);
    assert_eq!(testing_findings(prow.path()), Vec::<String>::new());
}

#[test]
fn a_terraform_module_with_ci_needs_tests() {
    let module = tree(&[
        (".github/workflows/ci.yml", WORKFLOW),
        ("main.tf", b"resource \"null_resource\" \"a\" {}\n"),
        ("variables.tf", b"variable \"name\" {}\n"),
    ]);
    assert_eq!(
        testing_findings(module.path()),
        [".github/workflows/ci.yml: error [testing/tests-present] no terraform tests: no file matches **/*.tftest.hcl, **/*.tftest.json, **/test/**/*_test.go, **/tests/**/*_test.go"]
    );
    let tested = tree(&[
        (".github/workflows/ci.yml", WORKFLOW),
        ("main.tf", b"resource \"null_resource\" \"a\" {}\n"),
        (
            "tests/defaults.tftest.hcl",
            b"run \"plan\" {\n  command = plan\n}\n",
        ),
    ]);
    assert_eq!(
        testing_findings(tested.path()),
        [".github/workflows/ci.yml: error [testing/ci-runs-tests] no CI command runs the tests (such as pytest, go test, npm test, mvn verify, cargo test)"]
    );
}
