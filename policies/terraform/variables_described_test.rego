package paved.terraform.variables_described_test

import data.paved.terraform.variables_described
import rego.v1

test_described_variable_passes if {
	count(variables_described.deny) == 0 with input as {"variable": {"env": [{
		"type": "${string}",
		"description": "Deployment environment (staging or production).",
	}]}}
}

test_variable_without_description if {
	variables_described.deny == {{
		"msg": "variable \"env\" has no description",
		"path": ["variable", "env", 0, "description"],
	}} with input as {"variable": {"env": [{"type": "${string}"}]}}
}

test_blank_description if {
	variables_described.deny == {{
		"msg": "variable \"replicas\" has no description",
		"path": ["variable", "replicas", 0, "description"],
	}} with input as {"variable": {
		"env": [{"description": "Deployment environment."}],
		"replicas": [{"description": "  "}],
	}}
}

# `variable "x" {}` parses to an empty body.
test_empty_variable_block if {
	variables_described.deny == {{
		"msg": "variable \"x\" has no description",
		"path": ["variable", "x", 0, "description"],
	}} with input as {"variable": {"x": [{}]}}
}

test_files_without_variables_pass if {
	count(variables_described.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"b": [{}]}}}
}
