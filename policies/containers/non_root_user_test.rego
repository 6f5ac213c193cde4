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
