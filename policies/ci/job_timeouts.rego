# METADATA
# title: CI jobs declare a timeout
# description: >-
#   A hung test or a stuck deploy holds a runner until the platform's limit (6 hours on
#   GitHub, the project setting on GitLab), blocking the queue and burning minutes before
#   anyone notices. GitHub jobs set `timeout-minutes` (at most the setting
#   `ci.max_timeout_minutes`); jobs that call a reusable workflow cannot, so they are skipped.
#   GitLab jobs set `timeout`, themselves, through `extends` or in `default`; jobs extending a
#   template from an include and trigger jobs are skipped.
# related_resources:
#   - ref: https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idtimeout-minutes
#   - ref: https://docs.gitlab.com/ee/ci/yaml/#timeout
# custom:
#   id: ci/job-timeouts
#   severity: warning
#   level: silver
#   input: [github-actions, gitlab-ci]
#   remediation: >-
#     Set `timeout-minutes:` on every GitHub job, or `timeout:` on every GitLab job (or once
#     under `default:`), a little above the job's usual duration.
#   config: [ci.max_timeout_minutes]
#   examples:
#     fail: |
#       jobs:
#         test:
#           runs-on: ubuntu-24.04
#           steps: [{run: make test}]
#     pass: |
#       jobs:
#         test:
#           runs-on: ubuntu-24.04
#           timeout-minutes: 15
#           steps: [{run: make test}]
package paved.ci.job_timeouts

import data.paved.lib.ci
import data.paved.lib.config
import rego.v1

deny contains {"msg": msg, "path": array.concat(job.path, ["timeout-minutes"])} if {
	some job in data.paved.lib.ci.github_jobs
	not job.value.uses
	not "timeout-minutes" in object.keys(job.value)
	msg := sprintf("job %q has no timeout-minutes, so a hung step runs for 6 hours", [job.name])
}

deny contains {"msg": msg, "path": array.concat(job.path, ["timeout-minutes"])} if {
	some job in data.paved.lib.ci.github_jobs
	minutes := job.value["timeout-minutes"]
	is_number(minutes)
	limit := config.setting("ci", "max_timeout_minutes")
	minutes > limit
	msg := sprintf("job %q allows %v minutes, more than the %v allowed", [job.name, minutes, limit])
}

deny contains {"msg": msg, "path": array.concat(job.path, ["timeout"])} if {
	some job in data.paved.lib.ci.gitlab_jobs
	not job.value.trigger
	not job.name in data.paved.lib.ci.gitlab_extends_unknown
	not job.name in gitlab_timeouts
	msg := sprintf("job %q sets no timeout, so a hung job runs until the project's limit", [job.name])
}

gitlab_timeouts := ci.gitlab_jobs_setting("timeout")
