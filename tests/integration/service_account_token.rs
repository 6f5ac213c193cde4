//! kubernetes/service-account-token judged over the repository: the pod spec, the
//! ServiceAccount and the RBAC bindings beside it decide together whether a pod needs its token.

use crate::common::{concise, run_in, selected_findings, tree};

/// The rule's findings on the repository at `dir`, as concise lines.
fn token_findings(dir: &std::path::Path) -> Vec<String> {
    selected_findings(dir, &["kubernetes/service-account-token"])
}

const OPERATOR: &[u8] = b"apiVersion: apps/v1
kind: Deployment
metadata: {name: operator, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: operator
      containers: [{name: operator, image: operator:1.0}]
";

const BINDING: &[u8] = b"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: operator}
subjects:
  - {kind: ServiceAccount, name: operator, namespace: ops}
";

const WEB: &[u8] = b"apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1.0}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      automountServiceAccountToken: true
      containers: [{name: migrate, image: web:1.0}]
";

#[test]
fn bound_and_explicit_service_accounts_pass_and_the_rest_point_at_their_pod_spec() {
    let dir = tree(&[
        ("deploy/operator.yaml", OPERATOR),
        ("deploy/rbac.yaml", BINDING),
        ("deploy/web.yaml", WEB),
    ]);
    assert_eq!(
        token_findings(dir.path()),
        ["deploy/web.yaml:7:5: info [kubernetes/service-account-token] Deployment \"web\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API"]
    );
}

#[test]
fn a_binding_for_another_namespace_does_not_count() {
    let other = String::from_utf8(BINDING.to_vec())
        .unwrap()
        .replace("namespace: ops}", "namespace: staging}");
    let dir = tree(&[
        ("deploy/operator.yaml", OPERATOR),
        ("deploy/rbac.yaml", other.as_bytes()),
    ]);
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/service-account-token",
        ],
    );
    assert_eq!(
        concise(&stdout),
        ["deploy/operator.yaml:6:5: info [kubernetes/service-account-token] Deployment \"operator\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API"]
    );
}

#[test]
fn a_finding_on_an_examples_workload_says_example() {
    let dir = tree(&[("examples/basic/web.yaml", WEB)]);
    assert_eq!(
        token_findings(dir.path()),
        ["examples/basic/web.yaml:7:5: info [kubernetes/service-account-token] Deployment \"web\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API (example)"]
    );
    let (_, stdout, _) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "json",
            "--select",
            "kubernetes/service-account-token",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["findings"][0]["class"], "example");
}

#[test]
fn a_finding_on_a_charts_workload_names_the_chart() {
    let dir = tree(&[
        (
            "charts/web/Chart.yaml",
            b"apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        ("charts/web/values.yaml", b"image: web:1.0\n"),
        (
            "charts/web/templates/deployment.yaml",
            b"apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}-web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: {{ .Values.image }}}]
",
        ),
    ]);
    assert_eq!(
        token_findings(dir.path()),
        ["charts/web/templates/deployment.yaml:7:5: info [kubernetes/service-account-token] Deployment \"release-name-web\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API (chart web)"]
    );
}
