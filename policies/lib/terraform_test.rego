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

test_merge_of_literal_maps if {
	terraform.merge_arguments(`${merge({Name = "web", "owner" = "a"}, {team: "b"},)}`) == [
		{"literal": true, "keys": ["Name", "owner"]},
		{"literal": true, "keys": ["team"]},
	]
}

# Entries on their own lines, nested values, comments and strings holding brackets.
test_merge_over_several_lines if {
	expression := concat("\n", [
		"${merge(",
		"    local.common, # shared: {owner = ...}",
		"    {",
		`      Name   = "web-${var.env}"`,
		`      Ports  = join(",", [80, 443])`,
		`      "cost" = "a, b = {c}"`,
		"    }",
		"  )}",
	])
	terraform.merge_arguments(expression) == [
		{"literal": false},
		{"literal": true, "keys": ["Name", "Ports", "cost"]},
	]
}

test_merge_arguments_that_are_expressions if {
	terraform.merge_arguments(`${merge(var.tags, {(var.owner_key) = "a"}, tomap({owner = "b"}), {a = 1}.x)}`) == [
		{"literal": false},
		{"literal": false},
		{"literal": false},
		{"literal": false},
	]
}

test_merge_only_when_the_whole_expression_is_one_call if {
	not terraform.merge_arguments(`${merge({a = 1}) + 1}`)
	not terraform.merge_arguments(`${local.tags}`)
	not terraform.merge_arguments(`${merge({a = 1}, local.x}`)
	not terraform.merge_arguments({"owner": "a"})
}
