# METADATA
# title: Containers are not privileged
# description: >-
#   A privileged container has every capability and every host device: it is root on the node
#   in all but name, and anything that compromises it owns the node and its other pods. A
#   Windows HostProcess container is the same on Windows nodes.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: kubernetes/no-privileged
#   severity: error
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Remove `privileged: true` and add only the capabilities the container needs, or move the
#     node-level work to a reviewed platform DaemonSet.
#   examples:
#     fail: |
#       containers:
#         - name: api
#           securityContext:
#             privileged: true
#     pass: |
#       containers:
#         - name: api
#           securityContext:
#             privileged: false
package paved.kubernetes.no_privileged

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "privileged"])} if {
	some c in data.paved.lib.k8s.containers
	c.value.securityContext.privileged == true
	msg := sprintf("container %q is privileged", [c.value.name])
}

deny contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "windowsOptions", "hostProcess"])} if {
	some c in data.paved.lib.k8s.containers
	c.value.securityContext.windowsOptions.hostProcess == true
	msg := sprintf("container %q is a Windows HostProcess container", [c.value.name])
}

deny contains {
	"msg": "the pod runs Windows HostProcess containers",
	"path": array.concat(data.paved.lib.k8s.pod_security_context_path, ["windowsOptions", "hostProcess"]),
} if {
	data.paved.lib.k8s.pod_security_context.windowsOptions.hostProcess == true
}
