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
#   config: [terraform.owner_tag_keys, terraform.taggable_prefixes, terraform.untaggable_types]
#   remediation: >-
#     Add an `owner` (or `team`) tag to the resource, or set it once for every resource with
#     the provider's `default_tags`.
#   examples:
#     fail: |
#       resource "aws_sqs_queue" "orders" {
#         name = "checkout-orders"
#       }
#     pass: |
#       resource "aws_sqs_queue" "orders" {
#         name = "checkout-orders"
#         tags = { owner = "team-checkout" }
#       }
package paved.terraform.owner_tags

import data.paved.lib.config
import data.paved.lib.terraform
import rego.v1

owner_keys := config.setting("terraform", "owner_tag_keys")

# Provider `default_tags` with an owner key cover every resource of the file.
default_owner if {
	some provider in data.paved.lib.terraform.providers
	some defaults in terraform.bodies(provider.value.default_tags, [])
	some key in owner_keys
	defaults.value.tags[key]
}

taggable(type) if {
	some prefix in config.setting("terraform", "taggable_prefixes")
	startswith(type, prefix)
	not type in config.setting("terraform", "untaggable_types")
}

deny contains {"msg": msg, "path": tags_path(r.value, r.path)} if {
	not default_owner
	some r in data.paved.lib.terraform.resources
	taggable(r.type)
	not has_owner(r.value)
	not computed_tags(r.value)
	msg := sprintf("%s.%s has no owner tag (one of %s)", [r.type, r.name, concat(", ", owner_keys)])
}

has_owner(block) if {
	some key in owner_keys
	block.tags[key]
}

has_owner(block) if {
	some key in owner_keys
	block.labels[key]
}

# `tags = merge(local.tags, {...})` arrives as the string "${merge(...)}": its keys are
# unknown until plan, so it is not judged.
computed_tags(block) if is_string(block.tags)

computed_tags(block) if is_string(block.labels)

tags_path(block, base) := array.concat(base, ["tags"]) if block.tags

tags_path(block, base) := base if not block.tags
