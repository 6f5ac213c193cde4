//! `--changed-since` and the pre-commit hooks, in temporary git repositories.

use crate::common::{concise, git, root, run_in, summary, tree};

const BAD_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:latest\n";

fn repository() -> tempfile::TempDir {
    let repo = tree(&[
        ("k8s/old.yaml", BAD_DEPLOYMENT.as_bytes()),
        (
            "k8s/stable.yaml",
            BAD_DEPLOYMENT
                .replace("name: api", "name: stable")
                .as_bytes(),
        ),
    ]);
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "first"]);
    repo
}

#[test]
fn changed_since_checks_changed_and_untracked_files_plus_repository_rules() {
    let repo = repository();
    let dir = repo.path();
    std::fs::write(
        dir.join("k8s/old.yaml"),
        BAD_DEPLOYMENT.replace("api:latest", "api:1.0"),
    )
    .unwrap();
    std::fs::write(
        dir.join("k8s/new.yaml"),
        BAD_DEPLOYMENT.replace("name: api", "name: new"),
    )
    .unwrap();
    let stdout = lint_changed_since(dir, &["kubernetes/image-pinned", "ownership/codeowners"]);
    assert_eq!(
        concise(&stdout),
        [
            ".: error [ownership/codeowners] no CODEOWNERS file: nobody is asked to review changes",
            "k8s/new.yaml:10:11: error [kubernetes/image-pinned] container \"new\" uses image \"api:latest\", tagged latest",
        ]
    );
    assert!(summary(&stdout).starts_with("Checked 2 files"), "{stdout}");
}

#[test]
fn changed_since_outside_git_is_a_clear_error() {
    let dir = tree(&[("a.yaml", b"a: 1\n")]);
    let (code, _, stderr) = run_in(dir.path(), &["lint", "--changed-since", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: git rev-parse --show-toplevel failed in"),
        "{stderr}"
    );
}

/// The hooks of `.pre-commit-hooks.yaml`: (entry, pass_filenames).
fn hooks() -> Vec<(String, String, bool)> {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let parsed = paved::parse::parse(
        &text,
        paved::parse::Format::Yaml,
        paved::parse::Kind::Yaml,
        Default::default(),
    );
    parsed.documents[0]
        .value
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                h["entry"].as_str().unwrap().to_string(),
                h["pass_filenames"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn pre_commit_hooks_run_as_pre_commit_runs_them() {
    let hooks = hooks();
    assert_eq!(
        hooks
            .iter()
            .map(|h| (h.0.as_str(), h.2))
            .collect::<Vec<_>>(),
        [("paved", true), ("paved-repo", false)]
    );
    let repo = repository();
    let dir = repo.path();
    std::fs::write(
        dir.join("k8s/new.yaml"),
        BAD_DEPLOYMENT.replace("name: api", "name: new"),
    )
    .unwrap();
    std::fs::write(dir.join("CODEOWNERS"), "* @org/platform\n").unwrap();
    git(dir, &["add", "k8s/new.yaml", "CODEOWNERS"]);
    let staged = ["k8s/new.yaml", "CODEOWNERS"];
    for (id, entry, pass_filenames) in hooks {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("paved"));
        let mut args: Vec<&str> = words.collect();
        args.extend([
            "-f",
            "concise",
            "--select",
            "kubernetes/image-pinned",
            "--select",
            "ownership/codeowners*",
        ]);
        if pass_filenames {
            args.extend(staged);
        }
        let (code, stdout, stderr) = run_in(dir, &args);
        match id.as_str() {
            "paved" => {
                assert_eq!(code, 1, "{stderr}");
                assert_eq!(
                    concise(&stdout),
                    ["k8s/new.yaml:10:11: error [kubernetes/image-pinned] container \"new\" uses image \"api:latest\", tagged latest"],
                    "only the staged files, no repository rules"
                );
            }
            _ => {
                assert_eq!(code, 0, "{stdout}{stderr}");
                assert_eq!(
                    concise(&stdout),
                    Vec::<&str>::new(),
                    "repository rules only, and CODEOWNERS is there"
                );
            }
        }
    }
}

/// A base and an overlay whose patch file sets the image.
const BASE_AND_PATCH: [(&str, &[u8]); 4] = [
    ("base/kustomization.yaml", b"resources:\n  - deployment.yaml\n"),
    (
        "base/deployment.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n",
    ),
    (
        "prod/kustomization.yaml",
        b"resources:\n  - ../base\npatches:\n  - path: image.yaml\n",
    ),
    ("prod/image.yaml", PATCH),
];

const PATCH: &[u8] = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:2.0\n";

/// Commits `files` in a new repository, writes `change` (path, new text) and lints
/// `--changed-since HEAD` with `rule` alone: the concise lines, the run failing on them.
fn changed_since_findings(
    files: &[(&str, &[u8])],
    change: (&str, &str),
    rule: &str,
) -> Vec<String> {
    let repo = tree(files);
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "first"]);
    std::fs::write(repo.path().join(change.0), change.1).unwrap();
    let stdout = lint_changed_since(repo.path(), &[rule]);
    concise(&stdout).into_iter().map(str::to_string).collect()
}

