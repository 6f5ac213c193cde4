package paved.kubernetes.resource_limits_test

import data.paved.kubernetes.resource_limits
import rego.v1

deployment(resources) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": [{"name": "api", "image": "api:1.0", "resources": resources}]}}},
}

test_complete_resources_pass if {
	count(resource_limits.deny) == 0 with input as deployment({
		"requests": {"cpu": "100m", "memory": "128Mi"},
		"limits": {"cpu": "1", "memory": "256Mi"},
	})
}

test_missing_memory_limit if {
	resource_limits.deny == {{
		"msg": "container \"api\" has no memory limit",
		"path": ["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"],
	}} with input as deployment({
		"requests": {"cpu": "100m", "memory": "128Mi"},
		"limits": {"cpu": "1"},
	})
}

test_no_resources_at_all_gives_four_findings if {
	count(resource_limits.deny) == 4 with input as deployment({})
}

test_cronjob_init_container if {
	cronjob := {
		"kind": "CronJob",
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {
			"initContainers": [{"name": "init", "resources": {
				"requests": {"cpu": "1", "memory": "1Gi"},
				"limits": {"cpu": "1"},
			}}],
			"containers": [],
		}}}}},
	}
	resource_limits.deny == {{
		"msg": "container \"init\" has no memory limit",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "resources", "limits", "memory"],
	}} with input as cronjob
}
