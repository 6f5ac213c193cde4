package paved.kubernetes.no_privilege_escalation_test

import data.paved.kubernetes.no_privilege_escalation
import rego.v1

deployment(security_context) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": "api", "securityContext": security_context}]}}},
}

test_false_passes if {
	count(no_privilege_escalation.deny) == 0 with input as deployment({"allowPrivilegeEscalation": false})
}

test_missing_fails if {
	no_privilege_escalation.deny == {{
		"msg": "container \"api\" does not set allowPrivilegeEscalation: false",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"],
	}} with input as deployment({})
}

test_true_fails if {
	count(no_privilege_escalation.deny) == 1 with input as deployment({"allowPrivilegeEscalation": true})
}

test_init_container_of_pod if {
	no_privilege_escalation.deny == {{
		"msg": "container \"init\" does not set allowPrivilegeEscalation: false",
		"path": ["spec", "initContainers", 0, "securityContext", "allowPrivilegeEscalation"],
	}} with input as {"kind": "Pod", "spec": {
		"initContainers": [{"name": "init"}],
		"containers": [{"name": "app", "securityContext": {"allowPrivilegeEscalation": false}}],
	}}
}

test_cronjob if {
	no_privilege_escalation.deny == {{
		"msg": "container \"job\" does not set allowPrivilegeEscalation: false",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job"}]}}}}}}
}

test_windows_pods_are_exempt if {
	count(no_privilege_escalation.deny) == 0 with input as {"kind": "Pod", "spec": {"os": {"name": "windows"}, "containers": [{"name": "app"}]}}
}
