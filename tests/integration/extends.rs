//! `extends` in paved.toml: an organisation's configuration composed with a repository's,
//! required rules no repository may opt out of, and `paved config` saying where each value
//! came from.

use crate::common::{concise, run_in, tree};

const UNTAGGED: &[u8] = b"resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n  tags = {\n    cost-center = \"42\"\n  }\n}\n";

const ORG: &[u8] = b"# The organisation's standard.
fail-level = \"warning\"
exclude = [\"vendor\"]
required = [\"terraform/owner-tags\"]

[rules.severity]
\"terraform/owner-tags\" = \"warning\"

[policy.config.terraform]
owner_tag_keys = [\"owner\", \"team\"]
";

const REPO: &[u8] = b"extends = [\"../org/paved.toml\"]
fail-level = \"error\"
exclude = [\"generated\"]

[rules]
select = [\"terraform/*\"]
";

const DEPLOYMENT: &[u8] =
    b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template: {}\n";

/// A rule of a user bundle: a Deployment without `replicas`.
const REPLICAS_RULE: &[u8] = b"# METADATA
# title: Deployments set replicas
# custom:
#   id: acme/replicas
#   severity: warning
#   input: kubernetes
package acme.replicas

import rego.v1

deny contains {\"msg\": \"no replicas\", \"path\": [\"spec\"]} if {
\tinput.kind == \"Deployment\"
\tnot input.spec.replicas
}
";

#[test]
fn the_repository_is_composed_on_top_of_the_organisation() {
    let dir = tree(&[
        ("org/paved.toml", ORG),
        ("repo/paved.toml", REPO),
        ("repo/infra/main.tf", UNTAGGED),
    ]);
    let repo = dir.path().join("repo");
    // The organisation's level and tag keys; the repository's fail level.
    let (code, stdout, stderr) = run_in(&repo, &["lint", "-f", "concise"]);
    assert_eq!(
        (code, concise(&stdout)),
        (0, vec!["infra/main.tf:3:3: warning [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)"]),
        "{stderr}"
    );
    let (code, stdout, stderr) = run_in(&repo, &["config"]);
    assert_eq!(code, 0, "{stderr}");
    let found = repo.canonicalize().unwrap().join("paved.toml");
    assert_eq!(
        stdout,
        format!(
            "# from {}\n{}",
            found.display(),
            "exclude = [\"vendor\", \"generated\"]   # from ../org/paved.toml:3, paved.toml:3
fail-level = \"error\"   # from paved.toml:2
required = [\"terraform/owner-tags\"]   # from ../org/paved.toml:4

[rules]
select = [\"terraform/*\", \"terraform/owner-tags\"]   # from paved.toml:6, ../org/paved.toml:4

[rules.severity]
\"terraform/owner-tags\" = \"warning\"   # from ../org/paved.toml:7

[policy.config.terraform]
owner_tag_keys = [\"owner\", \"team\"]   # from ../org/paved.toml:10

[suppressions]
allow-inline = true
require-reason = true
forbid-inline = [\"terraform/owner-tags\"]   # from ../org/paved.toml:4
"
        )
    );
}

#[test]
fn config_json_has_an_origins_map() {
    let dir = tree(&[("org/paved.toml", ORG), ("repo/paved.toml", REPO)]);
    let repo = dir.path().join("repo");
    let (code, stdout, stderr) = run_in(&repo, &["config", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        document["origins"],
        serde_json::json!({
            "exclude": ["../org/paved.toml:3", "paved.toml:3"],
            "fail-level": ["paved.toml:2"],
            "policy.config.terraform.owner_tag_keys": ["../org/paved.toml:10", "../org/paved.toml:10"],
            "required": ["../org/paved.toml:4"],
            "rules.select": ["paved.toml:6", "../org/paved.toml:4"],
            "rules.severity.\"terraform/owner-tags\"": ["../org/paved.toml:7"],
            "suppressions.forbid-inline": ["../org/paved.toml:4"],
        })
    );
    assert_eq!(document["config"]["fail-level"], "error");
    assert_eq!(
        document["config"]["exclude"],
        serde_json::json!(["vendor", "generated"])
    );
    let found = repo.canonicalize().unwrap().join("paved.toml");
    assert_eq!(document["file"], found.display().to_string());
}

#[test]
fn opting_out_of_a_required_rule_is_refused_at_its_line() {
    let opt_out = [REPO, b"ignore = [\"terraform/owner-tags\"]\n"].concat();
    let dir = tree(&[
        ("org/paved.toml", ORG),
        ("repo/paved.toml", &opt_out),
        ("repo/infra/main.tf", UNTAGGED),
    ]);
    let (code, stdout, stderr) = run_in(&dir.path().join("repo"), &["lint", "-f", "concise"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: paved.toml:7:11: forbidden opt-out: `terraform/owner-tags` is required by \
         ../org/paved.toml:4; a configuration that extends it may not ignore it\n"
    );
    // Inline, the required rule cannot be ignored either: the ignore is itself reported.
    let ignored = [
        b"# paved:ignore terraform/owner-tags -- legacy queue\n".as_slice(),
        UNTAGGED,
    ]
    .concat();
    let dir = tree(&[
        ("org/paved.toml", ORG),
        ("repo/paved.toml", REPO),
        ("repo/infra/main.tf", &ignored),
    ]);
    let (_, stdout, _) = run_in(&dir.path().join("repo"), &["lint", "-f", "concise"]);
    assert!(
        stdout.contains("[terraform/owner-tags] aws_sqs_queue.q has no owner tag"),
        "{stdout}"
    );
}

#[test]
fn a_chain_resolves_each_files_paths_relative_to_that_file() {
    let dir = tree(&[
        ("c/root.toml", b"builtin = false\npolicies = [\"policy\"]\n"),
        ("c/policy/replicas.rego", REPLICAS_RULE),
        (
            "b/base.toml",
            b"extends = [\"../c/root.toml\"]\nfail-level = \"warning\"\n",
        ),
        ("a/paved.toml", b"extends = [\"../b/base.toml\"]\n"),
        ("a/k8s/app.yaml", DEPLOYMENT),
    ]);
    let a = dir.path().join("a");
    let (code, stdout, stderr) = run_in(&a, &["lint", "-f", "concise"]);
    assert_eq!(
        (code, concise(&stdout)),
        (
            1,
            vec!["k8s/app.yaml:5:1: warning [acme/replicas] no replicas"]
        ),
        "{stderr}"
    );
    let (_, stdout, _) = run_in(&a, &["config"]);
    assert!(
        stdout.contains("policies = [\"../c/policy\"]   # from ../c/root.toml:2\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fail-level = \"warning\"   # from ../b/base.toml:2\n"),
        "{stdout}"
    );
}

#[test]
fn a_cycle_is_an_error_naming_it() {
    let dir = tree(&[
        ("a/paved.toml", b"extends = [\"../b/base.toml\"]\n"),
        (
            "b/base.toml",
            b"fail-level = \"info\"\nextends = [\"../a/paved.toml\"]\n",
        ),
    ]);
    let (code, _, stderr) = run_in(&dir.path().join("a"), &["config"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: ../b/base.toml:2:12: `extends` cycle: paved.toml → ../b/base.toml → ../a/paved.toml\n"
        )
    );
}

#[test]
fn a_chain_deeper_than_the_bound_is_an_error() {
    let files: Vec<(String, Vec<u8>)> = (0..11)
        .map(|i| {
            let name = if i == 0 {
                "paved.toml".to_string()
            } else {
                format!("f{i}.toml")
            };
            (
                name,
                format!("extends = [\"f{}.toml\"]\n", i + 1).into_bytes(),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_slice()))
        .collect();
    let dir = tree(&files);
    let (code, _, stderr) = run_in(dir.path(), &["config"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: f8.toml:1:12: `extends` goes more than 8 files deep\n"
        )
    );
}

#[test]
fn what_cannot_be_extended_is_an_error_at_its_entry() {
    let dir = tree(&[
        ("org/waived.toml", b"[[waiver]]\nrule = \"a/b\"\npaths = [\"x\"]\nreason = \"r\"\nowner = \"o\"\nexpires = 2099-01-01\n"),
        ("org/broken.toml", b"fail-level = \"loud\"\n"),
        ("repo/a.yaml", b"a: 1\n"),
    ]);
    let repo = dir.path().join("repo");
    let config = |text: &str| {
        std::fs::write(repo.join("paved.toml"), text).unwrap();
        let (code, stdout, stderr) = run_in(&repo, &["config"]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{text}");
        stderr
    };
    // A remote entry the lock does not pin is not fetched (tests/integration/sources.rs
    // fetches pinned ones).
    std::fs::write(repo.join("paved.lock"), "").unwrap();
    assert_eq!(
        config("extends = [\"oci://registry.example/org-config:v3\"]\n"),
        "error: paved.toml:1:12: policy source `oci://registry.example/org-config:v3` is not \
         pinned in paved.lock: run `paved lock` to pin it\n"
    );
    std::fs::remove_file(repo.join("paved.lock")).unwrap();
    assert_eq!(
        config("fail-level = \"info\"\nextends = [\"../org/missing.toml\"]\n"),
        "error: paved.toml:2:12: cannot read `../org/missing.toml`: No such file or directory (os error 2)\n"
    );
    assert_eq!(
        config("extends = [\"../org/broken.toml\"]\n"),
        "error: ../org/broken.toml:1:15: unknown fail-level `loud` (expected error, warning, info or never)\n"
    );
    assert_eq!(
        config("extends = [\"../org/waived.toml\"]\n"),
        "error: ../org/waived.toml:1:1: waivers and baselines belong in a repository's own \
         paved.toml, not in a file it extends\n"
    );
}
