# METADATA
# title: Workloads carry the recommended labels
# description: >-
#   The recommended `app.kubernetes.io/*` labels let dashboards, cost reports, `kubectl` and
#   other tooling group objects by application and tell versions apart without knowing each
#   team's naming. The labels a workload must carry are the `kubernetes.recommended_labels`
#   setting (default `app.kubernetes.io/name` and `app.kubernetes.io/version`); they are read
#   from the workload's own metadata, as rendered (labels added by kustomize or Helm count when
#   paved sees the rendered manifests).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
# custom:
#   id: kubernetes/recommended-labels
#   severity: warning
#   level: bronze
#   input: kubernetes
#   config: [kubernetes.recommended_labels]
#   remediation: >-
#     Add the missing labels to the workload's metadata.labels, or set them for every object
#     with kustomize's `labels` or a Helm helper template.
#   examples:
#     fail: |
#       kind: Deployment
#       metadata:
#         name: api
#         labels: {app: api}
#     pass: |
#       kind: Deployment
#       metadata:
#         name: api
#         labels:
#           app.kubernetes.io/name: api
#           app.kubernetes.io/version: "1.4.2"
package paved.kubernetes.recommended_labels

import data.paved.lib.config
import rego.v1

deny contains {"msg": msg, "path": ["metadata", "labels", label]} if {
	data.paved.lib.k8s.is_workload
	some label in config.setting("kubernetes", "recommended_labels")
	not input.metadata.labels[label]
	msg := sprintf("%s %q has no %s label", [input.kind, data.paved.lib.k8s.name, label])
}
