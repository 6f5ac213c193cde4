# Organisation settings: every threshold and list a rule uses has a default here, and an
# organisation overrides it under `data.paved_config.<category>.<key>`.
package paved.lib.config

import rego.v1

defaults := {
	"terraform": {
		"owner_tag_keys": ["owner", "team"],
		"taggable_prefixes": ["aws_", "azurerm_", "google_"],
		"untaggable_types": [
			"aws_iam_policy_document", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
			"aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
			"aws_route", "aws_route_table_association", "aws_security_group_rule",
			"google_project_iam_member", "google_project_iam_binding", "azurerm_role_assignment",
		],
	},
	"kubernetes": {"allowed_latest_tags": []},
	"ci": {},
}

# The setting `key` of `category`: the organisation's value when set, else the default.
setting(category, key) := data.paved_config[category][key]

setting(category, key) := defaults[category][key] if not data.paved_config[category][key]
