package paved.kubernetes.no_host_namespaces_test

import data.paved.kubernetes.no_host_namespaces
import rego.v1

daemonset(spec) := {"kind": "DaemonSet", "spec": {"template": {"spec": object.union({"containers": [{"name": "agent"}]}, spec)}}}

test_no_host_namespaces_passes if {
	count(no_host_namespaces.deny) == 0 with input as daemonset({"hostNetwork": false})
}

test_host_network_fails if {
	no_host_namespaces.deny == {{
		"msg": "the pod shares the host's network namespace (hostNetwork: true)",
		"path": ["spec", "template", "spec", "hostNetwork"],
	}} with input as daemonset({"hostNetwork": true})
}

test_all_three_fail if {
	no_host_namespaces.deny == {
		{"msg": "the pod shares the host's network namespace (hostNetwork: true)", "path": ["spec", "hostNetwork"]},
		{"msg": "the pod shares the host's process namespace (hostPID: true)", "path": ["spec", "hostPID"]},
		{"msg": "the pod shares the host's IPC namespace (hostIPC: true)", "path": ["spec", "hostIPC"]},
	} with input as {"kind": "Pod", "spec": {"hostNetwork": true, "hostPID": true, "hostIPC": true, "containers": []}}
}

test_cronjob_host_pid if {
	no_host_namespaces.deny == {{
		"msg": "the pod shares the host's process namespace (hostPID: true)",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "hostPID"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"hostPID": true}}}}}}
}
