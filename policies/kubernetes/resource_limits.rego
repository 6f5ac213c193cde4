# METADATA
# title: Containers declare CPU and memory requests and limits
# description: >-
#   Without requests the scheduler cannot place a workload sensibly, and without limits one
#   workload can starve its neighbours on the node.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: kubernetes/resource-limits
#   severity: error
#   level: silver
#   input: kubernetes
#   remediation: Set resources.requests and resources.limits (cpu and memory) on every container.
#   examples:
#     fail: |
#       containers:
#         - name: api
#           resources: {limits: {cpu: "1"}}
#     pass: |
#       containers:
#         - name: api
#           resources:
#             requests: {cpu: 100m, memory: 128Mi}
#             limits: {cpu: "1", memory: 256Mi}
package paved.kubernetes.resource_limits

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["resources", section, resource])} if {
	some c in data.paved.lib.k8s.containers
	some section in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not c.value.resources[section][resource]
	msg := sprintf("container %q has no %s %s", [c.value.name, resource, trim_suffix(section, "s")])
}
