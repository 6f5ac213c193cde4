# METADATA
# title: Containers run with a seccomp profile
# description: >-
#   Without a seccomp profile a container can make every system call the kernel offers,
#   including the rarely used ones most container escapes go through. `RuntimeDefault` blocks
#   them at no cost to ordinary applications. The pod's `seccompProfile` applies to every
#   container that does not set its own. Windows pods are exempt (seccomp does not apply).
# related_resources:
#   - ref: https://kubernetes.io/docs/tutorials/security/seccomp/
# custom:
#   id: kubernetes/seccomp-profile
#   severity: warning
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with
#     a reviewed profile).
#   examples:
#     fail: |
#       spec:
#         containers: [{name: api, image: api:1.0}]
#     pass: |
#       spec:
#         securityContext:
#           seccompProfile: {type: RuntimeDefault}
#         containers: [{name: api, image: api:1.0}]
package paved.kubernetes.seccomp_profile

import data.paved.lib.k8s
import rego.v1

confined := {"RuntimeDefault", "Localhost"}

deny contains {"msg": msg, "path": array.concat(k8s.security_setting_path(c, "seccompProfile"), ["type"])} if {
	not data.paved.lib.k8s.is_windows
	some c in data.paved.lib.k8s.containers
	not k8s.security_setting(c, "seccompProfile").value.type in confined
	msg := sprintf("container %q runs without a seccomp profile (set seccompProfile.type: RuntimeDefault)", [c.value.name])
}
