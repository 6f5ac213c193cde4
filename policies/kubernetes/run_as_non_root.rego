# METADATA
# title: Containers run as a non-root user
# description: >-
#   A process running as root inside a container is one kernel or runtime bug away from root
#   on the node. Kubernetes only guarantees a non-root user when the securityContext says so:
#   `runAsNonRoot: true` makes the kubelet refuse to start a container whose image runs as
#   root, and a non-zero `runAsUser` overrides the image's user. A container's own
#   securityContext wins over the pod's, so either level may set them. `runAsUser: 0` is
#   always a finding.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: kubernetes/run-as-non-root
#   severity: error
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Set `securityContext.runAsNonRoot: true` on the pod (or on every container), and a
#     non-zero `runAsUser` if the image does not declare a numeric non-root USER.
#   examples:
#     fail: |
#       spec:
#         containers:
#           - name: api
#             image: api:1.0
#     pass: |
#       spec:
#         securityContext:
#           runAsNonRoot: true
#         containers:
#           - name: api
#             image: api:1.0
package paved.kubernetes.run_as_non_root

import data.paved.lib.k8s
import rego.v1

deny contains {"msg": msg, "path": user.path} if {
	some c in data.paved.lib.k8s.containers
	user := k8s.security_setting(c, "runAsUser")
	user.value == 0
	msg := sprintf("container %q runs as root (runAsUser 0)", [c.value.name])
}

# Without a runAsUser the image's USER decides, which only runAsNonRoot checks.
deny contains {"msg": msg, "path": k8s.security_setting_path(c, "runAsNonRoot")} if {
	some c in data.paved.lib.k8s.containers
	not k8s.security_setting(c, "runAsUser")
	not k8s.security_setting(c, "runAsNonRoot").value == true
	msg := sprintf("container %q may run as root: set runAsNonRoot: true or a non-zero runAsUser", [c.value.name])
}
