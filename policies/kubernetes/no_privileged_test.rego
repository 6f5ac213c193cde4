package paved.kubernetes.no_privileged_test

import data.paved.kubernetes.no_privileged
import rego.v1

deployment(security_context) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": "api", "securityContext": security_context}]}}},
}

test_unprivileged_passes if {
	count(no_privileged.deny) == 0 with input as deployment({"privileged": false})
}

test_nothing_set_passes if {
	count(no_privileged.deny) == 0 with input as deployment({})
}

test_privileged_fails if {
	no_privileged.deny == {{
		"msg": "container \"api\" is privileged",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"],
	}} with input as deployment({"privileged": true})
}

test_privileged_init_container_of_cronjob if {
	no_privileged.deny == {{
		"msg": "container \"sysctl\" is privileged",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "sysctl", "securityContext": {"privileged": true}}],
		"containers": [{"name": "job"}],
	}}}}}}
}

test_pod_level_host_process_fails if {
	no_privileged.deny == {{
		"msg": "the pod runs Windows HostProcess containers",
		"path": ["spec", "securityContext", "windowsOptions", "hostProcess"],
	}} with input as {"kind": "Pod", "spec": {
		"securityContext": {"windowsOptions": {"hostProcess": true}},
		"containers": [{"name": "app"}],
	}}
}

test_container_host_process_fails if {
	no_privileged.deny == {{
		"msg": "container \"api\" is a Windows HostProcess container",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "windowsOptions", "hostProcess"],
	}} with input as deployment({"windowsOptions": {"hostProcess": true}})
}
