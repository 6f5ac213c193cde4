# METADATA
# title: GitLab CI images are pinned to a version
# description: >-
#   A job image without a tag, or tagged `latest`, changes between two runs of the same
#   commit: builds break or pass for reasons nobody changed, and an old pipeline cannot be
#   rerun as it was. Checks `image` and `services` at the top level, under `default`, and in
#   every job and template. Floating tags (`stable`, `edge`, `testing`, `dind`,
#   `stable-dind`, ...: setting `ci.floating_image_tags`) move like `latest`. Images built
#   from variables (`$CI_REGISTRY_IMAGE:$TAG`) are skipped: their value is only known when
#   the pipeline runs.
# related_resources:
#   - ref: https://docs.gitlab.com/ee/ci/yaml/#image
# custom:
#   id: ci/gitlab-pinned-images
#   severity: warning
#   level: bronze
#   input: gitlab-ci
#   remediation: >-
#     Use an explicit version tag (`image: node:20.11`) or, better, a digest
#     (`image: node:20.11@sha256:...`); for Docker-in-Docker, `docker:27.3-dind`.
#   config: [ci.floating_image_tags]
#   examples:
#     fail: |
#       test:
#         image: node:latest
#         services: [postgres]
#     pass: |
#       test:
#         image: node:20.11
#         services: ["postgres:16.2"]
package paved.ci.gitlab_pinned_images

import data.paved.lib.config
import data.paved.lib.docker
import rego.v1

# Everywhere an image can be set: the top level, `default`, jobs and templates.
holders contains {"value": input, "path": []} if data.paved.lib.ci.is_gitlab

holders contains {"value": input["default"], "path": ["default"]} if {
	data.paved.lib.ci.is_gitlab
	is_object(input["default"])
}

holders contains {"value": job.value, "path": job.path} if some job in data.paved.lib.ci.gitlab_templates

# {image, path}: `image` and each of `services`, as a string or `{name: ...}`.
images contains reference(holder.value.image, array.concat(holder.path, ["image"])) if {
	some holder in holders
	holder.value.image
}

images contains reference(service, array.concat(holder.path, ["services", k])) if {
	some holder in holders
	is_array(holder.value.services)
	some k, service in holder.value.services
}

reference(image, path) := {"image": image, "path": path} if is_string(image)

reference(image, path) := {"image": image.name, "path": array.concat(path, ["name"])} if is_object(image)

deny contains {"msg": msg, "path": image.path} if {
	some image in images
	is_string(image.image)
	not contains(image.image, "$")
	problem := unpinned(image.image)
	msg := sprintf("image %q %s", [image.image, problem])
}

unpinned(image) := docker.unpinned(image)

# A tag moves when its first word is a channel rather than a version: `stable`,
# `stable-dind`, `dind-rootless`, `edge` (`27.3-dind` and `3.20` are versions).
unpinned(image) := sprintf("is tagged %s, which moves to new releases", [tag]) if {
	not docker.unpinned(image)
	not docker.has_digest(image)
	tag := docker.tag(image)
	lower(split(tag, "-")[0]) in {lower(t) | some t in config.setting("ci", "floating_image_tags")}
}
