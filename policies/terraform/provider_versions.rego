# METADATA
# title: Providers are constrained to a version range
# description: >-
#   A provider without a version constraint resolves to the newest release whenever the lock
#   file is created or upgraded, so a major release with breaking changes lands without anyone
#   choosing it. Every entry of `required_providers` needs a `version`. The `version` argument
#   of a `provider` block is deprecated since Terraform 0.13 and is reported wherever it is
#   used; the constraint belongs in `required_providers`.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/providers/requirements#version-constraints
# custom:
#   id: terraform/provider-versions
#   severity: warning
#   level: gold
#   input: terraform
#   remediation: >-
#     Give each entry of `required_providers` a `version`, e.g. `version = "~> 5.40"` in a root
#     module or `">= 5.0"` in a reusable one, and remove `version` from `provider` blocks.
#   examples:
#     fail: |
#       terraform {
#         required_providers {
#           aws = { source = "hashicorp/aws" }
#         }
#       }
#     pass: |
#       terraform {
#         required_version = "~> 1.6"
#         required_providers {
#           aws = { source = "hashicorp/aws", version = "~> 5.40" }
#         }
#       }
package paved.terraform.provider_versions

import data.paved.lib.terraform
import rego.v1

deny contains {"msg": msg, "path": path} if {
	some block in data.paved.lib.terraform.settings_blocks
	some providers in terraform.bodies(block.value.required_providers, array.concat(block.path, ["required_providers"]))
	some name, requirement in providers.value
	not constrained(requirement)
	path := array.concat(providers.path, [name, "version"])
	msg := sprintf("provider %q in required_providers has no version constraint", [name])
}

deny contains {"msg": msg, "path": array.concat(provider.path, ["version"])} if {
	some provider in data.paved.lib.terraform.providers
	provider.value.version
	msg := sprintf("provider %q sets the deprecated `version` argument; constrain the version in required_providers", [provider.name])
}

constrained(requirement) if terraform.non_empty(requirement.version)

# The pre-0.13 shorthand `aws = "~> 5.0"` is a version constraint too.
constrained(requirement) if terraform.non_empty(requirement)
