# METADATA
# title: Variables have a description
# description: >-
#   A variable's description is the only documentation most callers of a module read: it
#   appears in `terraform plan` prompts, the registry and generated READMEs
#   (terraform-docs). Without one, callers guess what a value means and which values are
#   allowed.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/values/variables#input-variable-documentation
# custom:
#   id: terraform/variables-described
#   severity: info
#   level: gold
#   input: terraform
#   remediation: >-
#     Add a `description` saying what the value is for and which values are valid.
#   examples:
#     fail: |
#       variable "retention_days" {
#         type = number
#       }
#     pass: |
#       variable "retention_days" {
#         type        = number
#         description = "Days to keep order events before they expire (1-14)."
#       }
package paved.terraform.variables_described

import rego.v1

deny contains {"msg": msg, "path": array.concat(variable.path, ["description"])} if {
	some variable in data.paved.lib.terraform.variables
	not described(variable.value)
	msg := sprintf("variable %q has no description", [variable.name])
}

described(block) if {
	is_string(block.description)
	trim_space(block.description) != ""
}
