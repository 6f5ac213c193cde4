# Defaults for the terraform rules; override under `data.paved_config.terraform`.
package paved.lib.config

import rego.v1

defaults.terraform := {
	# Tag keys any one of which names the owner of a resource.
	"owner_tag_keys": ["owner", "team"],
	# Resource types with these prefixes take tags...
	"taggable_prefixes": ["aws_", "azurerm_", "google_"],
	# ...except these, which have no tags argument.
	"untaggable_types": [
		"aws_iam_policy_document", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
		"aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
		"aws_route", "aws_route_table_association", "aws_security_group_rule",
		"google_project_iam_member", "google_project_iam_binding", "azurerm_role_assignment",
	],
}
