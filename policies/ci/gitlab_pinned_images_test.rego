package paved.ci.gitlab_pinned_images_test

import data.paved.ci.gitlab_pinned_images
import rego.v1

test_pinned_images_pass if {
	count(gitlab_pinned_images.deny) == 0 with input as {
		"image": "golang:1.22",
		"default": {"image": {"name": "node:20.11", "entrypoint": [""]}, "services": ["postgres:16.2"]},
		".build": {"image": "registry.example.com:5000/ci/builder@sha256:8dd8"},
		"test": {"image": "$CI_REGISTRY_IMAGE/ci:$CI_COMMIT_SHA", "services": [{"name": "redis:7.2", "alias": "cache"}]},
		"variables": {"image": "not-an-image"},
	}
}

test_unpinned_images_fail if {
	gitlab_pinned_images.deny == {
		{"msg": "image \"node:latest\" is tagged latest", "path": ["image"]},
		{"msg": "image \"ruby\" has no tag", "path": ["default", "image", "name"]},
		{"msg": "image \"alpine\" has no tag", "path": [".template", "image"]},
		{"msg": "image \"postgres\" has no tag", "path": ["test", "services", 0]},
		{"msg": "image \"redis:latest\" is tagged latest", "path": ["test", "services", 1, "name"]},
	} with input as {
		"image": "node:latest",
		"default": {"image": {"name": "ruby"}},
		".template": {"image": "alpine"},
		"test": {"extends": ".template", "services": ["postgres", {"name": "redis:latest"}], "script": ["make"]},
	}
}

test_github_workflows_are_not_gitlab_pipelines if {
	count(gitlab_pinned_images.deny) == 0 with input as {"on": "push", "jobs": {"test": {"container": {"image": "node"}}}}
}
