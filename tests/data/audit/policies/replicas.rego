# METADATA
# title: Deployments run more than one replica
# custom:
#   id: org/replicas
#   severity: warning
#   input: kubernetes
package org.replicas

import rego.v1

deny contains {"msg": "a single replica", "path": ["spec", "replicas"]} if {
	input.kind == "Deployment"
	input.spec.replicas < 2
}
