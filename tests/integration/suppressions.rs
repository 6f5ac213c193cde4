//! Every suppression path: inline ignores (line and block, each comment style), missing
//! reasons, waivers (expired, unused), forbidden ignores, `--no-ignores`, and the baseline.

use crate::common::{concise, run_in, tree};

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:latest
        - name: proxy
          image: proxy:latest
";

fn lint(dir: &std::path::Path, extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec![
        "lint",
        "-f",
        "concise",
        "--select",
        "kubernetes/image-pinned",
        "--select",
        "terraform/owner-tags",
        "--select",
        "containers/non-root-user",
        "--show-suppressed",
    ];
    args.extend(extra);
    let (code, stdout, stderr) = run_in(dir, &args);
    assert!(stderr.is_empty(), "{stderr}");
    (
        code,
        concise(&stdout).iter().map(|l| l.to_string()).collect(),
    )
}

#[test]
fn inline_ignore_on_the_line_and_the_line_above() {
    let yaml = DEPLOYMENT
        .replace("image: api:latest", "image: api:latest # paved:ignore kubernetes/image-pinned -- pinned by the deploy tool")
        .replace("        - name: proxy\n          image: proxy:latest", "        - name: proxy\n          # paved:ignore kubernetes/image-pinned -- sidecar injected at deploy\n          image: proxy:latest");
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 0, "{lines:#?}");
    assert_eq!(
        lines,
        [
            "Suppressed (2):",
            "  k8s/api.yaml:10:11: [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest — inline at k8s/api.yaml:10: pinned by the deploy tool",
            "  k8s/api.yaml:13:11: [kubernetes/image-pinned] container \"proxy\" uses image \"proxy:latest\", tagged latest — inline at k8s/api.yaml:12: sidecar injected at deploy",
        ]
    );
}

#[test]
fn block_ignore_on_a_mapping_key_covers_what_is_below() {
    let yaml = DEPLOYMENT.replace("      containers:", "      # paved:ignore kubernetes/image-pinned -- images are pinned by Argo CD\n      containers:");
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines
            .iter()
            .skip(1)
            .all(|l| l.ends_with("inline at k8s/api.yaml:8: images are pinned by Argo CD")),
        "{lines:#?}"
    );
}

#[test]
fn terraform_block_headers_with_hash_and_slash_comments_and_dockerfiles() {
    let tf = "# paved:ignore terraform/owner-tags -- shared bucket, owned by the org\nresource \"aws_s3_bucket\" \"shared\" {\n  bucket = \"shared\"\n}\n\nresource \"aws_s3_bucket\" \"mine\" { // paved:ignore terraform/owner-tags -- tagged by the module\n  bucket = \"mine\"\n}\n\nresource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n";
    let dockerfile = "# paved:ignore containers/non-root-user -- needs root to bind port 80\nFROM alpine:3.20\nRUN apk add nginx\n";
    let repo = tree(&[
        ("main.tf", tf.as_bytes()),
        ("Dockerfile", dockerfile.as_bytes()),
    ]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(lines[0], "main.tf:10:1: error [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)");
    assert_eq!(lines[1], "Suppressed (3):");
    assert!(
        lines[2].starts_with("  Dockerfile:2:1: [containers/non-root-user]"),
        "{lines:#?}"
    );
    assert!(
        lines[3].starts_with("  main.tf:2:1: [terraform/owner-tags]"),
        "{lines:#?}"
    );
    assert!(
        lines[4].starts_with("  main.tf:6:1: [terraform/owner-tags]"),
        "{lines:#?}"
    );
    assert!(
        lines[4].ends_with("inline at main.tf:6: tagged by the module"),
        "{lines:#?}"
    );
}

#[test]
fn an_ignore_without_a_reason_does_not_apply() {
    let yaml = DEPLOYMENT.replace(
        "image: api:latest",
        "image: api:latest # paved:ignore kubernetes/image-pinned",
    );
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "k8s/api.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest",
            "k8s/api.yaml:10:29: warning [paved/missing-reason] this paved:ignore has no reason; write `-- why` after the rule ids, or it does not apply",
            "k8s/api.yaml:12:11: error [kubernetes/image-pinned] container \"proxy\" uses image \"proxy:latest\", tagged latest",
        ]
    );
    // Unless the organisation does not ask for reasons.
    std::fs::write(
        repo.path().join("paved.toml"),
        "[suppressions]\nrequire-reason = false\n",
    )
    .unwrap();
    let (_, lines) = lint(repo.path(), &[]);
    assert_eq!(
        lines.len(),
        3,
        "one finding, the suppressed heading and line: {lines:#?}"
    );
}

