# METADATA
# title: Long-running containers declare liveness and readiness probes
# description: >-
#   Without a readiness probe traffic reaches pods before they can serve it; without a
#   liveness probe a hung process is never restarted.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
# custom:
#   id: kubernetes/probes
#   severity: warning
#   level: silver
#   input: kubernetes
#   remediation: Add livenessProbe and readinessProbe to every container of Deployments, StatefulSets and DaemonSets.
#   examples:
#     fail: |
#       containers:
#         - name: api
#           image: api:1.0
#     pass: |
#       containers:
#         - name: api
#           image: api:1.0
#           livenessProbe: {httpGet: {path: /healthz, port: 8080}}
#           readinessProbe: {httpGet: {path: /ready, port: 8080}}
package paved.kubernetes.probes

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, [probe])} if {
	data.paved.lib.k8s.is_service_workload
	some c in data.paved.lib.k8s.main_containers
	some probe in ["livenessProbe", "readinessProbe"]
	not c.value[probe]
	msg := sprintf("container %q has no %s", [c.value.name, probe])
}
