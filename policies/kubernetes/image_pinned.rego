# METADATA
# title: Container images are pinned to a version
# description: >-
#   An image without a tag, or tagged `latest`, changes under a running workload: a restart
#   silently deploys different code, and rollbacks have nothing to roll back to. A name
#   no registry serves (`frontend`, `ko://...`) is a placeholder that Skaffold, kustomize's
#   `images`, Tilt or ko replace with a built image when they deploy: not reported.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: kubernetes/image-pinned
#   severity: error
#   level: bronze
#   input: kubernetes
#   remediation: Use an explicit version tag (`api:1.4.2`) or, better, a digest (`api@sha256:...`).
#   examples:
#     fail: |
#       containers:
#         - name: api
#           image: ghcr.io/acme/api:latest
#     pass: |
#       containers:
#         - name: api
#           image: ghcr.io/acme/api:1.4.2
package paved.kubernetes.image_pinned

import data.paved.lib.docker
import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["image"])} if {
	some c in data.paved.lib.k8s.containers
	not docker.is_placeholder(c.value.image)
	problem := unpinned(c.value.image)
	msg := sprintf("container %q uses image %q, %s", [c.value.name, c.value.image, problem])
}

unpinned(image) := "which has no tag" if {
	not contains(image, "@")
	not tag(image)
}

unpinned(image) := "tagged latest" if {
	not contains(image, "@")
	tag(image) == "latest"
}

# The tag is what follows the last colon of the last path segment (a registry port is not one).
tag(image) := t if {
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	parts := split(last, ":")
	t := parts[count(parts) - 1]
}
