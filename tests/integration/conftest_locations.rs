//! `paved test` places results by their `path` although it parses inputs without source
//! maps (the map is built again only for a file with such a result): in the elements of a
//! top-level array, in later YAML documents, and under `--combine`; and a parse error keeps
//! the wording the source map gives it.

use serde_json::{json, Value};

use crate::common::{run, tree};

const POLICY: &[u8] = b"package main

import rego.v1

deny contains {\"msg\": input.metadata.name, \"path\": [\"spec\", \"replicas\"]} if {
\tinput.kind == \"Deployment\"
}
";

const LIST: &[u8] = b"[
  {\"kind\": \"Service\", \"metadata\": {\"name\": \"front\"}},
  {\"kind\": \"Deployment\", \"metadata\": {\"name\": \"api\"},
   \"spec\": {\"replicas\": 1}}
]
";

const STREAM: &[u8] = b"kind: Service
metadata:
  name: front
---
kind: Deployment
metadata:
  name: worker
spec:
  template: {}
  replicas: 3
";

/// Each failure of a `-o json` report: (message, location).
fn failures(stdout: &str) -> Vec<(Value, Value)> {
    let results: Vec<Value> = serde_json::from_str(stdout).unwrap();
    results
        .iter()
        .flat_map(|r| r["failures"].as_array().cloned().unwrap_or_default())
        .map(|f| (f["msg"].clone(), f["location"].clone()))
        .collect()
}

#[test]
fn results_are_placed_in_array_elements_and_later_documents() {
    let dir = tree(&[
        ("policy/p.rego", POLICY),
        ("list.json", LIST),
        ("stream.yaml", STREAM),
    ]);
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (code, stdout, stderr) = run(&[
        "test",
        "-o",
        "json",
        "-p",
        &at("policy"),
        &at("list.json"),
        &at("stream.yaml"),
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        failures(&stdout),
        vec![
            (
                json!("api"),
                json!({"file": at("list.json"), "line": 4, "column": 13})
            ),
            (
                json!("worker"),
                json!({"file": at("stream.yaml"), "line": 10, "column": 3})
            ),
        ]
    );
}

#[test]
fn combined_results_are_placed_in_their_file() {
    let dir = tree(&[
        (
            "policy/p.rego",
            b"package main

import rego.v1

deny contains {\"msg\": d.path, \"path\": [i, \"contents\", \"spec\", \"replicas\"]} if {
\tsome i, d in input
\td.contents.kind == \"Deployment\"
}
",
        ),
        ("list.json", LIST),
        ("stream.yaml", STREAM),
    ]);
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (code, stdout, stderr) = run(&[
        "test",
        "--combine",
        "-o",
        "json",
        "-p",
        &at("policy"),
        &at("stream.yaml"),
        &at("list.json"),
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    // The list is one document under --combine: its Deployment is no `contents`.
    assert_eq!(
        failures(&stdout),
        vec![(
            json!(at("stream.yaml")),
            json!({"file": at("stream.yaml"), "line": 10, "column": 3})
        )]
    );
}

#[test]
fn a_duplicate_key_error_says_where_the_key_was_first() {
    let dir = tree(&[
        ("policy/p.rego", POLICY),
        (
            "dup.yaml",
            b"kind: Deployment\nmetadata:\n  name: a\n  name: b\n",
        ),
    ]);
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (code, stdout, stderr) = run(&["test", "-p", &at("policy"), &at("dup.yaml")]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "Error: {}:4:3: duplicate key `name` in a YAML mapping (first defined on line 3)\n",
            at("dup.yaml")
        )
    );
    assert_eq!(
        stdout,
        "\n0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions\n"
    );
}
