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

test_default_tags_in_another_file_of_the_module_cover_its_resources if {
	count(owner_tags.deny) == 0 with input as {"resource": {"aws_instance": {"web": [{}]}}}
		with data.paved_module as {"provider": {"aws": [{"default_tags": [{"tags": {"owner": "payments"}}]}]}}
}

test_default_tags_elsewhere_without_an_owner_cover_nothing if {
	owner_tags.deny == {{
		"msg": "aws_instance.web has no owner tag (one of owner, team)",
		"path": ["resource", "aws_instance", "web", 0],
	}} with input as {"resource": {"aws_instance": {"web": [{}]}}}
		with data.paved_module as {"provider": {"aws": [{"default_tags": [{"tags": {"env": "prod"}}]}]}}
}

# The generated table says which types take labels: these have none.
test_untaggable_types_and_other_providers_are_skipped if {
	count(owner_tags.deny) == 0 with input as {"resource": {
		"aws_s3_bucket_policy": {"p": [{}]},
		"aws_network_acl_rule": {"r": [{"rule_number": 100}]},
		"aws_route": {"r": [{}]},
		"google_service_account": {"sa": [{"account_id": "ci"}]},
		"google_project_iam_member": {"m": [{}]},
		"azurerm_role_assignment": {"a": [{}]},
		"aws_not_a_real_type": {"x": [{}]},
		"random_id": {"r": [{}]},
	}}
}

test_organisation_untaggable_types if {
	count(owner_tags.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"b": [{}]}}}
		with data.paved_config as {"terraform": {"untaggable_types": ["aws_s3_bucket"]}}
}

# A provider the table does not cover is judged by its `tags`, when the organisation asks.
test_organisation_provider_prefix if {
	owner_tags.deny == {{
		"msg": "oci_core_vcn.main has no owner tag (one of owner, team)",
		"path": ["resource", "oci_core_vcn", "main", 0],
	}} with input as {"resource": {"oci_core_vcn": {"main": [{}]}, "aws_s3_bucket": {"b": [{}]}}}
		with data.paved_config as {"terraform": {"taggable_prefixes": ["oci_"]}}
}

# Google resources carry labels, in the attribute the table names.
test_google_labels if {
	owner_tags.deny == {
		{
			"msg": "google_storage_bucket.logs has no owner label (one of owner, team)",
			"path": ["resource", "google_storage_bucket", "logs", 0, "labels"],
		},
		{
			"msg": "google_container_cluster.gke has no owner label (one of owner, team)",
			"path": ["resource", "google_container_cluster", "gke", 0],
		},
	} with input as {"resource": {
		"google_storage_bucket": {"logs": [{"labels": {"env": "prod"}}]},
		"google_container_cluster": {"gke": [{"labels": {"owner": "a"}}], "ok": [{"resource_labels": {"team": "b"}}]},
		"google_monitoring_alert_policy": {"cpu": [{"user_labels": {"owner": "sre"}}]},
	}}
}

# Auto Scaling groups take repeated `tag {}` blocks.
test_tag_blocks if {
	owner_tags.deny == {{
		"msg": "aws_autoscaling_group.web has no owner tag (one of owner, team)",
		"path": ["resource", "aws_autoscaling_group", "web", 0],
	}} with input as {"resource": {"aws_autoscaling_group": {
		"web": [{"tag": [{"key": "Name", "value": "web", "propagate_at_launch": true}]}],
		"api": [{"tag": [
			{"key": "Name", "value": "api", "propagate_at_launch": true},
			{"key": "team", "value": "a", "propagate_at_launch": true},
		]}],
		"computed": [{"tag": [{"key": "${var.owner_key}", "value": "a"}]}],
		"generated": [{"dynamic": {"tag": [{"for_each": "${var.tags}"}]}}],
	}}}
}

# `merge()` of maps written out: an owner key in any of them is enough; when every argument
# is written out and none has one, that is a finding; any other argument is known only at plan.
test_merge_of_literal_maps if {
	owner_tags.deny == {{
		"msg": "aws_instance.untagged has no owner tag (one of owner, team)",
		"path": ["resource", "aws_instance", "untagged", 0, "tags"],
	}} with input as {"resource": {"aws_instance": {
		"owned": [{"tags": "${merge(local.tags, {owner = \"a\"})}"}],
		"untagged": [{"tags": "${merge({Name = \"web\"}, {env = \"prod\"})}"}],
		"unknown": [{"tags": "${merge(local.tags, {Name = \"web\"})}"}],
	}}}
}

test_default_tags_from_merge if {
	owner_tags.deny == {{
		"msg": "aws_instance.web has no owner tag (one of owner, team)",
		"path": ["resource", "aws_instance", "web", 0],
	}} with input as {
		"provider": {"aws": [{"default_tags": [{"tags": "${merge({env = \"prod\"})}"}]}]},
		"resource": {"aws_instance": {"web": [{}]}},
	}
}

test_default_tags_from_an_expression_may_name_the_owner if {
	count(owner_tags.deny) == 0 with input as {
		"provider": {"aws": [{"default_tags": [{"tags": "${var.default_tags}"}]}]},
		"resource": {"aws_instance": {"web": [{}]}},
	}
}

# Defaults cover their own provider's resources only; Google's are `default_labels`.
test_default_labels_per_provider if {
	owner_tags.deny == {{
		"msg": "azurerm_resource_group.rg has no owner tag (one of owner, team)",
		"path": ["resource", "azurerm_resource_group", "rg", 0],
	}} with input as {
		"provider": {
			"aws": [{"default_tags": [{"tags": {"owner": "a"}}]}],
			"google": [{"default_labels": {"team": "b"}}],
		},
		"resource": {
			"aws_instance": {"web": [{}]},
			"google_storage_bucket": {"logs": [{}]},
			"azurerm_resource_group": {"rg": [{}]},
		},
	}
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
