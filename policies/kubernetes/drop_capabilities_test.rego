package paved.kubernetes.drop_capabilities_test

import data.paved.kubernetes.drop_capabilities
import rego.v1

deployment(capabilities) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": "api", "securityContext": {"capabilities": capabilities}}]}}},
}

test_drop_all_with_safe_add_passes if {
	count(drop_capabilities.deny) == 0 with input as deployment({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})
	count(drop_capabilities.warn) == 0 with input as deployment({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})
}

test_missing_drop_warns if {
	count(drop_capabilities.deny) == 0 with input as deployment({})
	drop_capabilities.warn == {{
		"msg": "container \"api\" does not drop ALL capabilities",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "drop"],
	}} with input as deployment({})
}

test_partial_drop_warns if {
	count(drop_capabilities.warn) == 1 with input as deployment({"drop": ["NET_RAW"]})
}

test_dangerous_add_fails if {
	drop_capabilities.deny == {
		{
			"msg": "container \"api\" adds the SYS_ADMIN capability",
			"path": ["spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "add", 1],
		},
		{
			"msg": "container \"api\" adds the NET_ADMIN capability",
			"path": ["spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "add", 2],
		},
	} with input as deployment({"drop": ["all"], "add": ["CHOWN", "CAP_SYS_ADMIN", "net_admin"]})
	count(drop_capabilities.warn) == 0 with input as deployment({"drop": ["all"], "add": ["CHOWN", "CAP_SYS_ADMIN", "net_admin"]})
}

test_init_container_of_cronjob if {
	cronjob := {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "init", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["SYS_PTRACE"]}}}],
		"containers": [{"name": "job", "securityContext": {"capabilities": {"drop": ["ALL"]}}}],
	}}}}}}
	drop_capabilities.deny == {{
		"msg": "container \"init\" adds the SYS_PTRACE capability",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "capabilities", "add", 0],
	}} with input as cronjob
	count(drop_capabilities.warn) == 0 with input as cronjob
}

test_windows_pods_need_no_drop if {
	count(drop_capabilities.warn) == 0 with input as {"kind": "Pod", "spec": {"os": {"name": "windows"}, "containers": [{"name": "app"}]}}
}

test_organisation_forbidden_list if {
	count(drop_capabilities.deny) == 1 with input as deployment({"drop": ["ALL"], "add": ["CHOWN"]})
		with data.paved_config as {"kubernetes": {"forbidden_capabilities": ["CHOWN"]}}
}
