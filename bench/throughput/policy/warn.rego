# Warnings: Services to review, and containers without a memory limit.
package main

import data.kubernetes
import rego.v1

warn contains msg if {
	kubernetes.is_service
	msg := sprintf("Found Service %s: check that it should be exposed", [kubernetes.name])
}

warn contains msg if {
	some container in kubernetes.containers
	not container.resources.limits.memory
	msg := sprintf("Container %s in Deployment %s has no memory limit", [container.name, kubernetes.name])
}
