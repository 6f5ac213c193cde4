# METADATA
# title: CODEOWNERS names owners GitHub and GitLab understand
# description: >-
#   An owner must be a @user, an @org/team or an email address; anything else (a bare team
#   name, a typo in the @) makes GitHub skip the whole line, so the path silently loses
#   its owner. Reads ownership.owner_patterns.
# related_resources:
#   - ref: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax
# custom:
#   id: ownership/codeowners-syntax
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Write each owner as `@user`, `@org/team` or `name@example.com`, separated by spaces
#     after the pattern.
#   config: [ownership.owner_patterns]
#   examples:
#     fail: |
#       CODEOWNERS:
#         * payments-team
#     pass: |
#       CODEOWNERS:
#         * @org/payments-team
package paved.ownership.codeowners_syntax

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

valid(owner) if {
	some pattern in config.setting("ownership", "owner_patterns")
	regex.match(pattern, owner)
}

# CODEOWNERS is given to every unit of a monorepo: judge it once, at the root.
deny contains {"msg": msg, "path": ["codeowners", i]} if {
	data.paved.lib.repository.is_root
	some i, entry in input.codeowners
	# A section header's name holds spaces, which the model splits like owners.
	not repository.codeowners_section(entry)
	some owner in entry.owners
	not valid(owner)
	msg := sprintf("CODEOWNERS owner %q of %q is not a @user, @org/team or email address", [owner, entry.pattern])
}
