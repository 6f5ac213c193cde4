# METADATA
# title: Containers do not bind host ports
# description: >-
#   A hostPort opens the port on the node's own address: it bypasses Services and network
#   policies, exposes the pod outside the cluster network, and limits the workload to one pod
#   per node (a second one cannot be scheduled there).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/overview/#services
# custom:
#   id: kubernetes/no-host-ports
#   severity: warning
#   level: silver
#   input: kubernetes
#   remediation: Remove `hostPort` and expose the container through a Service (NodePort or LoadBalancer if it must be reachable from outside).
#   examples:
#     fail: |
#       containers:
#         - name: api
#           ports: [{containerPort: 8080, hostPort: 8080}]
#     pass: |
#       containers:
#         - name: api
#           ports: [{containerPort: 8080}]
package paved.kubernetes.no_host_ports

import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["ports", i, "hostPort"])} if {
	some c in data.paved.lib.k8s.containers
	some i, port in c.value.ports
	port.hostPort > 0
	msg := sprintf("container %q binds host port %d", [c.value.name, port.hostPort])
}
