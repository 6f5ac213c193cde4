# METADATA
# title: Taggable Terraform resources carry an owner tag
# description: >-
#   An untagged cloud resource has no one to ask when it costs money, breaks or must be
#   deleted. The owner tag is how cost reports and incident tooling find the team. Only
#   resource types whose provider schema has a label attribute are asked (the table in
#   lib/taggable.rego is generated from the providers' schemas by tools/taggable.py): `tags`
#   on AWS and Azure, `labels`, `resource_labels` or `user_labels` on Google, `tag {}`
#   blocks on an Auto Scaling group.
# related_resources:
#   - ref: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
# custom:
#   id: terraform/owner-tags
#   severity: error
#   level: bronze
#   input: terraform
#   config: [terraform.owner_tag_keys, terraform.taggable_prefixes, terraform.untaggable_types]
#   remediation: >-
#     Add an `owner` (or `team`) tag to the resource (a label on Google), or set it once for
#     every resource of the provider with `default_tags` (AWS) or `default_labels` (Google).
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

deny contains {"msg": msg, "path": path} if {
	some r in data.paved.lib.terraform.resources
	attribute := label_attribute(r.type)
	not default_owner(r.type)
	path := lacking_owner(r, attribute)
	msg := sprintf("%s.%s has no owner %s (one of %s)", [r.type, r.name, noun(attribute), concat(", ", owner_keys)])
}

# The attribute that holds a resource type's tags: the generated table's, for the providers
# it covers (a type it does not list has none), and `tags` for any other judged provider.
label_attribute(type) := attribute if {
	judged(type)
	some prefix in data.paved.lib.taggable.providers
	startswith(type, prefix)
	some attribute, types in data.paved.lib.taggable.attributes
	type in types
}

label_attribute(type) := "tags" if {
	judged(type)
	every prefix in data.paved.lib.taggable.providers {
		not startswith(type, prefix)
	}
}

judged(type) if {
	some prefix in config.setting("terraform", "taggable_prefixes")
	startswith(type, prefix)
	not type in config.setting("terraform", "untaggable_types")
}

# Google calls them labels.
noun(attribute) := "label" if endswith(attribute, "labels")

noun(attribute) := "tag" if not endswith(attribute, "labels")

# Where a resource without an owner is reported: its tag map when it has one, else itself.
lacking_owner(r, attribute) := array.concat(r.path, [attribute]) if {
	attribute != "tag"
	unowned(r.value[attribute])
}

lacking_owner(r, attribute) := r.path if {
	attribute != "tag"
	not has_key(r.value, attribute)
}

# `tag { key = "owner" ... }` blocks (Auto Scaling groups): reported when every block's key
# is written and none names the owner; `dynamic "tag"` blocks, and the `tags` list of AWS
# providers before 5.0, are not judged.
lacking_owner(r, "tag") := r.path if {
	keys := [block.value.key | some block in terraform.bodies(object.get(r.value, "tag", []), [])]
	every key in keys {
		terraform.literal_string(key)
		not key in owner_keys
	}
	not has_key(object.get(r.value, "dynamic", {}), "tag")
	not has_key(r.value, "tags")
}

has_key(value, key) if {
	is_object(value)
	_ = value[key]
}

# A tag map with an owner key: written out, or in a written-out argument of `merge()`.
owned(tags) if {
	is_object(tags)
	some key in owner_keys
	has_key(tags, key)
}

owned(tags) if {
	some argument in terraform.merge_arguments(tags)
	some key in owner_keys
	key in argument.keys
}

# A tag map whose keys are all known and none names the owner. `tags = var.tags`, or a
# `merge()` with such an argument, is known only at plan and not judged.
unowned(tags) if {
	is_object(tags)
	not owned(tags)
}

unowned(tags) if {
	arguments := terraform.merge_arguments(tags)
	every argument in arguments {
		argument.literal
	}
	not owned(tags)
}

# A provider's default tags (AWS `default_tags`, Google `default_labels`) that may name the
# owner cover every resource of that provider in the module: in this file, or in another
# file of its directory (`paved lint` gives those as `data.paved_module.provider`).
default_owner(type) if {
	some defaults in provider_defaults
	startswith(type, defaults.prefix)
	not unowned(defaults.tags)
}

provider_defaults contains {"prefix": "aws_", "tags": body.value.tags} if {
	some provider in module_providers
	provider.name == "aws"
	some body in terraform.bodies(provider.value.default_tags, [])
}

provider_defaults contains {"prefix": "google_", "tags": provider.value.default_labels} if {
	some provider in module_providers
	provider.name in {"google", "google-beta"}
}

module_providers contains provider if some provider in data.paved.lib.terraform.providers

module_providers contains {"name": name, "value": body.value} if {
	some name, blocks in data.paved_module.provider
	some body in terraform.bodies(blocks, [])
}
