package paved.containers.healthcheck_test

import data.paved.containers.healthcheck
import rego.v1

from(image, stage) := {"Cmd": "from", "Value": [image], "Flags": [], "Stage": stage}

check(value, stage) := {"Cmd": "healthcheck", "Value": value, "Flags": [], "Stage": stage}

test_healthcheck_in_final_stage_passes if {
	count(healthcheck.deny) == 0 with input as [
		from("golang:1.22", 0),
		from("nginx:1.27", 1),
		check(["CMD", "curl", "-f", "http://localhost/"], 1),
	]
}

test_healthcheck_none_passes if {
	count(healthcheck.deny) == 0 with input as [from("nginx:1.27", 0), check(["NONE"], 0)]
}

test_missing_healthcheck_fails if {
	healthcheck.deny == {{"msg": "the final stage has no HEALTHCHECK (or `HEALTHCHECK NONE`)", "path": [0]}} with input as [
		from("nginx:1.27", 0),
	]
}

test_healthcheck_only_in_build_stage_fails if {
	healthcheck.deny == {{"msg": "the final stage has no HEALTHCHECK (or `HEALTHCHECK NONE`)", "path": [2]}} with input as [
		from("golang:1.22", 0),
		check(["CMD", "true"], 0),
		from("nginx:1.27", 1),
	]
}

test_empty_dockerfile_passes if {
	count(healthcheck.deny) == 0 with input as []
}
