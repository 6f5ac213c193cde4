# METADATA
# title: Containers forbid privilege escalation
# description: >-
#   Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its
#   parent (through setuid binaries or file capabilities), which undoes running as non-root.
#   The setting only exists on containers, so every container, init containers included, must
#   set it. Windows pods are exempt (the setting does not apply to them).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: kubernetes/no-privilege-escalation
#   severity: error
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Set `securityContext.allowPrivilegeEscalation: false` on every container.
#   examples:
#     fail: |
#       containers:
#         - name: api
#           image: api:1.0
#     pass: |
#       containers:
#         - name: api
#           image: api:1.0
#           securityContext:
#             allowPrivilegeEscalation: false
package paved.kubernetes.no_privilege_escalation

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"])} if {
	not data.paved.lib.k8s.is_windows
	some c in data.paved.lib.k8s.containers
	not c.value.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q does not set allowPrivilegeEscalation: false", [c.value.name])
}
