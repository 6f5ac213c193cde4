package paved.kubernetes.no_host_ports_test

import data.paved.kubernetes.no_host_ports
import rego.v1

deployment(ports) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": "api", "ports": ports}]}}},
}

test_container_ports_pass if {
	count(no_host_ports.deny) == 0 with input as deployment([{"containerPort": 8080}, {"containerPort": 9090, "hostPort": 0}])
}

test_host_port_fails if {
	no_host_ports.deny == {{
		"msg": "container \"api\" binds host port 8443",
		"path": ["spec", "template", "spec", "containers", 0, "ports", 1, "hostPort"],
	}} with input as deployment([{"containerPort": 8080}, {"containerPort": 8443, "hostPort": 8443}])
}

test_pod_init_container if {
	no_host_ports.deny == {{
		"msg": "container \"init\" binds host port 53",
		"path": ["spec", "initContainers", 0, "ports", 0, "hostPort"],
	}} with input as {"kind": "Pod", "spec": {"initContainers": [{"name": "init", "ports": [{"containerPort": 53, "hostPort": 53}]}], "containers": []}}
}
