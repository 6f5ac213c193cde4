//! Kustomize: the files a kustomization uses as patches are fragments, not objects, so no
//! manifest rule judges them; the kustomization itself is not a Kubernetes object either.

use crate::common::{concise, git, lint_with_bundle, run_in, selected_findings, summary, tree};

const BASE_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
";

/// A strategic-merge patch that only adds a probe: as an object it lacks everything else.
const PROBE_PATCH: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
";

const DELETE_PATCH: &str = "\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
$patch: delete
";

/// The Job the overlay deletes: as it is not deployed, no rule judges it.
const MIGRATE_JOB: &str = "\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      containers:
        - name: migrate
          image: registry.example.com/migrate:latest
";

const JSON6902_PATCH: &str = "- op: replace\n  path: /spec/replicas\n  value: 3\n";

fn overlay_repository() -> tempfile::TempDir {
    tree(&[
        ("deploy/base/kustomization.yaml", b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - migrate.yaml\n"),
        ("deploy/base/deployment.yaml", BASE_DEPLOYMENT.as_bytes()),
        ("deploy/base/migrate.yaml", MIGRATE_JOB.as_bytes()),
        (
            "deploy/overlays/prod/kustomization.yaml",
            b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - ../../base\npatches:\n  - path: probe.yaml\n  - path: ../common/replicas.yaml\n    target: {kind: Deployment, name: api}\npatchesStrategicMerge:\n  - ./delete-migrate.yaml\n",
        ),
        ("deploy/overlays/prod/probe.yaml", PROBE_PATCH.as_bytes()),
        ("deploy/overlays/prod/delete-migrate.yaml", DELETE_PATCH.as_bytes()),
        ("deploy/overlays/common/replicas.yaml", JSON6902_PATCH.as_bytes()),
        // Not named by any kustomization: an object like any other.
        ("deploy/overlays/prod/unused.yaml", PROBE_PATCH.as_bytes()),
    ])
}

#[test]
fn patches_are_not_linted_as_objects_and_the_base_is_linted_through_its_overlay() {
    let dir = overlay_repository();
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/probes",
            ".",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        concise(&stdout),
        [
            // The overlay's patch adds the readiness probe: only the liveness one is missing.
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe (overlay deploy/overlays/prod)",
            "deploy/overlays/prod/unused.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe",
        ]
    );
}

/// A policy that names every document of one kind: how a test sees what each file was read as.
fn kind_policy(kind: &str) -> String {
    format!(
        "# METADATA\n# custom:\n#   id: test/{kind}\n#   severity: info\n#   input: [{kind}]\npackage test.{package}\n\nimport rego.v1\n\ndeny contains \"{kind}\" if true\n",
        package = kind.replace('-', "_"),
    )
}

#[test]
fn kustomizations_and_patches_are_documents_of_their_own_kinds() {
    let dir = overlay_repository();
    let kinds = ["kubernetes", "kustomization", "kustomize-patch"];
    let policies: Vec<(String, String)> = kinds
        .iter()
        .map(|kind| (format!("{kind}.rego"), kind_policy(kind)))
        .collect();
    let files: Vec<(&str, &[u8])> = policies
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_bytes()))
        .collect();
    let policies = tree(&files);
    let (code, stdout, stderr) = lint_with_bundle(dir.path(), policies.path(), "concise", ".");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        concise(&stdout),
        [
            // The base Deployment through its overlay; the Job the overlay deletes nowhere.
            "deploy/base/deployment.yaml:2:1: info [test/kubernetes] kubernetes (overlay deploy/overlays/prod)",
            "deploy/base/kustomization.yaml:2:1: info [test/kustomization] kustomization",
            "deploy/overlays/common/replicas.yaml:1:1: info [test/kustomize-patch] kustomize-patch",
            "deploy/overlays/prod/delete-migrate.yaml:2:1: info [test/kustomize-patch] kustomize-patch",
            "deploy/overlays/prod/kustomization.yaml:2:1: info [test/kustomization] kustomization",
            "deploy/overlays/prod/probe.yaml:2:1: info [test/kustomize-patch] kustomize-patch",
            "deploy/overlays/prod/unused.yaml:2:1: info [test/kubernetes] kubernetes",
        ]
    );
}

const LIMITED_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 500m, memory: 128Mi}
";

