# METADATA
# title: Containers have a read-only root filesystem
# description: >-
#   A writable root filesystem lets an attacker drop tools and persist changes inside the
#   container, and lets the application write state that disappears on restart. With
#   `readOnlyRootFilesystem: true`, scratch space must be an explicit `emptyDir` volume, which
#   is visible and limited. Windows pods are exempt (the setting does not apply to them).
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: kubernetes/read-only-root-filesystem
#   severity: warning
#   level: silver
#   input: kubernetes
#   remediation: >-
#     Set `securityContext.readOnlyRootFilesystem: true` on every container and mount an
#     `emptyDir` volume at the paths it writes to (such as /tmp).
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
#             readOnlyRootFilesystem: true
package paved.kubernetes.read_only_root_filesystem

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"])} if {
	not data.paved.lib.k8s.is_windows
	some c in data.paved.lib.k8s.containers
	not c.value.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("container %q has a writable root filesystem", [c.value.name])
}
