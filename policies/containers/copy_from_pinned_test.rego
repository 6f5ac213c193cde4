package paved.containers.copy_from_pinned_test

import data.paved.containers.copy_from_pinned
import rego.v1

from(value) := {"Cmd": "from", "Value": value, "Flags": [], "Stage": 0}

copy_from(source) := {"Cmd": "copy", "Value": ["/a", "/b"], "Flags": [sprintf("--from=%s", [source])], "Stage": 1}

test_stages_and_pinned_images_pass if {
	count(copy_from_pinned.deny) == 0 with input as [
		from(["golang:1.22", "AS", "Build"]),
		from(["gcr.io/distroless/static:nonroot"]),
		copy_from("build"),
		copy_from("0"),
		copy_from("nginx:1.27"),
		copy_from("nginx@sha256:0f0e"),
		{"Cmd": "copy", "Value": [".", "."], "Flags": [], "Stage": 1},
	]
}

test_latest_and_untagged_fail if {
	copy_from_pinned.deny == {
		{"msg": "COPY copies from image \"nginx:latest\", which is tagged latest", "path": [1]},
		{"msg": "COPY copies from image \"busybox\", which has no tag", "path": [2]},
	} with input as [from(["alpine:3.19"]), copy_from("nginx:latest"), copy_from("busybox")]
}

test_run_mount_from_image_fails if {
	copy_from_pinned.deny == {{"msg": "RUN copies from image \"busybox\", which has no tag", "path": [1]}} with input as [
		from(["alpine:3.19"]),
		{"Cmd": "run", "Value": ["ls /x"], "Stage": 0, "Flags": [
			"--mount=type=cache,target=/root/.cache",
			"--mount=type=bind,from=busybox,source=/bin,target=/x",
		]},
	]
}

test_run_mount_from_stage_passes if {
	count(copy_from_pinned.deny) == 0 with input as [
		from(["golang:1.22", "AS", "tools"]),
		from(["alpine:3.19"]),
		{"Cmd": "run", "Value": ["ls /x"], "Stage": 1, "Flags": ["--mount=type=bind,from=tools,target=/x"]},
	]
}
