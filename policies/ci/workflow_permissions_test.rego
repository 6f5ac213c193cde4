package paved.ci.workflow_permissions_test

import data.paved.ci.workflow_permissions
import rego.v1

test_top_level_permissions_pass if {
	count(workflow_permissions.deny) == 0 with input as {
		"on": "push",
		"permissions": {"contents": "read"},
		"jobs": {"test": {"runs-on": "ubuntu-latest"}},
	}
}

test_job_permissions_pass if {
	count(workflow_permissions.deny) == 0 with input as {"jobs": {"test": {"permissions": {}}}}
}

test_missing_permissions_fail_per_job if {
	workflow_permissions.deny == {
		{"msg": "job \"build\" runs with the default token permissions; declare `permissions`", "path": ["jobs", "build"]},
		{"msg": "job \"test\" runs with the default token permissions; declare `permissions`", "path": ["jobs", "test"]},
	} with input as {"jobs": {"test": {}, "build": {"runs-on": "ubuntu-latest"}}}
}
