package paved.containers.non_root_user_test

import data.paved.containers.non_root_user
import rego.v1

from(image, stage) := {"Cmd": "from", "Value": [image], "Stage": stage}

user(name, stage) := {"Cmd": "user", "Value": [name], "Stage": stage}

test_non_root_user_in_final_stage_passes if {
	count(non_root_user.deny) == 0 with input as [from("golang", 0), from("distroless", 1), user("65532", 1)]
}

test_user_only_in_build_stage_fails if {
	non_root_user.deny == {{"msg": "the final stage sets no USER, so the image runs as root", "path": [2]}} with input as [
		from("golang", 0), user("builder", 0), from("distroless", 1),
	]
}

test_last_user_is_root_fails if {
	non_root_user.deny == {{"msg": "the image runs as \"root\" (root)", "path": [2]}} with input as [
		from("alpine", 0), user("app", 0), user("root", 0),
	]
}

no_user_on(image) := findings if {
	findings := non_root_user.deny with input as [from("golang", 0), from(image, 1)]
}

no_user_finding := {{"msg": "the final stage sets no USER, so the image runs as root", "path": [1]}}

test_distroless_nonroot_base_needs_no_user if {
	count(no_user_on("gcr.io/distroless/static:nonroot")) == 0
	count(no_user_on("gcr.io/distroless/static-debian12:nonroot")) == 0
	count(no_user_on("gcr.io/distroless/base-debian12:debug-nonroot")) == 0
	count(no_user_on("gcr.io/distroless/static-debian12:nonroot@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02")) == 0
}

test_other_distroless_tags_still_need_a_user if {
	no_user_on("gcr.io/distroless/static") == no_user_finding
	no_user_on("gcr.io/distroless/static-debian12:latest") == no_user_finding
	no_user_on("gcr.io/distroless/static-debian12@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02") == no_user_finding
	no_user_on("example.com/nonroot:latest") == no_user_finding
	no_user_on("example.com/app:nonroot") == no_user_finding
}

test_nonroot_base_switched_back_to_root_fails if {
	non_root_user.deny == {{"msg": "the image runs as \"root\" (root)", "path": [1]}} with input as [
		from("gcr.io/distroless/static:nonroot", 0), user("root", 0),
	]
}
