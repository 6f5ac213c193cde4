# Helpers for repository-level rules (`custom.input: repository`, see
# docs/repository-model.md): which unit this is, its Backstage catalog entities, its
# dependencies, files, workloads and objects, each with the path a finding points at.
package paved.lib.repository

import rego.v1

# The repository root's unit: whole-repository rules run here once, not once per service
# (CODEOWNERS and CI are given to every unit of a monorepo).
is_root if input.path == "."

is_service if "service" in input.kinds

is_ml if "ml" in input.kinds

# The file a document key names: "catalog-info.yaml#2" is the third document of that file.
document_file(key) := split(key, "#")[0]

is_catalog_file(key) if {
	file := lower(document_file(key))
	some suffix in ["catalog-info.yaml", "catalog-info.yml"]
	endswith(file, suffix)
}

is_backstage_document(key, doc) if {
	is_object(doc)
	is_catalog_file(key)
}

# The unit's catalog files, lower-cased: those `is_catalog_file` accepts, found in one
# pass over all the paths.
catalog_files := {file | some file in regex.find_n(`(?m)^[^\n]*catalog-info\.ya?ml$`, file_lines, -1)}

is_backstage_document(key, doc) if {
	is_object(doc)
	is_string(doc.apiVersion)
	startswith(doc.apiVersion, "backstage.io/")
}

# Every Backstage entity of the unit: {key, value}; `["documents", key]` points at it.
catalog_entities contains {"key": key, "value": doc} if {
	some key, doc in input.documents
	is_backstage_document(key, doc)
}

# The entity that speaks for the unit: its first Component, else its first entity of any
# kind. A finding about something the catalog should declare points here.
primary_entity_key := component_keys[0] if count(component_keys) > 0

primary_entity_key := entity_keys[0] if {
	count(component_keys) == 0
	count(entity_keys) > 0
}

component_keys := sort([e.key | some e in catalog_entities; e.value.kind == "Component"])

entity_keys := sort([e.key | some e in catalog_entities])

# A collection from the input, or [] when it is something else (a YAML key left empty is
# null): iterating null is an error in regorus, where OPA finds nothing.
each(x) := x if is_array(x)

each(x) := x if is_object(x)

each(x) := [] if {
	not is_array(x)
	not is_object(x)
}

# A field that is absent, null or empty.
blank(value) if value == null

blank(value) if value == ""

blank(value) if value == []

blank(value) if value == {}

field_missing(obj, path) if blank(object.get(obj, path, null))

# Names compared the way registries do: case-insensitively, and for PyPI with runs of `-`,
# `_` and `.` equivalent (PEP 503). Split and joined rather than `regex.replace`, which
# costs regorus a copy of the compiled expression on every call.
normal_name("pypi", name) := concat("-", [part |
	some part in split(strings.replace_n({"_": "-", ".": "-"}, lower(name)), "-")
	part != ""
])

normal_name(ecosystem, name) := lower(name) if ecosystem != "pypi"

# Indices into input.dependencies of those matching `by_ecosystem`, an object from an
# ecosystem (npm, pypi, go, cargo, maven, gradle, rubygems) to a list of name globs (`*`
# matches anything, `/` and `:` included). Globs are tried only on the names that contain
# their literal piece: `contains` is far cheaper in regorus than a glob. The globs are
# prepared once, not once per dependency (a service may ship 100,000).
matching_dependencies(by_ecosystem) := {i |
	prepared := prepared_globs(by_ecosystem)
	some i, dep in input.dependencies
	is_string(dep.name)
	globs := object.get(prepared, dep.ecosystem, [])
	count(globs) > 0
	name := normal_name(dep.ecosystem, dep.name)
	some prepared_glob in globs
	contains(name, prepared_glob.piece)
	glob.match(prepared_glob.pattern, null, name)
}

# Each ecosystem's globs, normalised as its names are, with their literal pieces.
prepared_globs(by_ecosystem) := {ecosystem: [{"pattern": pattern, "piece": literal_piece(pattern)} |
	some raw in patterns
	pattern := normal_name(ecosystem, raw)
] |
	some ecosystem, patterns in by_ecosystem
}

