package paved.containers.no_sudo_test

import data.paved.containers.no_sudo
import rego.v1

run(command) := {"Cmd": "run", "Value": [command], "JSON": false, "Flags": [], "Stage": 0}

test_plain_run_passes if {
	count(no_sudo.deny) == 0 with input as [
		run("apt-get update && apt-get install -y --no-install-recommends curl"),
		run("echo pseudo-sudo && ./sudoers-check"),
		run("echo todo sudo"),
	]
}

test_sudo_fails if {
	no_sudo.deny == {
		{"msg": "RUN uses sudo", "path": [0]},
		{"msg": "RUN uses sudo", "path": [1]},
		{"msg": "RUN uses sudo", "path": [2]},
		{"msg": "RUN uses sudo", "path": [3]},
	} with input as [
		run("sudo apt-get update"),
		run("make && sudo make install"),
		run("for f in a b; do sudo rm $f; done"),
		{"Cmd": "run", "Value": ["sudo", "-u", "app", "true"], "JSON": true, "Flags": [], "Stage": 0},
	]
}

test_onbuild_run_is_checked_like_run if {
	no_sudo.deny == {{"msg": "RUN uses sudo", "path": [1]}} with input as [
		{"Cmd": "onbuild", "SubCmd": "copy", "Value": ["sudoers", "/etc/"], "JSON": false, "Flags": [], "Stage": 0},
		{"Cmd": "onbuild", "SubCmd": "run", "Value": ["sudo make install"], "JSON": false, "Flags": [], "Stage": 0},
	]
}
