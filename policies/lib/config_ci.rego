# Defaults for the ci rules; override under `data.paved_config.ci`.
package paved.lib.config

import rego.v1

ci_defaults := {
	# Owners whose actions may be used at a tag rather than a commit SHA, e.g.
	# ["actions", "github"]. None by default: a moved tag runs new code with your secrets.
	"trusted_action_owners": [],
	# Actions and reusable workflows (regular expressions over the lower-cased reference
	# before `@`) that only work when referenced by a tag: the SLSA generator verifies its
	# own tag and rejects a commit SHA.
	"tag_only_actions": [
		`^slsa-framework/slsa-github-generator/\.github/workflows/(generator|builder)_[a-z0-9_-]+_slsa3\.yml$`,
	],
	# Image tags (the first `-`-separated word of the tag, case-insensitive) that name a
	# release channel, not a version: they move like `latest`.
	"floating_image_tags": [
		"latest", "stable", "edge", "testing", "unstable", "dind", "lts", "current",
		"nightly", "rolling", "beta", "alpha", "rc", "dev", "develop", "main", "master", "sid",
	],
	# The longest a GitHub job may declare with timeout-minutes (GitHub's own cap for
	# hosted runners is 360).
	"max_timeout_minutes": 360,
	# Expressions (regular expressions over the lower-cased text inside `${{ }}`) whose
	# value an outsider controls: issue and pull request text, branch names, commit messages.
	"untrusted_contexts": [
		`github\.event\.issue\.(title|body)`,
		`github\.event\.pull_request\.(title|body)`,
		`github\.event\.pull_request\.head\.(ref|label|repo\.default_branch)`,
		`github\.event\.(comment|review|review_comment)\.body`,
		`github\.event\.discussion\.(title|body)`,
		`github\.event\.pages[^ ]*\.page_name`,
		`github\.event\.(commits[^ ]*|head_commit)\.(message|author\.(email|name)|committer\.(email|name))`,
		`github\.event\.workflow_run\.(head_branch|display_title|head_commit\.(message|author\.(email|name)))`,
		`github\.head_ref`,
	],
	# GitLab projects (path prefixes, e.g. "my-group/ci-templates") whose includes and
	# components may use a tag rather than a commit SHA.
	"trusted_include_projects": [],
	# Events whose workflows run with secrets and a write token on behalf of a fork...
	"privileged_events": ["pull_request_target", "workflow_run"],
	# ...and refs and repositories (regular expressions over the lower-cased value) that
	# name the fork's code.
	"untrusted_refs": [
		`github\.event\.pull_request\.(head\.(sha|ref|repo\.full_name)|merge_commit_sha)`,
		`github\.event\.workflow_run\.(head_(sha|branch)|head_repository\.full_name)`,
		`github\.head_ref`,
		`pull/[^/\n]+/(head|merge)`,
	],
}
