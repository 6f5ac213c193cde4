package paved.ownership.codeowners_test

import data.paved.ownership.codeowners
import rego.v1

test_owned_repository_passes if {
	count(codeowners.deny) == 0 with input as {"path": ".", "codeowners": [{"pattern": "*", "owners": ["@org/payments"], "line": 1}]}
}

test_missing_codeowners_fails if {
	codeowners.deny == {{"msg": "no CODEOWNERS file: nobody is asked to review changes"}} with input as {"path": ".", "codeowners": []}
}

test_pattern_without_owner_fails if {
	codeowners.deny == {{"msg": "CODEOWNERS pattern \"/docs\" has no owner", "path": ["codeowners", 1]}} with input as {"path": ".", "codeowners": [
		{"pattern": "*", "owners": ["@org/a"]},
		{"pattern": "/docs", "owners": []},
	]}
}

# A monorepo's service units get the root's CODEOWNERS too; the root unit reports once.
test_service_unit_of_a_monorepo_is_not_judged if {
	count(codeowners.deny) == 0 with input as {"path": "services/payments", "kinds": ["service"], "codeowners": []}
}

# GitLab sections: a header is not a pattern, and the entries of a section whose header names
# default owners take them. A section without default owners still needs owners per entry.
test_gitlab_section_default_owners if {
	codeowners.deny == {{"msg": "CODEOWNERS pattern \"/docs/\" has no owner", "path": ["codeowners", 6]}} with input as {"path": ".", "codeowners": [
		{"file": "CODEOWNERS", "pattern": "*", "owners": ["@org/platform"], "line": 1},
		{"file": "CODEOWNERS", "pattern": "[Infrastructure][2]", "owners": ["@org/platform"], "line": 3},
		{"file": "CODEOWNERS", "pattern": "/infra/", "owners": [], "line": 4},
		{"file": "CODEOWNERS", "pattern": "^[Platform", "owners": ["team]", "@org/sre"], "line": 6},
		{"file": "CODEOWNERS", "pattern": "/deploy/", "owners": [], "line": 7},
		{"file": "CODEOWNERS", "pattern": "[Docs]", "owners": [], "line": 9},
		{"file": "CODEOWNERS", "pattern": "/docs/", "owners": [], "line": 10},
		{"file": "CODEOWNERS", "pattern": "/docs/api/", "owners": ["@org/api"], "line": 11},
	]}
}

# A section's default owners do not reach entries of another CODEOWNERS file.
test_section_of_another_file_does_not_own if {
	codeowners.deny == {{"msg": "CODEOWNERS pattern \"/b/\" has no owner", "path": ["codeowners", 1]}} with input as {"path": ".", "codeowners": [
		{"file": ".github/CODEOWNERS", "pattern": "[A]", "owners": ["@org/a"], "line": 1},
		{"file": "CODEOWNERS", "pattern": "/b/", "owners": [], "line": 2},
	]}
}
