package paved.kubernetes.probes_test

import data.paved.kubernetes.probes
import rego.v1

workload(kind, container) := {"kind": kind, "spec": {"template": {"spec": {"containers": [container]}}}}

probe := {"httpGet": {"path": "/healthz", "port": 8080}}

test_both_probes_pass if {
	count(probes.deny) == 0 with input as workload("Deployment", {"name": "api", "livenessProbe": probe, "readinessProbe": probe})
}

test_missing_readiness_fails if {
	probes.deny == {{
		"msg": "container \"api\" has no readinessProbe",
		"path": ["spec", "template", "spec", "containers", 0, "readinessProbe"],
	}} with input as workload("StatefulSet", {"name": "api", "livenessProbe": probe})
}

test_jobs_need_no_probes if {
	count(probes.deny) == 0 with input as workload("Job", {"name": "migrate"})
}
