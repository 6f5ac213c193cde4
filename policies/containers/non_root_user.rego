# METADATA
# title: Container images run as a non-root user
# description: >-
#   A process running as root inside a container is one kernel bug away from root on the
#   node. The final stage of a Dockerfile decides the user the image runs as; a distroless
#   `nonroot` base image (`gcr.io/distroless/static:nonroot`, `...:debug-nonroot`) already
#   runs as uid 65532.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: containers/non-root-user
#   severity: error
#   level: silver
#   input: dockerfile
#   remediation: Add `USER <non-root uid or name>` to the final stage, after installing packages.
#   examples:
#     fail: |
#       FROM debian:12
#       RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
#     pass: |
#       FROM debian:12
#       RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
#       USER 10001
package paved.containers.non_root_user

import data.paved.lib.docker
import rego.v1

final_stage := max({i.Stage | some i in input})

final_users := [[i, user] |
	some i, instruction in input
	instruction.Cmd == "user"
	instruction.Stage == final_stage
	user := instruction.Value[0]
]

root_names := {"root", "0", "0:0", "root:root"}

deny contains {"msg": "the final stage sets no USER, so the image runs as root", "path": [from]} if {
	count(input) > 0
	count(final_users) == 0
	from := max([i | some i, instruction in input; instruction.Cmd == "from"])
	not runs_as_non_root(docker.resolve(input[from].Value[0]))
}

# Base images whose default user is not root: distroless's `nonroot` tags, with or
# without a digest after the tag.
runs_as_non_root(image) if {
	startswith(image, "gcr.io/distroless/")
	nonroot_tag(docker.tag(split(image, "@")[0]))
}

nonroot_tag(tag) if tag == "nonroot"

nonroot_tag(tag) if endswith(tag, "-nonroot")

deny contains {"msg": sprintf("the image runs as %q (root)", [user]), "path": [i]} if {
	count(final_users) > 0
	[i, user] := final_users[count(final_users) - 1]
	user in root_names
}
