package paved.ci.actions_pinned_test

import data.paved.ci.actions_pinned
import rego.v1

sha := "11bd71901bbe5b1630ceea73d27597364c9af683"

workflow(steps) := {"on": "push", "jobs": {"build": {"runs-on": "ubuntu-24.04", "steps": steps}}}

test_pinned_local_and_digest_pass if {
	count(actions_pinned.deny) == 0 with input as {
		"on": "push",
		"jobs": {
			"build": {"steps": [
				{"uses": sprintf("actions/checkout@%s", [sha])},
				{"uses": "./.github/actions/setup"},
				{"uses": "docker://alpine:3.19@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65"},
				{"run": "make"},
			]},
			"deploy": {"uses": sprintf("org/workflows/.github/workflows/deploy.yml@%s", [sha])},
			"local": {"uses": "./.github/workflows/release.yml"},
		},
	}
}

test_tags_fail if {
	actions_pinned.deny == {
		{
			"msg": "\"actions/checkout@v4\" is pinned to \"v4\", which can move; use a full commit SHA",
			"path": ["jobs", "build", "steps", 0, "uses"],
		},
		{
			"msg": "\"docker/login-action@main\" is pinned to \"main\", which can move; use a full commit SHA",
			"path": ["jobs", "build", "steps", 2, "uses"],
		},
	} with input as workflow([{"uses": "actions/checkout@v4"}, {"run": "make"}, {"uses": "docker/login-action@main"}])
}

test_short_sha_fails if {
	actions_pinned.deny == {{
		"msg": "\"org/action@11bd719\" is pinned to \"11bd719\", which can move; use a full commit SHA",
		"path": ["jobs", "build", "steps", 0, "uses"],
	}} with input as workflow([{"uses": "org/action@11bd719"}])
}

test_docker_tag_and_reusable_workflow_fail if {
	actions_pinned.deny == {
		{"msg": "\"docker://alpine:3.19\" is not pinned by digest", "path": ["jobs", "build", "steps", 0, "uses"]},
		{
			"msg": "\"org/workflows/.github/workflows/deploy.yml@v1\" is pinned to \"v1\", which can move; use a full commit SHA",
			"path": ["jobs", "deploy", "uses"],
		},
	} with input as {"on": "push", "jobs": {
		"build": {"steps": [{"uses": "docker://alpine:3.19"}]},
		"deploy": {"uses": "org/workflows/.github/workflows/deploy.yml@v1"},
	}}
}

test_untagged_docker_images_are_left_to_github_pinned_images if {
	count(actions_pinned.deny) == 0 with input as workflow([{"uses": "docker://alpine"}, {"uses": "docker://alpine:latest"}])
}

test_composite_action_steps_are_checked if {
	actions_pinned.deny == {{"msg": "\"some/action\" has no ref", "path": ["runs", "steps", 0, "uses"]}} with input as {
		"name": "setup",
		"runs": {"using": "composite", "steps": [{"uses": "some/action"}]},
	}
}

test_trusted_owners_may_use_tags if {
	actions_pinned.deny == {{
		"msg": "\"docker/login-action@v3\" is pinned to \"v3\", which can move; use a full commit SHA",
		"path": ["jobs", "build", "steps", 2, "uses"],
	}} with input as workflow([
		{"uses": "actions/checkout@v4"},
		{"uses": "GitHub/codeql-action/init@v3"},
		{"uses": "docker/login-action@v3"},
	])
		with data.paved_config.ci.trusted_action_owners as ["actions", "github"]
}

test_slsa_generator_is_referenced_by_tag if {
	actions_pinned.deny == {
		{
			"msg": "\"slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main\" is pinned to \"main\", which can move; use a full commit SHA",
			"path": ["jobs", "branch", "uses"],
		},
		{
			"msg": "\"slsa-framework/slsa-github-generator/actions/delegator/setup-generic@v2.0.0\" is pinned to \"v2.0.0\", which can move; use a full commit SHA",
			"path": ["jobs", "build", "steps", 0, "uses"],
		},
	} with input as {"on": "push", "jobs": {
		"provenance": {"uses": "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.0.0"},
		"container": {"uses": "slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@v2"},
		"go": {"uses": "slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v1.10.0"},
		"branch": {"uses": "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main"},
		"build": {"steps": [{"uses": "slsa-framework/slsa-github-generator/actions/delegator/setup-generic@v2.0.0"}]},
	}}
}

test_organisation_tag_only_actions if {
	count(actions_pinned.deny) == 0 with input as workflow([{"uses": "org/release-attest@v3.1"}])
		with data.paved_config.ci.tag_only_actions as [`^org/release-attest$`]
}
