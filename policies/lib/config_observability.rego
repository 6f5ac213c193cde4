# Defaults for the observability rules; override under `data.paved_config.observability`.
package paved.lib.config

import rego.v1

observability_defaults := {
	# Dependencies (name globs per ecosystem) that set up tracing: OpenTelemetry SDKs,
	# distributions and instrumentation. Add ddtrace, elastic-apm, ... if you use those.
	"tracing_dependencies": {
		"pypi": [
			"opentelemetry-sdk", "opentelemetry-distro",
			"opentelemetry-instrumentation*", "opentelemetry-exporter-*",
		],
		"npm": [
			"@opentelemetry/sdk-node", "@opentelemetry/sdk-trace-*",
			"@opentelemetry/auto-instrumentations-*",
		],
		"go": ["go.opentelemetry.io/otel*", "go.opentelemetry.io/contrib/*"],
		"maven": ["io.opentelemetry*", "io.micrometer:micrometer-tracing-bridge-otel"],
		"gradle": ["io.opentelemetry*", "io.micrometer:micrometer-tracing-bridge-otel"],
		"cargo": ["opentelemetry", "opentelemetry_sdk", "opentelemetry-otlp", "tracing-opentelemetry"],
		"rubygems": ["opentelemetry-sdk", "opentelemetry-instrumentation-*"],
		"packagist": ["open-telemetry/sdk", "open-telemetry/opentelemetry-auto-*", "open-telemetry/exporter-*"],
		"nuget": ["OpenTelemetry", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.*", "OpenTelemetry.Exporter.*"],
		"hex": ["opentelemetry", "opentelemetry_exporter", "opentelemetry_*"],
	},
	# Container environment variables (globs) that configure an OpenTelemetry SDK or agent.
	"tracing_env": ["OTEL_*"],
	# Workload annotations (key prefixes) by which the OpenTelemetry operator injects it.
	"tracing_annotation_prefixes": ["instrumentation.opentelemetry.io/inject-"],
	# A container argument, environment value or Dockerfile instruction matching this
	# attaches a tracing agent.
	"tracing_agent_pattern": `-javaagent:[^ ]*opentelemetry`,
	# Dependencies (name globs per ecosystem) that expose Prometheus metrics.
	"metrics_dependencies": {
		"pypi": [
			"prometheus-client", "prometheus-fastapi-instrumentator", "prometheus-flask-exporter",
			"django-prometheus", "opentelemetry-exporter-prometheus",
		],
		"npm": ["prom-client", "express-prom-bundle", "@opentelemetry/exporter-prometheus"],
		"go": ["github.com/prometheus/client_golang", "go.opentelemetry.io/otel/exporters/prometheus"],
		"maven": ["io.micrometer:micrometer-registry-prometheus*", "io.prometheus:*"],
		"gradle": ["io.micrometer:micrometer-registry-prometheus*", "io.prometheus:*"],
		"cargo": ["prometheus", "prometheus-client", "metrics-exporter-prometheus"],
		"rubygems": ["prometheus-client", "yabeda-prometheus*"],
		"packagist": ["promphp/prometheus_client_php"],
		"nuget": ["prometheus-net*", "OpenTelemetry.Exporter.Prometheus.*"],
		"hex": ["prometheus_ex", "telemetry_metrics_prometheus*", "prom_ex"],
	},
	# Workload annotations that ask Prometheus to scrape it (value "true").
	"metrics_annotations": ["prometheus.io/scrape"],
	# Objects that make Prometheus scrape a workload.
	"metrics_objects": [
		{"apiVersion": "monitoring.coreos.com/*", "kind": "ServiceMonitor"},
		{"apiVersion": "monitoring.coreos.com/*", "kind": "PodMonitor"},
		{"apiVersion": "operator.victoriametrics.com/*", "kind": "VMServiceScrape"},
		{"apiVersion": "operator.victoriametrics.com/*", "kind": "VMPodScrape"},
	],
	# Objects that declare service level objectives.
	"slo_objects": [
		{"apiVersion": "openslo/*", "kind": "SLO"},
		{"apiVersion": "sloth.slok.dev/*", "kind": "PrometheusServiceLevel"},
		{"apiVersion": "pyrra.dev/*", "kind": "ServiceLevelObjective"},
		{"apiVersion": "n9/*", "kind": "SLO"},
	],
	# Files (globs, case-insensitive) that declare SLOs, such as Sloth's plain specs.
	"slo_files": ["**/*.slo.yaml", "**/*.slo.yml", "**/slo.yaml", "**/slo.yml", "**/slos/*.yaml", "**/slos/*.yml"],
	# A catalog annotation key or link title whose lower-cased text matches this regular
	# expression declares SLOs.
	"slo_catalog_pattern": `(^|[^a-z0-9])(slos?|sloth|service-levels?)([^a-z0-9]|$)`,
	# Objects that declare alerting rules.
	"alert_objects": [
		{"apiVersion": "monitoring.coreos.com/*", "kind": "PrometheusRule"},
		{"apiVersion": "operator.victoriametrics.com/*", "kind": "VMRule"},
		{"apiVersion": "datadoghq.com/*", "kind": "DatadogMonitor"},
	],
	# Files (globs, case-insensitive) of alerting rules: Prometheus rule files, alert
	# definitions in Terraform, ...
	"alert_files": [
		"**/*alert*.yml", "**/*alert*.yaml", "**/alerts/**", "**/*.rules.yml", "**/*.rules.yaml",
		"**/*alert*.tf", "**/*alert*.json",
	],
}