/// One base, two overlays: prod keeps the limits and adds a remote base, staging removes
/// the limits with a JSON 6902 patch file.
fn two_overlays() -> tempfile::TempDir {
    tree(&[
        ("deploy/base/kustomization.yaml", b"resources:\n  - deployment.yaml\n"),
        ("deploy/base/deployment.yaml", LIMITED_DEPLOYMENT.as_bytes()),
        (
            "deploy/overlays/prod/kustomization.yaml",
            b"namespace: prod\nresources:\n  - ../../base\n  - https://github.com/example/platform//base?ref=v1\n",
        ),
        (
            "deploy/overlays/staging/kustomization.yaml",
            b"namespace: staging\nresources:\n  - ../../base\npatches:\n  - path: no-limits.yaml\n    target: {kind: Deployment, name: api}\n",
        ),
        (
            "deploy/overlays/staging/no-limits.yaml",
            b"- op: remove\n  path: /spec/template/spec/containers/0/resources/limits\n",
        ),
    ])
}

#[test]
fn a_base_finding_is_reported_once_naming_both_overlays_and_a_removal_at_the_patch_line() {
    let dir = two_overlays();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/resource-limits",
            "--select",
            "kubernetes/probes",
            "--select",
            "render-error",
            ".",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        concise(&stdout),
        [
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe (overlays deploy/overlays/prod, deploy/overlays/staging)",
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no readinessProbe (overlays deploy/overlays/prod, deploy/overlays/staging)",
            "deploy/overlays/prod/kustomization.yaml:4:5: info [render-error] remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build (overlay deploy/overlays/prod)",
            "deploy/overlays/staging/no-limits.yaml:1:3: error [kubernetes/resource-limits] container \"api\" has no cpu limit (overlay deploy/overlays/staging)",
            "deploy/overlays/staging/no-limits.yaml:1:3: error [kubernetes/resource-limits] container \"api\" has no memory limit (overlay deploy/overlays/staging)",
        ]
    );
}

#[test]
fn a_base_many_overlays_use_names_three_and_counts_the_rest() {
    let dir = two_overlays();
    for region in ["eu", "us", "asia"] {
        let overlay = dir.path().join(format!("deploy/overlays/{region}"));
        std::fs::create_dir_all(&overlay).unwrap();
        std::fs::write(
            overlay.join("kustomization.yaml"),
            "resources:\n  - ../../base\n",
        )
        .unwrap();
    }
    assert_eq!(
        selected_findings(dir.path(), &["kubernetes/probes"])[0],
        "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe (overlays deploy/overlays/asia, deploy/overlays/eu, deploy/overlays/prod and 2 more)"
    );
}

/// An overlay that gives its base an owner label and, with a patch file, limits; beside
/// them a Deployment no overlay uses, without an owner.
fn labelled_overlay() -> tempfile::TempDir {
    let without_owner = LIMITED_DEPLOYMENT;
    let bare = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.4.2\n";
    let limits = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          resources:\n            requests: {cpu: 100m, memory: 64Mi}\n            limits: {cpu: 500m, memory: 128Mi}\n";
    tree(&[
        ("paved.toml", b"root = true\n"),
        ("base/kustomization.yaml", b"resources:\n  - deployment.yaml\n"),
        ("base/deployment.yaml", bare.as_bytes()),
        (
            "overlays/prod/kustomization.yaml",
            b"resources:\n  - ../../base\ncommonLabels:\n  owner: team-a\npatches:\n  - path: limits.yaml\n",
        ),
        ("overlays/prod/limits.yaml", limits.as_bytes()),
        ("standalone.yaml", without_owner.as_bytes()),
    ])
}

#[test]
fn staged_files_and_subdirectories_are_linted_through_their_overlays() {
    let dir = labelled_overlay();
    let lint = |cwd: &str, paths: &[&str]| -> Vec<String> {
        let mut args = vec![
            "lint",
            "-f",
            "concise",
            "--select",
            "ownership/workload-owner-label",
        ];
        args.extend(["--select", "kubernetes/resource-limits"]);
        args.extend(paths);
        let (_, stdout, stderr) = run_in(&dir.path().join(cwd), &args);
        assert!(stderr.is_empty(), "{stderr}");
        concise(&stdout).into_iter().map(str::to_string).collect()
    };
    let standalone = "standalone.yaml:3:1: error [ownership/workload-owner-label] Deployment \"api\" has no owner label (one of owner, team)";
    assert_eq!(lint(".", &["."]), [standalone]);
    // A pre-commit hook names the staged files: the base is linted through its overlay
    // (which adds the owner label and the limits), the patch is not judged as an object.
    assert_eq!(
        lint(
            ".",
            &[
                "base/deployment.yaml",
                "overlays/prod/limits.yaml",
                "standalone.yaml"
            ]
        ),
        [standalone]
    );
    assert_eq!(
        lint(
            "overlays/prod",
            &["limits.yaml", "../../base/deployment.yaml"]
        ),
        Vec::<String>::new()
    );
    // The overlay named too (as `./…`) is one overlay and one file, not two.
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "./overlays/prod/kustomization.yaml",
            "base/deployment.yaml",
        ],
    );
    assert!(
        summary(&stdout).starts_with("Checked 4 files and 2 documents"),
        "{stdout}"
    );
    // Run from inside the repository, the same.
    assert_eq!(lint("overlays/prod", &["."]), Vec::<String>::new());
    assert_eq!(lint("base", &["."]), Vec::<String>::new());
}

