# Helpers for Terraform files. `.tf` and `.tfvars` files arrive in conftest's HCL2 shape: block
# labels become nested keys and every block body is in a list, nested blocks included
# (`{"resource": {"aws_s3_bucket": {"b": [{...}]}}}`). `.tf.json` files arrive as written in
# Terraform's JSON syntax, where a body may be one object or a list of them. Each helper yields
# the body with the exact path into `input` that a finding points at. One `input` is one file,
# never the whole module.
package paved.lib.terraform

import rego.v1

# Every `resource "type" "name" {}`: {type, name, value, path}.
resources contains {"type": type, "name": name, "value": body.value, "path": body.path} if {
	some type, named in as_object(input.resource)
	some name, value in as_object(named)
	some body in bodies(value, ["resource", type, name])
}

# Every `module "name" {}`, `variable "name" {}`, `output "name" {}` and `provider "name" {}`:
# {name, value, path}.
modules := labelled_blocks("module")

variables := labelled_blocks("variable")

outputs := labelled_blocks("output")

providers := labelled_blocks("provider")

# A `.tfvars` file may well assign a variable called `module` or `output`: only blocks count.
labelled_blocks(kind) := {{"name": name, "value": body.value, "path": body.path} |
	some name, value in as_object(input[kind])
	some body in bodies(value, [kind, name])
}

# Every `terraform {}` block of the file (a file may have several): {value, path}.
settings_blocks := bodies(input.terraform, ["terraform"])

# The bodies of a block found at `path`, as {value, path}: each of a list, or the one object
# (Terraform's JSON syntax). Anything else is an expression and yields nothing.
bodies(value, path) := [{"value": body, "path": array.concat(path, [i])} |
	some i, body in value
	is_object(body)
] if is_array(value)

bodies(value, path) := [{"value": value, "path": path}] if is_object(value)

bodies(value, _) := [] if {
	not is_array(value)
	not is_object(value)
}

# Every node of the document as [path, value], the root included: what `walk(input, [path,
# value])` yields, down to 16 levels below the root (HCL written by people nests far less).
# `walk` itself would be shorter, but regorus' VM, which runs the built-in rules about five
# times faster than its interpreter, does not compile it.
nodes := [node |
	some level in [
		[[[], input]], depth_1, depth_2, depth_3, depth_4, depth_5, depth_6, depth_7, depth_8,
		depth_9, depth_10, depth_11, depth_12, depth_13, depth_14, depth_15, depth_16,
	]
	some node in level
]

depth_1 := children([[[], input]])

depth_2 := children(depth_1)

depth_3 := children(depth_2)

depth_4 := children(depth_3)

depth_5 := children(depth_4)

depth_6 := children(depth_5)

depth_7 := children(depth_6)

depth_8 := children(depth_7)

depth_9 := children(depth_8)

depth_10 := children(depth_9)

depth_11 := children(depth_10)

depth_12 := children(depth_11)

depth_13 := children(depth_12)

depth_14 := children(depth_13)

depth_15 := children(depth_14)

depth_16 := children(depth_15)

# The nodes one level below `parents` ([path, value] each).
children(parents) := [[array.concat(path, [key]), value] |
	some [path, parent] in parents
	some key, value in collection(parent)
]

# Objects and arrays are walked into; anything else has no children.
collection(value) := value if is_object(value)

collection(value) := value if is_array(value)

collection(value) := [] if {
	not is_object(value)
	not is_array(value)
}

# A list or object as written, or an empty one when the value is an expression
# (`cidr_blocks = var.cidrs` arrives as the string "${var.cidrs}"), which cannot be judged.
# regorus fails the whole rule on `some x in "a string"`; OPA would only skip it.
as_list(value) := value if is_array(value)

as_list(value) := [] if not is_array(value)

as_object(value) := value if is_object(value)

as_object(value) := {} if not is_object(value)

# `lower` and `upper` of a string; undefined for anything else (they fail on non-strings).
lowered(value) := lower(value) if is_string(value)

uppered(value) := upper(value) if is_string(value)

# A string with no interpolation: what was written is what Terraform uses. Expressions
# (`var.x`, `file("k")`) and templates (`"a-${var.x}"`) arrive as strings containing `${`.
literal_string(value) if {
	is_string(value)
	not contains(value, "${")
}

# A non-blank string.
non_empty(value) if {
	is_string(value)
	trim_space(value) != ""
}

# The clauses of a version constraint (`">= 1.2, < 2.0"`) as {op, version}; a bare version
# has the op "=".
constraint_clauses(constraint) := {clause |
	some part in split(constraint, ",")
	clause := parse_clause(trim_space(part))
}

parse_clause(text) := {"op": op, "version": trim_space(trim_prefix(text, op))} if {
	some op in ["~>", ">=", "<=", "!=", ">", "<", "="]
	startswith(text, op)
	not longer_op(text, op)
}

