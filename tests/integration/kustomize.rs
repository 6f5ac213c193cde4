//! Kustomize: the files a kustomization uses as patches are fragments, not objects, so no
//! manifest rule judges them; the kustomization itself is not a Kubernetes object either.

use crate::common::{concise, lint_with_bundle, run_in, tree};

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

const JSON6902_PATCH: &str = "- op: replace\n  path: /spec/replicas\n  value: 3\n";

fn overlay_repository() -> tempfile::TempDir {
    tree(&[
        ("deploy/base/kustomization.yaml", b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n"),
        ("deploy/base/deployment.yaml", BASE_DEPLOYMENT.as_bytes()),
        (
            "deploy/overlays/prod/kustomization.yaml",
            b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - ../../base\npatches:\n  - path: probe.yaml\n  - path: ../shared/replicas.yaml\n    target: {kind: Deployment, name: api}\npatchesStrategicMerge:\n  - ./delete-migrate.yaml\n",
        ),
        ("deploy/overlays/prod/probe.yaml", PROBE_PATCH.as_bytes()),
        ("deploy/overlays/prod/delete-migrate.yaml", DELETE_PATCH.as_bytes()),
        ("deploy/overlays/shared/replicas.yaml", JSON6902_PATCH.as_bytes()),
        // Not named by any kustomization: an object like any other.
        ("deploy/overlays/prod/unused.yaml", PROBE_PATCH.as_bytes()),
    ])
}

#[test]
fn patches_are_not_linted_as_objects_and_the_base_still_is() {
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
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no livenessProbe",
            "deploy/base/deployment.yaml:9:11: warning [kubernetes/probes] container \"api\" has no readinessProbe",
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
            "deploy/base/deployment.yaml:2:1: info [test/kubernetes] kubernetes",
            "deploy/base/kustomization.yaml:2:1: info [test/kustomization] kustomization",
            "deploy/overlays/prod/delete-migrate.yaml:2:1: info [test/kustomize-patch] kustomize-patch",
            "deploy/overlays/prod/kustomization.yaml:2:1: info [test/kustomization] kustomization",
            "deploy/overlays/prod/probe.yaml:2:1: info [test/kustomize-patch] kustomize-patch",
            "deploy/overlays/prod/unused.yaml:2:1: info [test/kubernetes] kubernetes",
            "deploy/overlays/shared/replicas.yaml:1:1: info [test/kustomize-patch] kustomize-patch",
        ]
    );
}
