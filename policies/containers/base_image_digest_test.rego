package paved.containers.base_image_digest_test

import data.paved.containers.base_image_digest
import rego.v1

from(value) := {"Cmd": "from", "Value": value, "Flags": [], "Stage": 0}

test_digests_pass if {
	count(base_image_digest.deny) == 0 with input as [
		from(["golang:1.22@sha256:ef61", "AS", "build"]),
		from(["gcr.io/distroless/static@sha256:8dd8"]),
		{"Cmd": "copy", "Value": ["/a", "/b"], "Flags": ["--from=build"], "Stage": 1},
	]
}

test_tags_fail if {
	base_image_digest.deny == {
		{"msg": "image \"golang:1.22\" is pinned by tag, not by digest", "path": [0]},
		{"msg": "image \"nginx:1.27\" is pinned by tag, not by digest", "path": [2]},
	} with input as [
		from(["golang:1.22", "AS", "build"]),
		from(["scratch"]),
		{"Cmd": "copy", "Value": ["/a", "/b"], "Flags": ["--from=nginx:1.27"], "Stage": 1},
	]
}

test_unpinned_images_are_left_to_the_tag_rules if {
	count(base_image_digest.deny) == 0 with input as [from(["node"]), from(["python:latest"])]
}

test_immutable_tag_images_pass if {
	base_image_digest.deny == {{"msg": "image \"golang:1.22\" is pinned by tag, not by digest", "path": [1]}} with input as [
		from(["registry.example.com/base/go:1.22"]),
		from(["golang:1.22"]),
	]
		with data.paved_config.containers.immutable_tag_images as ["registry.example.com/"]
}
