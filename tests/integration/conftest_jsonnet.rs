//! `paved test` over Jsonnet as conftest reads it (issue 15): evaluated to JSON, imports
//! beside the file and inside the repository only, a runaway program stopped at its file
//! while the other files are tested.

use crate::common::{paved, root, run, tree};

const DIR: &str = "fixtures/conftest/jsonnet";

const POLICY: &[u8] = b"package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.spec.replicas < 5\n\tmsg := sprintf(\"%s runs %d replicas (team %s, ratio %v)\", [input.metadata.name, input.spec.replicas, input.metadata.labels.team, input.spec.ratio])\n}\n";

#[test]
fn jsonnet_files_are_evaluated_and_runaway_or_escaping_ones_are_errors_at_their_file() {
    let policies = tree(&[("p.rego", POLICY)]);
    let (code, stdout, stderr) = run(&[
        "test",
        "--no-color",
        "-p",
        policies.path().to_str().unwrap(),
        DIR,
    ]);
    assert_eq!(code, 1);
    // `.libsonnet` libraries and other files are not inputs, as in conftest.
    assert_eq!(
        stdout,
        format!(
            "FAIL - {DIR}/deploy.jsonnet - main - api runs 3 replicas (team payments, ratio 0.75)\n\n\
             1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
        )
    );
    let repository = root().canonicalize().unwrap();
    assert_eq!(
        stderr,
        format!(
            "Error: {DIR}/escape.jsonnet:1:10: Jsonnet: cannot import /etc/passwd: it is outside {}, which paved does not read from\n\
             Error: {DIR}/runaway.jsonnet:2:47: Jsonnet: stopped after 20000000 evaluation steps: the program runs away (or is far larger than a configuration file needs)\n",
            repository.display()
        )
    );
}

#[test]
fn jsonnet_on_standard_input_imports_beside_the_working_directory() {
    let policies = tree(&[("p.rego", POLICY)]);
    let output = paved()
        .current_dir(root().join(DIR))
        .args(["test", "--no-color", "--parser", "jsonnet", "-p"])
        .arg(policies.path())
        .arg("-")
        .write_stdin(std::fs::read(root().join(DIR).join("deploy.jsonnet")).unwrap())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "FAIL - - - main - api runs 3 replicas (team payments, ratio 0.75)\n\n\
         1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
}

#[test]
fn paved_parse_shows_the_evaluated_jsonnet() {
    let (code, stdout, stderr) = run(&["parse", &format!("{DIR}/deploy.jsonnet")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let parsed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        serde_json::to_string(&parsed[0]["input"]).unwrap(),
        r#"{"kind":"Deployment","metadata":{"labels":{"team":"payments"},"name":"api"},"spec":{"ratio":0.75,"replicas":3}}"#
    );
}

#[test]
fn a_program_that_takes_too_much_memory_is_an_error_at_its_file_and_the_run_goes_on() {
    let policies = tree(&[("p.rego", POLICY)]);
    let inputs = tree(&[
        // Two billion elements in one call: one step, far more memory than allowed.
        (
            "hog.jsonnet",
            b"{ items: std.length(std.makeArray(2000000000, function(i) i)) }\n",
        ),
        (
            "ok.jsonnet",
            b"{ metadata: { name: 'api', labels: { team: 'payments' } }, spec: { replicas: 3, ratio: 0.75 } }\n",
        ),
    ]);
    let (code, stdout, stderr) = crate::common::run_in(
        inputs.path(),
        &[
            "test",
            "--no-color",
            "-p",
            policies.path().to_str().unwrap(),
            ".",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "FAIL - ./ok.jsonnet - main - api runs 3 replicas (team payments, ratio 0.75)\n\n\
         1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
    assert!(
        stderr.starts_with(
            "Error: ./hog.jsonnet:1:1: Jsonnet: evaluation stopped: it needed more than 2 GiB of memory or failed ("
        ),
        "{stderr}"
    );
}
