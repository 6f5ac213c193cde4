//! `paved audit report` on fixture result lines: every format, shard merging, the history
//! across two runs, and bad input that is reported without losing the rest.

use serde_json::Value;

use crate::common::{run, run_in, tree};

const SHARDS: [&str; 2] = [
    "fixtures/audit/org/run1-shard1.jsonl",
    "fixtures/audit/org/run1-shard2.jsonl",
];

fn report(args: &[&str]) -> (String, String) {
    let mut all = vec!["audit", "report"];
    all.extend(args);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{stderr}");
    (stdout, stderr)
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&report(&all).0).expect("one JSON document")
}

#[test]
fn markdown_goes_to_standard_output_by_default() {
    let (stdout, stderr) = report(&["fixtures/audit/small.jsonl"]);
    assert!(
        stdout.starts_with("# paved audit: 4 repositories\n"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "| `legacy` | (no owner) | none | bronze | `repository/codeowners` | 2 | 1 | 0 |"
    ));
    assert!(stdout.contains("- `https://git.example.com/org/infra.git`: clone failed"));
    assert_eq!(stderr, "");
}

#[test]
fn two_shards_merge_as_one_run_and_the_duplicate_is_noted() {
    let merged = json(&SHARDS);
    assert_eq!(merged["repositories"], 24);
    assert_eq!(merged["audited"], 23);
    assert_eq!(merged["failed"], 1);
    assert_eq!(
        merged["notes"],
        serde_json::json!([
            "warehouse-models appeared 2 times; kept the audit started 2026-11-20T03:30:00Z"
        ])
    );
    let names: Vec<&str> = merged["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repository"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(names, sorted, "one row per repository, sorted");
    // The shards in the other order merge to the same report.
    let reversed = json(&[SHARDS[1], SHARDS[0]]);
    assert_eq!(reversed, merged);
    let teams: Vec<&str> = merged["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["owner"].as_str().unwrap_or("(none)"))
        .collect();
    assert_eq!(
        teams,
        ["@acme/data", "@acme/payments", "@acme/platform", "(none)"]
    );
}

#[test]
fn an_html_output_file_gets_a_self_contained_page() {
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("audit.html");
    let mut args = SHARDS.to_vec();
    args.extend(["--output", output.to_str().unwrap()]);
    let (stdout, _) = report(&args);
    assert_eq!(stdout, "");
    let html = std::fs::read_to_string(&output).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
    assert_eq!(html.matches("<section id=\"repositories\">").count(), 1);
    assert!(!html.contains("<link") && !html.contains("src=\""));
}

#[test]
fn csv_has_one_row_per_repository_unit_and_rule() {
    let (stdout, _) = report(&["fixtures/audit/small.jsonl", "-f", "csv"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "repository,unit,owner,level,rule,pass,findings,error"
    );
    // 3 audited repositories × 4 rules, 2 unit rules, 1 repository that failed.
    assert_eq!(lines.len(), 1 + 12 + 2 + 1);
    assert!(lines.contains(
        &"payments,services/api,'@org/payments-api,silver,containers/healthcheck,false,1,"
    ));
}

#[test]
fn the_history_tells_what_changed_between_two_runs() {
    let directory = tempfile::tempdir().unwrap();
    let history = directory.path().join("paved-history.db");
    let history = history.to_str().unwrap();
    let first = json(&["fixtures/audit/small.jsonl", "--history", history]);
    assert_eq!(first["history"]["previous"], Value::Null);
    assert_eq!(first["history"]["trend"].as_array().unwrap().len(), 1);
    let second = json(&["fixtures/audit/small-next.jsonl", "--history", history]);
    assert_eq!(second["history"]["previous"], "2026-11-27T16:00:00.000Z");
    let legacy = second["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"] == "legacy")
        .unwrap();
    let fingerprints = |kind: &str| -> Vec<String> {
        legacy["changes"][kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(fingerprints("new"), ["f-leg-4"]);
    assert_eq!(fingerprints("fixed"), ["f-leg-2"]);
    assert_eq!(
        legacy["changes"]["still_failing"],
        serde_json::json!(["f-leg-1", "f-leg-3"])
    );
    // Reporting the second run again records nothing new.
    let again = json(&["fixtures/audit/small-next.jsonl", "--history", history]);
    assert_eq!(again["history"], second["history"]);
    let trend = again["history"]["trend"].as_array().unwrap();
    let gold: Vec<&Value> = trend.iter().map(|p| &p["levels"]["gold"]).collect();
    assert_eq!(gold, [1, 2]);
}

#[test]
fn unreadable_lines_are_reported_and_the_rest_still_make_the_report() {
    let results = tree(&[(
        "shard.jsonl",
        concat!(
            r#"{"schema":1,"repository":"api","source":"path","started":"2026-11-27T16:00:00Z","level":"gold","files":3}"#,
            "\n{\"schema\": 1, \"repository\": \n"
        )
        .as_bytes(),
    )]);
    let (code, stdout, stderr) = run_in(results.path(), &["audit", "report", "shard.jsonl"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: shard.jsonl:2: not JSON: "),
        "{stderr}"
    );
    assert!(stdout.contains("| 🥇 gold | 1 | 100% |"), "{stdout}");
    assert!(
        stdout.contains("- unreadable line shard.jsonl:2: not JSON"),
        "{stdout}"
    );
}

#[test]
fn a_missing_results_file_is_an_error_naming_it() {
    let (code, stdout, stderr) = run(&["audit", "report", "fixtures/audit/absent.jsonl"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: fixtures/audit/absent.jsonl: cannot read the results: "),
        "{stderr}"
    );
}

#[test]
fn a_history_that_is_not_one_is_reported_and_the_report_still_written() {
    let directory = tree(&[(
        "history.db",
        b"plain text, not a SQLite database at all......",
    )]);
    let history = directory.path().join("history.db");
    let (code, stdout, stderr) = run(&[
        "audit",
        "report",
        "fixtures/audit/small.jsonl",
        "--history",
        history.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("history.db: cannot use the history: "),
        "{stderr}"
    );
    assert!(stdout.starts_with("# paved audit: 4 repositories"));
}
