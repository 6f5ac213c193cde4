# METADATA
# title: Taggable Terraform resources carry an owner tag
# description: >-
#   An untagged cloud resource has no one to ask when it costs money, breaks or must be
#   deleted. The owner tag is how cost reports and incident tooling find the team.
# related_resources:
#   - ref: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
# custom:
#   id: terraform/owner-tags
#   severity: error
#   level: bronze
#   input: terraform
#   remediation: >-
#     Add an `owner` (or `team`) tag to the resource, or set it once for every resource with
#     the provider's `default_tags`.
package paved.terraform.owner_tags

import data.paved.lib.config
import rego.v1

owner_keys := config.setting("terraform", "owner_tag_keys")

# Provider `default_tags` with an owner key cover every resource of the file.
default_owner if {
	some provider in input.provider[_]
	some key in owner_keys
	provider.default_tags[_].tags[key]
}

taggable(type) if {
	some prefix in config.setting("terraform", "taggable_prefixes")
	startswith(type, prefix)
	not type in config.setting("terraform", "untaggable_types")
}

deny contains {"msg": msg, "path": path} if {
	not default_owner
	some type, resources in input.resource
	taggable(type)
	some name, blocks in resources
	some i, block in blocks
	not has_owner(block)
	path := tags_path(block, ["resource", type, name, i])
	msg := sprintf("%s.%s has no owner tag (one of %s)", [type, name, concat(", ", owner_keys)])
}

has_owner(block) if {
	some key in owner_keys
	block.tags[key]
}

has_owner(block) if {
	some key in owner_keys
	block.labels[key]
}

tags_path(block, base) := array.concat(base, ["tags"]) if block.tags

tags_path(block, base) := base if not block.tags
