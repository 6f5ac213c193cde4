package paved.observability.metrics_test

import data.paved.observability.metrics
import rego.v1

failure := {{"msg": "no metrics: no metrics client (Prometheus, OpenTelemetry metrics, a Micrometer registry) or agent, scrape annotation, ServiceMonitor or PodMonitor"}}

service(extra) := object.union(
	{"path": ".", "kinds": ["service"], "dependencies": [], "workloads": [], "objects": [], "documents": {}},
	extra,
)

dep(ecosystem, name, scope) := {"ecosystem": ecosystem, "name": name, "version": "1.0", "scope": scope, "file": "x", "line": 1}

workload(annotations) := {"file": "k8s/api.yaml", "kind": "Deployment", "name": "api", "labels": {}, "annotations": annotations, "containers": []}

test_client_dependency_passes if {
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("go", "github.com/prometheus/client_golang", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("pypi", "prometheus_client", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("gradle", "io.micrometer:micrometer-registry-prometheus", "runtime")]})
}

# Metrics pushed to a collector or a monitoring backend are metrics too: the OpenTelemetry
# demo's services export theirs over OTLP, bank-of-anthos' Java services through
# Micrometer's Stackdriver registry.
test_pushed_metrics_pass if {
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("go", "go.opentelemetry.io/otel/sdk/metric", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("go", "go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("npm", "@opentelemetry/sdk-metrics", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("nuget", "OpenTelemetry.Instrumentation.Runtime", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("rubygems", "opentelemetry-metrics-sdk", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("maven", "io.micrometer:micrometer-registry-stackdriver", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("pypi", "opentelemetry-exporter-otlp-proto-grpc", "runtime")]})
	count(metrics.deny) == 0 with input as service({"dependencies": [dep("packagist", "open-telemetry/exporter-otlp", "runtime")]})
}

# A trace-only exporter, or the metrics API without an SDK, exports no metrics.
test_traces_alone_are_not_metrics if {
	metrics.deny == failure with input as service({"dependencies": [
		dep("pypi", "opentelemetry-sdk", "runtime"),
		dep("pypi", "opentelemetry-exporter-gcp-trace", "runtime"),
	]})
	metrics.deny == failure with input as service({"dependencies": [dep("go", "go.opentelemetry.io/otel/metric", "runtime")]})
	metrics.deny == failure with input as service({"dependencies": [dep("maven", "io.micrometer:micrometer-core", "runtime")]})
}

# The OpenTelemetry Java agent exports metrics by default; the Prometheus JMX agent serves them.
test_a_metrics_agent_passes if {
	count(metrics.deny) == 0 with input as service({"workloads": [object.union(workload({}), {"containers": [
		{"name": "api", "image": "api:1", "args": ["java", "-javaagent:/app/jmx_prometheus_javaagent.jar=9404:config.yaml", "-jar", "app.jar"]},
	]})]})
	count(metrics.deny) == 0 with input as service({"documents": {"Dockerfile": [{
		"Cmd": "entrypoint", "Value": ["java", "-javaagent:/opentelemetry-javaagent.jar", "-jar", "app.jar"],
		"Original": "ENTRYPOINT [\"java\", \"-javaagent:/opentelemetry-javaagent.jar\", \"-jar\", \"app.jar\"]",
	}]}})
	metrics.deny == failure with input as service({"documents": {"Dockerfile": [{
		"Cmd": "entrypoint", "Value": ["java", "-javaagent:/dd-java-agent.jar", "-jar", "app.jar"],
		"Original": "ENTRYPOINT [\"java\", \"-javaagent:/dd-java-agent.jar\", \"-jar\", \"app.jar\"]",
	}]}})
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
