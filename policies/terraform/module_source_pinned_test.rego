package paved.terraform.module_source_pinned_test

import data.paved.terraform.module_source_pinned
import rego.v1

module(block) := {"module": {"vpc": [block]}}

test_pinned_registry_module_passes if {
	count(module_source_pinned.deny) == 0 with input as module({"source": "terraform-aws-modules/vpc/aws", "version": "~> 5.1"})
}

test_exact_registry_version_passes if {
	count(module_source_pinned.deny) == 0 with input as module({"source": "app.terraform.io/acme/vpc/aws", "version": "5.1.2"})
}

test_registry_module_without_version if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" takes the newest release of terraform-aws-modules/vpc/aws: set a version",
		"path": ["module", "vpc", 0, "version"],
	}} with input as module({"source": "terraform-aws-modules/vpc/aws"})
}

test_registry_module_with_open_range if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" accepts every future release of terraform-aws-modules/vpc/aws//modules/endpoints (version \">= 5.0\"): cap it with ~> or pin an exact version",
		"path": ["module", "vpc", 0, "version"],
	}} with input as module({"source": "terraform-aws-modules/vpc/aws//modules/endpoints", "version": ">= 5.0"})
}

test_git_source_with_tag_passes if {
	count(module_source_pinned.deny) == 0 with input as module({"source": "git::https://github.com/acme/vpc.git//modules/core?depth=1&ref=v1.4.0"})
}

test_git_source_with_commit_passes if {
	count(module_source_pinned.deny) == 0 with input as module({"source": "github.com/acme/vpc?ref=51d462976d84fdea54b47d80dcabbf680badcdb8"})
}

test_git_source_without_ref if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" follows the default branch of git@github.com:acme/vpc.git: add ?ref= with a tag or commit",
		"path": ["module", "vpc", 0, "source"],
	}} with input as module({"source": "git@github.com:acme/vpc.git"})
}

test_git_source_on_a_branch if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" uses ref \"main\", which looks like a branch: pin a tag or commit",
		"path": ["module", "vpc", 0, "source"],
	}} with input as module({"source": "git::https://github.com/acme/vpc.git?ref=main"})
}

# GitHub shorthand has the registry's shape but is git.
test_github_shorthand_is_git if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" follows the default branch of github.com/acme/vpc: add ?ref= with a tag or commit",
		"path": ["module", "vpc", 0, "source"],
	}} with input as module({"source": "github.com/acme/vpc"})
}

test_local_and_archive_sources_are_skipped if {
	count(module_source_pinned.deny) == 0 with input as {"module": {
		"local": [{"source": "./modules/vpc"}],
		"parent": [{"source": "../shared/network"}],
		"archive": [{"source": "https://example.com/vpc-module.zip"}],
		"bucket": [{"source": "s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip"}],
	}}
}

test_organisation_ref_pattern if {
	count(module_source_pinned.deny) == 0 with input as module({"source": "git::https://example.com/vpc.git?ref=release-2024-06"})
		with data.paved_config as {"terraform": {"module_ref_pattern": `^release-[0-9-]+$`}}
}

test_non_string_source_is_no_error if {
	count(module_source_pinned.deny) == 0 with input as module({"source": 5})
}

# Terraform's JSON syntax (`.tf.json`): the body is an object.
test_json_syntax if {
	module_source_pinned.deny == {{
		"msg": "module \"vpc\" takes the newest release of terraform-aws-modules/vpc/aws: set a version",
		"path": ["module", "vpc", "version"],
	}} with input as {"module": {"vpc": {"source": "terraform-aws-modules/vpc/aws"}}}
}
