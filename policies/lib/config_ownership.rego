# Defaults for the ownership rules; override under `data.paved_config.ownership`.
package paved.lib.config

import rego.v1

ownership_defaults := {
	# CODEOWNERS patterns that give every path an owner.
	"catch_all_patterns": ["*", "/", "/*", "**", "/**"],
	# Valid CODEOWNERS owners (regular expressions): @user, @org/team (GitLab nests
	# groups: @group/subgroup/team), GitLab roles (@@maintainer) and email addresses.
	"owner_patterns": [
		`^@[A-Za-z0-9][A-Za-z0-9-]*$`,
		`^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)+$`,
		`^@@[a-z]+$`,
		`^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$`,
	],
	# Catalog entity kinds a repository may declare itself with, and the fields each needs.
	"catalog_required_fields": {
		"Component": ["metadata.name", "spec.type", "spec.lifecycle", "spec.owner"],
		"API": ["metadata.name", "spec.type", "spec.lifecycle", "spec.owner"],
		"Resource": ["metadata.name", "spec.type", "spec.owner"],
		"System": ["metadata.name", "spec.owner"],
		"Domain": ["metadata.name", "spec.owner"],
	},
	# Catalog annotations that name the on-call rotation (any one of them).
	"oncall_annotations": [
		"pagerduty.com/service-id",
		"pagerduty.com/integration-key",
		"opsgenie.com/team",
		"opsgenie.com/component-selector",
		"splunk.com/on-call-routing-key",
	],
	# A catalog link whose lower-cased title or URL matches this regular expression names
	# the on-call rotation too.
	"oncall_link_pattern": `on-?call|pagerduty|opsgenie`,
	# A catalog link (title or URL) or annotation (key or value) whose lower-cased text
	# matches this regular expression is a runbook...
	"runbook_pattern": `runbook|playbook`,
	# ...and so is a file matching one of these globs (case-insensitive).
	"runbook_files": ["**/runbook*", "**/runbooks/**", "**/playbook*.md"],
}
