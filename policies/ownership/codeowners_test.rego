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
