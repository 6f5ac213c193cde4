package paved.lib.terraform_test

import data.paved.lib.terraform
import rego.v1

# `nodes` stands in for `walk` (which regorus' VM does not compile): the same pairs.
test_nodes_are_what_walk_yields if {
	doc := {"resource": {"aws_lambda_function": {"api": [{
		"function_name": "api",
		"environment": [{"variables": {"API_TOKEN": "tok_123", "EMPTY": {}}}],
		"layers": ["a", "b"],
	}]}}}
	walked := {[path, value] | walk(doc, [path, value])}
	count(walked) == 14
	{node | some node in terraform.nodes} == walked with input as doc
}

# Below 16 levels under the root the document is not walked.
test_nodes_stop_at_sixteen_levels if {
	doc := {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": {"k": {"l": {"m": {"n": {"o": {"p": {"q": "deep"}}}}}}}}}}}}}}}}}
	paths := {count(path) | some [path, _] in terraform.nodes} with input as doc
	paths == {n | some n in numbers.range(0, 16)}
}
