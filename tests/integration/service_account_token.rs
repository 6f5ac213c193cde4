//! kubernetes/service-account-token judged over the repository: the pod spec, the
//! ServiceAccount and the RBAC bindings beside it decide together whether a pod needs its token.

use crate::common::{concise, run_in, tree};

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
    let (_, stdout, stderr) = run_in(
        dir.path(),
        &[
            "lint",
            "-f",
            "concise",
            "--select",
            "kubernetes/service-account-token",
        ],
    );
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        concise(&stdout),
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
