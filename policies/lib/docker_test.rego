package paved.lib.docker_test

import data.paved.lib.docker
import rego.v1

from(value) := {"Cmd": "from", "Value": value, "Flags": [], "Stage": 0}

arg(declaration) := {"Cmd": "arg", "Value": [declaration], "Flags": [], "Stage": 0}

# A name redeclared later keeps its first FROM; names are case-insensitive.
test_first_stage_index_is_the_first_from_naming_a_stage if {
	docker.first_stage_index == {"build": 1, "test": 2} with input as [
		from(["build"]),
		from(["golang:1.22", "AS", "Build"]),
		from(["build", "as", "test"]),
		from(["alpine:3.19", "AS", "BUILD"]),
		from(["alpine:3.19", "FROM", "x"]),
	]
}

test_is_stage_before_only_after_the_stage_is_named if {
	stages := [from(["golang:1.22", "AS", "build"]), from(["build"])]
	docker.is_stage_before("build", 1) with input as stages
	not docker.is_stage_before("build", 0) with input as stages
	not docker.is_stage_before("golang:1.22", 1) with input as stages
}

test_global_args_take_the_last_default_before_the_first_from if {
	docker.global_args == {"A": "3", "B": "x=y", "C": ""} with input as [
		arg("A=1"), arg("B=x=y"), arg("A=2"), arg("C="), arg("D"), arg("A=\"3\""),
		from(["alpine:3.19"]),
		arg("A=4"),
	]
}

test_no_from_no_global_args if {
	docker.global_args == {} with input as [arg("A=1")]
}
