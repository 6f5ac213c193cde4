# METADATA
# title: Privileged workflows do not check out pull request code
# description: >-
#   `pull_request_target` and `workflow_run` workflows run with the base repository's secrets
#   and a write token, even for pull requests from forks. Checking out the pull request's
#   head and then building or testing it runs the attacker's code with those secrets (a "pwn
#   request"). Reads the settings `ci.privileged_events` and `ci.untrusted_refs`; checkouts
#   by `actions/checkout` (`ref`, `repository`) and by `git`/`gh pr checkout` in scripts
#   count.
# related_resources:
#   - ref: https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/
# custom:
#   id: ci/pull-request-target-checkout
#   severity: error
#   level: silver
#   input: github-actions
#   remediation: >-
#     Build and test pull requests on `pull_request` (no secrets, read-only token); keep the
#     privileged workflow to labelling or commenting, or hand results over as artifacts to a
#     `workflow_run` workflow that never executes them.
#   config: [ci.privileged_events, ci.untrusted_refs]
#   examples:
#     fail: |
#       on: pull_request_target
#       jobs:
#         test:
#           steps:
#             - uses: actions/checkout@v4
#               with: {ref: "${{ github.event.pull_request.head.sha }}"}
#             - run: make test
#     pass: |
#       on: pull_request
#       jobs:
#         test:
#           steps:
#             - uses: actions/checkout@v4
#             - run: make test
package paved.ci.pull_request_target_checkout

import data.paved.lib.ci
import data.paved.lib.config
import rego.v1

privileged := data.paved.lib.ci.github_events & {e | some e in config.setting("ci", "privileged_events")}

events := concat(", ", sort([e | some e in privileged]))

consequence := "which then runs with secrets and a write token"

deny contains {"msg": msg, "path": array.concat(step.path, ["with", field])} if {
	count(privileged) > 0
	some step in data.paved.lib.ci.github_steps
	ci.uses_action(step.value, "actions/checkout")
	some field in ["ref", "repository"]
	ref := step.value["with"][field]
	untrusted(ref)
	msg := sprintf("on %s, this checks out the pull request's code (%s), %s", [events, ref, consequence])
}

deny contains {"msg": msg, "path": array.concat(step.path, ["run"])} if {
	count(privileged) > 0
	some step in data.paved.lib.ci.github_steps
	is_string(step.value.run)
	checks_out_pull_request(step.value.run)
	msg := sprintf("on %s, this script checks out the pull request's code, %s", [events, consequence])
}

untrusted(value) if {
	is_string(value)
	some pattern in config.setting("ci", "untrusted_refs")
	regex.match(pattern, lower(value))
}

checks_out_pull_request(script) if contains(script, "gh pr checkout")

checks_out_pull_request(script) if {
	regex.match(`git[ \t]+(fetch|checkout|switch|pull|worktree)`, script)
	untrusted(script)
}
