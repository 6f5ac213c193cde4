# METADATA
# title: RUN does not use sudo
# description: >-
#   Build steps run as root until a USER line, so sudo is not needed there; after USER it
#   means sudo is installed and configured in the image, which gives the runtime user a way
#   back to root. It also behaves unpredictably without a TTY.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: containers/no-sudo
#   severity: warning
#   level: silver
#   input: dockerfile
#   remediation: >-
#     Run privileged steps before `USER`, or switch with `USER root` ... `USER app` around
#     them; use gosu or su-exec if an entrypoint must drop privileges.
#   examples:
#     fail: |
#       USER app
#       RUN sudo apt-get update
#     pass: |
#       RUN apt-get update
#       USER app
package paved.containers.no_sudo

import rego.v1

deny contains {"msg": "RUN uses sudo", "path": [run.index]} if {
	some run in data.paved.lib.docker.run_commands
	regex.match(`(^|[;&|(]|[ \t](then|do|else))[ \t]*sudo([ \t]|$)`, run.command)
}
