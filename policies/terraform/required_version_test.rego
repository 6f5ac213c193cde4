package paved.terraform.required_version_test

import data.paved.terraform.required_version
import rego.v1

providers := [{"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}}]

test_range_passes if {
	count(required_version.deny) == 0 with input as {"terraform": [{
		"required_version": ">= 1.6, < 2.0",
		"required_providers": providers,
	}]}
}

test_missing_required_version if {
	required_version.deny == {{
		"msg": "the terraform block declares required_providers but no required_version",
		"path": ["terraform", 0, "required_version"],
	}} with input as {"terraform": [{"required_providers": providers}]}
}

test_empty_required_version_is_missing if {
	required_version.deny == {{
		"msg": "the terraform block declares required_providers but no required_version",
		"path": ["terraform", 0, "required_version"],
	}} with input as {"terraform": [{"required_version": " ", "required_providers": providers}]}
}

test_exact_version if {
	required_version.deny == {{
		"msg": "required_version \"1.5.7\" allows a single Terraform release; allow patch releases with \"~> 1.5.7\"",
		"path": ["terraform", 0, "required_version"],
	}} with input as {"terraform": [{"required_version": "1.5.7", "required_providers": providers}]}
}

test_exact_version_with_operator if {
	required_version.deny == {{
		"msg": "required_version \"= 1.6.2\" allows a single Terraform release; allow patch releases with \"~> 1.6.2\"",
		"path": ["terraform", 1, "required_version"],
	}} with input as {"terraform": [{"required_providers": providers}, {"required_version": "= 1.6.2"}]}
}

test_pessimistic_constraint_passes if {
	count(required_version.deny) == 0 with input as {"terraform": [{"required_version": "~> 1.6.0"}]}
}

# The constraint may sit in another terraform block of the same file.
test_version_in_another_block_of_the_file if {
	count(required_version.deny) == 0 with input as {"terraform": [
		{"required_version": ">= 1.6"},
		{"required_providers": providers},
	]}
}

# A file with only a backend (backend.tf) leaves the constraints to versions.tf.
test_backend_only_block_is_not_judged if {
	count(required_version.deny) == 0 with input as {"terraform": [{"backend": {"s3": [{"bucket": "state"}]}}]}
}

test_files_without_terraform_block_are_skipped if {
	count(required_version.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"b": [{}]}}}
}

# Terraform's JSON syntax (`.tf.json`): the terraform block is an object.
test_json_syntax if {
	required_version.deny == {{
		"msg": "the terraform block declares required_providers but no required_version",
		"path": ["terraform", "required_version"],
	}} with input as {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}}}}
}