#[test]
fn a_file_no_overlay_includes_is_linted_alone() {
    let dir = two_overlays();
    std::fs::write(
        dir.path().join("deploy/base/kustomization.yaml"),
        "resources: []\n",
    )
    .unwrap();
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/probes",
            ".",
        ],
    );
    assert_eq!(
        concise(&stdout),
        [
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe",
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no readinessProbe",
            "deploy/overlays/prod/kustomization.yaml:4:5: info [render-error] remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build (overlay deploy/overlays/prod)",
        ]
    );
}

#[test]
fn a_fixtures_broken_build_is_counted_not_reported() {
    // kustomize's own test data: a build that fails on purpose, and a remote base.
    let dir = tree(&[(
        "api/testdata2/broken/kustomization.yaml",
        b"resources:\n  - https://github.com/example/platform//base?ref=v1\n  - missing.yaml\n",
    )]);
    let lint = ["lint", "-f", "concise", "--select", "render-error", "."];
    let (_, stdout, _) = run_in(dir.path(), &lint);
    assert_eq!(concise(&stdout), Vec::<&str>::new(), "{stdout}");
    assert!(
        stdout.contains("(1 fixture: --classes includes them)"),
        "{stdout}"
    );
    let (_, stdout, _) = run_in(dir.path(), &[&lint[..], &["--classes", "fixture"]].concat());
    assert_eq!(
        concise(&stdout),
        [
            "api/testdata2/broken/kustomization.yaml:2:5: info [render-error] remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build (overlay api/testdata2/broken)",
            "api/testdata2/broken/kustomization.yaml:3:5: error [render-error] missing.yaml does not exist (overlay api/testdata2/broken)",
        ]
    );
}

#[test]
fn render_prints_an_overlay_as_kustomize_build_does() {
    let dir = overlay_repository();
    let (code, stdout, stderr) = run_in(dir.path(), &["render", "deploy/overlays/prod"]);
    assert_eq!(code, 0, "{stderr}");
    // The base's Deployment with the overlay's namespace, probe and replicas; the Job deleted.
    assert_eq!(
        stdout,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - image: registry.example.com/api:1.4.2\n        name: api\n        readinessProbe:\n          httpGet:\n            path: /ready\n            port: 8080\n"
    );
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "render",
            "deploy/overlays/prod/kustomization.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let built: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(built["objects"][0]["metadata"]["namespace"], "prod");
    assert_eq!(built["errors"], serde_json::json!([]));
    // What a build leaves out is said on standard error, at the entry that names it.
    let remote = two_overlays();
    let (code, _, stderr) = run_in(remote.path(), &["render", "deploy/overlays/prod"]);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "info: deploy/overlays/prod/kustomization.yaml:4:5: remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build\n"
    );
}

