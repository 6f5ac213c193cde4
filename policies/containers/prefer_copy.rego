# METADATA
# title: COPY is used for local files
# description: >-
#   ADD also unpacks archives and fetches URLs, so a reader cannot tell from the line what it
#   does, and renaming a file to `.tar` silently changes the build. COPY only copies. ADD of
#   a local tar archive (which ADD unpacks) and of URLs (see containers/no-add-remote) is left
#   alone.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#add-or-copy
# custom:
#   id: containers/prefer-copy
#   severity: info
#   level: gold
#   input: dockerfile
#   remediation: Replace `ADD` with `COPY` for local files and directories.
#   examples:
#     fail: |
#       ADD . /app
#     pass: |
#       COPY . /app
#       ADD rootfs.tar.gz /
package paved.containers.prefer_copy

import rego.v1

archive := `\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$`

deny contains {"msg": msg, "path": [i]} if {
	some i, instruction in input
	instruction.Cmd == "add"
	sources := array.slice(instruction.Value, 0, count(instruction.Value) - 1)
	local := [source |
		some source in sources
		not contains(source, "://")
		not startswith(source, "git@")
		not contains(source, "$")
		not regex.match(archive, lower(source))
	]
	count(local) > 0
	msg := sprintf("ADD of local %s; use COPY, which only copies", [concat(", ", [sprintf("%q", [s]) | some s in local])])
}
