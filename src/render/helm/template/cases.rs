//! Conformance: every case under `tests/data/helm-engine/` (a template, its values and what
//! real Helm rendered from them, recorded by `bench/helm/record-engine-cases.py`) must
//! render the same here.

use std::collections::BTreeMap;
use std::path::Path;

use super::tests::dot;
use super::TemplateSet;

/// The sections of a case file: `=== values`, `=== template`, `=== expected` or `=== error`.
fn sections(text: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut current = None;
    for line in text.split('\n') {
        match line.strip_prefix("=== ") {
            Some(name) if ["values", "template", "expected", "error"].contains(&name) => {
                current = Some(name.to_string());
                out.entry(name.to_string()).or_default();
            }
            _ => {
                if let Some(name) = &current {
                    out.entry(name.clone()).or_default().push(line);
                }
            }
        }
    }
    out.into_iter().map(|(k, v)| (k, v.join("\n"))).collect()
}

#[test]
fn every_recorded_case_renders_as_helm_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/helm-engine");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for path in &names {
        let case = sections(&std::fs::read_to_string(path).unwrap());
        let values: serde_json::Value = serde_json::from_str(&case["values"]).unwrap();
        let mut set = TemplateSet::new();
        let result = set
            .add("mychart/templates/t.yaml", &case["template"])
            .and_then(|()| set.execute("mychart/templates/t.yaml", &dot(values)));
        let got = match result {
            Ok(r) => ("expected", r.text),
            Err(e) => ("error", e.message),
        };
        let want = case
            .get("expected")
            .map(|e| ("expected", e.clone()))
            .or_else(|| case.get("error").map(|e| ("error", e.clone())));
        if Some((got.0, got.1.clone())) != want {
            failures.push(format!("{}:\n got {got:?}\nwant {want:?}", path.display()));
        }
    }
    assert!(names.len() >= 5, "cases found: {}", names.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
