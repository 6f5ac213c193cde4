//! The examples of the documentation work as written.

use crate::common::{concise, root, run_in, tree};

const DEPLOYMENT: &[u8] = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n";

/// The first ```rego block of docs/policies.md: the example rule.
fn policies_example() -> String {
    let text = std::fs::read_to_string(root().join("docs/policies.md")).unwrap();
    let start = text.find("```rego\n").expect("a rego example") + "```rego\n".len();
    let end = start + text[start..].find("```").expect("the example's end");
    text[start..end].to_string()
}

fn lint(dir: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["lint", "--no-config", "-p", "policy", "-f", "concise"];
    args.extend(extra);
    args.push("k8s/app.yaml");
    run_in(dir, &args)
}

#[test]
fn the_policies_example_runs_with_and_without_the_builtin_bundle() {
    let example = policies_example();
    let repo = tree(&[
        ("policy/memory_limits.rego", example.as_bytes()),
        ("k8s/app.yaml", DEPLOYMENT),
    ]);
    let finding =
        "k8s/app.yaml:9:11: error [acme/memory-limits] container \"api\" has no memory limit";
    let (code, stdout, stderr) = lint(repo.path(), &["--no-builtin"]);
    assert_eq!((code, concise(&stdout)), (1, vec![finding]), "{stderr}");
    let (code, stdout, stderr) = lint(repo.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(concise(&stdout).contains(&finding), "{stdout}");
}

#[test]
fn a_user_rule_may_not_take_a_builtin_package_or_id() {
    let example = policies_example();
    let in_builtin_package = example.replace(
        "package acme.memory_limits",
        "package paved.kubernetes.resource_limits",
    );
    let repo = tree(&[
        ("policy/memory_limits.rego", in_builtin_package.as_bytes()),
        ("k8s/app.yaml", DEPLOYMENT),
    ]);
    let (code, stdout, stderr) = lint(repo.path(), &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: policy/memory_limits.rego: package paved.kubernetes.resource_limits is a \
         built-in package (builtin:kubernetes/resource_limits.rego); give yours a name of its own\n"
    );
    let (code, _, stderr) = lint(repo.path(), &["--no-builtin"]);
    assert_eq!(code, 1, "alone, the package is the user's: {stderr}");

    let builtin_id = example.replace("id: acme/memory-limits", "id: kubernetes/resource-limits");
    let repo = tree(&[
        ("policy/memory_limits.rego", builtin_id.as_bytes()),
        ("k8s/app.yaml", DEPLOYMENT),
    ]);
    let (code, _, stderr) = lint(repo.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "rule id `kubernetes/resource-limits` is already used by package \
             paved.kubernetes.resource_limits (builtin:kubernetes/resource_limits.rego)"
        ),
        "{stderr}"
    );
}
