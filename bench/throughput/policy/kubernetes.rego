# Helpers shared by the rules: what kind of object the input is, and its containers.
package kubernetes

import rego.v1

is_deployment if input.kind == "Deployment"

is_service if input.kind == "Service"

name := input.metadata.name

# The containers of a Deployment's pod template.
containers contains container if {
	is_deployment
	some container in input.spec.template.spec.containers
}
