package paved.kubernetes.run_as_non_root_test

import data.paved.kubernetes.run_as_non_root
import rego.v1

deployment(pod_context, container) := {
	"kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"securityContext": pod_context, "containers": [container]}}},
}

test_pod_run_as_non_root_passes if {
	count(run_as_non_root.deny) == 0 with input as deployment({"runAsNonRoot": true}, {"name": "api"})
}

test_container_run_as_user_passes if {
	count(run_as_non_root.deny) == 0 with input as deployment({}, {"name": "api", "securityContext": {"runAsUser": 10001}})
}

test_nothing_set_fails if {
	run_as_non_root.deny == {{
		"msg": "container \"api\" may run as root: set runAsNonRoot: true or a non-zero runAsUser",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "runAsNonRoot"],
	}} with input as deployment({}, {"name": "api"})
}

test_container_overrides_pod_non_root if {
	run_as_non_root.deny == {{
		"msg": "container \"api\" may run as root: set runAsNonRoot: true or a non-zero runAsUser",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "runAsNonRoot"],
	}} with input as deployment({"runAsNonRoot": true}, {"name": "api", "securityContext": {"runAsNonRoot": false}})
}

test_pod_run_as_non_root_false_points_at_pod if {
	run_as_non_root.deny == {{
		"msg": "container \"api\" may run as root: set runAsNonRoot: true or a non-zero runAsUser",
		"path": ["spec", "template", "spec", "securityContext", "runAsNonRoot"],
	}} with input as deployment({"runAsNonRoot": false}, {"name": "api"})
}

test_run_as_user_zero_fails_even_with_non_root if {
	run_as_non_root.deny == {{
		"msg": "container \"api\" runs as root (runAsUser 0)",
		"path": ["spec", "template", "spec", "securityContext", "runAsUser"],
	}} with input as deployment({"runAsNonRoot": true, "runAsUser": 0}, {"name": "api"})
}

test_container_user_overrides_pod_root_user if {
	count(run_as_non_root.deny) == 0 with input as deployment({"runAsUser": 0}, {"name": "api", "securityContext": {"runAsUser": 1000}})
}

test_cronjob_init_container_fails if {
	cronjob := {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "init", "securityContext": {"runAsUser": 0}}],
		"containers": [{"name": "job", "securityContext": {"runAsNonRoot": true}}],
	}}}}}}
	run_as_non_root.deny == {{
		"msg": "container \"init\" runs as root (runAsUser 0)",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "runAsUser"],
	}} with input as cronjob
}

test_bare_pod if {
	run_as_non_root.deny == {{
		"msg": "container \"app\" may run as root: set runAsNonRoot: true or a non-zero runAsUser",
		"path": ["spec", "containers", 0, "securityContext", "runAsNonRoot"],
	}} with input as {"kind": "Pod", "spec": {"containers": [{"name": "app"}]}}
}

test_other_kinds_are_skipped if {
	count(run_as_non_root.deny) == 0 with input as {"kind": "Service", "spec": {"ports": [{"port": 80}]}}
}
