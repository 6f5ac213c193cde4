# METADATA
# title: Containers drop all capabilities and add no dangerous ones
# description: >-
#   The default capability set lets a root process do more than an application needs
#   (NET_RAW, for one, allows spoofing packets on the node's network); dropping ALL and adding
#   back only what is needed (usually nothing, at most NET_BIND_SERVICE) removes that surface.
#   Adding a capability from the `kubernetes.forbidden_capabilities` setting (SYS_ADMIN,
#   NET_ADMIN, SYS_PTRACE and the like) hands a container near-root powers over the node and is
#   an error; a container that does not drop ALL is a warning. Windows pods are exempt from the
#   drop (capabilities do not apply to them).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: kubernetes/drop-capabilities
#   severity: error
#   level: silver
#   input: kubernetes
#   config: [kubernetes.forbidden_capabilities]
#   remediation: >-
#     Set `securityContext.capabilities.drop: [ALL]` on every container and add back only the
#     capabilities it needs, never SYS_ADMIN, NET_ADMIN or the other forbidden ones.
#   examples:
#     fail: |
#       containers:
#         - name: api
#           securityContext:
#             capabilities:
#               add: [SYS_ADMIN]
#     pass: |
#       containers:
#         - name: api
#           securityContext:
#             capabilities:
#               drop: [ALL]
#               add: [NET_BIND_SERVICE]
package paved.kubernetes.drop_capabilities

import data.paved.lib.config
import rego.v1

forbidden := {normalize(name) | some name in config.setting("kubernetes", "forbidden_capabilities")}

deny contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "capabilities", "add", i])} if {
	some c in data.paved.lib.k8s.containers
	some i, capability in c.value.securityContext.capabilities.add
	normalize(capability) in forbidden
	msg := sprintf("container %q adds the %s capability", [c.value.name, normalize(capability)])
}

# `warn`: keeping the default set is a strong recommendation, not a risk like the adds above.
warn contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "capabilities", "drop"])} if {
	not data.paved.lib.k8s.is_windows
	some c in data.paved.lib.k8s.containers
	not drops_all(c.value)
	msg := sprintf("container %q does not drop ALL capabilities", [c.value.name])
}

drops_all(container) if {
	some capability in container.securityContext.capabilities.drop
	normalize(capability) == "ALL"
}

# Runtimes accept `CAP_SYS_ADMIN` and `sys_admin` as well as `SYS_ADMIN`.
normalize(capability) := trim_prefix(upper(capability), "CAP_")