# Those of them that ship with the code: dev and test dependencies do not.
matching_runtime_dependencies(by_ecosystem) := {i |
	some i in matching_dependencies(by_ecosystem)
	object.get(input.dependencies[i], "scope", "runtime") != "dev"
}

# A path against a glob, case-insensitively; `*` stays within one directory and `**`
# spans any number. A leading `**/` also matches at the top (OPA's glob needs the slash).
path_matches(pattern, path) if glob.match(lower(pattern), ["/"], lower(path))

path_matches(pattern, path) if {
	startswith(pattern, "**/")
	glob.match(lower(substring(pattern, 3, -1)), ["/"], lower(path))
}

# Whether any file of the unit matches any of `patterns` (see `path_matches`). A repository
# has thousands of files and a rule a dozen patterns: rather than a glob per file and pattern
# (regorus copies the compiled matcher on every call), the patterns become one regular
# expression, run once over all the paths, one per line.
any_file_matches(patterns) if regex.match(globs_regex(patterns), file_lines)

# Globs `globs_regex` does not translate (classes, escapes) take the slow way.
any_file_matches(patterns) if {
	not globs_regex(patterns)
	some pattern in patterns
	some file in input.files
	is_string(file)
	path_matches(pattern, file)
}

# Every path of the unit, lower-cased, one per line.
file_lines := concat("\n", [lower(file) | some file in input.files; is_string(file)])

# A multi-line regular expression that matches a line exactly when one of the globs (as
# `path_matches` reads them) matches that path: `*` and `?` stay within a directory; a
# leading `**/`, an inner `/**/` and a trailing `/**` span directories; `{a,b}` are
# alternatives. The globs are translated together, each framed by newlines, so a rule pays
# a dozen string operations whatever the number of globs. Undefined for none, and for globs
# with classes (`[...]`), escapes or another use of `**`.
globs_regex(patterns) := concat("", ["(?m)^(?:", alternation, ")$"]) if {
	count(patterns) > 0
	framed := concat("", ["\n", lower(concat("\n\n", patterns)), "\n"])
	not contains(framed, "[")
	not contains(framed, "\\")
	spans := strings.replace_n(directory_spans, strings.replace_n(regex_escapes, framed))
	not contains(spans, "**")
	alternated := alternatives(strings.replace_n({"*": "\u0003", "?": "\u0004"}, spans))
	expanded := strings.replace_n(spans_and_stars, alternated)
	alternation := replace(trim(expanded, "\n"), "\n\n", "|")
}

# The characters a glob takes literally and a regular expression does not.
regex_escapes := {".": `\.`, "+": `\+`, "(": `\(`, ")": `\)`, "|": `\|`, "^": `\^`, "$": `\$`}

# The places `**` may stand in a glob framed by newlines, as placeholders: \u0001 for any
# number of directories, \u0002 for anything at all.
directory_spans := {
	"\n**\n": "\n\u0002\n",
	"\n**/": "\n\u0001",
	"/**\n": "/\u0002\n",
	"/**/": "/\u0001",
}

# What the placeholders of `directory_spans` and of `*` and `?` stand for.
spans_and_stars := {
	"\u0001": `(?:[^\n]*/)?`,
	"\u0002": `[^\n]*`,
	"\u0003": `[^/\n]*`,
	"\u0004": `[^/\n]`,
}

# `{a,b}` as `(?:a|b)`: the commas between braces separate alternatives.
alternatives(pattern) := concat("(?:", [alternative(i, part) | some i, part in split(pattern, "{")])

alternative(0, part) := part

alternative(i, part) := concat(")", [replace(inner, ",", "|"), rest]) if {
	i > 0
	pieces := split(part, "}")
	inner := pieces[0]
	rest := concat("}", array.slice(pieces, 1, count(pieces)))
}

