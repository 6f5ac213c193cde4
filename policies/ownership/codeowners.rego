# METADATA
# title: The repository declares its owners in CODEOWNERS
# description: >-
#   CODEOWNERS is how reviews get routed and how people find who owns a path. Without it,
#   pull requests wait for whoever happens to notice and incidents start with a search.
# related_resources:
#   - ref: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners
# custom:
#   id: ownership/codeowners
#   severity: error
#   level: bronze
#   input: repository
#   remediation: Add a CODEOWNERS file (root, .github/ or docs/) with at least a `*` entry naming the owning team.
#   examples:
#     fail: |
#       files: [README.md, go.mod, main.go]
#     pass: |
#       files: [README.md, go.mod, main.go, .github/CODEOWNERS]
#       .github/CODEOWNERS: "* @org/payments"
package paved.ownership.codeowners

import data.paved.lib.repository
import rego.v1

# CODEOWNERS is given to every unit of a monorepo: judge it once, at the root.
deny contains {"msg": "no CODEOWNERS file: nobody is asked to review changes"} if {
	repository.is_root
	count(input.codeowners) == 0
}

deny contains {"msg": msg, "path": ["codeowners", i]} if {
	repository.is_root
	some i, entry in input.codeowners
	count(entry.owners) == 0
	msg := sprintf("CODEOWNERS pattern %q has no owner", [entry.pattern])
}
