# METADATA
# title: Actions and reusable workflows are pinned to a commit SHA
# description: >-
#   A tag or branch of a third-party action can be moved to new code at any time, and that
#   code runs with the job's token and secrets, as in the tj-actions/changed-files
#   compromise. Only a full 40-character commit SHA is immutable. Local actions (`./...`)
#   are fine; `docker://` images need a digest (untagged ones are left to
#   ci/github-pinned-images). Owners listed in the setting `ci.trusted_action_owners`
#   (none by default; e.g. `actions`, `github`) may use tags, and so must the actions in
#   `ci.tag_only_actions` (the SLSA generator's workflows) at a `vX.Y.Z` tag.
# related_resources:
#   - ref: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
# custom:
#   id: ci/actions-pinned
#   severity: warning
#   level: gold
#   input: github-actions
#   remediation: >-
#     Replace the tag with the commit it points at and keep the tag as a comment
#     (`uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`);
#     Dependabot and Renovate update both.
#   config: [ci.trusted_action_owners, ci.tag_only_actions]
#   examples:
#     fail: |
#       steps:
#         - uses: docker/login-action@v3
#     pass: |
#       steps:
#         - uses: docker/login-action@9780b0c442fbb1117ed29e0efdff1e18412f7567 # v3.3.0
#         - uses: ./.github/actions/setup
package paved.ci.actions_pinned

import data.paved.lib.config
import data.paved.lib.docker
import rego.v1

# Every `uses`: steps (of jobs and composite actions) and jobs calling reusable workflows.
uses contains {"value": step.value.uses, "path": array.concat(step.path, ["uses"])} if {
	some step in data.paved.lib.ci.github_steps
	is_string(step.value.uses)
}

uses contains {"value": job.value.uses, "path": array.concat(job.path, ["uses"])} if {
	some job in data.paved.lib.ci.github_jobs
	is_string(job.value.uses)
}

deny contains {"msg": msg, "path": use.path} if {
	some use in uses
	problem := unpinned(use.value)
	msg := sprintf("%q %s", [use.value, problem])
}

# Untagged and `latest` images are left to ci/github-pinned-images.
unpinned(ref) := "is not pinned by digest" if {
	startswith(ref, "docker://")
	not contains(ref, "@sha256:")
	not docker.unpinned(trim_prefix(ref, "docker://"))
}

unpinned(ref) := "has no ref" if {
	remote(ref)
	not contains(ref, "@")
}

unpinned(ref) := sprintf("is pinned to %q, which can move; use a full commit SHA", [version]) if {
	remote(ref)
	parts := split(ref, "@")
	version := parts[count(parts) - 1]
	count(parts) > 1
	not regex.match(`^[0-9a-f]{40}$`, version)
	not lower(split(ref, "/")[0]) in {lower(owner) | some owner in config.setting("ci", "trusted_action_owners")}
	not tag_only(lower(parts[0]), version)
}

# An action that must be referenced by a release tag, at one (a branch still moves).
tag_only(action, version) if {
	regex.match(`^v[0-9]+(\.[0-9]+){0,2}$`, version)
	some pattern in config.setting("ci", "tag_only_actions")
	regex.match(pattern, action)
}

remote(ref) if {
	not startswith(ref, "./")
	not startswith(ref, "docker://")
}
