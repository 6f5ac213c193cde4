# METADATA
# title: actions/checkout does not leave the token on disk unasked
# description: >-
#   By default actions/checkout keeps the job's GITHUB_TOKEN for git: in `.git/config` up to
#   v5, where any artifact that uploads the workspace carries it, and in a file under
#   $RUNNER_TEMP from v6, where every later step can still read it. Jobs that push need it;
#   most do not. Setting `persist-credentials` either way records the decision.
# related_resources:
#   - ref: https://github.com/actions/checkout#usage
# custom:
#   id: ci/checkout-persist-credentials
#   severity: info
#   level: gold
#   input: github-actions
#   remediation: >-
#     Add `with: {persist-credentials: false}` to actions/checkout, or `true` in the jobs that
#     push with the token.
#   examples:
#     fail: |
#       - uses: actions/checkout@v4
#     pass: |
#       - uses: actions/checkout@v4
#         with:
#           persist-credentials: false
package paved.ci.checkout_persist_credentials

import data.paved.lib.ci
import rego.v1

deny contains {"msg": msg, "path": array.concat(step.path, ["with", "persist-credentials"])} if {
	some step in data.paved.lib.ci.github_steps
	ci.uses_action(step.value, "actions/checkout")
	not "persist-credentials" in object.keys(inputs(step.value))
	msg := "actions/checkout keeps the token on disk for every later step; set persist-credentials"
}

inputs(step) := step["with"] if is_object(step["with"])

inputs(step) := {} if not is_object(step["with"])
