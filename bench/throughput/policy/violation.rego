# Failures with metadata: privileged containers.
package main

import data.kubernetes
import rego.v1

violation contains {"msg": msg, "details": {"container": container.name}} if {
	some container in kubernetes.containers
	container.securityContext.privileged == true
	msg := sprintf("Container %s in Deployment %s is privileged", [container.name, kubernetes.name])
}
