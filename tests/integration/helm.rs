//! Helm charts: rendered in-process, findings on the template lines, render errors where
//! the template fails, `paved render` printing what is linted.

use crate::common::{concise, run, tree};

const CHART: &str = "fixtures/charts/app";

/// The rules the fixture chart's findings are about, concise.
const LIMITS_AND_RENDER_ERRORS: [&str; 6] = [
    "--select",
    "kubernetes/resource-limits",
    "--select",
    "render-error",
    "-f",
    "concise",
];

/// `paved lint .` in `dir` with `args` added, as concise lines without the summary.
fn lint_in(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["lint", ".", "-f", "concise"];
    all.extend_from_slice(args);
    let (_, stdout, _) = crate::common::run_in(dir, &all);
    concise(&stdout).into_iter().map(str::to_string).collect()
}

#[test]
fn findings_point_at_template_lines_with_chart_and_scenario() {
    let (code, stdout, _) = run(&[&["lint", CHART][..], &LIMITS_AND_RENDER_ERRORS].concat());
    assert_eq!(code, 1);
    assert_eq!(
        concise(&stdout),
        [
            "fixtures/charts/app/Chart.yaml:10:5: info [render-error] the dependency `redis` is not vendored in charts/: the chart is checked without it (run `helm dependency build`) (chart app)",
            // The subchart renders the same in both scenarios: reported once.
            "fixtures/charts/app/charts/db/templates/statefulset.yaml:18:11: error [kubernetes/resource-limits] container \"postgres\" has no cpu request (chart app)",
            "fixtures/charts/app/charts/db/templates/statefulset.yaml:18:11: error [kubernetes/resource-limits] container \"postgres\" has no memory request (chart app)",
            // Only the ci/ scenario sets the required value, so only it renders the Deployment.
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no cpu limit (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no cpu request (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no memory limit (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no memory request (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:22:25: error [render-error] execution error at (app/templates/deployment.yaml:22:24): apiKeySecret is required: the Secret with the API key (chart app, values default)",
        ]
    );
}

#[test]
fn templates_are_never_parsed_as_plain_yaml() {
    let (_, stdout, stderr) = run(&["lint", CHART, "-f", "concise"]);
    assert!(!stdout.contains("parse-error"), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    // Chart.yaml, values.yaml and ci/prod-values.yaml are the files read as files.
    let summary = stdout.lines().last().unwrap();
    assert!(summary.starts_with("Checked 3 files and "), "{summary}");
}

#[test]
fn render_prints_the_manifests_like_helm_template() {
    let (code, stdout, stderr) = run(&[
        "render",
        CHART,
        "--set",
        "apiKeySecret=key",
        "--release-name",
        "shop",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
    assert_eq!(
        stderr,
        "info: the dependency `redis` is not vendored in fixtures/charts/app/charts: rendered without it\n"
    );
}

#[test]
fn render_reports_the_failing_template_line_and_prints_the_rest_as_json() {
    let (code, stdout, stderr) = run(&[
        "render",
        CHART,
        "--format",
        "json",
        "--set",
        "db.enabled=false",
    ]);
    assert_eq!(code, 1);
    let output: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(output["chart"], "app");
    assert_eq!(output["scenario"], "default");
    let names: Vec<&String> = output["templates"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["app/templates/service.yaml"]);
    assert_eq!(output["missing"], serde_json::json!(["redis"]));
    assert_eq!(output["errors"][0]["file"], "templates/deployment.yaml");
    assert_eq!(output["errors"][0]["line"], 22);
    assert!(stderr.starts_with("error: fixtures/charts/app/templates/deployment.yaml:22:25: execution error at (app/templates/deployment.yaml:22:24): apiKeySecret is required"), "{stderr}");
}

#[test]
fn paved_toml_sets_values_and_the_release_per_chart() {
    let dir = tree(&[
        ("paved.toml", b"root = true\n\n[[helm]]\nchart = \"charts/*\"\nset = [\"image=nginx:1.27\"]\nnamespace = \"shop\"\n"),
        ("charts/web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        ("charts/web/values.yaml", b"image: nginx\n"),
        (
            "charts/web/templates/pod.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: {{ .Release.Namespace }}\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image }}\n",
        ),
    ]);
    let selected = [
        "--select",
        "kubernetes/image-pinned",
        "--select",
        "kubernetes/no-default-namespace",
    ];
    // Pinned by `set`, namespaced by the release.
    assert_eq!(lint_in(dir.path(), &selected), Vec::<String>::new());
    assert_eq!(
        lint_in(dir.path(), &["--no-config", "--select", "kubernetes/image-pinned"]),
        ["charts/web/templates/pod.yaml:9:7: error [kubernetes/image-pinned] container \"web\" uses image \"nginx\", which has no tag (value from values.yaml:1) (chart web)"]
    );
    // Without a namespace in paved.toml, the release's is not known before install: it is
    // not taken to be `default`, which `helm template` prints.
    assert_eq!(
        lint_in(
            dir.path(),
            &["--no-config", "--select", "kubernetes/no-default-namespace"]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_chart_that_names_the_default_namespace_itself_is_reported() {
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        ("charts/web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        (
            "charts/web/templates/sa.yaml",
            b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: {{ .Values.namespace | default \"default\" }}\n",
        ),
    ]);
    assert_eq!(
        lint_in(dir.path(), &["--select", "kubernetes/no-default-namespace"]),
        ["charts/web/templates/sa.yaml:5:3: warning [kubernetes/no-default-namespace] ServiceAccount \"web\" is in the default namespace (chart web)"]
    );
}

#[test]
fn parse_shows_the_rendered_documents_with_their_origin() {
    let (code, stdout, stderr) = run(&["parse", "fixtures/charts/app/Chart.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    let documents: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let summary: Vec<(&str, &str, &str, &str)> = documents
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap(),
                d["scenario"].as_str().unwrap_or("-"),
                d["origin"].as_str().unwrap_or("-"),
                d["input"]["kind"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("yaml", "-", "-", "-"),
            (
                "kubernetes",
                "default",
                "fixtures/charts/app/templates/service.yaml:2:1",
                "Service"
            ),
            (
                "kubernetes",
                "default",
                "fixtures/charts/app/charts/db/templates/statefulset.yaml:2:1",
                "StatefulSet"
            ),
            (
                "kubernetes",
                "ci/prod-values.yaml",
                "fixtures/charts/app/templates/deployment.yaml:2:1",
                "Deployment"
            ),
            (
                "kubernetes",
                "ci/prod-values.yaml",
                "fixtures/charts/app/templates/service.yaml:2:1",
                "Service"
            ),
            (
                "kubernetes",
                "ci/prod-values.yaml",
                "fixtures/charts/app/charts/db/templates/statefulset.yaml:2:1",
                "StatefulSet"
            ),
        ]
    );
    assert_eq!(documents[3]["input"]["spec"]["replicas"], 3);
}

#[test]
fn render_orders_documents_as_helm_installs_them_hooks_last() {
    let dir = tree(&[
        ("Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        (
            "templates/all.yaml",
            b"kind: Zebra\n---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n---\nkind: Deployment\n",
        ),
        ("templates/config.yaml", b"# settings\nkind: ConfigMap\n"),
        ("templates/extra.yaml", b"---\nkind: Apple\n"),
    ]);
    let (code, stdout, stderr) = crate::common::run_in(dir.path(), &["render", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "---\n# Source: web/templates/config.yaml\n# settings\nkind: ConfigMap\n\
         ---\n# Source: web/templates/all.yaml\nkind: Deployment\n\
         ---\n# Source: web/templates/extra.yaml\nkind: Apple\n\
         ---\n# Source: web/templates/all.yaml\nkind: Zebra\n\
         ---\n# Source: web/templates/all.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n"
    );
}

#[test]
fn inline_ignores_in_templates_apply_to_their_lines() {
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        ("Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        (
            "templates/pods.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      # paved:ignore kubernetes/image-pinned -- pinned by the release pipeline\n      image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: b\n      image: nginx\n      # paved:ignore kubernetes/image-pinned -- nothing here\n",
        ),
    ]);
    assert_eq!(
        lint_in(dir.path(), &["--select", "kubernetes/image-pinned"]),
        [
            "templates/pods.yaml:18:7: error [kubernetes/image-pinned] container \"b\" uses image \"nginx\", which has no tag (chart web)",
            "templates/pods.yaml:19:7: warning [paved/unused-suppression] this paved:ignore for `kubernetes/image-pinned` matches no finding; remove it",
        ]
    );
}

#[test]
fn the_repository_model_sees_what_charts_deploy() {
    // A service: its code and the chart that deploys it.
    let chart: [(&str, &[u8]); 5] = [
        ("paved.toml", b"root = true\n"),
        ("go.mod", b"module example.com/web\n"),
        ("main.go", b"package main\n\nfunc main() {}\n"),
        (
            "chart/Chart.yaml",
            b"apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        (
            "chart/templates/deployment.yaml",
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        ),
    ];
    let monitor: (&str, &[u8]) = (
        "chart/templates/monitor.yaml",
        b"{{- if .Values.monitor }}\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n{{- end }}\n",
    );
    let values: (&str, &[u8]) = ("chart/values.yaml", b"monitor: true\n");
    let without = tree(&chart);
    let mut files = chart.to_vec();
    files.extend([monitor, values]);
    let with = tree(&files);
    let select = ["--select", "observability/metrics"];
    assert_eq!(
        lint_in(without.path(), &select),
        ["go.mod: warning [observability/metrics] no metrics: no metrics client (Prometheus, OpenTelemetry metrics, a Micrometer registry) or agent, scrape annotation, ServiceMonitor or PodMonitor"]
    );
    assert_eq!(lint_in(with.path(), &select), Vec::<String>::new());
}

#[test]
fn a_charts_test_hooks_are_fixtures() {
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: check\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n    - name: curl\n      image: curlimages/curl\n";
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        (
            "chart/Chart.yaml",
            b"apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        ("chart/templates/tests/check.yaml", pod),
    ]);
    let select = ["--select", "kubernetes/image-pinned"];
    let (_, stdout, _) = crate::common::run_in(
        dir.path(),
        &["lint", ".", "-f", "concise", select[0], select[1]],
    );
    assert!(concise(&stdout).is_empty(), "{stdout}");
    assert!(
        stdout.contains("1 input not checked (1 fixture: --classes includes them)"),
        "{stdout}"
    );
    let mut all = vec!["--classes", "deployable,fixture"];
    all.extend(select);
    assert_eq!(
        lint_in(dir.path(), &all),
        ["chart/templates/tests/check.yaml:10:7: error [kubernetes/image-pinned] container \"curl\" uses image \"curlimages/curl\", which has no tag (chart web)"]
    );
}

/// A chart whose images come from its values: the chart's `values.yaml` and a `ci/` file.
const VALUED_CHART: [(&str, &[u8]); 5] = [
    ("paved.toml", b"root = true\n"),
    ("web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
    (
        "web/values.yaml",
        b"# Defaults\nimage:\n  repository: nginx\n  tag: latest\nsidecar: busybox\n",
    ),
    (
        "web/ci/prod-values.yaml",
        b"# Production sidecar\nsidecar: envoy:latest\n",
    ),
    (
        "web/templates/pod.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n    - name: proxy\n      image: \"{{ .Values.image.repository }}:{{ .Values.proxyTag | default \"latest\" }}\"\n    {{- with .Values.sidecar }}\n    - name: sidecar\n      image: {{ . }}\n    {{- end }}\n",
    ),
];

#[test]
fn a_finding_on_a_value_names_the_values_line_it_came_from() {
    let dir = tree(&VALUED_CHART);
    assert_eq!(
        lint_in(dir.path(), &["--select", "kubernetes/image-pinned"]),
        [
            "web/templates/pod.yaml:8:7: error [kubernetes/image-pinned] container \"web\" uses image \"nginx:latest\", tagged latest (values from values.yaml:3, values.yaml:4) (chart web)",
            // Part of the value is not from a values file: no source is claimed.
            "web/templates/pod.yaml:10:7: error [kubernetes/image-pinned] container \"proxy\" uses image \"nginx:latest\", tagged latest (chart web)",
            "web/templates/pod.yaml:13:7: error [kubernetes/image-pinned] container \"sidecar\" uses image \"busybox\", which has no tag (value from values.yaml:5) (chart web, values default)",
            "web/templates/pod.yaml:13:7: error [kubernetes/image-pinned] container \"sidecar\" uses image \"envoy:latest\", tagged latest (value from ci/prod-values.yaml:2) (chart web, values ci/prod-values.yaml)",
        ]
    );
    // A value paved.toml sets is said to come from its `set`.
    let mut files = VALUED_CHART.to_vec();
    let config: (&str, &[u8]) = (
        "paved.toml",
        b"root = true\n\n[[helm]]\nchart = \"web\"\nset = [\"image.tag=1.27\", \"proxyTag=1.27\", \"sidecar=redis\"]\n",
    );
    files[0] = config;
    files.remove(3);
    let dir = tree(&files);
    assert_eq!(
        lint_in(dir.path(), &["--select", "kubernetes/image-pinned"]),
        ["web/templates/pod.yaml:13:7: error [kubernetes/image-pinned] container \"sidecar\" uses image \"redis\", which has no tag (value from --set sidecar=redis) (chart web)"]
    );
}

#[test]
fn render_takes_the_charts_settings_from_paved_toml_and_flags_win() {
    let dir = tree(&[
        (
            "paved.toml",
            b"root = true\n\n[[helm]]\nchart = \"web\"\nrelease = \"shop\"\nnamespace = \"prod\"\nvalues = [\"prod.yaml\"]\nset = [\"replicas=2\"]\nkube-version = \"1.29.0\"\n",
        ),
        ("web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        ("web/values.yaml", b"replicas: 1\ntier: bronze\n"),
        ("web/prod.yaml", b"tier: gold\n"),
        (
            "web/templates/cm.yaml",
            b"kind: ConfigMap\ndata:\n  release: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n  replicas: \"{{ .Values.replicas }}\"\n  tier: {{ .Values.tier }}\n  kube: \"{{ .Capabilities.KubeVersion.Minor }}\"\n",
        ),
    ]);
    let printed = |release: &str, namespace: &str, replicas: &str, kube: &str| {
        format!("---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\ndata:\n  release: {release}\n  namespace: {namespace}\n  replicas: \"{replicas}\"\n  tier: gold\n  kube: \"{kube}\"\n")
    };
    let (code, stdout, stderr) = crate::common::run_in(dir.path(), &["render", "web"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, printed("shop", "prod", "2", "29"));
    let flags = [
        "render",
        "web",
        "--release-name",
        "api",
        "-n",
        "dev",
        "--set",
        "replicas=5",
        "--kube-version",
        "1.30.0",
    ];
    let (code, stdout, stderr) = crate::common::run_in(dir.path(), &flags);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, printed("api", "dev", "5", "30"));
}

#[test]
fn a_template_named_alone_is_linted_through_its_chart() {
    let template = "fixtures/charts/app/templates/deployment.yaml";
    let selected = LIMITS_AND_RENDER_ERRORS;
    let (code, stdout, stderr) = run(&[&["lint", template][..], &selected].concat());
    assert_eq!(code, 1, "{stderr}");
    // Its own findings and render errors, nothing of the chart's other templates.
    assert_eq!(
        concise(&stdout),
        [
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no cpu limit (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no cpu request (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no memory limit (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:18:9: error [kubernetes/resource-limits] container \"app\" has no memory request (chart app, values ci/prod-values.yaml)",
            "fixtures/charts/app/templates/deployment.yaml:22:25: error [render-error] execution error at (app/templates/deployment.yaml:22:24): apiKeySecret is required: the Secret with the API key (chart app, values default)",
        ]
    );
    // A values file named alone is checked as the chart's values, and lints the chart.
    let values = "fixtures/charts/app/values.yaml";
    let (_, stdout, _) = run(&[&["lint", values][..], &selected].concat());
    let (_, whole, _) = run(&[&["lint", CHART][..], &selected].concat());
    assert_eq!(concise(&stdout), concise(&whole));
    assert_eq!(concise(&stdout).len(), 8);
}

#[test]
fn parse_of_a_template_shows_what_it_renders() {
    let (code, stdout, stderr) = run(&["parse", "fixtures/charts/app/templates/service.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    let documents: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let summary: Vec<(&str, &str, &str)> = documents
        .iter()
        .map(|d| {
            (
                d["scenario"].as_str().unwrap(),
                d["origin"].as_str().unwrap(),
                d["input"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "default",
                "fixtures/charts/app/templates/service.yaml:2:1",
                "Service"
            ),
            (
                "ci/prod-values.yaml",
                "fixtures/charts/app/templates/service.yaml:2:1",
                "Service"
            ),
        ]
    );
}

#[test]
fn schema_failures_and_missing_dependencies_point_at_the_lines_that_cause_them() {
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        (
            "web/Chart.yaml",
            b"apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        ("web/values.yaml", b"# How many pods\nreplicas: 0\n"),
        (
            "web/values.schema.json",
            br#"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
        ),
        ("web/templates/cm.yaml", b"kind: ConfigMap\n"),
        // A v1 chart declares its dependencies in requirements.yaml.
        (
            "old/Chart.yaml",
            b"apiVersion: v1\nname: old\nversion: 1.0.0\n",
        ),
        (
            "old/requirements.yaml",
            b"dependencies:\n  - name: redis\n    version: 1.0.0\n",
        ),
        ("old/templates/cm.yaml", b"kind: ConfigMap\n"),
    ]);
    assert_eq!(
        lint_in(dir.path(), &["--select", "render-error"]),
        [
            "old/requirements.yaml:2:5: info [render-error] the dependency `redis` is not vendored in charts/: the chart is checked without it (run `helm dependency build`) (chart old)",
            "web/values.yaml:2:1: error [render-error] values don't meet the specifications of the schema(s) in the following chart(s):\\nweb:\\n- at '/replicas': 0 is less than the minimum of 1 (chart web)",
        ]
    );
}

#[test]
fn a_template_failing_in_a_chart_rendered_without_a_dependency_is_not_called_its_mistake() {
    let uses_redis = b"kind: ConfigMap\ndata:\n  host: {{ include \"redis.fullname\" . }}\n  port: {{ .Values.redis.port | quote }}\n";
    let dir = tree(&[
        ("paved.toml", b"root = true\n"),
        (
            "app/Chart.yaml",
            b"apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n  - name: redis\n    alias: cache\n    version: 1.0.0\n",
        ),
        ("app/templates/cm.yaml", uses_redis),
        // The same template, no dependency declared: its failure is the chart's.
        (
            "alone/Chart.yaml",
            b"apiVersion: v2\nname: alone\nversion: 1.0.0\n",
        ),
        ("alone/templates/cm.yaml", uses_redis),
    ]);
    assert_eq!(
        lint_in(dir.path(), &["--select", "render-error"]),
        [
            "alone/templates/cm.yaml:3:12: error [render-error] template: alone/templates/cm.yaml:3:11: executing \"alone/templates/cm.yaml\" at <include \"redis.fullname\" .>: error calling include: template: no template \"redis.fullname\" associated with template \"gotpl\" (chart alone)",
            "app/Chart.yaml:5:5: info [render-error] the dependency `redis` is not vendored in charts/: the chart is checked without it (run `helm dependency build`) (chart app)",
            // The same chart under an alias is a dependency of its own, at its own line.
            "app/Chart.yaml:7:5: info [render-error] the dependency `redis` (as `cache`) is not vendored in charts/: the chart is checked without it (run `helm dependency build`) (chart app)",
            "app/templates/cm.yaml:3:12: info [render-error] template: app/templates/cm.yaml:3:11: executing \"app/templates/cm.yaml\" at <include \"redis.fullname\" .>: error calling include: template: no template \"redis.fullname\" associated with template \"gotpl\" (rendered without redis, cache, not vendored: it may come from there) (chart app)",
        ]
    );
}
