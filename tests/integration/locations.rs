//! Exact locations: for every finding of the location fixtures, the rule, the span and the
//! source text under it, snapshotted; and the same findings in each output format.

use serde_json::{json, Value};

use crate::common::{root, run, run_in, tree};

const ARGS: [&str; 5] = [
    "lint",
    "--no-builtin",
    "-p",
    "fixtures/policies/locations",
    "fixtures/locations",
];

/// The text between two 1-based (line, character column) positions of a file.
fn text_under(file: &str, start: &Value, end: &Value) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let column = position["column"].as_u64().unwrap() as usize;
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        line_start
            + text[line_start..]
                .chars()
                .take(column - 1)
                .map(char::len_utf8)
                .sum::<usize>()
    };
    text[offset(start)..offset(end)].to_string()
}

fn findings(format_args: &[&str]) -> (i32, String) {
    let mut args = ARGS.to_vec();
    args.extend(format_args);
    let (code, stdout, _) = run(&args);
    (code, stdout)
}

#[test]
fn every_finding_points_at_the_exact_span() {
    let (code, stdout) = findings(&["-f", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let rows: Vec<Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let location = &f["location"];
            let (start, end) = (&location["start"], &location["end"]);
            json!({
                "rule": f["rule"],
                "at": format!("{}:{}:{}-{}:{}", location["file"].as_str().unwrap(), start["line"], start["column"], end["line"], end["column"]),
                "text": text_under(location["file"].as_str().unwrap(), start, end),
                "label": f["label"],
                "document": f["document"],
            })
        })
        .collect();
    insta::assert_json_snapshot!(rows);
}

#[test]
fn concise_format() {
    let (_, stdout) = findings(&["-f", "concise"]);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("Checked "))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn text_format_annotates_the_span() {
    let (_, stdout) = findings(&[
        "--color",
        "never",
        "fixtures/locations/unicode.yaml",
        "fixtures/locations/stack.yaml",
    ]);
    let body: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("Checked "))
        .collect();
    insta::assert_snapshot!(body.join("\n"));
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let (_, always) = findings(&["--color", "always", "fixtures/locations/unicode.yaml"]);
    assert!(always.contains('\u{1b}'));
    let (_, auto) = findings(&["fixtures/locations/unicode.yaml"]);
    assert!(
        !auto.contains('\u{1b}'),
        "stdout is a pipe here, and NO_COLOR is set"
    );
}

#[test]
fn a_minified_file_shows_its_finding_not_its_whole_line() {
    // `kubectl get -o json | jq -c`: one line, the finding far along it.
    let annotation = "x".repeat(20_000);
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "annotations": {"note": annotation}},
        "spec": {"selector": {"matchLabels": {"app": "api"}}, "template": {
            "metadata": {"labels": {"app": "api"}},
            "spec": {"containers": [{"name": "api", "image": "nginx:1.27"}]}}}
    });
    let dir = tree(&[("deploy.json", deployment.to_string().as_bytes())]);
    let args = [
        "lint",
        "--select",
        "kubernetes/resource-limits",
        "--color",
        "never",
    ];
    let (code, text, _) = run_in(dir.path(), &[&args[..], &["deploy.json"]].concat());
    assert_eq!(code, 1, "{text}");
    let (_, concise, _) = run_in(
        dir.path(),
        &[&args[..], &["-f", "concise", "deploy.json"]].concat(),
    );
    let place = concise.lines().next().unwrap().split(": ").next().unwrap();
    assert!(place.starts_with("deploy.json:1:2"), "{concise}");
    assert!(text.contains(&format!("╭─[{place}]")), "{text}");
    assert!(text.contains("\"name\":\"api\""), "{text}");
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(
        widest < 300,
        "a snippet line of {widest} characters:\n{text}"
    );
}
