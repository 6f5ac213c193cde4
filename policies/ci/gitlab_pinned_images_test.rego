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

test_floating_tags_fail if {
	gitlab_pinned_images.deny == {
		{"msg": "image \"docker:stable\" is tagged stable, which moves to new releases", "path": ["image"]},
		{"msg": "image \"docker:dind\" is tagged dind, which moves to new releases", "path": ["build", "services", 0]},
		{"msg": "image \"docker:stable-dind\" is tagged stable-dind, which moves to new releases", "path": ["build", "services", 1, "name"]},
		{"msg": "image \"debian:testing\" is tagged testing, which moves to new releases", "path": [".base", "image"]},
		{"msg": "image \"registry.example.com:5000/alpine:Edge\" is tagged Edge, which moves to new releases", "path": ["lint", "image"]},
	} with input as {
		"image": "docker:stable",
		".base": {"image": "debian:testing"},
		"build": {"services": ["docker:dind", {"name": "docker:stable-dind"}], "script": ["docker build ."]},
		"lint": {"image": "registry.example.com:5000/alpine:Edge", "script": ["make lint"]},
	}
}

test_versioned_variants_of_floating_words_pass if {
	count(gitlab_pinned_images.deny) == 0 with input as {
		"build": {"image": "docker:27.3", "services": ["docker:27.3-dind", "docker:dind@sha256:8dd8"]},
		"lint": {"image": "alpine:3.20", "services": ["python:3.12-slim-bookworm"]},
	}
}

test_organisation_floating_tags if {
	gitlab_pinned_images.deny == {{"msg": "image \"debian:bookworm\" is tagged bookworm, which moves to new releases", "path": ["image"]}} with input as {"image": "debian:bookworm"}
		with data.paved_config.ci.floating_image_tags as ["bookworm"]
}
