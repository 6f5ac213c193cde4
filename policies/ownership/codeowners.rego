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
	data.paved.lib.repository.is_root
	count(input.codeowners) == 0
}

deny contains {"msg": msg, "path": ["codeowners", i]} if {
	data.paved.lib.repository.is_root
	some i, entry in input.codeowners
	count(entry.owners) == 0
	not repository.codeowners_section(entry)
	not section_owned(i)
	msg := sprintf("CODEOWNERS pattern %q has no owner", [entry.pattern])
}

# GitLab section headers (`[Section]`, `^[Optional][2] @owner`) are not patterns; a header
# may name default owners, which the entries below it that name none take.
section_owned(i) if {
	header := input.codeowners[data.paved.lib.repository.codeowners_header[i]]
	count(default_owners(header)) > 0
}

# A header's owners follow its last `]`: the model splits a section name with spaces
# (`[Platform team] @org/platform`) into the owners too.
default_owners(header) := array.slice(header.owners, last_bracket(header) + 1, count(header.owners))

last_bracket(header) := max([k | some k, token in header.owners; contains(token, "]")]) if any_bracket(header)

last_bracket(header) := -1 if not any_bracket(header)

any_bracket(header) if {
	some token in header.owners
	contains(token, "]")
}
