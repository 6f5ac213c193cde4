# METADATA
# title: Workflows do not grant write-all permissions
# description: >-
#   `permissions: write-all` gives the GITHUB_TOKEN write access to contents, packages,
#   releases, deployments and more: any compromised action or dependency in the job can push
#   code, publish a release or change other workflows.
# related_resources:
#   - ref: https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
# custom:
#   id: ci/no-write-all
#   severity: error
#   level: silver
#   input: github-actions
#   remediation: >-
#     List only the scopes the job needs (`permissions: {contents: read, packages: write}`),
#     at the top level and per job.
#   examples:
#     fail: |
#       permissions: write-all
#     pass: |
#       permissions:
#         contents: read
package paved.ci.no_write_all

import rego.v1

deny contains {"msg": "the workflow grants its token write-all permissions", "path": ["permissions"]} if {
	data.paved.lib.ci.is_github
	input.permissions == "write-all"
}

deny contains {"msg": msg, "path": array.concat(job.path, ["permissions"])} if {
	some job in data.paved.lib.ci.github_jobs
	job.value.permissions == "write-all"
	msg := sprintf("job %q grants its token write-all permissions", [job.name])
}
