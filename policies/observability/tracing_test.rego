package paved.observability.tracing_test

import data.paved.observability.tracing
import rego.v1

failure := {{"msg": "no tracing: no tracing SDK or agent (OpenTelemetry, Micrometer Tracing, Datadog, Elastic APM, X-Ray), OTEL_* variable or inject annotation"}}

service(extra) := object.union(
	{"path": ".", "kinds": ["service"], "dependencies": [], "workloads": [], "documents": {}},
	extra,
)

dep(ecosystem, name, scope) := {"ecosystem": ecosystem, "name": name, "version": "1.0", "scope": scope, "file": "x", "line": 1}

workload(annotations, containers) := {"file": "k8s/api.yaml", "kind": "Deployment", "name": "api", "labels": {}, "annotations": annotations, "containers": containers}

test_sdk_dependency_passes if {
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("pypi", "fastapi", "runtime"), dep("pypi", "opentelemetry-distro", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("npm", "@opentelemetry/sdk-node", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("go", "go.opentelemetry.io/otel/sdk", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("maven", "io.opentelemetry:opentelemetry-sdk", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("gradle", "io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter", "runtime")]})
}

# Tracers that export spans without OpenTelemetry (bank-of-anthos' Java services trace to
# Cloud Trace with Spring Cloud GCP) are tracing too.
test_other_tracers_pass if {
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("maven", "com.google.cloud:spring-cloud-gcp-starter-trace", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("gradle", "io.micrometer:micrometer-tracing-bridge-brave", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("pypi", "ddtrace", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("go", "github.com/DataDog/dd-trace-go/v2", "runtime")]})
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("npm", "elastic-apm-node", "runtime")]})
}

# A metrics library alone is not tracing.
test_a_metrics_registry_is_not_tracing if {
	tracing.deny == failure with input as service({"dependencies": [dep("maven", "io.micrometer:micrometer-registry-stackdriver", "runtime")]})
}

test_pypi_names_compare_normalised if {
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("pypi", "OpenTelemetry_SDK", "runtime")]})
}

test_dev_dependency_does_not_count if {
	tracing.deny == failure with input as service({"dependencies": [dep("npm", "@opentelemetry/sdk-node", "dev")]})
}

test_no_tracing_fails if {
	tracing.deny == failure with input as service({
		"dependencies": [dep("pypi", "fastapi", "runtime"), dep("pypi", "uvicorn", "runtime")],
		"workloads": [workload({"prometheus.io/scrape": "true"}, [{"name": "api", "image": "api:1", "env": ["LOG_LEVEL"]}])],
	})
}

test_otel_env_on_a_container_passes if {
	count(tracing.deny) == 0 with input as service({"workloads": [workload({}, [{"name": "api", "image": "api:1", "env": ["LOG_LEVEL", "OTEL_EXPORTER_OTLP_ENDPOINT"]}])]})
}

test_java_agent_passes if {
	count(tracing.deny) == 0 with input as service({"workloads": [workload({}, [{
		"name": "api", "image": "api:1", "env": [], "command": null,
		"args": ["java", "-javaagent:/otel/opentelemetry-javaagent.jar", "-jar", "app.jar"],
	}])]})
	count(tracing.deny) == 0 with input as service({"documents": {"Dockerfile": [
		{"Cmd": "from", "Value": ["eclipse-temurin:21"], "Original": "FROM eclipse-temurin:21"},
		{"Cmd": "entrypoint", "Value": ["java", "-javaagent:/opentelemetry-javaagent.jar", "-jar", "app.jar"], "Original": "ENTRYPOINT [\"java\", \"-javaagent:/opentelemetry-javaagent.jar\", \"-jar\", \"app.jar\"]"},
	]}})
}

test_env_in_the_dockerfile_passes if {
	count(tracing.deny) == 0 with input as service({"documents": {"Dockerfile": [{"Cmd": "env", "Value": ["LOG_LEVEL", "info", "OTEL_SERVICE_NAME", "payments"], "Original": "ENV LOG_LEVEL=info OTEL_SERVICE_NAME=payments"}]}})
}

test_env_value_is_not_a_name if {
	tracing.deny == failure with input as service({"documents": {"Dockerfile": [{"Cmd": "env", "Value": ["PREFIX", "OTEL_X"], "Original": "ENV PREFIX=OTEL_X"}]}})
}

test_dependency_without_scope_counts if {
	count(tracing.deny) == 0 with input as service({"dependencies": [{"ecosystem": "cargo", "name": "opentelemetry_sdk", "version": "0.24"}]})
}

test_operator_annotation_passes if {
	count(tracing.deny) == 0 with input as service({"workloads": [workload({"instrumentation.opentelemetry.io/inject-python": "true"}, [])]})
}

test_operator_annotation_opt_out_fails if {
	tracing.deny == failure with input as service({"workloads": [workload({"instrumentation.opentelemetry.io/inject-java": "false"}, [])]})
}

test_library_is_not_asked if {
	count(tracing.deny) == 0 with input as {"path": ".", "kinds": ["library"], "dependencies": [dep("pypi", "requests", "runtime")], "workloads": [], "documents": {}}
}

test_monorepo_service_unit_is_judged_alone if {
	tracing.deny == failure with input as {"path": "services/billing", "kinds": ["service"], "dependencies": [dep("go", "github.com/gin-gonic/gin", "runtime")], "workloads": [], "documents": {}}
}

test_organisation_dependencies if {
	count(tracing.deny) == 0 with input as service({"dependencies": [dep("pypi", "ddtrace", "runtime")]})
		with data.paved_config as {"observability": {"tracing_dependencies": {"pypi": ["ddtrace"]}}}
}

test_malformed_containers_are_skipped if {
	tracing.deny == failure with input as service({"workloads": [workload({}, [{"name": "api", "image": null, "env": [null, {"name": null}], "args": null, "command": "sh"}])]})
}

test_null_annotations_are_skipped if {
	tracing.deny == failure with input as service({"workloads": [{"file": "k8s/api.yaml", "kind": "Pod", "name": "api", "annotations": null, "containers": null}]})
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(tracing.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(tracing.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
