# Failures for Deployments, in the spirit of conftest's examples/kubernetes policy.
package main

import data.kubernetes
import rego.v1

deny contains msg if {
	kubernetes.is_deployment
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("Containers must not run as root in Deployment %s", [kubernetes.name])
}

deny contains msg if {
	kubernetes.is_deployment
	not input.spec.selector.matchLabels.app
	msg := sprintf("Deployment %s must provide an app label for pod selectors", [kubernetes.name])
}

deny contains msg if {
	some container in kubernetes.containers
	endswith(container.image, ":latest")
	msg := sprintf("Container %s in Deployment %s uses the latest tag", [container.name, kubernetes.name])
}
