# METADATA
# title: Images copied from are pinned to a version
# description: >-
#   `COPY --from=<image>` and `RUN --mount=...,from=<image>` pull an image just like FROM
#   does, so an untagged or `latest` image there makes the build just as unrepeatable.
#   Numbered and named earlier stages are fine.
# related_resources:
#   - ref: https://docs.docker.com/reference/dockerfile/#copy---from
# custom:
#   id: containers/copy-from-pinned
#   severity: error
#   level: bronze
#   input: dockerfile
#   remediation: >-
#     Give the image a version tag or digest (`COPY --from=nginx:1.27 ...`), or pull it into
#     a named stage with a pinned FROM and copy from that stage.
#   examples:
#     fail: |
#       COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/
#     pass: |
#       FROM nginx:1.27 AS nginx
#       COPY --from=nginx /etc/nginx/nginx.conf /etc/nginx/
package paved.containers.copy_from_pinned

import data.paved.lib.docker
import rego.v1

deny contains {"msg": msg, "path": [image.index]} if {
	some image in data.paved.lib.docker.copied_images
	problem := docker.unpinned(image.resolved)
	msg := sprintf("%s copies from image %q, which %s", [upper(input[image.index].Cmd), image.resolved, problem])
}
