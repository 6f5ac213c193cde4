package paved.terraform.owner_tags_test

import data.paved.terraform.owner_tags
import rego.v1

test_tagged_bucket_passes if {
	count(owner_tags.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"logs": [{"tags": {"owner": "team-a"}}]}}}
}

test_untagged_bucket_fails if {
	owner_tags.deny == {{
		"msg": "aws_s3_bucket.logs has no owner tag (one of owner, team)",
		"path": ["resource", "aws_s3_bucket", "logs", 0],
	}} with input as {"resource": {"aws_s3_bucket": {"logs": [{"bucket": "logs"}]}}}
}

test_tags_without_owner_point_at_tags if {
	owner_tags.deny == {{
		"msg": "aws_instance.web has no owner tag (one of owner, team)",
		"path": ["resource", "aws_instance", "web", 0, "tags"],
	}} with input as {"resource": {"aws_instance": {"web": [{"tags": {"env": "prod"}}]}}}
}

test_default_tags_cover_every_resource if {
	count(owner_tags.deny) == 0 with input as {
		"provider": {"aws": [{"default_tags": [{"tags": {"team": "payments"}}]}]},
		"resource": {"aws_instance": {"web": [{}]}},
	}
}

test_untaggable_types_and_other_providers_are_skipped if {
	count(owner_tags.deny) == 0 with input as {"resource": {
		"aws_s3_bucket_policy": {"p": [{}]},
		"random_id": {"r": [{}]},
	}}
}

test_organisation_owner_keys if {
	count(owner_tags.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"b": [{"tags": {"cost-center": "42"}}]}}}
		with data.paved_config as {"terraform": {"owner_tag_keys": ["cost-center"]}}
}

test_tags_from_an_expression_are_not_judged if {
	count(owner_tags.deny) == 0 with input as {"resource": {
		"aws_instance": {"web": [{"tags": "${merge(local.tags, {Name = \"web\"})}"}]},
		"google_storage_bucket": {"logs": [{"labels": "${local.labels}"}]},
	}}
}

# A `.tfvars` file may assign a variable called `provider` or `resource`.
test_tfvars_with_block_names_as_variables if {
	count(owner_tags.deny) == 0 with input as {"provider": "aws", "resource": "arn:aws:s3:::logs"}
}

# Terraform's JSON syntax (`.tf.json`): a body is an object, or a list of them.
test_json_syntax if {
	owner_tags.deny == {{
		"msg": "aws_s3_bucket.logs has no owner tag (one of owner, team)",
		"path": ["resource", "aws_s3_bucket", "logs", "tags"],
	}} with input as {"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs", "tags": {"env": "prod"}}}}}
}

test_json_syntax_default_tags if {
	count(owner_tags.deny) == 0 with input as {
		"provider": {"aws": [{"default_tags": {"tags": {"owner": "team-a"}}}]},
		"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs"}}},
	}
}
