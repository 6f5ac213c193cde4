# METADATA
# title: Base images are pinned to a version
# description: >-
#   A FROM image without a tag, or tagged `latest`, changes under you: the same commit builds
#   a different image tomorrow, and a rebuild to roll back brings back nothing. Every stage
#   counts, build stages too, since their tools shape what ships. `FROM scratch` and
#   references to earlier stages are fine; an image built from ARGs is checked with the
#   ARGs' defaults, and skipped when a variable has none.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
# custom:
#   id: containers/base-image-pinned
#   severity: error
#   level: bronze
#   input: dockerfile
#   remediation: >-
#     Use an explicit version tag (`FROM golang:1.22`) or, better, a digest
#     (`FROM golang:1.22@sha256:...`) and let Renovate or Dependabot bump it.
#   examples:
#     fail: |
#       FROM node
#       FROM python:latest
#     pass: |
#       FROM golang:1.22 AS build
#       FROM gcr.io/distroless/static@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65
package paved.containers.base_image_pinned

import data.paved.lib.docker
import rego.v1

deny contains {"msg": msg, "path": [from.index]} if {
	some from in data.paved.lib.docker.from_images
	problem := docker.unpinned(from.resolved)
	msg := sprintf("base image %s %s", [describe(from), problem])
}

describe(from) := sprintf("%q", [from.image]) if from.image == from.resolved

describe(from) := sprintf("%q (%q with the ARG defaults)", [from.image, from.resolved]) if {
	from.image != from.resolved
}