#[test]
fn parse_shows_the_objects_an_overlay_builds_with_the_line_each_value_came_from() {
    let dir = overlay_repository();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["parse", "deploy/overlays/prod/kustomization.yaml"],
    );
    assert_eq!(code, 0, "{stderr}");
    let documents: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let documents = documents.as_array().unwrap();
    // The kustomization as written, then the one object the build deploys.
    let kinds: Vec<&str> = documents
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["kustomization", "kubernetes"]);
    let built = &documents[1];
    assert_eq!(built["overlay"], "deploy/overlays/prod");
    assert_eq!(built["input"]["metadata"]["namespace"], "prod");
    assert_eq!(built["input"]["spec"]["replicas"], 3);
    let origins = &built["origins"];
    let probe = "/spec/template/spec/containers/0/readinessProbe";
    for (pointer, place) in [
        ("", "deploy/base/deployment.yaml:1:1"),
        ("/kind", "deploy/base/deployment.yaml:2:1"),
        (
            "/spec/template/spec/containers/0/image",
            "deploy/base/deployment.yaml:10:11",
        ),
        (probe, "deploy/overlays/prod/probe.yaml:10:11"),
        ("/spec/replicas", "deploy/overlays/common/replicas.yaml:3:3"),
        (
            "/metadata/namespace",
            "deploy/overlays/prod/kustomization.yaml:3:1",
        ),
    ] {
        assert_eq!(origins[pointer], place, "{pointer}");
    }
    // With a conftest parser it is the file `paved test` reads, nothing built.
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "parse",
            "--parser",
            "yaml",
            "deploy/overlays/prod/kustomization.yaml",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let documents: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents.as_array().unwrap().len(), 1, "{stdout}");
    assert_eq!(documents[0]["input"]["namespace"], "prod");
}

#[test]
fn parse_reports_a_broken_build_on_stderr_and_fails() {
    let dir = tree(&[("app/kustomization.yaml", b"resources:\n  - missing.yaml\n")]);
    let (code, stdout, stderr) = run_in(dir.path(), &["parse", "app/kustomization.yaml"]);
    assert_eq!(code, 1, "{stdout}");
    let documents: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(documents.as_array().unwrap().len(), 1);
    assert!(
        stderr.starts_with("error: app/kustomization.yaml:2:5: "),
        "{stderr}"
    );
}

const CHART_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: web
          image: \"{{ .Values.image }}\"
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
";

/// An overlay that renders a vendored chart with its own values, and names a chart that is
/// not vendored.
fn helm_overlay() -> tempfile::TempDir {
    tree(&[
        (
            "deploy/kustomization.yaml",
            b"namespace: shop\nhelmCharts:\n  - name: web\n    releaseName: storefront\n    valuesInline:\n      image: registry.example.com/web:2.0\n  - name: redis\n    repo: https://charts.example.com\n    version: 17.0.0\n",
        ),
        ("deploy/charts/web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        (
            "deploy/charts/web/values.yaml",
            b"replicas: 2\nimage: web:latest\nresources:\n  limits: {cpu: 500m, memory: 128Mi}\n",
        ),
        (
            "deploy/charts/web/templates/deployment.yaml",
            CHART_DEPLOYMENT.as_bytes(),
        ),
    ])
}

#[test]
fn an_overlay_lints_the_objects_of_its_helm_charts_at_their_template_lines() {
    let dir = helm_overlay();
    let lint = |path: &str| {
        run_in(
            dir.path(),
            &[
                "lint",
                "-f",
                "concise",
                "--select",
                "kubernetes/probes",
                "--select",
                "kubernetes/resource-limits",
                "--select",
                "render-error",
                path,
            ],
        )
    };
    let (code, stdout, stderr) = lint("deploy/kustomization.yaml");
    assert_eq!(code, 1, "{stderr}");
    // With the whole tree, the chart is linted through the overlay only: not again alone,
    // with its default values.
    assert_eq!(concise(&lint(".").1), concise(&stdout));
    assert_eq!(
        concise(&stdout),
        [
            // The chart's default limits are there; the requests it never sets are not.
            "deploy/charts/web/templates/deployment.yaml:10:9: warning [kubernetes/probes] container \"web\" has no livenessProbe (overlay deploy)",
            "deploy/charts/web/templates/deployment.yaml:10:9: warning [kubernetes/probes] container \"web\" has no readinessProbe (overlay deploy)",
            "deploy/charts/web/templates/deployment.yaml:13:11: error [kubernetes/resource-limits] container \"web\" has no cpu request (overlay deploy)",
            "deploy/charts/web/templates/deployment.yaml:13:11: error [kubernetes/resource-limits] container \"web\" has no memory request (overlay deploy)",
            "deploy/kustomization.yaml:7:5: info [render-error] chart redis is not in charts/redis-17.0.0/redis: charts are not fetched; its objects are not in the build (overlay deploy)",
        ]
    );
    // The overlay's inline values over the chart's, its namespace over the release's.
    let (_, stdout, _) = run_in(dir.path(), &["parse", "deploy/kustomization.yaml"]);
    let documents: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let deployment = &documents[1];
    assert_eq!(deployment["input"]["metadata"]["name"], "storefront");
    assert_eq!(deployment["input"]["metadata"]["namespace"], "shop");
    assert_eq!(
        deployment["input"]["spec"]["template"]["spec"]["containers"][0]["image"],
        "registry.example.com/web:2.0"
    );
    assert_eq!(
        deployment["origins"]["/spec/replicas"],
        "deploy/charts/web/templates/deployment.yaml:6:3"
    );
}

