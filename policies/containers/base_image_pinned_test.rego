package paved.containers.base_image_pinned_test

import data.paved.containers.base_image_pinned
import rego.v1

from(value) := {"Cmd": "from", "Value": value, "Flags": [], "Stage": 0}

arg(declaration) := {"Cmd": "arg", "Value": [declaration], "Flags": [], "Stage": 0}

test_tag_and_digest_pass if {
	count(base_image_pinned.deny) == 0 with input as [
		from(["golang:1.22", "AS", "build"]),
		from(["gcr.io/distroless/static@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65"]),
	]
}

test_scratch_and_earlier_stage_pass if {
	count(base_image_pinned.deny) == 0 with input as [
		from(["golang:1.22", "as", "Build"]),
		from(["build", "AS", "test"]),
		from(["scratch"]),
	]
}

test_missing_tag_fails if {
	base_image_pinned.deny == {{"msg": "base image \"node\" has no tag", "path": [0]}} with input as [from(["node"])]
}

test_latest_fails_in_every_stage if {
	base_image_pinned.deny == {
		{"msg": "base image \"python:latest\" is tagged latest", "path": [0]},
		{"msg": "base image \"registry:5000/app\" has no tag", "path": [1]},
	} with input as [from(["python:latest", "AS", "build"]), from(["registry:5000/app"])]
}

test_stage_name_used_before_it_is_declared_is_an_image if {
	base_image_pinned.deny == {{"msg": "base image \"build\" has no tag", "path": [0]}} with input as [
		from(["build"]),
		from(["golang:1.22", "AS", "build"]),
	]
}

test_arg_default_is_checked if {
	base_image_pinned.deny == {{
		"msg": "base image \"${BASE}\" (\"alpine:latest\" with the ARG defaults) is tagged latest",
		"path": [2],
	}} with input as [arg("BASE=alpine:3.18"), arg("BASE=alpine:latest"), from(["${BASE}"])]
}

test_arg_default_pinned_passes if {
	count(base_image_pinned.deny) == 0 with input as [
		arg("REGISTRY=gcr.io"), arg("TAG=1.22"),
		from(["$REGISTRY/golang:${TAG}"]),
	]
}

test_arg_without_default_is_skipped if {
	count(base_image_pinned.deny) == 0 with input as [arg("BASE"), from(["${BASE}"])]
}

test_empty_dockerfile_passes if {
	count(base_image_pinned.deny) == 0 with input as []
}

test_quoted_arg_default_is_unquoted if {
	base_image_pinned.deny == {{
		"msg": "base image \"${BASE}\" (\"alpine\" with the ARG defaults) has no tag",
		"path": [1],
	}} with input as [arg("BASE=\"alpine\""), from(["${BASE}"])]
}
