# METADATA
# title: Workloads carry an owner label
# description: >-
#   When a pod crash-loops, eats a node or shows up on the cost report, the first question is
#   whose it is. An owner label on the workload answers it from `kubectl` alone and lets
#   alerting, cost and incident tooling route to the team. Any one of the keys in the
#   `kubernetes.owner_label_keys` setting counts (default `owner`, `team`); the label goes on
#   the workload's own metadata.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
# custom:
#   id: ownership/workload-owner-label
#   severity: error
#   level: bronze
#   input: kubernetes
#   config: [kubernetes.owner_label_keys]
#   remediation: >-
#     Add an `owner` (or `team`) label naming the owning team to the workload's
#     metadata.labels, or set it for every object with kustomize's `labels`.
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
#         labels: {app: api, team: payments}
package paved.ownership.workload_owner_label

import data.paved.lib.config
import rego.v1

owner_keys := config.setting("kubernetes", "owner_label_keys")

deny contains {"msg": msg, "path": ["metadata", "labels"]} if {
	data.paved.lib.k8s.is_workload
	not has_owner
	msg := sprintf("%s %q has no owner label (one of %s)", [input.kind, data.paved.lib.k8s.name, concat(", ", owner_keys)])
}

has_owner if {
	some key in owner_keys
	input.metadata.labels[key] != ""
}
