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