#[test]
fn unused_and_forbidden_inline_ignores_are_findings() {
    let yaml = DEPLOYMENT.replace(
        "  name: api",
        "  name: api # paved:ignore kubernetes/image-pinned -- nothing here",
    );
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (_, lines) = lint(repo.path(), &[]);
    assert!(lines.contains(&"k8s/api.yaml:4:13: warning [paved/unused-suppression] this paved:ignore for `kubernetes/image-pinned` matches no finding; remove it".to_string()), "{lines:#?}");

    // An ignore for a rule that did not run (not selected) is not called unused.
    let other_rule = DEPLOYMENT.replace(
        "  name: api",
        "  name: api # paved:ignore kubernetes/probes -- not selected here",
    );
    std::fs::write(repo.path().join("k8s/api.yaml"), &other_rule).unwrap();
    let (_, lines) = lint(repo.path(), &[]);
    assert!(
        !lines.iter().any(|l| l.contains("unused-suppression")),
        "{lines:#?}"
    );

    let forbidden = DEPLOYMENT.replace(
        "image: api:latest",
        "image: api:latest # paved:ignore kubernetes/image-pinned -- please",
    );
    std::fs::write(repo.path().join("k8s/api.yaml"), &forbidden).unwrap();
    std::fs::write(
        repo.path().join("paved.toml"),
        "[suppressions]\nforbid-inline = [\"kubernetes/*\"]\n",
    )
    .unwrap();
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert!(lines.contains(&"k8s/api.yaml:10:29: error [paved/forbidden-suppression] `kubernetes/image-pinned` may not be ignored inline here; ask for a waiver in paved.toml".to_string()), "{lines:#?}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("[kubernetes/image-pinned]"))
            .count(),
        2,
        "both findings stay"
    );

    std::fs::write(
        repo.path().join("paved.toml"),
        "[suppressions]\nallow-inline = false\n",
    )
    .unwrap();
    let (_, lines) = lint(repo.path(), &[]);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("inline ignores are turned off here")),
        "{lines:#?}"
    );
}

#[test]
fn waivers_suppress_until_they_expire_and_unused_ones_are_reported() {
    let config = "[[waiver]]\nrule = \"kubernetes/image-pinned\"\npaths = [\"legacy/**\"]\nreason = \"legacy stack, replaced in Q1\"\nowner = \"@org/platform\"\nexpires = 2099-12-31\n\n[[waiver]]\nrule = \"terraform/owner-tags\"\npaths = [\"**\"]\nreason = \"tags come later\"\nowner = \"@org/infra\"\nexpires = 2020-01-01\n\n[[waiver]]\nrule = \"containers/*\"\npaths = [\"nowhere/**\"]\nreason = \"none\"\nowner = \"@org/x\"\nexpires = 2099-01-01\n";
    let repo = tree(&[
        ("paved.toml", config.as_bytes()),
        ("legacy/api.yaml", DEPLOYMENT.as_bytes()),
        (
            "main.tf",
            b"resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n",
        ),
    ]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "main.tf:1:1: error [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)",
            "paved.toml:8:1: error [paved/expired-waiver] the waiver for `terraform/owner-tags` (owner @org/infra) expired on 2020-01-01; fix the findings or renew it",
            "paved.toml:15:1: warning [paved/unused-suppression] the waiver for `containers/*` on nowhere/** matches no finding; remove it",
            "Suppressed (2):",
            "  legacy/api.yaml:10:11: [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest — waiver at paved.toml:1, owner @org/platform, expires 2099-12-31: legacy stack, replaced in Q1",
            "  legacy/api.yaml:12:11: [kubernetes/image-pinned] container \"proxy\" uses image \"proxy:latest\", tagged latest — waiver at paved.toml:1, owner @org/platform, expires 2099-12-31: legacy stack, replaced in Q1",
        ]
    );
    let (_, everything) = lint(repo.path(), &["--no-ignores"]);
    assert_eq!(
        everything
            .iter()
            .filter(|l| l.contains("[kubernetes/image-pinned]"))
            .count(),
        2
    );
    assert!(
        !everything.iter().any(|l| l.contains("paved/")),
        "{everything:#?}"
    );
}

