# Defaults for the terraform rules; override under `data.paved_config.terraform`.
package paved.lib.config

import rego.v1

terraform_defaults := {
	# Tag keys any one of which names the owner of a resource.
	"owner_tag_keys": ["owner", "team"],
	# Resource types with these prefixes take tags...
	"taggable_prefixes": ["aws_", "azurerm_", "google_"],
	# ...except these, which have no tags argument.
	"untaggable_types": [
		"aws_iam_policy_document", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
		"aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
		"aws_route", "aws_route_table_association", "aws_security_group_rule",
		"aws_s3_bucket_acl", "aws_s3_bucket_server_side_encryption_configuration",
		"aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls",
		"aws_s3_bucket_notification", "aws_s3_account_public_access_block",
		"aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment",
		"aws_iam_policy_attachment", "aws_lambda_permission", "aws_route53_record",
		"google_project_iam_member", "google_project_iam_binding", "google_compute_firewall",
		"google_storage_bucket_iam_member", "azurerm_role_assignment",
		"azurerm_network_security_rule",
	],
	# module-source-pinned: a git `?ref=` must match this (a version tag or a commit hash);
	# anything else (`main`, `develop`) is taken for a branch, which moves.
	"module_ref_pattern": `^(v?[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.+-]+)?|[0-9a-f]{7,40})$`,
	# remote-backend: backends that keep state remotely and lock it on their own. `s3` and
	# `http` are judged apart (they lock only when configured to), `local` is always reported.
	"locking_backends": ["azurerm", "consul", "cos", "gcs", "kubernetes", "oss", "pg", "remote"],
	# no-hardcoded-secrets: attribute, map key, variable and `name = ...` names that hold a
	# secret, matched case-insensitively against the whole name or its end after `_`, `-`,
	# `.` or `/` (`db_password`, `client_secret`, `api_token`, `/app/db_password`)...
	"secret_names": [
		"password", "passwd", "secret", "secret_key", "access_key", "private_key", "token",
		"api_key", "app_key", "secret_string", "plaintext_value",
	],
	# ...except inside these blocks, where such names are settings, not secrets.
	"secret_exempt_blocks": ["token_validity_units"],
	# no-public-ingress: sources that mean "the whole internet" (CIDRs, and Azure's `*`,
	# `Internet` and `Any`)...
	"public_sources": ["0.0.0.0/0", "::/0", "*", "Internet", "Any"],
	# ...and the ports that may be open to them.
	"public_ingress_ports": [80, 443],
}
