# METADATA
# title: Images are pinned by digest
# description: >-
#   A tag can be pushed again: `golang:1.22` today is not `golang:1.22` next month, and a
#   compromised registry account can swap it. A digest names exactly one image. This covers
#   FROM lines and images copied from. Images that are not pinned at all are left to
#   containers/base-image-pinned and containers/copy-from-pinned. Reads the setting
#   `containers.immutable_tag_images` (image prefixes whose tags cannot move).
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
# custom:
#   id: containers/base-image-digest
#   severity: warning
#   level: gold
#   input: dockerfile
#   remediation: >-
#     Append the digest to the tag (`FROM golang:1.22@sha256:...`; `docker buildx imagetools
#     inspect golang:1.22` prints it) and let Renovate or Dependabot keep both up to date.
#   config: [containers.immutable_tag_images]
#   examples:
#     fail: |
#       FROM golang:1.22
#     pass: |
#       FROM golang:1.22@sha256:ef61a20960397f4d44b0e729298bf02327ca94f1519239ddc6d91689615b1367
package paved.containers.base_image_digest

import data.paved.lib.config
import data.paved.lib.docker
import rego.v1

deny contains {"msg": msg, "path": [image.index]} if {
	some image in data.paved.lib.docker.from_images | data.paved.lib.docker.copied_images
	not docker.has_digest(image.resolved)
	not docker.unpinned(image.resolved)
	not immutable(image.resolved)
	msg := sprintf("image %q is pinned by tag, not by digest", [image.resolved])
}

immutable(image) if {
	some prefix in config.setting("containers", "immutable_tag_images")
	startswith(image, prefix)
}
