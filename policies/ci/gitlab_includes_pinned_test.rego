package paved.ci.gitlab_includes_pinned_test

import data.paved.ci.gitlab_includes_pinned
import rego.v1

sha := "2c9ac7d3a3b0b2b0f8e8f6e2a5b3d1c4e5f6a7b8"

test_pinned_includes_pass if {
	count(gitlab_includes_pinned.deny) == 0 with input as {"include": [
		"/ci/local.yml",
		{"local": "/ci/test.yml"},
		{"template": "Jobs/SAST.gitlab-ci.yml"},
		{"project": "platform/ci-templates", "ref": sha, "file": "/go.yml"},
		{"component": sprintf("$CI_SERVER_FQDN/platform/components/go@%s", [sha])},
		{"remote": "https://example.com/ci.yml", "integrity": "sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8="},
	]}
}

test_single_local_include_passes if {
	count(gitlab_includes_pinned.deny) == 0 with input as {"include": "/ci/local.yml", "test": {"script": ["make"]}}
}

test_unpinned_includes_fail if {
	gitlab_includes_pinned.deny == {
		{
			"msg": "the include from \"platform/ci-templates\" follows its default branch; pin `ref` to a commit SHA",
			"path": ["include", 0, "ref"],
		},
		{
			"msg": "the include from \"platform/ci-templates\" is pinned to \"v1.2.0\", which can move; use a commit SHA",
			"path": ["include", 1, "ref"],
		},
		{
			"msg": "component \"gitlab.com/components/sast/sast@~latest\" is not pinned to a commit SHA",
			"path": ["include", 2, "component"],
		},
		{"msg": "the remote include \"https://example.com/a.yml\" has no integrity hash", "path": ["include", 3]},
		{"msg": "the remote include \"https://example.com/b.yml\" has no integrity hash", "path": ["include", 4, "integrity"]},
	} with input as {"include": [
		{"project": "platform/ci-templates", "file": "/go.yml"},
		{"project": "platform/ci-templates", "ref": "v1.2.0", "file": "/go.yml"},
		{"component": "gitlab.com/components/sast/sast@~latest"},
		"https://example.com/a.yml",
		{"remote": "https://example.com/b.yml"},
	]}
}

test_single_project_include_fails if {
	gitlab_includes_pinned.deny == {{
		"msg": "the include from \"platform/ci\" is pinned to \"main\", which can move; use a commit SHA",
		"path": ["include", "ref"],
	}} with input as {"include": {"project": "platform/ci", "ref": "main", "file": "/a.yml"}}
}

test_trusted_projects_may_use_tags if {
	gitlab_includes_pinned.deny == {{
		"msg": "the include from \"other/ci\" is pinned to \"v1\", which can move; use a commit SHA",
		"path": ["include", 2, "ref"],
	}} with input as {"include": [
		{"project": "platform/ci-templates", "ref": "v1.2.0", "file": "/go.yml"},
		{"component": "$CI_SERVER_FQDN/platform/components/go@1.0.0"},
		{"project": "other/ci", "ref": "v1", "file": "/a.yml"},
	]}
		with data.paved_config.ci.trusted_include_projects as ["platform/"]
}
