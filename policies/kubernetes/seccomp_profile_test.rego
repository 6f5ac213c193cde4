package paved.kubernetes.seccomp_profile_test

import data.paved.kubernetes.seccomp_profile
import rego.v1

deployment(pod_context, container) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"securityContext": pod_context, "containers": [container]}}},
}

runtime_default := {"seccompProfile": {"type": "RuntimeDefault"}}

test_pod_profile_passes if {
	count(seccomp_profile.deny) == 0 with input as deployment(runtime_default, {"name": "api"})
}

test_container_profile_passes if {
	count(seccomp_profile.deny) == 0 with input as deployment({}, {"name": "api", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}})
}

test_missing_fails if {
	seccomp_profile.deny == {{
		"msg": "container \"api\" runs without a seccomp profile (set seccompProfile.type: RuntimeDefault)",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "seccompProfile", "type"],
	}} with input as deployment({}, {"name": "api"})
}

test_container_unconfined_overrides_pod if {
	seccomp_profile.deny == {{
		"msg": "container \"api\" runs without a seccomp profile (set seccompProfile.type: RuntimeDefault)",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "seccompProfile", "type"],
	}} with input as deployment(runtime_default, {"name": "api", "securityContext": {"seccompProfile": {"type": "Unconfined"}}})
}

test_pod_unconfined_points_at_pod if {
	seccomp_profile.deny == {{
		"msg": "container \"app\" runs without a seccomp profile (set seccompProfile.type: RuntimeDefault)",
		"path": ["spec", "securityContext", "seccompProfile", "type"],
	}} with input as {"kind": "Pod", "spec": {"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [{"name": "app"}]}}
}

test_cronjob_init_container if {
	seccomp_profile.deny == {{
		"msg": "container \"init\" runs without a seccomp profile (set seccompProfile.type: RuntimeDefault)",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "seccompProfile", "type"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "init"}],
		"containers": [{"name": "job", "securityContext": runtime_default}],
	}}}}}}
}

test_windows_pods_are_exempt if {
	count(seccomp_profile.deny) == 0 with input as {"kind": "Pod", "spec": {"os": {"name": "windows"}, "containers": [{"name": "app"}]}}
}
