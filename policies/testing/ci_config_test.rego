package paved.testing.ci_config_test

import data.paved.testing.ci_config
import rego.v1

test_github_actions_passes if {
	count(ci_config.deny) == 0 with input as {
		"path": ".",
		"files": [".github/workflows/ci.yml", "main.go"],
		"ci": [{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": ["go test ./..."]}],
	}
}

test_other_ci_files_pass if {
	count(ci_config.deny) == 0 with input as {"path": ".", "files": ["main.go", "bitbucket-pipelines.yml"], "ci": []}
	count(ci_config.deny) == 0 with input as {"path": ".", "files": ["main.go", ".github/workflows/release.yaml"], "ci": []}
}

test_no_ci_fails if {
	ci_config.deny == {{"msg": "no CI configuration: nothing builds or tests a change before it merges"}} with input as {
		"path": ".",
		"files": ["README.md", "main.go", "docs/.github/workflows/old.yml"],
		"ci": [],
	}
}

test_service_unit_of_a_monorepo_is_not_judged if {
	count(ci_config.deny) == 0 with input as {"path": "services/payments", "files": ["main.go"], "ci": []}
}
