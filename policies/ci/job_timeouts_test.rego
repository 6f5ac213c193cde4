package paved.ci.job_timeouts_test

import data.paved.ci.job_timeouts
import rego.v1

test_github_timeouts_pass if {
	count(job_timeouts.deny) == 0 with input as {
		"on": "push",
		"jobs": {
			"test": {"runs-on": "ubuntu-24.04", "timeout-minutes": 15},
			"matrix": {"runs-on": "ubuntu-24.04", "timeout-minutes": "${{ inputs.timeout }}"},
			"call": {"uses": "./.github/workflows/deploy.yml"},
		},
	}
}

test_github_missing_timeout_fails if {
	job_timeouts.deny == {{
		"msg": "job \"build\" has no timeout-minutes, so a hung step runs for 6 hours",
		"path": ["jobs", "build", "timeout-minutes"],
	}} with input as {"on": "push", "jobs": {"build": {"runs-on": "ubuntu-24.04"}}}
}

test_github_timeout_over_the_limit_fails if {
	job_timeouts.deny == {{
		"msg": "job \"e2e\" allows 120 minutes, more than the 60 allowed",
		"path": ["jobs", "e2e", "timeout-minutes"],
	}} with input as {"on": "push", "jobs": {"e2e": {"timeout-minutes": 120}, "unit": {"timeout-minutes": 60}}}
		with data.paved_config.ci.max_timeout_minutes as 60
}

test_composite_action_has_no_jobs if {
	count(job_timeouts.deny) == 0 with input as {"runs": {"using": "composite", "steps": [{"run": "make"}]}}
}

test_gitlab_timeouts_pass if {
	count(job_timeouts.deny) == 0 with input as {
		"stages": ["test", "deploy"],
		"variables": {"GO_VERSION": "1.22"},
		".base": {"timeout": "20m"},
		".go": {"extends": ".base", "image": "golang:1.22"},
		"test": {"extends": [".go"], "script": ["go test ./..."]},
		"lint": {"timeout": "5m", "script": ["golangci-lint run"]},
		"downstream": {"trigger": {"project": "team/deploy"}},
		"shared": {"extends": ".from-an-include", "script": ["make"]},
	}
}

test_gitlab_default_timeout_passes if {
	count(job_timeouts.deny) == 0 with input as {"default": {"timeout": "30m"}, "test": {"script": ["make"]}}
}

test_gitlab_missing_timeout_fails if {
	job_timeouts.deny == {{
		"msg": "job \"build\" sets no timeout, so a hung job runs until the project's limit",
		"path": ["build", "timeout"],
	}} with input as {
		"stages": ["build"],
		".template": {"script": ["make"]},
		"build": {"extends": ".template", "stage": "build"},
	}
}

test_gitlab_job_not_inheriting_default_fails if {
	job_timeouts.deny == {{
		"msg": "job \"release\" sets no timeout, so a hung job runs until the project's limit",
		"path": ["release", "timeout"],
	}} with input as {
		"default": {"timeout": "30m"},
		"test": {"script": ["make"], "inherit": {"default": ["timeout"]}},
		"release": {"script": ["make release"], "inherit": {"default": false}},
	}
}
