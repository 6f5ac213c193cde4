# METADATA
# title: Terraform configurations constrain the Terraform version
# description: >-
#   Without `required_version` any Terraform release runs the configuration: a newer one can
#   upgrade the state so that older ones can no longer read it, and an older one can misread
#   the code. The constraint lives in the `terraform` block that declares `required_providers`
#   (one file is checked at a time, so a file with only a `backend` is not judged). An exact
#   version (`1.5.7`) is reported too, as it makes every patch release a code change and every
#   contributor install that one release; allow patch releases with `~>`.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/terraform#terraform-required_version
# custom:
#   id: terraform/required-version
#   severity: warning
#   level: gold
#   input: terraform
#   remediation: >-
#     Set `required_version` in the `terraform` block beside `required_providers`, as a range
#     with a lower bound: `~> 1.6` in a root module, `>= 1.6` in a reusable module.
#   examples:
#     fail: |
#       terraform {
#         required_providers {
#           aws = { source = "hashicorp/aws", version = "~> 5.0" }
#         }
#       }
#     pass: |
#       terraform {
#         required_version = "~> 1.6"
#         required_providers {
#           aws = { source = "hashicorp/aws", version = "~> 5.0" }
#         }
#       }
package paved.terraform.required_version

import data.paved.lib.terraform
import rego.v1

deny contains {"msg": msg, "path": array.concat(block.path, ["required_version"])} if {
	not version_constrained
	some block in data.paved.lib.terraform.settings_blocks
	block.value.required_providers
	msg := "the terraform block declares required_providers but no required_version"
}

deny contains {"msg": msg, "path": array.concat(block.path, ["required_version"])} if {
	some block in data.paved.lib.terraform.settings_blocks
	constraint := block.value.required_version
	is_string(constraint)
	terraform.exact_constraint(constraint)
	version := trim_space(trim_left(trim_space(constraint), "="))
	msg := sprintf("required_version %q allows a single Terraform release; allow patch releases with \"~> %s\"", [constraint, version])
}

# Any terraform block of the file sets a non-empty constraint.
version_constrained if {
	some block in data.paved.lib.terraform.settings_blocks
	terraform.non_empty(block.value.required_version)
}
