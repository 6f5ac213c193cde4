package paved.lib.repository_test

import data.paved.lib.repository
import rego.v1

test_literal_piece_is_the_longest_plain_run if {
	repository.literal_piece("**/*alert*.yaml") == "alert"
	repository.literal_piece("**/runbooks/**") == "runbooks/"
	repository.literal_piece("go.sum") == "go.sum"
	repository.literal_piece("**") == ""
}

test_literal_piece_is_empty_for_classes_and_alternatives if {
	repository.literal_piece("**/*.{yml,yaml}") == ""
	repository.literal_piece("test?.py") == ""
	repository.literal_piece("[Mm]akefile") == ""
}

files := [
	"alerts.yaml", "deploy/prometheus/API-Alerts.yml", "docs/runbooks/oncall.md",
	"src/app.py", 42, "tests/test_app.py", "Makefile", "web/src/button.test.tsx",
]

test_any_file_matches if {
	repository.any_file_matches(["**/*alert*.yml"]) with input.files as files
	repository.any_file_matches(["nothing", "**/runbooks/**"]) with input.files as files
	repository.any_file_matches(["**/*.{test,spec}.{js,tsx}"]) with input.files as files
	repository.any_file_matches(["[Mm]akefile"]) with input.files as files
	repository.any_file_matches(["nothing", "[Mm]akefile"]) with input.files as files
	repository.any_file_matches(["[x]y", "**/*.md"]) with input.files as files
	not repository.any_file_matches(["nothing*", "**/*.{md,txt}x", "src/*.PY.bak"]) with input.files as files
	not repository.any_file_matches([]) with input.files as files
}

# The regular expression a glob becomes matches exactly the paths the glob does.
test_glob_regex_agrees_with_glob_match if {
	paths := [
		"a.yml", "x/a.yml", "x/y/a.yml", "a.yaml", "ab.yml", "a/b", "a/x/b", "a/x/y/b", "a",
		"tests/t.py", "src/tests/t.py", "tests", "x.test.js", "x.spec.tsx", "x.test.jsx",
		"ci.yml", ".github/workflows/ci.yml", ".github/workflows/sub/ci.yml", "a+b(c).md",
		"ac", "abc", "a/c",
	]
	globs := [
		"**/*.yml", "*.yml", "a.y?l", "a/**/b", "a/**", "**", "**/tests/**",
		"**/*.{test,spec}.{js,tsx}", ".github/workflows/*.yml", "a+b(c).md", "a*c", "a?c",
	]
	count({glob | some glob in globs; repository.globs_regex([glob])}) == count(globs)
	disagreements := {[glob, path] |
		some glob in globs
		some path in paths
		regex.match(repository.globs_regex([glob]), path) != glob_matches(glob, path)
	}
	disagreements == set()

	# Together, as one expression: a path matches when any of them does.
	all_globs := repository.globs_regex(globs)
	{path | some path in paths; regex.match(all_globs, path)} == {path |
		some path in paths
		some glob in globs
		repository.path_matches(glob, path)
	}
	pairs := repository.globs_regex(["**/tests/**", "**/*.yml", "x/**"])
	{path | some path in paths; regex.match(pairs, path)} == {"tests/t.py", "src/tests/t.py", "a.yml", "x/a.yml", "x/y/a.yml", "ab.yml", "ci.yml", ".github/workflows/ci.yml", ".github/workflows/sub/ci.yml"}
}

glob_matches(glob, path) := true if repository.path_matches(glob, path)

glob_matches(glob, path) := false if not repository.path_matches(glob, path)

test_glob_regex_leaves_classes_and_escapes_to_glob if {
	not repository.globs_regex(["[mm]akefile"])
	not repository.globs_regex([`a\*b`])
	not repository.globs_regex(["a**b"])
}

test_matching_dependencies if {
	deps := [
		{"ecosystem": "pypi", "name": "OpenTelemetry_SDK"},
		{"ecosystem": "npm", "name": "@opentelemetry/sdk-node"},
		{"ecosystem": "go", "name": "go.opentelemetry.io/otel/sdk"},
		{"ecosystem": "npm", "name": "opentelemetry-sdk"},
		{"ecosystem": "pypi"},
	]
	patterns := {
		"pypi": ["opentelemetry-sdk"],
		"npm": ["@opentelemetry/sdk-*"],
		"go": ["go.opentelemetry.io/otel*"],
	}
	repository.matching_dependencies(patterns) == {0, 1, 2} with input.dependencies as deps
}

test_catalog_files if {
	repository.catalog_files == {"catalog-info.yaml", "services/api/catalog-info.yml", "docs/my-catalog-info.yaml"} with input.files as [
		"catalog-info.yaml", "Services/API/catalog-info.yml", "docs/my-catalog-info.yaml",
		"catalog-info.yaml.bak", "catalog-info.json",
	]
}

test_normal_name_follows_pep_503_for_pypi if {
	repository.normal_name("pypi", "Zope.Interface__Extra--x") == "zope-interface-extra-x"
	repository.normal_name("npm", "@Scope/Pkg_Name") == "@scope/pkg_name"
}

owners_entry(file, line, pattern) := {"file": file, "line": line, "pattern": pattern, "owners": []}

# Each entry is under the last header above it in its own file, whatever the order of the
# entries in the model; adjacent headers and entries above the first header have none.
test_codeowners_header_is_the_last_header_above_in_the_same_file if {
	repository.codeowners_header == {2: 1, 3: 1, 6: 5} with input.codeowners as [
		owners_entry("CODEOWNERS", 1, "*"),
		owners_entry("CODEOWNERS", 3, "[A]"),
		owners_entry("CODEOWNERS", 4, "/a/"),
		owners_entry("CODEOWNERS", 5, "/b/"),
		owners_entry("CODEOWNERS", 7, "^[B]"),
		owners_entry("CODEOWNERS", 8, "[C]"),
		owners_entry("CODEOWNERS", 9, "/c/"),
		owners_entry(".github/CODEOWNERS", 2, "/x/"),
		owners_entry(".github/CODEOWNERS", 1, "/y/"),
	]
}