parse_clause(text) := {"op": "=", "version": text} if {
	text != ""
	not regex.match(`^[~<>=!]`, text)
}

# `>=` also starts with `>`: take the longest operator.
longer_op(text, op) if {
	some other in ["~>", ">=", "<=", "!="]
	other != op
	startswith(other, op)
	startswith(text, other)
}

# The constraint allows exactly one version (`1.5.7`, `= 1.5.7`).
exact_constraint(constraint) if {
	clauses := constraint_clauses(constraint)
	count(clauses) > 0
	every clause in clauses {
		clause.op == "="
	}
}

# The constraint caps the versions it accepts (an exact version, `~>`, `<` or `<=`), so a new
# major release is not picked up unreviewed.
bounded_constraint(constraint) if {
	some clause in constraint_clauses(constraint)
	clause.op in {"=", "~>", "<", "<="}
}

# The arguments of `merge(...)`, which modules use to add to common tags
# (`tags = merge(local.tags, {owner = "x"})`) and which arrives as the string "${merge(...)}":
# each argument is {"literal": true, "keys": [...]} when it is a map written out (its keys as
# written) and {"literal": false} when it is an expression, whose keys are known only at plan.
# Undefined for any other expression, and for one of more than 2,000 tokens.
merge_arguments(value) := [merge_argument(tokens, depths, span) |
	some span in argument_spans(tokens, depths)
] if {
	is_string(value)
	startswith(value, "${")
	endswith(value, "}")
	tokens := expression_tokens(substring(value, 2, count(value) - 3))
	count(tokens) <= 2000
	count(tokens) >= 3
	tokens[0] == "merge"
	tokens[1] == "("
	tokens[count(tokens) - 1] == ")"
	depths := nesting(tokens)

	# The call's parenthesis closes at the very end: `merge(a) + b` is not a merge.
	every i in numbers.range(2, count(tokens) - 1) {
		depths[i] >= 1
	}
}

# An expression's tokens: strings, brackets, separators (`,`, `=`, `:` and line ends, which
# separate a map's entries) and the runs of anything else; comments and blanks are dropped.
expression_tokens(text) := [token |
	some token in regex.find_n(
		`"(?:[^"\\]|\\.)*"|#[^\n]*|//[^\n]*|/\*(?:[^*]|\*[^/])*\*/|[{}()\[\],=:\n]|[^"{}()\[\],=:\n \t\r#/]+|/`,
		text, -1,
	)
	not comment(token)
]

comment(token) if startswith(token, "#")

comment(token) if startswith(token, "//")

comment(token) if startswith(token, "/*")

# The bracket depth before each token.
nesting(tokens) := [depth |
	some i, _ in tokens
	depth := count([j | some j in opening; j < i]) - count([j | some j in closing; j < i])
] if {
	opening := [i | some i, token in tokens; token in {"{", "(", "["}]
	closing := [i | some i, token in tokens; token in {"}", ")", "]"}]
}

# The [first, last] token of each argument of the call: between its parentheses, split at its
# own commas (not those of a map or list inside it); an empty one (a trailing comma) is none.
argument_spans(tokens, depths) := [[first, last] |
	some k in numbers.range(0, count(separators) - 2)
	inside := [i |
		some i in numbers.range(separators[k], separators[k + 1])
		separators[k] < i
		i < separators[k + 1]
		tokens[i] != "\n"
	]
	count(inside) > 0
	first := inside[0]
	last := inside[count(inside) - 1]
] if {
	commas := [i | some i, token in tokens; token == ","; depths[i] == 1]
	separators := array.concat(array.concat([1], commas), [count(tokens) - 1])
}

merge_argument(tokens, depths, [first, last]) := {"literal": true, "keys": keys} if {
	tokens[first] == "{"
	tokens[last] == "}"
	every i in numbers.range(first + 1, last) {
		depths[i] >= 2
	}
	entries := [i |
		some i in numbers.range(first + 1, last)
		depths[i] == 2
		tokens[i - 1] in {"{", ",", "\n"}
		key_position(tokens, i)
	]
	keys := [key | some i in entries; key := literal_key(tokens[i])]
	count(keys) == count(entries)
} else := {"literal": false}

# A map entry starts at `i`: a key followed by `=` or `:`, or a key in parentheses.
key_position(tokens, i) if tokens[i + 1] in {"=", ":"}

key_position(tokens, i) if tokens[i] == "("

# A map key as written: a name, or a string without interpolation; `(var.key)` has none.
literal_key(token) := token if regex.match(`^[A-Za-z_][A-Za-z0-9_-]*$`, token)

literal_key(token) := substring(token, 1, count(token) - 2) if {
	regex.match(`^"([^"\\$%]|\\.)*"$`, token)
}
