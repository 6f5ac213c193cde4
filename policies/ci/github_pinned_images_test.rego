package paved.ci.github_pinned_images_test

import data.paved.ci.github_pinned_images
import rego.v1

test_pinned_images_pass if {
	count(github_pinned_images.deny) == 0 with input as {"on": "push", "jobs": {
		"test": {
			"container": {"image": "node:20.11", "options": "--cpus 1"},
			"services": {"db": {"image": "postgres:16.2@sha256:8dd8"}, "cache": {"image": "${{ matrix.redis }}"}},
			"steps": [{"uses": "docker://alpine:3.19"}, {"run": "make"}],
		},
		"lint": {"container": "golangci/golangci-lint:v1.59"},
	}}
}

test_unpinned_images_fail if {
	github_pinned_images.deny == {
		{"msg": "image \"node\" has no tag", "path": ["jobs", "test", "container"]},
		{"msg": "image \"postgres:latest\" is tagged latest", "path": ["jobs", "test", "services", "db", "image"]},
		{"msg": "image \"ghcr.io/org/tool\" has no tag", "path": ["jobs", "test", "steps", 0, "uses"]},
		{"msg": "image \"python:latest\" is tagged latest", "path": ["jobs", "e2e", "container", "image"]},
	} with input as {"on": "push", "jobs": {
		"test": {
			"container": "node",
			"services": {"db": {"image": "postgres:latest"}},
			"steps": [{"uses": "docker://ghcr.io/org/tool"}],
		},
		"e2e": {"container": {"image": "python:latest"}},
	}}
}

test_composite_action_docker_step_fails if {
	github_pinned_images.deny == {{"msg": "image \"alpine\" has no tag", "path": ["runs", "steps", 0, "uses"]}} with input as {
		"runs": {"using": "composite", "steps": [{"uses": "docker://alpine"}]},
	}
}
