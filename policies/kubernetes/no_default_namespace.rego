# METADATA
# title: Objects are not placed in the default namespace
# description: >-
#   The `default` namespace is shared by everything that forgot to choose one: its quotas,
#   network policies and RBAC are nobody's, and teams' objects collide there. An explicit
#   `namespace: default` is reported. A manifest without `metadata.namespace` is not: kustomize's
#   `namespace:`, `helm install --namespace`, Argo CD and `kubectl apply -n` set it at deploy
#   time, and hard-coding it would fight them. Cluster-scoped kinds (Namespace, ClusterRole,
#   CustomResourceDefinition...) are skipped.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces
# custom:
#   id: kubernetes/no-default-namespace
#   severity: warning
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Use the team's or application's namespace, or remove `namespace: default` and let the
#     deploy tool (kustomize, Helm, Argo CD) set it.
#   examples:
#     fail: |
#       kind: Deployment
#       metadata:
#         name: api
#         namespace: default
#     pass: |
#       kind: Deployment
#       metadata:
#         name: api
#         namespace: payments
package paved.kubernetes.no_default_namespace

import rego.v1

deny contains {"msg": msg, "path": ["metadata", "namespace"]} if {
	input.metadata.namespace == "default"
	not input.kind in data.paved.lib.k8s.cluster_scoped_kinds
	msg := sprintf("%s %q is in the default namespace", [input.kind, data.paved.lib.k8s.name])
}
