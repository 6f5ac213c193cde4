# METADATA
# title: GitLab includes are pinned
# description: >-
#   An included file or component runs in every pipeline with the project's variables and
#   tokens. Included at a branch or tag, it changes whenever someone else pushes, and a remote
#   URL changes whenever its server does. Project includes and components need a full commit
#   SHA (unless the project is listed in the setting `ci.trusted_include_projects`); remote
#   includes need `integrity`. Local files and GitLab's own templates are fine.
# related_resources:
#   - ref: https://docs.gitlab.com/ee/ci/yaml/includes.html
# custom:
#   id: ci/gitlab-includes-pinned
#   severity: warning
#   level: gold
#   input: gitlab-ci
#   remediation: >-
#     Set `ref:` to a commit SHA for project includes, add `@<commit sha>` to components, and
#     `integrity: sha256-...` to remote includes; let Renovate bump them.
#   config: [ci.trusted_include_projects]
#   examples:
#     fail: |
#       include:
#         - project: platform/ci-templates
#           file: /go.yml
#         - remote: https://example.com/ci.yml
#     pass: |
#       include:
#         - project: platform/ci-templates
#           ref: 2c9ac7d3a3b0b2b0f8e8f6e2a5b3d1c4e5f6a7b8
#           file: /go.yml
#         - local: /ci/test.yml
package paved.ci.gitlab_includes_pinned

import data.paved.lib.config
import rego.v1

# {value, path} of each include, whether `include` is one entry or a list.
includes contains {"value": input.include, "path": ["include"]} if {
	data.paved.lib.ci.is_gitlab
	not is_array(input.include)
	input.include
}

includes contains {"value": entry, "path": ["include", k]} if {
	data.paved.lib.ci.is_gitlab
	is_array(input.include)
	some k, entry in input.include
}

deny contains {"msg": msg, "path": array.concat(entry.path, ["ref"])} if {
	some entry in includes
	entry.value.project
	not entry.value.ref
	msg := sprintf("the include from %q follows its default branch; pin `ref` to a commit SHA", [entry.value.project])
}

deny contains {"msg": msg, "path": array.concat(entry.path, ["ref"])} if {
	some entry in includes
	ref := entry.value.ref
	not sha(ref)
	not trusted(entry.value.project)
	msg := sprintf("the include from %q is pinned to %q, which can move; use a commit SHA", [entry.value.project, ref])
}

deny contains {"msg": msg, "path": array.concat(entry.path, ["component"])} if {
	some entry in includes
	component := entry.value.component
	parts := split(component, "@")
	not sha(parts[count(parts) - 1])
	not trusted(component_project(parts[0]))
	msg := sprintf("component %q is not pinned to a commit SHA", [component])
}

deny contains {"msg": msg, "path": entry.path} if {
	some entry in includes
	remote(entry.value)
	msg := sprintf("the remote include %q has no integrity hash", [entry.value])
}

deny contains {"msg": msg, "path": array.concat(entry.path, ["integrity"])} if {
	some entry in includes
	remote(entry.value.remote)
	not entry.value.integrity
	msg := sprintf("the remote include %q has no integrity hash", [entry.value.remote])
}

remote(value) if {
	is_string(value)
	regex.match(`^https?://`, value)
}

sha(ref) if regex.match(`^[0-9a-f]{40}$`, ref)

# `gitlab.com/group/project/name`: the project is between the host and the component name.
component_project(path) := concat("/", array.slice(parts, 1, count(parts) - 1)) if {
	parts := split(path, "/")
}

trusted(project) if {
	some prefix in config.setting("ci", "trusted_include_projects")
	startswith(project, prefix)
}
