# METADATA
# title: Images come from allowed registries
# description: >-
#   Images pulled from arbitrary registries skip the organisation's scanning, signing and
#   mirroring, and disappear when their publisher deletes them or hits a rate limit. Every
#   image must start with an entry of the `kubernetes.allowed_registries` setting: a registry
#   host (`ghcr.io`) or a registry and path (`ghcr.io/acme`). Images without a registry host
#   are Docker Hub ones (`nginx` is `docker.io/library/nginx`). The setting is empty by
#   default, which turns the rule off.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: kubernetes/allowed-registries
#   severity: error
#   level: bronze
#   input: kubernetes
#   config: [kubernetes.allowed_registries]
#   remediation: >-
#     Push the image to (or mirror it through) an allowed registry and reference it there, or
#     add the registry to `kubernetes.allowed_registries` in paved.toml.
#   examples:
#     fail: |
#       # with allowed_registries = ["ghcr.io/acme"]
#       containers:
#         - name: api
#           image: docker.io/someone/api:1.0
#     pass: |
#       # with allowed_registries = ["ghcr.io/acme"]
#       containers:
#         - name: api
#           image: ghcr.io/acme/api:1.0
package paved.kubernetes.allowed_registries

import data.paved.lib.config
import rego.v1

allowed_registries := config.setting("kubernetes", "allowed_registries")

deny contains {"msg": msg, "path": array.concat(c.path, ["image"])} if {
	count(allowed_registries) > 0
	some c in data.paved.lib.k8s.containers
	ref := reference(c.value.image)
	not allowed(ref)
	msg := sprintf("container %q uses image %q from %s, which is not an allowed registry (%s)", [
		c.value.name, c.value.image, split(ref, "/")[0], concat(", ", allowed_registries),
	])
}

# An entry allows the references it is a whole-segment prefix of (`ghcr.io/acme` allows
# `ghcr.io/acme/api:1` but not `ghcr.io/acme-evil/api:1`).
allowed(ref) if {
	some entry in allowed_registries
	prefix := entry_reference(entry)
	some separator in ["/", ":", "@"]
	startswith(ref, concat("", [prefix, separator]))
}

allowed(ref) if {
	some entry in allowed_registries
	ref == entry_reference(entry)
}

# The fully qualified image reference: the first of several segments is a registry host when
# it has a dot or a port or is localhost; otherwise the image is on Docker Hub.
reference(image) := normalized if {
	segments := split(image, "/")
	count(segments) > 1
	host(segments[0])
	normalized := concat("/", array.concat([docker_hub_alias(segments[0])], array.slice(segments, 1, count(segments))))
}

reference(image) := concat("/", ["docker.io", image]) if {
	segments := split(image, "/")
	count(segments) > 1
	not host(segments[0])
}

reference(image) := concat("/", ["docker.io/library", image]) if not contains(image, "/")

# An entry that is a bare host (`ghcr.io`, `localhost:5000`) stays a host; any other is
# qualified like an image.
entry_reference(entry) := docker_hub_alias(trim_suffix(entry, "/")) if {
	not contains(trim_suffix(entry, "/"), "/")
	host(entry)
}

entry_reference(entry) := trim_suffix(reference(entry), "/") if {
	contains(trim_suffix(entry, "/"), "/")
}

entry_reference(entry) := reference(entry) if {
	not contains(entry, "/")
	not host(entry)
}

host(segment) if contains(segment, ".")

host(segment) if contains(segment, ":")

host(segment) if segment == "localhost"

docker_hub_alias(registry) := "docker.io" if registry in {"index.docker.io", "registry-1.docker.io"}

docker_hub_alias(registry) := registry if not registry in {"index.docker.io", "registry-1.docker.io"}
