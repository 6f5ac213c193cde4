//! A gate that cannot lie: a run in which no rule runs fails, and paved's own rules are
//! rules like any other.

use crate::common::{concise, run, run_in, tree};

const BROKEN: &[u8] = b"apiVersion: v1\nkind: Pod\nmetadata: [\n";

#[test]
fn configuration_that_names_no_rule_is_an_error() {
    let dir = tree(&[("a.yaml", b"a: 1\n")]);
    for (args, named) in [
        (
            vec!["--select", "kubernetes/no-such-rule"],
            "select names `kubernetes/no-such-rule`",
        ),
        (vec!["--select", "nothing/*"], "select names `nothing/*`"),
        (
            vec!["--ignore", "kubernets/*"],
            "ignore names `kubernets/*`",
        ),
    ] {
        let mut all = vec!["lint"];
        all.extend(args);
        all.push("a.yaml");
        let (code, _, stderr) = run_in(dir.path(), &all);
        assert_eq!(code, 2, "{all:?}");
        assert_eq!(
            stderr,
            format!(
                "error: this matches no rule of the loaded bundles (`paved rules` lists them): {named}\n"
            )
        );
    }
    let config = tree(&[
        ("a.yaml", b"a: 1\n"),
        (
            "paved.toml",
            b"[rules]\nselect = [\"kubernetes/*\"]\nseverity = { \"kubernetes/probez\" = \"info\" }\n\n[[waiver]]\nrule = \"terraform/owner-tag\"\npaths = [\"*.tf\"]\nreason = \"legacy\"\nowner = \"@org/platform\"\nexpires = 2099-01-01\n",
        ),
    ]);
    let (code, _, stderr) = run_in(config.path(), &["lint", "a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: these match no rule of the loaded bundles (`paved rules` lists them): a severity override names `kubernetes/probez`; a waiver names `terraform/owner-tag`\n"
    );
}

#[test]
fn an_empty_policy_directory_is_an_error_not_a_pass() {
    let dir = tree(&[
        ("a.yaml", b"a: 1\n"),
        ("policy/README.md", b"no rules yet\n"),
    ]);
    let (code, _, stderr) = run_in(
        dir.path(),
        &["lint", "--no-builtin", "-p", "policy", "a.yaml"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no rule to run: the bundles loaded have no deny, violation or warn rule\n"
    );
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--ignore", "*", "a.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no rule to run: the bundles loaded have no deny, violation or warn rule left after select and ignore\n"
    );
}

#[test]
fn parse_error_is_listed_explained_ignorable_and_re_severitied() {
    let (_, rules, _) = run(&["rules"]);
    assert!(rules
        .lines()
        .any(|l| l.starts_with("parse-error") && l.ends_with("The file cannot be parsed")));
    let (code, explained, _) = run(&["explain", "parse-error"]);
    assert_eq!(code, 0);
    assert!(explained.contains("Runs on: every file paved reads (paved's own check)"));

    let dir = tree(&[("broken.yaml", BROKEN)]);
    let (code, stdout, _) = run_in(dir.path(), &["lint", "-f", "concise", "broken.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        concise(&stdout),
        ["broken.yaml:4:1: error [parse-error] invalid YAML: while parsing a node, did not find expected node content"]
    );
    // A narrow selection does not hide a file no rule could read.
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/*",
            "broken.yaml",
        ],
    );
    assert_eq!(concise(&stdout).len(), 1);
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--ignore",
            "parse-error",
            "broken.yaml",
        ],
    );
    assert_eq!((code, concise(&stdout).len()), (0, 0));
    std::fs::write(
        dir.path().join("paved.toml"),
        "[rules]\nseverity = { \"parse-error\" = \"warning\" }\n",
    )
    .unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["lint", "-f", "concise", "broken.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(
        concise(&stdout),
        ["broken.yaml:4:1: warning [parse-error] invalid YAML: while parsing a node, did not find expected node content"]
    );
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.2.3
          env:
            - name: MODE
              value: prod
        - name: sidecar
          image: registry.example.com/proxy:2.0.0
";

/// The findings `lint --baseline` still reports after an edit: (concise lines, fixed count).
fn new_after_edit(dir: &std::path::Path, edited: &str) -> Vec<String> {
    std::fs::write(dir.join("deploy.yaml"), edited).unwrap();
    let (_, stdout, stderr) = run_in(
        dir,
        &["lint", "-f", "concise", "--baseline", "baseline.json", "."],
    );
    assert!(stderr.is_empty(), "{stderr}");
    concise(&stdout).iter().map(|l| l.to_string()).collect()
}

#[test]
fn fingerprints_survive_the_edits_people_make() {
    let dir = tree(&[("deploy.yaml", DEPLOYMENT.as_bytes())]);
    let (code, _, stderr) = run_in(dir.path(), &["baseline", "-o", "baseline.json", "."]);
    assert_eq!(code, 0, "{stderr}");
    let env_added = DEPLOYMENT.replace(
        "              value: prod\n",
        "              value: prod\n            - name: LOG_LEVEL\n              value: debug\n",
    );
    let (api, sidecar) = DEPLOYMENT.split_at(DEPLOYMENT.find("        - name: sidecar").unwrap());
    let (head, api) = api.split_at(api.find("        - name: api").unwrap());
    let reordered = format!("{head}{sidecar}{api}");
    let document_above = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {{owner: team-a}}\ndata: {{}}\n---\n{DEPLOYMENT}"
    );
    let reformatted = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: api, image: \"registry.example.com/api:1.2.3\", env: [{name: MODE, value: prod}]}\n      - name: sidecar\n        image: registry.example.com/proxy:2.0.0\n";
    for (edit, text) in [
        ("an env var added", env_added.as_str()),
        ("containers reordered", reordered.as_str()),
        ("reformatted", reformatted),
    ] {
        assert_eq!(
            new_after_edit(dir.path(), text),
            Vec::<String>::new(),
            "{edit}"
        );
    }
    // The deployment is now the second document, its lines moved: still baselined.
    assert_eq!(
        new_after_edit(dir.path(), &document_above),
        Vec::<String>::new()
    );
    // A change to the offending value is a new finding.
    let latest = DEPLOYMENT.replace("proxy:2.0.0", "proxy:latest");
    assert_eq!(
        new_after_edit(dir.path(), &latest),
        ["deploy.yaml:15:11: error [kubernetes/image-pinned] container \"sidecar\" uses image \"registry.example.com/proxy:latest\", tagged latest"]
    );
}

#[test]
fn kubernetes_lists_are_linted_item_by_item() {
    let list = b"apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data: {}
  - apiVersion: v1
    kind: Pod
    metadata:
      name: api
    spec:
      containers:
        - name: api
          image: nginx:latest
";
    let dir = tree(&[("list.yaml", list)]);
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/image-pinned",
            "list.yaml",
        ],
    );
    assert_eq!(
        concise(&stdout),
        ["list.yaml:16:11: error [kubernetes/image-pinned] container \"api\" uses image \"nginx:latest\", tagged latest"]
    );
    let (_, parsed, _) = run_in(dir.path(), &["parse", "list.yaml"]);
    let documents: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    let kinds: Vec<(&str, &str)> = documents
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap(),
                d["input"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("kubernetes", "ConfigMap"), ("kubernetes", "Pod")]);
}

#[test]
fn standard_input_and_process_substitution_are_linted() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: nginx:latest\n";
    let select = ["--select", "kubernetes/image-pinned"];
    let lint = |args: &[&str]| {
        let output = crate::common::paved()
            .args(["lint", "-f", "concise"])
            .args(select)
            .args(args)
            .write_stdin(pod)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let line = |name: &str| {
        format!("{name}:8:7: error [kubernetes/image-pinned] container \"api\" uses image \"nginx:latest\", tagged latest")
    };
    assert_eq!(concise(&lint(&["-"])), [line("-")]);
    assert_eq!(
        concise(&lint(&["--stdin-filename", "k8s/pod.yaml", "-"])),
        [line("k8s/pod.yaml")]
    );
    let terraform = crate::common::paved()
        .args(["lint", "-f", "concise", "--select", "terraform/owner-tags"])
        .args(["--stdin-filename", "main.tf", "-"])
        .write_stdin("resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n")
        .output()
        .unwrap();
    assert_eq!(
        concise(&String::from_utf8(terraform.stdout).unwrap()),
        ["main.tf:1:1: error [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)"]
    );
    // `paved lint <(helm template ...)`: a pipe named by the shell.
    let dir = tree(&[("pod.yaml", pod.as_bytes())]);
    let paved = assert_cmd::cargo::cargo_bin("paved");
    let script = format!(
        "{} lint -f concise --select kubernetes/image-pinned <(cat pod.yaml)",
        paved.display()
    );
    let output = std::process::Command::new("bash")
        .current_dir(dir.path())
        .args(["-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let findings = concise(&stdout);
    assert_eq!(findings.len(), 1, "{stdout}");
    assert!(findings[0].starts_with("/dev/fd/"), "{stdout}");
    assert!(findings[0].ends_with(":8:7: error [kubernetes/image-pinned] container \"api\" uses image \"nginx:latest\", tagged latest"));
}

/// A git repository with CI, CODEOWNERS and a waiver for a file outside `k8s/`.
fn repository_with_k8s() -> tempfile::TempDir {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: nginx:latest\n";
    let dir = tree(&[
        ("k8s/pod.yaml", pod.as_bytes()),
        ("elsewhere.yaml", pod.as_bytes()),
        ("CODEOWNERS", b"* @org/team\n"),
        (
            ".github/workflows/ci.yml",
            b"on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
        ),
        (
            "paved.toml",
            b"[rules]\nselect = [\"kubernetes/image-pinned\", \"ownership/codeowners\", \"testing/ci-config\"]\n\n[[waiver]]\nrule = \"kubernetes/image-pinned\"\npaths = [\"legacy/**\"]\nreason = \"legacy\"\nowner = \"@org/team\"\nexpires = 2099-01-01\n",
        ),
    ]);
    crate::common::git(dir.path(), &["init", "-q", "."]);
    dir
}

#[test]
fn a_subdirectory_is_linted_as_part_of_its_repository() {
    let dir = repository_with_k8s();
    let image = "error [kubernetes/image-pinned] container \"api\" uses image \"nginx:latest\", tagged latest";
    let (code, stdout, _) = run_in(dir.path(), &["lint", "-f", "concise", "k8s"]);
    assert_eq!(code, 1);
    // File rules on the directory given; repository rules on the repository, which has its
    // CODEOWNERS and CI; a waiver elsewhere is not judged by a partial run.
    assert_eq!(concise(&stdout), [format!("k8s/pod.yaml:8:7: {image}")]);
    let (_, stdout, _) = run_in(&dir.path().join("k8s"), &["lint", "-f", "concise"]);
    assert_eq!(concise(&stdout), [format!("pod.yaml:8:7: {image}")]);
    // The whole repository: every file, and the unused waiver.
    let (_, stdout, _) = run_in(dir.path(), &["lint", "-f", "concise", "."]);
    assert_eq!(
        concise(&stdout),
        [
            format!("elsewhere.yaml:8:7: {image}"),
            format!("k8s/pod.yaml:8:7: {image}"),
            "paved.toml:4:1: warning [paved/unused-suppression] the waiver for `kubernetes/image-pinned` on legacy/** matches no finding; remove it".to_string(),
        ]
    );
    // Files named (pre-commit): their rules only, and the summary says so.
    let (_, stdout, _) = run_in(dir.path(), &["lint", "-f", "concise", "k8s/pod.yaml"]);
    assert_eq!(concise(&stdout), [format!("k8s/pod.yaml:8:7: {image}")]);
    assert!(
        stdout.contains("; repository rules not run (files named, not a repository: `paved lint DIR` runs them)"),
        "{stdout}"
    );
}
