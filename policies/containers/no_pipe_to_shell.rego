# METADATA
# title: RUN does not pipe downloads into a shell
# description: >-
#   `curl ... | sh` runs whatever the server returns at build time, unreviewed and
#   unverified; a compromised host or a changed script changes the image, and a truncated
#   download runs half a script.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#using-pipes
# custom:
#   id: containers/no-pipe-to-shell
#   severity: warning
#   level: silver
#   input: dockerfile
#   remediation: >-
#     Download to a file, verify its checksum (`echo "<sha256>  install.sh" | sha256sum -c`),
#     then run it; or install a versioned package instead.
#   examples:
#     fail: |
#       RUN curl -fsSL https://get.example.com | sh
#     pass: |
#       RUN curl -fsSLo install.sh https://get.example.com/v1.2.3/install.sh \
#        && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh
package paved.containers.no_pipe_to_shell

import rego.v1

shells := `(sudo([ \t]+-[A-Za-z]+)*[ \t]+)?(env[ \t]+[^|;&]*)?((ba|z|da|k)?sh|python[0-9.]*|perl|ruby|node)`

patterns := [
	# curl URL | sh
	sprintf(`(curl|wget)[^|;&]*\|[ \t]*%s([ \t]|$)`, [shells]),
	# sh -c "$(curl URL)"
	`(ba|z|da|k)?sh[ \t]+(-[a-z]+[ \t]+)*["']?\$\((curl|wget)`,
	# bash <(curl URL)
	`<\([ \t]*(curl|wget)`,
]

deny contains {"msg": "RUN pipes a download into a shell without verifying it", "path": [run.index]} if {
	some run in data.paved.lib.docker.run_commands
	some pattern in patterns
	regex.match(pattern, run.command)
}
