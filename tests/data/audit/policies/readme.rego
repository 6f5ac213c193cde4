# METADATA
# title: Every unit has a README
# custom:
#   id: org/readme
#   severity: error
#   level: bronze
#   input: repository
package org.readme

import rego.v1

deny contains {"msg": "no README.md"} if {
	not "README.md" in input.files
}
