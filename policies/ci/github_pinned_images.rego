# METADATA
# title: GitHub workflow images are pinned to a version
# description: >-
#   A job container, service container or `docker://` step without a tag, or tagged
#   `latest`, changes between two runs of the same commit: builds break or pass for reasons
#   nobody changed, and an old run cannot be repeated. Images built from expressions
#   (`${{ matrix.image }}`) are skipped. Digests are required only at gold, by
#   ci/actions-pinned for `docker://` steps.
# related_resources:
#   - ref: https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontainerimage
# custom:
#   id: ci/github-pinned-images
#   severity: warning
#   level: bronze
#   input: github-actions
#   remediation: >-
#     Use an explicit version tag (`image: postgres:16.2`) or, better, a digest
#     (`image: postgres:16.2@sha256:...`).
#   examples:
#     fail: |
#       jobs:
#         test:
#           container: node
#           services:
#             db: {image: "postgres:latest"}
#     pass: |
#       jobs:
#         test:
#           container: node:20.11
#           services:
#             db: {image: "postgres:16.2"}
package paved.ci.github_pinned_images

import data.paved.lib.docker
import rego.v1

images contains {"image": job.value.container, "path": array.concat(job.path, ["container"])} if {
	some job in data.paved.lib.ci.github_jobs
	is_string(job.value.container)
}

images contains {"image": job.value.container.image, "path": array.concat(job.path, ["container", "image"])} if {
	some job in data.paved.lib.ci.github_jobs
	is_string(job.value.container.image)
}

images contains {"image": service.image, "path": array.concat(job.path, ["services", name, "image"])} if {
	some job in data.paved.lib.ci.github_jobs
	is_object(job.value.services)
	some name, service in job.value.services
	is_string(service.image)
}

images contains {"image": trim_prefix(step.value.uses, "docker://"), "path": array.concat(step.path, ["uses"])} if {
	some step in data.paved.lib.ci.github_steps
	is_string(step.value.uses)
	startswith(step.value.uses, "docker://")
}

deny contains {"msg": msg, "path": image.path} if {
	some image in images
	not contains(image.image, "${{")
	problem := docker.unpinned(image.image)
	msg := sprintf("image %q %s", [image.image, problem])
}