#[test]
fn the_summary_counts_the_files_an_overlay_lints_through_it_and_only_its_objects() {
    let dir = two_overlays();
    git(dir.path(), &["init", "-q"]);
    let counts = |path: &str| {
        let (_, stdout, stderr) = run_in(dir.path(), &["lint", "-f", "json", path]);
        let report: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
        let summary = &report["summary"];
        (summary["files"].clone(), summary["documents"].clone())
    };
    // Everything: 5 files; 3 kustomizations, 1 patch, 2 built objects, the repository.
    assert_eq!(counts("."), (5.into(), 7.into()));
    // The staging overlay reads its patch and the base (kustomization and Deployment); the
    // prod overlay, out of scope, is built for the repository model only: not counted.
    assert_eq!(counts("deploy/overlays/staging"), (4.into(), 4.into()));
    assert_eq!(counts("deploy/overlays/prod"), (3.into(), 3.into()));
    // The base is linted through both overlays, which read all five files.
    assert_eq!(counts("deploy/base"), (5.into(), 4.into()));
}

/// The staging overlay's build as data (keys in another order, flow maps, a comment).
const STAGING_BUILD: &str = "\
# kustomize build deploy/overlays/staging > deploy/rendered/staging.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: staging, name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        image: registry.example.com/api:1.4.2
        resources:
          requests: {memory: 64Mi, cpu: 100m}
";

#[test]
fn a_committed_build_of_an_overlay_is_generated_and_not_linted_alone() {
    let dir = two_overlays();
    let rendered = dir.path().join("deploy/rendered");
    std::fs::create_dir_all(&rendered).unwrap();
    std::fs::write(rendered.join("staging.yaml"), STAGING_BUILD).unwrap();
    // Not any overlay's build: a manifest like any other.
    let qa = STAGING_BUILD.replace("namespace: staging", "namespace: qa");
    std::fs::write(rendered.join("qa.yaml"), qa).unwrap();
    let lint = |classes: &str| {
        let args = [
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/probes",
            "--classes",
            classes,
            ".",
        ];
        let (_, stdout, stderr) = run_in(dir.path(), &args);
        assert!(stderr.is_empty(), "{stderr}");
        stdout
    };
    let by_default = lint("deployable,example");
    assert_eq!(
        concise(&by_default),
        [
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe (overlays deploy/overlays/prod, deploy/overlays/staging)",
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no readinessProbe (overlays deploy/overlays/prod, deploy/overlays/staging)",
            "deploy/overlays/prod/kustomization.yaml:4:5: info [render-error] remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build (overlay deploy/overlays/prod)",
            "deploy/rendered/qa.yaml:9:9: warning [kubernetes/probes] container \"api\" has no livenessProbe",
            "deploy/rendered/qa.yaml:9:9: warning [kubernetes/probes] container \"api\" has no readinessProbe",
        ]
    );
    assert!(
        by_default.contains("; 1 input not checked (1 generated: --classes includes them)"),
        "{by_default}"
    );
    // Configurable as every class is: with generated inputs, it is linted alone too.
    let with_generated = lint("deployable,example,generated");
    assert!(
        concise(&with_generated).contains(
            &"deploy/rendered/staging.yaml:9:9: warning [kubernetes/probes] container \"api\" has no livenessProbe (generated)"
        ),
        "{with_generated}"
    );
}

#[test]
fn a_repository_finding_on_an_overlays_workload_points_at_its_pod_spec_in_the_base() {
    let dir = two_overlays();
    git(dir.path(), &["init", "-q"]);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/service-account-token",
            ".",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        concise(&stdout),
        [
            // Once for both overlays, at the base's pod spec rather than its `kind:` line.
            "deploy/base/deployment.yaml:7:5: info [kubernetes/service-account-token] Deployment \"api\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API",
            "deploy/overlays/prod/kustomization.yaml:4:5: info [render-error] remote base https://github.com/example/platform//base?ref=v1 is not fetched: its objects are not in the build (overlay deploy/overlays/prod)",
        ]
    );
}
