package paved.containers.no_pipe_to_shell_test

import data.paved.containers.no_pipe_to_shell
import rego.v1

run(command) := {"Cmd": "run", "Value": [command], "JSON": false, "Flags": [], "Stage": 0}

test_verified_download_passes if {
	count(no_pipe_to_shell.deny) == 0 with input as [
		run("curl -fsSLo install.sh https://get.example.com/install.sh && echo \"abc  install.sh\" | sha256sum -c - && sh install.sh"),
		run("curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg"),
		run("wget -qO- https://example.com/x.tar.gz | tar xz -C /opt"),
	]
}

test_pipes_into_shells_fail if {
	no_pipe_to_shell.deny == {
		{"msg": "RUN pipes a download into a shell without verifying it", "path": [0]},
		{"msg": "RUN pipes a download into a shell without verifying it", "path": [1]},
		{"msg": "RUN pipes a download into a shell without verifying it", "path": [2]},
		{"msg": "RUN pipes a download into a shell without verifying it", "path": [3]},
		{"msg": "RUN pipes a download into a shell without verifying it", "path": [4]},
	} with input as [
		run("curl -fsSL https://get.example.com | sh"),
		run("apt-get update && wget -qO- https://example.com/setup | sudo -E bash -s -- --yes"),
		run("sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\""),
		run("bash <(curl -s https://example.com/install)"),
		run("curl -sSL https://install.python-poetry.org | python3 -"),
	]
}

test_onbuild_run_is_checked_like_run if {
	no_pipe_to_shell.deny == {{"msg": "RUN pipes a download into a shell without verifying it", "path": [0]}} with input as [{"Cmd": "onbuild", "SubCmd": "run", "Value": ["curl -fsSL https://get.example.com | sh"], "JSON": false, "Flags": [], "Stage": 0}]
}
