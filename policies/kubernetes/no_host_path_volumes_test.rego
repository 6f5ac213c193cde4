package paved.kubernetes.no_host_path_volumes_test

import data.paved.kubernetes.no_host_path_volumes
import rego.v1

daemonset(volumes) := {"kind": "DaemonSet", "spec": {"template": {"spec": {"containers": [{"name": "agent"}], "volumes": volumes}}}}

test_other_volumes_pass if {
	count(no_host_path_volumes.deny) == 0 with input as daemonset([{"name": "tmp", "emptyDir": {}}, {"name": "config", "configMap": {"name": "c"}}])
}

test_host_path_fails if {
	no_host_path_volumes.deny == {{
		"msg": "volume \"docker\" mounts the host path \"/var/run/docker.sock\"",
		"path": ["spec", "template", "spec", "volumes", 1, "hostPath"],
	}} with input as daemonset([{"name": "tmp", "emptyDir": {}}, {"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}])
}

test_allowed_prefix_passes_and_lookalike_fails if {
	no_host_path_volumes.deny == {{
		"msg": "volume \"logs2\" mounts the host path \"/var/logs\"",
		"path": ["spec", "template", "spec", "volumes", 1, "hostPath"],
	}} with input as daemonset([
		{"name": "logs", "hostPath": {"path": "/var/log/pods"}},
		{"name": "logs2", "hostPath": {"path": "/var/logs"}},
	])
		with data.paved_config as {"kubernetes": {"allowed_host_paths": ["/var/log/"]}}
}

test_bare_pod if {
	no_host_path_volumes.deny == {{
		"msg": "volume \"root\" mounts the host path \"/\"",
		"path": ["spec", "volumes", 0, "hostPath"],
	}} with input as {"kind": "Pod", "spec": {"containers": [], "volumes": [{"name": "root", "hostPath": {"path": "/"}}]}}
}

test_cronjob if {
	count(no_host_path_volumes.deny) == 1 with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"volumes": [{"name": "h", "hostPath": {"path": "/etc"}}],
	}}}}}}
}