/// `paved lint -f concise --changed-since HEAD` in `dir` with only the rules `select`: its
/// standard output, the run failing on its findings.
fn lint_changed_since(dir: &std::path::Path, select: &[&str]) -> String {
    let mut args = vec!["lint", "-f", "concise", "--changed-since", "HEAD"];
    for rule in select {
        args.extend(["--select", rule]);
    }
    let (code, stdout, stderr) = run_in(dir, &args);
    assert_eq!(code, 1, "{stderr}");
    stdout
}

/// A chart whose Deployment takes its image tag from the values.
const TAGGED_CHART: [(&str, &[u8]); 3] = [
    (
        "deploy/charts/api/Chart.yaml",
        b"apiVersion: v2\nname: api\nversion: 1.0.0\n",
    ),
    ("deploy/charts/api/values.yaml", b"tag: \"1.0\"\n"),
    (
        "deploy/charts/api/templates/deployment.yaml",
        TAGGED_TEMPLATE,
    ),
];

const TAGGED_TEMPLATE: &[u8] = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: \"api:{{ .Values.tag }}\"\n";

/// The findings of the rules `select` on the file `named` of a new repository of `files`
/// (all staged), named as the `paved` hook names staged files, from the repository root.
fn staged_findings(files: &[(&str, &[u8])], named: &str, select: &[&str]) -> Vec<String> {
    let repo = tree(files);
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "."]);
    let mut args = vec!["lint", "-f", "concise", named];
    for rule in select {
        args.extend(["--select", rule]);
    }
    let (_, stdout, stderr) = run_in(repo.path(), &args);
    assert!(stderr.is_empty(), "{stderr}");
    concise(&stdout).into_iter().map(str::to_string).collect()
}

#[test]
fn the_files_hook_lints_a_staged_patch_through_its_overlay_not_as_an_object() {
    // The patch is a fragment: only the overlay it makes is judged (its image is pinned),
    // and the owner label is missing from the object.
    let select = ["kubernetes/image-pinned", "ownership/workload-owner-label"];
    assert_eq!(
        staged_findings(&BASE_AND_PATCH, "prod/image.yaml", &select),
        ["base/deployment.yaml:3:1: error [ownership/workload-owner-label] Deployment \"api\" has no owner label (one of owner, team) (overlay prod)"]
    );
}

#[test]
fn a_change_to_a_patch_alone_lints_the_overlay_it_changes() {
    let patch = String::from_utf8_lossy(PATCH).replace("api:2.0", "api:latest");
    assert_eq!(
        changed_since_findings(&BASE_AND_PATCH, ("prod/image.yaml", &patch), "kubernetes/image-pinned"),
        ["prod/image.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest (overlay prod)"]
    );
}

#[test]
fn a_change_to_a_charts_values_alone_renders_the_chart_again() {
    assert_eq!(
        changed_since_findings(&TAGGED_CHART, ("deploy/charts/api/values.yaml", "tag: latest\n"), "kubernetes/image-pinned"),
        ["deploy/charts/api/templates/deployment.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest (value from values.yaml:1) (chart api)"]
    );
}

