# METADATA
# title: Images are pinned to a version
# custom:
#   id: org/no-latest
#   severity: error
#   level: gold
#   input: kubernetes
package org.no_latest

import rego.v1

deny contains {"msg": sprintf("container %q runs :latest", [c.name]), "path": path} if {
	some i, c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	path := ["spec", "template", "spec", "containers", i, "image"]
}
