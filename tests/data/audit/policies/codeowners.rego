# METADATA
# title: Every repository names its owners
# custom:
#   id: org/codeowners
#   severity: error
#   level: silver
#   input: repository
package org.codeowners

import rego.v1

deny contains {"msg": "no CODEOWNERS"} if {
	count(input.codeowners) == 0
}
