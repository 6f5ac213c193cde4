# METADATA
# title: Services emit traces
# description: >-
#   Without distributed tracing a slow or failing request cannot be followed across
#   services; incidents turn into guessing from logs. A service sets up tracing with an
#   SDK among its (non-dev) dependencies (OpenTelemetry, or a tracer that exports spans
#   of its own: Micrometer Tracing, Spring Cloud Sleuth or GCP Trace, Brave, Datadog,
#   Elastic APM, AWS X-Ray), OTEL_* variables or the Java agent on a container, or the
#   OpenTelemetry operator's inject annotation on a workload. Libraries are not asked. Reads observability.tracing_dependencies,
#   observability.tracing_env, observability.tracing_annotation_prefixes and
#   observability.tracing_agent_pattern.
# related_resources:
#   - ref: https://opentelemetry.io/docs/concepts/instrumentation/
# custom:
#   id: observability/tracing
#   severity: warning
#   level: silver
#   input: repository
#   remediation: >-
#     Add the OpenTelemetry SDK (opentelemetry-distro, @opentelemetry/sdk-node,
#     go.opentelemetry.io/otel/sdk, the Java agent) and export to the collector with
#     OTEL_EXPORTER_OTLP_ENDPOINT, or annotate the pod template with
#     `instrumentation.opentelemetry.io/inject-<language>: "true"`.
#   config:
#     - observability.tracing_dependencies
#     - observability.tracing_env
#     - observability.tracing_annotation_prefixes
#     - observability.tracing_agent_pattern
#   examples:
#     fail: |
#       kinds: [service]
#       dependencies: [pypi fastapi, pypi uvicorn]
#     pass: |
#       kinds: [service]
#       dependencies: [pypi fastapi, pypi opentelemetry-distro]
package paved.observability.tracing

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

setting(key) := config.setting("observability", key)

traced if count(repository.matching_runtime_dependencies(setting("tracing_dependencies"))) > 0

traced if {
	some c in data.paved.lib.repository.containers
	some name in repository.env_names(c.value)
	is_string(name)
	some pattern in setting("tracing_env")
	glob.match(pattern, null, name)
}

traced if repository.attaches_agent(setting("tracing_agent_pattern"))

# The OpenTelemetry operator injects the SDK or agent; "false" opts out.
traced if {
	some workload in input.workloads
	some key, value in repository.each(workload.annotations)
	is_string(key)
	strings.any_prefix_match(key, setting("tracing_annotation_prefixes"))
	value != "false"
	value != false
}

# An image that bakes the variables in; ENV's Value alternates names and values.
traced if {
	some instruction in data.paved.lib.repository.dockerfile_instructions
	instruction.value.Cmd in {"env", "ENV"}
	some j, name in repository.each(instruction.value.Value)
	j % 2 == 0
	is_string(name)
	some pattern in setting("tracing_env")
	glob.match(pattern, null, name)
}

deny contains {"msg": "no tracing: no tracing SDK or agent (OpenTelemetry, Micrometer Tracing, Datadog, Elastic APM, X-Ray), OTEL_* variable or inject annotation"} if {
	data.paved.lib.repository.is_service
	not traced
}
