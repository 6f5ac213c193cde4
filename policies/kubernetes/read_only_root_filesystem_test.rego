package paved.kubernetes.read_only_root_filesystem_test

import data.paved.kubernetes.read_only_root_filesystem
import rego.v1

statefulset(security_context) := {
	"kind": "StatefulSet",
	"spec": {"template": {"spec": {"containers": [{"name": "db", "securityContext": security_context}]}}},
}

test_read_only_passes if {
	count(read_only_root_filesystem.deny) == 0 with input as statefulset({"readOnlyRootFilesystem": true})
}

test_explicitly_writable_fails if {
	read_only_root_filesystem.deny == {{
		"msg": "container \"db\" has a writable root filesystem",
		"path": ["spec", "template", "spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"],
	}} with input as statefulset({"readOnlyRootFilesystem": false})
}

test_init_container_of_job if {
	read_only_root_filesystem.deny == {{
		"msg": "container \"init\" has a writable root filesystem",
		"path": ["spec", "template", "spec", "initContainers", 0, "securityContext", "readOnlyRootFilesystem"],
	}} with input as {"kind": "Job", "spec": {"template": {"spec": {
		"initContainers": [{"name": "init"}],
		"containers": [{"name": "job", "securityContext": {"readOnlyRootFilesystem": true}}],
	}}}}
}

test_windows_pods_are_exempt if {
	count(read_only_root_filesystem.deny) == 0 with input as {"kind": "Pod", "spec": {"os": {"name": "windows"}, "containers": [{"name": "app"}]}}
}
