# METADATA
# title: Pods do not share the host's namespaces
# description: >-
#   `hostNetwork` lets a pod bind and sniff the node's network (and bypass network policies),
#   `hostPID` lets it see and signal every process on the node, and `hostIPC` lets it read the
#   shared memory of other workloads. Application workloads never need them.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: kubernetes/no-host-namespaces
#   severity: error
#   level: silver
#   input: kubernetes
#   remediation: Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).
#   examples:
#     fail: |
#       spec:
#         hostNetwork: true
#         containers: [{name: api, image: api:1.0}]
#     pass: |
#       spec:
#         containers: [{name: api, image: api:1.0}]
package paved.kubernetes.no_host_namespaces

import rego.v1

namespaces := {
	"hostNetwork": "network",
	"hostPID": "process",
	"hostIPC": "IPC",
}

deny contains {"msg": msg, "path": array.concat(data.paved.lib.k8s.pod_spec_path, [field])} if {
	some field, namespace in namespaces
	data.paved.lib.k8s.pod_spec[field] == true
	msg := sprintf("the pod shares the host's %s namespace (%s: true)", [namespace, field])
}
