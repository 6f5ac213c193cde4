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