#[test]
fn a_change_to_a_modules_provider_defaults_lints_the_whole_module() {
    let providers =
        "provider \"aws\" {\n  default_tags {\n    tags = { owner = \"payments\" }\n  }\n}\n";
    let module: [(&str, &[u8]); 3] = [
        ("infra/providers.tf", providers.as_bytes()),
        (
            "infra/main.tf",
            b"resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
        ),
        (
            "other/main.tf",
            b"resource \"aws_s3_bucket\" \"other\" {\n  bucket = \"other\"\n}\n",
        ),
    ];
    // The defaults go: the unchanged main.tf of the same module loses its owner tag; another
    // module is not reached.
    let without = providers.replace("owner = \"payments\"", "cost-centre = \"42\"");
    assert_eq!(
        changed_since_findings(&module, ("infra/providers.tf", &without), "terraform/owner-tags"),
        ["infra/main.tf:1:1: error [terraform/owner-tags] aws_s3_bucket.logs has no owner tag (one of owner, team)"]
    );
}

#[test]
fn a_change_to_an_overlays_chart_values_file_lints_the_overlay() {
    let mut overlay = TAGGED_CHART.to_vec();
    overlay.extend::<[(&str, &[u8]); 2]>([
        (
            "deploy/kustomization.yaml",
            b"helmCharts:\n  - name: api\n    valuesFile: prod-values.yaml\n",
        ),
        ("deploy/prod-values.yaml", b"tag: \"2.0\"\n"),
    ]);
    assert_eq!(
        changed_since_findings(&overlay, ("deploy/prod-values.yaml", "tag: latest\n"), "kubernetes/image-pinned"),
        ["deploy/charts/api/templates/deployment.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest (overlay deploy)"]
    );
}

#[test]
fn a_staged_file_of_a_chart_an_overlay_renders_is_linted_with_the_overlays_values() {
    // The chart's own default is `latest`; the overlay that deploys it pins the tag.
    let overlay = |tag: &str| -> Vec<(&'static str, Vec<u8>)> {
        let mut files: Vec<(&str, Vec<u8>)> =
            TAGGED_CHART.iter().map(|(p, t)| (*p, t.to_vec())).collect();
        files[1].1 = b"tag: latest\n".to_vec();
        files.push((
            "deploy/kustomization.yaml",
            format!("helmCharts:\n  - name: api\n    valuesInline:\n      tag: \"{tag}\"\n")
                .into_bytes(),
        ));
        files
    };
    let staged = |tag: &str, named: &str| {
        let files = overlay(tag);
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_slice())).collect();
        staged_findings(&files, named, &["kubernetes/image-pinned"])
    };
    for named in [
        "deploy/charts/api/values.yaml",
        "deploy/charts/api/templates/deployment.yaml",
    ] {
        // As CI, which lints the chart only through the overlay, says: nothing to report.
        assert_eq!(staged("2.0", named), Vec::<String>::new(), "{named}");
        assert_eq!(
            staged("latest", named),
            ["deploy/charts/api/templates/deployment.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest (overlay deploy)"],
            "{named}"
        );
    }
}

#[test]
fn a_change_to_a_chart_an_overlay_renders_lints_the_overlay() {
    let mut overlay = TAGGED_CHART.to_vec();
    overlay.push((
        "deploy/kustomization.yaml",
        b"helmCharts:\n  - name: api\n    valuesInline: {tag: \"2.0\"}\n",
    ));
    let template = String::from_utf8_lossy(TAGGED_TEMPLATE).replace("{{ .Values.tag }}", "latest");
    assert_eq!(
        changed_since_findings(&overlay, ("deploy/charts/api/templates/deployment.yaml", &template), "kubernetes/image-pinned"),
        ["deploy/charts/api/templates/deployment.yaml:10:11: error [kubernetes/image-pinned] container \"api\" uses image \"api:latest\", tagged latest (overlay deploy)"]
    );
}