# The longest run of plain characters of a glob, which every string the glob matches
# contains (a leading `**/` may match nothing, so its slash does not count). Empty, and so
# no help, when the glob has `?`, a class, alternatives or an escape.
literal_piece(pattern) := "" if glob_special(pattern)

literal_piece(pattern) := piece if {
	not glob_special(pattern)
	pieces := split(trim_prefix(pattern, "**/"), "*")
	longest := max({count(p) | some p in pieces})
	piece := [p | some p in pieces; count(p) == longest][0]
}

glob_special(pattern) if {
	some special in ["?", "[", "{", "\\"]
	contains(pattern, special)
}

# Every container of every workload: {value, path} with path `["workloads", i]`.
containers contains {"value": c, "path": ["workloads", i]} if {
	some i, workload in input.workloads
	some c in each(workload.containers)
}

# The names of a container's environment variables (the model lists names; an object
# {name, value} is read too).
env_names(container) := {name |
	some e in each(container.env)
	name := env_name(e)
}

env_name(e) := e if is_string(e)

env_name(e) := e.name if {
	is_object(e)
	is_string(e.name)
}

# Every string of a container's command line and environment values, for agents and flags.
container_strings(container) := {s |
	some field in ["command", "args"]
	is_array(container[field])
	some s in container[field]
	is_string(s)
} | {e.value |
	some e in each(container.env)
	is_object(e)
	is_string(e.value)
}

# An agent matching `pattern` (a regular expression such as `-javaagent:[^ ]*opentelemetry`)
# is attached to a container's process, by its command line or environment, or baked into
# an image by a Dockerfile instruction.
attaches_agent(pattern) if {
	some c in containers
	some s in container_strings(c.value)
	regex.match(pattern, s)
}

attaches_agent(pattern) if {
	some instruction in dockerfile_instructions
	regex.match(pattern, instruction.value.Original)
}

# The lower-cased title and URL of a catalog link, to search for words like "runbook".
link_text(link) := lower(concat(" ", [s |
	some field in ["title", "url"]
	s := link[field]
	is_string(s)
])) if is_object(link)

# Every Dockerfile instruction of the unit, as written: {key, index, value}.
dockerfile_instructions contains {"key": key, "index": i, "value": instruction} if {
	some key, doc in input.documents
	is_array(doc)
	some i, instruction in doc
	is_string(instruction.Original)
}

# Indices into input.objects of the objects matching one of `spec`, a list of
# {apiVersion (a glob such as "openslo/*"), kind}.
matching_objects(spec) := {i |
	some i, obj in input.objects
	some s in spec
	obj.kind == s.kind
	is_string(obj.apiVersion)
	glob.match(s.apiVersion, ["/"], obj.apiVersion)
}

# A CODEOWNERS section header (GitLab: `[Name] @default-owners`, `^[Name]` when optional),
# not a pattern.
codeowners_section(entry) if startswith(entry.pattern, "[")

codeowners_section(entry) if startswith(entry.pattern, "^[")

# Indices into input.codeowners in file and line order.
codeowners_order := [row[2] | some row in sort([[e.file, e.line, i] | some i, e in input.codeowners])]

# Where the section headers stand in `codeowners_order`.
codeowners_header_positions := [p |
	some p, i in codeowners_order
	codeowners_section(input.codeowners[i])
]

# The section each entry is in: {index of the entry: index of the last header above it in its
# file}; entries above a file's first header are in none. Each header claims the entries down
# to the next one, so the file is read once rather than once per entry.
codeowners_header[i] := header if {
	some m, start in codeowners_header_positions
	header := codeowners_order[start]
	end := section_end(m)
	end > start + 1
	some p in numbers.range(start + 1, end - 1)
	i := codeowners_order[p]
	input.codeowners[i].file == input.codeowners[header].file
}

# The position in `codeowners_order` where the section of the m-th header ends (exclusive).
section_end(m) := codeowners_header_positions[m + 1]

section_end(m) := count(codeowners_order) if m == count(codeowners_header_positions) - 1
