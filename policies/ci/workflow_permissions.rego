# METADATA
# title: GitHub workflows declare token permissions
# description: >-
#   Without a `permissions` block the workflow's GITHUB_TOKEN gets the repository default,
#   often write access to everything; a compromised step can then push code or releases.
#   A reusable workflow run only by `workflow_call` gets its caller's token, which it can
#   only narrow: its callers are where the permissions are declared.
# related_resources:
#   - ref: https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#modifying-the-permissions-for-the-github_token
# custom:
#   id: ci/workflow-permissions
#   severity: warning
#   level: silver
#   input: github-actions
#   remediation: >-
#     Add a top-level `permissions:` block (e.g. `contents: read`) and widen it per job
#     only where needed.
#   examples:
#     fail: |
#       on: push
#       jobs:
#         test: {runs-on: ubuntu-24.04, steps: [{run: make test}]}
#     pass: |
#       on: push
#       permissions:
#         contents: read
#       jobs:
#         test: {runs-on: ubuntu-24.04, steps: [{run: make test}]}
package paved.ci.workflow_permissions

import rego.v1

deny contains {"msg": msg, "path": ["jobs", name]} if {
	input.jobs
	not input.permissions
	not only_called
	some name, job in input.jobs
	not job.permissions
	msg := sprintf("job %q runs with the default token permissions; declare `permissions`", [name])
}

triggers := {input.on} if is_string(input.on)

triggers := {t | some t in input.on} if is_array(input.on)

triggers := {t | some t, _ in input.on} if is_object(input.on)

only_called if triggers == {"workflow_call"}
