# METADATA
# title: Outputs have a description
# description: >-
#   Outputs are a module's interface to its callers and to other stacks reading its remote
#   state. A description says what the value is and how it is meant to be used, and is
#   shown in the registry and in generated READMEs.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/values/outputs#description-output-value-documentation
# custom:
#   id: terraform/outputs-described
#   severity: info
#   level: gold
#   input: terraform
#   remediation: Add a `description` saying what the value is and who consumes it.
#   examples:
#     fail: |
#       output "queue_url" {
#         value = aws_sqs_queue.orders.url
#       }
#     pass: |
#       output "queue_url" {
#         value       = aws_sqs_queue.orders.url
#         description = "URL of the order queue, for producers."
#       }
package paved.terraform.outputs_described

import rego.v1

deny contains {"msg": msg, "path": array.concat(output.path, ["description"])} if {
	some output in data.paved.lib.terraform.outputs
	not described(output.value)
	msg := sprintf("output %q has no description", [output.name])
}

described(block) if {
	is_string(block.description)
	trim_space(block.description) != ""
}
