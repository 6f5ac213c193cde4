package paved.terraform.variables_typed_test

import data.paved.terraform.variables_typed
import rego.v1

test_typed_variables_pass if {
	count(variables_typed.deny) == 0 with input as {"variable": {
		"env": [{"type": "${string}"}],
		"sizes": [{"type": "${map(object({ min = number, max = number }))}"}],
	}}
}

test_variable_without_type if {
	variables_typed.deny == {{
		"msg": "variable \"subnets\" has no type",
		"path": ["variable", "subnets", 0, "type"],
	}} with input as {"variable": {
		"env": [{"type": "${string}", "description": "Environment."}],
		"subnets": [{"description": "Subnet ids.", "default": []}],
	}}
}

test_empty_variable_block if {
	variables_typed.deny == {{
		"msg": "variable \"x\" has no type",
		"path": ["variable", "x", 0, "type"],
	}} with input as {"variable": {"x": [{}]}}
}

test_files_without_variables_pass if {
	count(variables_typed.deny) == 0 with input as {"output": {"id": [{"value": "${aws_s3_bucket.b.id}"}]}}
}

# Terraform's JSON syntax (`.tf.json`): the body is an object and the type a plain string.
test_json_syntax if {
	variables_typed.deny == {{
		"msg": "variable \"subnets\" has no type",
		"path": ["variable", "subnets", "type"],
	}} with input as {"variable": {"env": {"type": "string"}, "subnets": {"default": []}}}
}
