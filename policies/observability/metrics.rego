# METADATA
# title: Services expose metrics
# description: >-
#   Without metrics there is no dashboard, no alert and no SLO: a service is only known to
#   be broken when users say so. A service has a metrics client among its (non-dev)
#   dependencies (a Prometheus client, an OpenTelemetry metrics SDK or exporter, a
#   Micrometer registry, StatsD), an agent that exports metrics (the OpenTelemetry or
#   Prometheus JMX Java agent), or is scraped through a `prometheus.io/scrape` annotation or
#   a ServiceMonitor or PodMonitor. Libraries are not asked. Reads
#   observability.metrics_dependencies, observability.metrics_agent_pattern,
#   observability.metrics_annotations and observability.metrics_objects.
# related_resources:
#   - ref: https://prometheus.io/docs/instrumenting/clientlibs/
# custom:
#   id: observability/metrics
#   severity: warning
#   level: silver
#   input: repository
#   remediation: >-
#     Add a Prometheus client (prometheus-client, prom-client, client_golang, Micrometer's
#     Prometheus registry), serve /metrics, and add a ServiceMonitor (or the
#     `prometheus.io/scrape: "true"` pod annotation) so it is scraped; or export with the
#     OpenTelemetry metrics SDK to your collector.
#   config:
#     - observability.metrics_dependencies
#     - observability.metrics_agent_pattern
#     - observability.metrics_annotations
#     - observability.metrics_objects
#   examples:
#     fail: |
#       kinds: [service]
#       dependencies: [go github.com/gin-gonic/gin]
#     pass: |
#       kinds: [service]
#       dependencies: [go github.com/gin-gonic/gin, go github.com/prometheus/client_golang]
package paved.observability.metrics

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

setting(key) := config.setting("observability", key)

exposed if count(repository.matching_runtime_dependencies(setting("metrics_dependencies"))) > 0

exposed if repository.attaches_agent(setting("metrics_agent_pattern"))

exposed if {
	some workload in input.workloads
	some key in setting("metrics_annotations")
	workload.annotations[key] in {"true", true}
}

exposed if count(repository.matching_objects(setting("metrics_objects"))) > 0

deny contains {"msg": "no metrics: no metrics client (Prometheus, OpenTelemetry metrics, a Micrometer registry) or agent, scrape annotation, ServiceMonitor or PodMonitor"} if {
	data.paved.lib.repository.is_service
	not exposed
}
