package paved.terraform.provider_versions_test

import data.paved.terraform.provider_versions
import rego.v1

settings(providers) := {"terraform": [{"required_version": "~> 1.6", "required_providers": [providers]}]}

test_constrained_providers_pass if {
	count(provider_versions.deny) == 0 with input as settings({
		"aws": {"source": "hashicorp/aws", "version": "~> 5.40"},
		"random": {"source": "hashicorp/random", "version": ">= 3.0"},
	})
}

test_provider_without_version if {
	provider_versions.deny == {{
		"msg": "provider \"aws\" in required_providers has no version constraint",
		"path": ["terraform", 0, "required_providers", 0, "aws", "version"],
	}} with input as settings({
		"aws": {"source": "hashicorp/aws"},
		"random": {"source": "hashicorp/random", "version": "3.6.0"},
	})
}

test_empty_version_is_no_constraint if {
	provider_versions.deny == {{
		"msg": "provider \"google\" in required_providers has no version constraint",
		"path": ["terraform", 0, "required_providers", 0, "google", "version"],
	}} with input as settings({"google": {"source": "hashicorp/google", "version": ""}})
}

test_legacy_shorthand_constraint_passes if {
	count(provider_versions.deny) == 0 with input as settings({"aws": "~> 5.0"})
}

test_version_in_provider_block if {
	provider_versions.deny == {{
		"msg": "provider \"aws\" sets the deprecated `version` argument; constrain the version in required_providers",
		"path": ["provider", "aws", 1, "version"],
	}} with input as {"provider": {"aws": [
		{"region": "eu-west-1"},
		{"alias": "us", "region": "us-east-1", "version": "~> 4.0"},
	]}}
}

test_provider_blocks_without_version_pass if {
	count(provider_versions.deny) == 0 with input as {"provider": {"aws": [{"region": "eu-west-1"}]}}
}

test_second_terraform_block if {
	provider_versions.deny == {{
		"msg": "provider \"random\" in required_providers has no version constraint",
		"path": ["terraform", 1, "required_providers", 0, "random", "version"],
	}} with input as {"terraform": [
		{"backend": {"s3": [{"bucket": "state"}]}},
		{"required_providers": [{"random": {"source": "hashicorp/random"}}]},
	]}
}

# Terraform's JSON syntax (`.tf.json`): bodies are objects, not lists.
test_json_syntax if {
	provider_versions.deny == {
		{
			"msg": "provider \"aws\" in required_providers has no version constraint",
			"path": ["terraform", "required_providers", "aws", "version"],
		},
		{
			"msg": "provider \"aws\" sets the deprecated `version` argument; constrain the version in required_providers",
			"path": ["provider", "aws", "version"],
		},
	} with input as {
		"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
		"provider": {"aws": {"region": "eu-west-1", "version": "~> 4.0"}},
	}
}
