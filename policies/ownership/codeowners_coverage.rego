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

import data.paved.lib.collections
import data.paved.lib.config
import data.paved.lib.repository
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
	first_specific[section_of(i, entry)][1] < i
	msg := sprintf("catch-all %q comes after more specific patterns and overrides them; move it to the top", [entry.pattern])
}

# The first entry of each section that is neither a catch-all nor a header: {section: [section,
# index]}, found in one pass rather than by looking back from every catch-all.
first_specific := collections.first_of_each([[section_of(i, entry), i] |
	some i, entry in input.codeowners
	not catch_all(entry)
	not repository.codeowners_section(entry)
])

# GitLab sections (`[Section]`, `^[Optional]`) are matched independently: a catch-all in one
# section does not override the patterns of another. A section is [file, index of its
# header], -1 above the file's first header.
section_of(i, entry) := [entry.file, object.get(data.paved.lib.repository.codeowners_header, i, -1)]
