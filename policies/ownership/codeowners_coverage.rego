# METADATA
# title: CODEOWNERS gives every path an owner
# description: >-
#   Without a catch-all entry (`*`) every path no pattern matches has no owner: its changes
#   need no review from the owning team and nobody knows whom to ask about it. The last
#   matching pattern wins, so the catch-all must come first or it overrides every entry
#   above it. Reads ownership.catch_all_patterns.
# related_resources:
#   - ref: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#example-of-a-codeowners-file
# custom:
#   id: ownership/codeowners-coverage
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Make the first entry of CODEOWNERS `* @org/team`, naming the team that owns the
#     repository; more specific patterns below it then override it for their paths.
#   config: [ownership.catch_all_patterns]
#   examples:
#     fail: |
#       .github/CODEOWNERS:
#         /src/ @org/payments
#     pass: |
#       .github/CODEOWNERS:
#         *      @org/payments
#         /docs/ @org/tech-writers
package paved.ownership.codeowners_coverage

import data.paved.lib.config
import rego.v1

catch_all(entry) if {
	entry.pattern in config.setting("ownership", "catch_all_patterns")
	count(entry.owners) > 0
}

# CODEOWNERS is given to every unit of a monorepo: judge it once, at the root. A missing
# file is ownership/codeowners' finding.
deny contains {"msg": msg, "path": ["codeowners", 0]} if {
	data.paved.lib.repository.is_root
	count(input.codeowners) > 0
	not any_catch_all
	msg := "CODEOWNERS has no catch-all `*` entry: paths outside its patterns have no owner"
}

any_catch_all if {
	some entry in input.codeowners
	catch_all(entry)
}

# A catch-all below other entries of its file (of its section, in GitLab) overrides them:
# the last match wins.
warn contains {"msg": msg, "path": ["codeowners", i]} if {
	data.paved.lib.repository.is_root
	some i, entry in input.codeowners
	catch_all(entry)
	some j, earlier in input.codeowners
	j < i
	earlier.file == entry.file
	not catch_all(earlier)
	not section(earlier)
	section_start(earlier) == section_start(entry)
	msg := sprintf("catch-all %q comes after more specific patterns and overrides them; move it to the top", [entry.pattern])
}

# GitLab sections (`[Section]`, `^[Optional]`) are matched independently: a catch-all in one
# section does not override the patterns of another.
section(entry) if startswith(entry.pattern, "[")

section(entry) if startswith(entry.pattern, "^[")

# The line of the section header an entry is under, 0 before any.
section_start(entry) := max(header_lines(entry)) if count(header_lines(entry)) > 0

section_start(entry) := 0 if count(header_lines(entry)) == 0

header_lines(entry) := [h.line |
	some h in input.codeowners
	h.file == entry.file
	h.line < entry.line
	section(h)
]
