//! The built-in bundle on realistic repositories: a compliant service, a half-compliant one
//! (in lint.rs) and a monorepo with configuration, a waiver and an inline ignore.

use crate::common::{concise, run};

#[test]
fn a_compliant_python_service_has_no_findings() {
    let (code, stdout, stderr) = run(&["lint", "fixtures/repos/python-service", "-f", "concise"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(concise(&stdout), Vec::<&str>::new());
    assert!(
        stdout.starts_with("Checked 16 files and 19 documents"),
        "{stdout}"
    );
}

#[test]
fn the_monorepo_is_judged_per_service_with_its_configuration() {
    let (code, stdout, stderr) = run(&[
        "lint",
        "fixtures/repos/platform-monorepo",
        "-f",
        "concise",
        "--show-suppressed",
    ]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(concise(&stdout).join("\n"));
    // Per service: the web service lacks tracing and tests; the orders service does not.
    assert!(stdout.contains(
        "fixtures/repos/platform-monorepo/services/web/package.json: warning [observability/tracing]"
    ));
    assert!(!stdout.lines().any(|l| l
        .starts_with("fixtures/repos/platform-monorepo/services/orders/")
        && l.contains("[observability/tracing]")));
    // The organisation's owner tag key in paved.toml is honoured; without the config it is not.
    let (_, without, _) = run(&[
        "lint",
        "fixtures/repos/platform-monorepo",
        "-f",
        "concise",
        "--no-config",
        "--select",
        "terraform/owner-tags",
    ]);
    assert!(
        without.contains("aws_s3_bucket.recommender_artifacts"),
        "{without}"
    );
}
