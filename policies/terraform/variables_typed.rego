# METADATA
# title: Variables declare a type
# description: >-
#   Without `type` a variable accepts any value: a string where a number was meant, or a
#   map with a misspelt key, passes validation and fails deep inside a plan or, worse, is
#   applied. A type makes Terraform reject wrong values up front and documents the shape.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/values/variables#type-constraints
# custom:
#   id: terraform/variables-typed
#   severity: warning
#   level: gold
#   input: terraform
#   remediation: >-
#     Add a `type`, e.g. `type = number`, `type = list(string)` or
#     `type = object({ name = string, size = optional(number, 1) })`.
#   examples:
#     fail: |
#       variable "subnets" {
#         description = "Subnet ids for the load balancer."
#       }
#     pass: |
#       variable "subnets" {
#         type        = list(string)
#         description = "Subnet ids for the load balancer."
#       }
package paved.terraform.variables_typed

import rego.v1

deny contains {"msg": msg, "path": array.concat(variable.path, ["type"])} if {
	some variable in data.paved.lib.terraform.variables
	not variable.value.type
	msg := sprintf("variable %q has no type", [variable.name])
}
