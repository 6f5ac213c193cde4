package paved.containers.apt_no_recommends_test

import data.paved.containers.apt_no_recommends
import rego.v1

run(command) := {"Cmd": "run", "Value": [command], "JSON": false, "Flags": [], "Stage": 0}

test_no_install_recommends_passes if {
	count(apt_no_recommends.deny) == 0 with input as [
		run("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
		run("apt-get -o APT::Install-Recommends=false install -y curl"),
		run("apk add --no-cache curl"),
		run("pip install --no-cache-dir flask"),
	]
}

test_install_with_recommends_fails if {
	apt_no_recommends.deny == {
		{"msg": "apt-get install without --no-install-recommends", "path": [0]},
		{"msg": "apt-get install without --no-install-recommends", "path": [1]},
		{"msg": "apt-get install without --no-install-recommends", "path": [2]},
	} with input as [
		run("apt-get update && apt-get install -y curl"),
		run("apt-get -qq install -y git"),
		run("apt install -y ca-certificates"),
	]
}

copy(source, destination) := {"Cmd": "copy", "Value": [source, destination], "JSON": false, "Flags": [], "Stage": 0}

test_global_no_recommends_written_earlier_in_the_stage_passes if {
	count(apt_no_recommends.deny) == 0 with input as [
		run(`echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends`),
		run("apt-get update && apt-get install -y curl"),
	]
}

test_global_no_recommends_in_a_copied_apt_conf_passes if {
	count(apt_no_recommends.deny) == 0 with input as [
		copy("docker/apt.conf", "/etc/apt/apt.conf.d/99local"),
		run("apt-get install -y git"),
	]
}

test_global_no_recommends_counts_only_before_and_in_the_same_stage if {
	apt_no_recommends.deny == {
		{"msg": "apt-get install without --no-install-recommends", "path": [0]},
		{"msg": "apt-get install without --no-install-recommends", "path": [3]},
	} with input as [
		run("apt-get install -y curl"),
		run(`echo 'APT::Install-Recommends "false";' >> /etc/apt/apt.conf`),
		{"Cmd": "from", "Value": ["debian:12"], "JSON": false, "Flags": [], "Stage": 1},
		{"Cmd": "run", "Value": ["apt-get install -y git"], "JSON": false, "Flags": [], "Stage": 1},
	]
}

test_recommends_turned_on_globally_still_fails if {
	apt_no_recommends.deny == {{"msg": "apt-get install without --no-install-recommends", "path": [1]}} with input as [
		run(`echo 'APT::Install-Recommends "1";' > /etc/apt/apt.conf.d/99recommends`),
		run("apt-get install -y curl"),
	]
}

test_onbuild_run_is_checked if {
	apt_no_recommends.deny == {{"msg": "apt-get install without --no-install-recommends", "path": [0]}} with input as [{"Cmd": "onbuild", "SubCmd": "run", "Value": ["apt-get install -y curl"], "JSON": false, "Flags": [], "Stage": 0}]
}
