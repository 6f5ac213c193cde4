# METADATA
# title: Module sources are pinned to a release
# description: >-
#   Modules are not recorded in the dependency lock file: every `terraform init` on a fresh
#   checkout (CI, a new laptop) downloads whatever the source points at that day. A registry
#   module needs a `version` that caps the releases it accepts (an exact version or `~>`), and
#   a git source a `?ref=` naming a tag or a commit (the setting
#   `terraform.module_ref_pattern`), never a branch. Local paths (`./`, `../`) are part of the
#   same commit and are fine; archives over HTTP, S3 and GCS are not judged.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/modules/sources#selecting-a-revision
# custom:
#   id: terraform/module-source-pinned
#   severity: error
#   level: bronze
#   input: terraform
#   config: [terraform.module_ref_pattern]
#   remediation: >-
#     Set `version = "~> 5.1"` (or an exact `"5.1.2"`) on registry modules, and add
#     `?ref=v1.2.0` (a tag) or `?ref=<commit hash>` to git sources.
#   examples:
#     fail: |
#       module "vpc" {
#         source = "git::https://github.com/example/terraform-vpc.git?ref=main"
#       }
#     pass: |
#       module "vpc" {
#         source = "git::https://github.com/example/terraform-vpc.git?ref=v1.4.0"
#       }
package paved.terraform.module_source_pinned

import data.paved.lib.config
import data.paved.lib.terraform
import rego.v1

deny contains {"msg": msg, "path": array.concat(module.path, ["version"])} if {
	some module in data.paved.lib.terraform.modules
	registry(module.value.source)
	not terraform.non_empty(module.value.version)
	msg := sprintf("module %q takes the newest release of %s: set a version", [module.name, module.value.source])
}

deny contains {"msg": msg, "path": array.concat(module.path, ["version"])} if {
	some module in data.paved.lib.terraform.modules
	registry(module.value.source)
	constraint := module.value.version
	terraform.non_empty(constraint)
	not terraform.bounded_constraint(constraint)
	msg := sprintf("module %q accepts every future release of %s (version %q): cap it with ~> or pin an exact version", [module.name, module.value.source, constraint])
}

deny contains {"msg": msg, "path": array.concat(module.path, ["source"])} if {
	some module in data.paved.lib.terraform.modules
	is_string(module.value.source)
	git(module.value.source)
	not ref(module.value.source)
	msg := sprintf("module %q follows the default branch of %s: add ?ref= with a tag or commit", [module.name, module.value.source])
}

deny contains {"msg": msg, "path": array.concat(module.path, ["source"])} if {
	some module in data.paved.lib.terraform.modules
	is_string(module.value.source)
	git(module.value.source)
	r := ref(module.value.source)
	pattern := config.setting("terraform", "module_ref_pattern")
	is_string(pattern)
	not regex.match(pattern, r)
	msg := sprintf("module %q uses ref %q, which looks like a branch: pin a tag or commit", [module.name, r])
}

# Git sources: `git::` URLs, scp-style `git@host:`, and the GitHub and Bitbucket shorthands.
git(source) if regex.match(`^(git::|git@|github\.com/|bitbucket\.org/)`, source)

# `[host/]namespace/name/provider[//subdir]`; a git host's shorthand is not a registry.
registry(source) if {
	is_string(source)
	regex.match(`^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?/)?[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_-]*(//.*)?$`, source)
	not git(source)
}

# The `ref` query parameter of a source (`...?depth=1&ref=v1.2.0`).
ref(source) := value if {
	parts := split(source, "?")
	count(parts) > 1
	some param in split(parts[1], "&")
	startswith(param, "ref=")
	value := substring(param, 4, -1)
	value != ""
}
