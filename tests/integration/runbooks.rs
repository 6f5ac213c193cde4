//! ownership/runbook: a `runbook_url` on the service's alerts is its runbook.

use crate::common::{concise, run_in, tree};

fn runbook_findings(alert_annotations: &str) -> Vec<String> {
    let rules = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: api}}\nspec:\n  groups:\n    - name: api\n      rules:\n        - alert: ApiDown\n          expr: up == 0\n          annotations: {alert_annotations}\n"
    );
    let dir = tree(&[
        ("Dockerfile", b"FROM alpine:3.20\n"),
        ("deploy/alerts.yaml", rules.as_bytes()),
    ]);
    let (_, stdout, stderr) = run_in(
        dir.path(),
        &["lint", "-f", "concise", "--select", "ownership/runbook"],
    );
    assert!(stderr.is_empty(), "{stderr}");
    concise(&stdout).iter().map(|l| l.to_string()).collect()
}

#[test]
fn an_alert_linking_its_runbook_is_a_runbook() {
    assert!(runbook_findings("{runbook_url: 'https://runbooks.example.com/api-down'}").is_empty());
}

#[test]
fn alerts_without_runbook_links_are_not() {
    assert_eq!(
        runbook_findings("{summary: API down}"),
        [".: info [ownership/runbook] no runbook: the service has no RUNBOOK.md and no catalog entity linking one"]
    );
}