#[test]
fn the_baseline_survives_line_shifts_and_reports_changed_and_fixed_findings() {
    let repo = tree(&[("k8s/api.yaml", DEPLOYMENT.as_bytes())]);
    let dir = repo.path();
    let (code, _, stderr) = run_in(dir, &["baseline", "--select", "kubernetes/image-pinned"]);
    assert_eq!(code, 0);
    assert_eq!(stderr.trim(), "wrote 2 findings to paved-baseline.json");
    // Unrelated lines above: nothing new.
    let shifted = format!("# Deployed by Argo CD.\n# Owner: payments.\n{DEPLOYMENT}");
    std::fs::write(dir.join("k8s/api.yaml"), &shifted).unwrap();
    let (code, lines) = lint(dir, &["--baseline", "paved-baseline.json"]);
    assert_eq!(code, 0, "{lines:#?}");
    assert_eq!(
        lines.iter().filter(|l| l.contains("— baseline")).count(),
        2,
        "{lines:#?}"
    );
    // The proxy's image changes (a changed finding) and the api's is fixed.
    let changed = shifted
        .replace("proxy:latest", "proxy2:latest")
        .replace("api:latest", "api:1.4.2");
    std::fs::write(dir.join("k8s/api.yaml"), &changed).unwrap();
    let (code, stdout, _) = run_in(
        dir,
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/image-pinned",
            "--baseline",
            "paved-baseline.json",
        ],
    );
    assert_eq!(code, 1);
    let lines = concise(&stdout);
    assert_eq!(lines, ["k8s/api.yaml:14:11: error [kubernetes/image-pinned] container \"proxy\" uses image \"proxy2:latest\", tagged latest"]);
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with("; 2 fixed since the baseline"),
        "{stdout}"
    );
    let (_, sarif, _) = run_in(
        dir,
        &[
            "lint",
            "-f",
            "sarif",
            "--select",
            "kubernetes/image-pinned",
            "--baseline",
            "paved-baseline.json",
        ],
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["new", "absent", "absent"]);
}

#[test]
fn a_baseline_of_an_unknown_version_is_refused() {
    let repo = tree(&[
        ("k8s/api.yaml", DEPLOYMENT.as_bytes()),
        ("old.json", b"{\"version\": 7, \"findings\": []}"),
        ("v1.json", b"{\"version\": 1, \"findings\": []}"),
    ]);
    let (code, stdout, stderr) = run_in(
        repo.path(),
        &["lint", "-f", "concise", "--baseline", "old.json"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("old.json: baseline version 7 is not one paved reads (it reads version 2)"),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(repo.path(), &["lint", "--baseline", "v1.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: v1.json: this baseline was written by an older paved, whose fingerprints changed with the text around a finding; write it again with `paved baseline -o v1.json`\n"
    );
}

#[test]
fn an_ignore_naming_no_rule_or_a_misspelt_rule_is_reported() {
    let yaml = DEPLOYMENT
        .replace(
            "image: api:latest",
            "image: api:latest # paved:ignore -- forgot the rule",
        )
        .replace(
            "image: proxy:latest",
            "image: proxy:latest # paved:ignore kubernetes/image-pined, kubernetes/probes -- typo",
        );
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "k8s/api.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest",
            "k8s/api.yaml:10:29: warning [paved/invalid-suppression] this paved:ignore names no rule; write the ids of the rules it ignores before `--`",
            "k8s/api.yaml:12:11: error [kubernetes/image-pinned] container \"proxy\" uses image \"proxy:latest\", tagged latest",
            "k8s/api.yaml:12:31: warning [paved/invalid-suppression] this paved:ignore names `kubernetes/image-pined`, which is not a rule paved knows; check the spelling",
        ]
    );
}

#[test]
fn an_ignore_inside_a_yaml_block_scalar_is_text_not_a_comment() {
    let yaml = DEPLOYMENT.replace(
        "        - name: api\n",
        "        - name: api\n          args:\n            - |\n              # paved:ignore kubernetes/image-pinned -- inside a script\n",
    );
    let repo = tree(&[("k8s/api.yaml", yaml.as_bytes())]);
    let (code, lines) = lint(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "k8s/api.yaml:13:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest",
            "k8s/api.yaml:15:11: error [kubernetes/image-pinned] container \"proxy\" uses image \"proxy:latest\", tagged latest",
        ]
    );
}
