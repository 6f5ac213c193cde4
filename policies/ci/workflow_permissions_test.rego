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

test_reusable_workflows_take_their_callers_permissions if {
	every on in ["workflow_call", ["workflow_call"], {"workflow_call": {"inputs": {}}}] {
		count(workflow_permissions.deny) == 0 with input as {"on": on, "jobs": {"check": {}}}
	}
}

test_a_workflow_also_run_on_its_own_declares_them if {
	workflow_permissions.deny == {{
		"msg": "job \"check\" runs with the default token permissions; declare `permissions`",
		"path": ["jobs", "check"],
	}} with input as {"on": {"workflow_call": {}, "push": {}}, "jobs": {"check": {}}}
}
