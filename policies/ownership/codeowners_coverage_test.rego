package paved.ownership.codeowners_coverage_test

import data.paved.ownership.codeowners_coverage
import rego.v1

entry(pattern, owners) := {"file": ".github/CODEOWNERS", "pattern": pattern, "owners": owners, "line": 1}

test_catch_all_first_passes if {
	count(codeowners_coverage.deny) == 0 with input as {"path": ".", "codeowners": [
		entry("*", ["@org/payments"]),
		entry("/docs/", ["@org/writers"]),
	]}
	count(codeowners_coverage.warn) == 0 with input as {"path": ".", "codeowners": [
		entry("*", ["@org/payments"]),
		entry("/docs/", ["@org/writers"]),
	]}
}

test_no_catch_all_fails if {
	codeowners_coverage.deny == {{
		"msg": "CODEOWNERS has no catch-all `*` entry: paths outside its patterns have no owner",
		"path": ["codeowners", 0],
	}} with input as {"path": ".", "codeowners": [entry("/src/", ["@org/payments"])]}
}

test_catch_all_without_owner_does_not_count if {
	count(codeowners_coverage.deny) == 1 with input as {"path": ".", "codeowners": [entry("*", [])]}
}

test_catch_all_last_overrides_the_others if {
	codeowners_coverage.warn == {{
		"msg": "catch-all \"*\" comes after more specific patterns and overrides them; move it to the top",
		"path": ["codeowners", 1],
	}} with input as {"path": ".", "codeowners": [entry("/docs/", ["@org/writers"]), entry("*", ["@org/payments"])]}
	count(codeowners_coverage.deny) == 0 with input as {"path": ".", "codeowners": [entry("/docs/", ["@org/writers"]), entry("*", ["@org/payments"])]}
}

test_missing_codeowners_is_left_to_the_codeowners_rule if {
	count(codeowners_coverage.deny) == 0 with input as {"path": ".", "codeowners": []}
}

test_service_unit_of_a_monorepo_is_not_judged if {
	count(codeowners_coverage.deny) == 0 with input as {"path": "services/payments", "codeowners": [entry("/src/", ["@org/a"])]}
}

# GitLab matches each section on its own: a catch-all in a later section overrides nothing
# outside it, and a section header is not a pattern.
test_gitlab_catch_all_in_its_own_section_passes if {
	count(codeowners_coverage.warn) == 0 with input as {"path": ".", "codeowners": [
		{"file": "CODEOWNERS", "pattern": "/docs/", "owners": ["@org/docs"], "line": 1},
		{"file": "CODEOWNERS", "pattern": "[Platform]", "owners": ["@org/platform"], "line": 3},
		{"file": "CODEOWNERS", "pattern": "*", "owners": ["@org/platform"], "line": 4},
	]}
}

test_gitlab_catch_all_last_in_its_section_overrides_it if {
	codeowners_coverage.warn == {{
		"msg": "catch-all \"*\" comes after more specific patterns and overrides them; move it to the top",
		"path": ["codeowners", 3],
	}} with input as {"path": ".", "codeowners": [
		{"file": "CODEOWNERS", "pattern": "/docs/", "owners": ["@org/docs"], "line": 1},
		{"file": "CODEOWNERS", "pattern": "[Platform]", "owners": [], "line": 3},
		{"file": "CODEOWNERS", "pattern": "/infra/", "owners": ["@org/sre"], "line": 4},
		{"file": "CODEOWNERS", "pattern": "*", "owners": ["@org/platform"], "line": 5},
	]}
}
