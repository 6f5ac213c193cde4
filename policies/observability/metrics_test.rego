package paved.observability.metrics_test

import data.paved.observability.metrics
import rego.v1

failure := {{"msg": "no metrics: no Prometheus client dependency, scrape annotation, ServiceMonitor or PodMonitor"}}

service(extra) := object.union(
	{"path": ".", "kinds": ["service"], "dependencies": [], "workloads": [], "objects": []},
	extra,
)

dep(ecosystem, name, scope) := {"ecosystem": ecosystem, "name": name, "version": "1.0", "scope": scope, "file": "x", "line": 1}

workload(annotations) := {"file": "k8s/api.yaml", "kind": "Deployment", "name": "api", "labels": {}, "annotations": annotations, "containers": []}

test_client_dependency_passes if {
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("go", "github.com/prometheus/client_golang", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("pypi", "prometheus_client", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("gradle", "io.micrometer:micrometer-registry-prometheus", "runtime")]})
}

test_scrape_annotation_passes if {
	count(metrics.deny) == 0 with input as service({"workloads": [workload({"prometheus.io/scrape": "true", "prometheus.io/port": "9090"})]})
}

test_scrape_annotation_false_fails if {
	metrics.deny == failure with input as service({"workloads": [workload({"prometheus.io/scrape": "false"})]})
}

test_service_monitor_passes if {
	count(metrics.deny) == 0 with input as service({"objects": [{"file": "k8s/monitor.yaml", "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "name": "api"}]})
}

test_no_metrics_fails if {
	metrics.deny == failure with input as service({
		"dependencies": [dep("go", "github.com/gin-gonic/gin", "runtime"), dep("go", "github.com/prometheus/client_golang", "dev")],
		"workloads": [workload({})],
		"objects": [{"file": "k8s/api.yaml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}],
	})
}

test_library_is_not_asked if {
	count(metrics.deny) == 0 with input as {"path": ".", "kinds": ["library"], "dependencies": [], "workloads": [], "objects": []}
}

test_monorepo_root_without_service_kind_is_not_asked if {
	count(metrics.deny) == 0 with input as {"path": ".", "kinds": ["infrastructure"], "dependencies": [], "workloads": [], "objects": []}
}

test_null_annotations_are_skipped if {
	metrics.deny == failure with input as service({"workloads": [{"file": "k8s/api.yaml", "kind": "Pod", "name": "api", "annotations": null, "containers": null}]})
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(metrics.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(metrics.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
