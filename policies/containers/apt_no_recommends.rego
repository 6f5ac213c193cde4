# METADATA
# title: apt-get install skips recommended packages
# description: >-
#   By default apt also installs every "recommended" package: often hundreds of megabytes
#   nobody asked for, each one more thing to patch and scan, and more attack surface. A global
#   `APT::Install-Recommends "0"` written to /etc/apt/apt.conf.d by an earlier RUN of the stage,
#   or a file copied there, turns them off for the installs after it.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: containers/apt-no-recommends
#   severity: info
#   level: gold
#   input: dockerfile
#   remediation: >-
#     Use `apt-get install -y --no-install-recommends <packages>` and add back only the
#     recommended packages the image really needs.
#   examples:
#     fail: |
#       RUN apt-get update && apt-get install -y curl
#     pass: |
#       RUN apt-get update && apt-get install -y --no-install-recommends curl \
#        && rm -rf /var/lib/apt/lists/*
package paved.containers.apt_no_recommends

import rego.v1

deny contains {"msg": "apt-get install without --no-install-recommends", "path": [run.index]} if {
	some run in data.paved.lib.docker.run_commands
	regex.match(`(^|[ \t;&|(])apt(-get)?[ \t]+([^;&|]*[ \t])?install([ \t]|$)`, run.command)
	not contains(run.command, "--no-install-recommends")
	not contains(run.command, "Install-Recommends")
	not recommends_off_before(run)
}

# `echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends` in an earlier
# RUN of the same stage turns recommends off for every later install.
recommends_off_before(run) if {
	some earlier in data.paved.lib.docker.run_commands
	earlier.stage == run.stage
	earlier.index < run.index
	regex.match(`APT::Install-Recommends[ \t\\"']+(0|false)`, earlier.command)
	contains(earlier.command, "/etc/apt/apt.conf")
}

# A configuration file copied into /etc/apt/apt.conf.d (or over /etc/apt/apt.conf) in the
# same stage: paved cannot read it, and such a file is how images set recommends off globally.
recommends_off_before(run) if {
	some i, instruction in input
	instruction.Cmd in {"copy", "add"}
	instruction.Stage == run.stage
	i < run.index
	count(instruction.Value) > 1
	destination := instruction.Value[count(instruction.Value) - 1]
	startswith(destination, "/etc/apt/apt.conf")
}
