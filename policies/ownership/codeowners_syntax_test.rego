package paved.ownership.codeowners_syntax_test

import data.paved.ownership.codeowners_syntax
import rego.v1

test_users_teams_and_emails_pass if {
	count(codeowners_syntax.deny) == 0 with input as {"path": ".", "codeowners": [
		{"pattern": "*", "owners": ["@org/payments-team", "@octocat", "dev@example.com"]},
		{"pattern": "/infra/", "owners": ["@group/platform/sre"]},
		{"pattern": "[Docs", "owners": ["Section]", "@org/writers"]},
	]}
}

test_bare_team_name_fails if {
	codeowners_syntax.deny == {{
		"msg": "CODEOWNERS owner \"payments-team\" of \"*\" is not a @user, @org/team or email address",
		"path": ["codeowners", 1],
	}} with input as {"path": ".", "codeowners": [
		{"pattern": "/docs/", "owners": ["@org/writers"]},
		{"pattern": "*", "owners": ["@org/a", "payments-team"]},
	]}
}

test_each_bad_owner_is_reported if {
	codeowners_syntax.deny == {
		{"msg": "CODEOWNERS owner \"@org/\" of \"/a\" is not a @user, @org/team or email address", "path": ["codeowners", 0]},
		{"msg": "CODEOWNERS owner \"org/team\" of \"/a\" is not a @user, @org/team or email address", "path": ["codeowners", 0]},
	} with input as {"path": ".", "codeowners": [{"pattern": "/a", "owners": ["@org/", "org/team"]}]}
}

test_organisation_patterns if {
	count(codeowners_syntax.deny) == 0 with input as {"path": ".", "codeowners": [{"pattern": "*", "owners": ["payments-team"]}]}
		with data.paved_config as {"ownership": {"owner_patterns": [`^[a-z-]+$`]}}
}

test_service_unit_of_a_monorepo_is_not_judged if {
	count(codeowners_syntax.deny) == 0 with input as {"path": "services/a", "codeowners": [{"pattern": "*", "owners": ["team"]}]}
}
