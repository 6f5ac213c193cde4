# METADATA
# title: ADD does not fetch unverified remote files
# description: >-
#   `ADD <url>` downloads whatever the server returns at build time, with no way to review it:
#   a compromised or changed file goes straight into the image. `ADD --checksum=sha256:...`
#   verifies the download; a Git source is fine at a full commit SHA (`repo.git#<sha>`).
# related_resources:
#   - ref: https://docs.docker.com/reference/dockerfile/#add---checksum
# custom:
#   id: containers/no-add-remote
#   severity: warning
#   level: silver
#   input: dockerfile
#   remediation: >-
#     Add `--checksum=sha256:<hash>` to the ADD, pin Git sources to a commit SHA, or download
#     in a RUN step that verifies the file (`curl -fsSLO ... && sha256sum -c`).
#   examples:
#     fail: |
#       ADD https://example.com/tool.tar.gz /opt/
#     pass: |
#       ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
package paved.containers.no_add_remote

import rego.v1

deny contains {"msg": msg, "path": [i]} if {
	some i, instruction in input
	instruction.Cmd == "add"
	some source in array.slice(instruction.Value, 0, count(instruction.Value) - 1)
	not git_source(source)
	regex.match(`^(https?|ftp)://`, lower(source))
	not checksum(instruction)
	msg := sprintf("ADD downloads %q without --checksum, so the build takes whatever the server returns", [source])
}

deny contains {"msg": msg, "path": [i]} if {
	some i, instruction in input
	instruction.Cmd == "add"
	some source in array.slice(instruction.Value, 0, count(instruction.Value) - 1)
	git_source(source)
	not regex.match(`#[0-9a-f]{40}(:.*)?$`, source)
	msg := sprintf("ADD clones %q at a ref that can move; pin it to a commit SHA", [source])
}

git_source(source) if regex.match(`^(git@|git://|ssh://)`, source)

git_source(source) if regex.match(`^https?://.*\.git(#.*)?$`, source)

checksum(instruction) if {
	some flag in instruction.Flags
	startswith(flag, "--checksum=")
}
