# METADATA
# title: apt-get install skips recommended packages
# description: >-
#   By default apt also installs every "recommended" package: often hundreds of megabytes
#   nobody asked for, each one more thing to patch and scan, and more attack surface.
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
}
