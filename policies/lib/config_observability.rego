# Defaults for the observability rules; override under `data.paved_config.observability`.
package paved.lib.config

import rego.v1

observability_defaults := {
	# Dependencies (name globs per ecosystem) that set up tracing: OpenTelemetry SDKs,
	# distributions and instrumentation, and tracers that export spans of their own
	# (Micrometer Tracing, Sleuth, Spring Cloud GCP Trace, Brave, Datadog, Elastic APM,
	# X-Ray). Leave those out if only OpenTelemetry meets your standard.
	"tracing_dependencies": {
		"pypi": [
			"opentelemetry-sdk", "opentelemetry-distro",
			"opentelemetry-instrumentation*", "opentelemetry-exporter-*",
			"ddtrace", "elastic-apm", "aws-xray-sdk",
		],
		"npm": [
			"@opentelemetry/sdk-node", "@opentelemetry/sdk-trace-*",
			"@opentelemetry/auto-instrumentations-*",
			"dd-trace", "elastic-apm-node", "aws-xray-sdk*",
		],
		"go": [
			"go.opentelemetry.io/otel*", "go.opentelemetry.io/contrib/*",
			"gopkg.in/DataDog/dd-trace-go.v1", "github.com/DataDog/dd-trace-go/*",
			"go.elastic.co/apm*", "github.com/aws/aws-xray-sdk-go*",
		],
		"maven": ["io.opentelemetry*", "io.micrometer:micrometer-tracing-bridge-*", "org.springframework.cloud:spring-cloud-starter-sleuth", "com.google.cloud:spring-cloud-gcp-starter-trace", "io.zipkin.brave:brave*", "com.datadoghq:dd-trace-*", "co.elastic.apm:*", "com.amazonaws:aws-xray-recorder-sdk-*"],
		"gradle": ["io.opentelemetry*", "io.micrometer:micrometer-tracing-bridge-*", "org.springframework.cloud:spring-cloud-starter-sleuth", "com.google.cloud:spring-cloud-gcp-starter-trace", "io.zipkin.brave:brave*", "com.datadoghq:dd-trace-*", "co.elastic.apm:*", "com.amazonaws:aws-xray-recorder-sdk-*"],
		"cargo": ["opentelemetry", "opentelemetry_sdk", "opentelemetry-otlp", "tracing-opentelemetry"],
		"rubygems": ["opentelemetry-sdk", "opentelemetry-instrumentation-*", "ddtrace", "datadog", "elastic-apm", "aws-xray-sdk"],
		"packagist": ["open-telemetry/sdk", "open-telemetry/opentelemetry-auto-*", "open-telemetry/exporter-*", "datadog/dd-trace", "elastic/apm-agent"],
		"nuget": ["OpenTelemetry", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.*", "OpenTelemetry.Exporter.*", "OpenTelemetry.AutoInstrumentation", "Datadog.Trace*", "Elastic.Apm*", "AWSXRayRecorder*"],
		"hex": ["opentelemetry", "opentelemetry_exporter", "opentelemetry_*"],
	},
	# Container environment variables (globs) that configure an OpenTelemetry SDK or agent.
	"tracing_env": ["OTEL_*"],
	# Workload annotations (key prefixes) by which the OpenTelemetry operator injects it.
	"tracing_annotation_prefixes": ["instrumentation.opentelemetry.io/inject-"],
	# A container argument, environment value or Dockerfile instruction matching this
	# attaches a tracing agent.
	"tracing_agent_pattern": `-javaagent:[^ ]*opentelemetry`,
	# Dependencies (name globs per ecosystem) that export metrics: Prometheus clients,
	# OpenTelemetry metrics SDKs and exporters (an OTLP exporter that carries metrics),
	# Micrometer registries, StatsD clients. Leave those out if only a Prometheus scrape
	# meets your standard.
	"metrics_dependencies": {
		"pypi": [
			"prometheus-client", "prometheus-fastapi-instrumentator", "prometheus-flask-exporter",
			"django-prometheus", "opentelemetry-exporter-prometheus",
			"opentelemetry-exporter-otlp", "opentelemetry-exporter-otlp-proto-*",
			"statsd", "datadog",
		],
		"npm": [
			"prom-client", "express-prom-bundle", "@opentelemetry/exporter-prometheus",
			"@opentelemetry/sdk-metrics", "@opentelemetry/exporter-metrics-otlp-*", "hot-shots",
		],
		"go": [
			"github.com/prometheus/client_golang", "go.opentelemetry.io/otel/exporters/prometheus",
			"go.opentelemetry.io/otel/sdk/metric", "go.opentelemetry.io/otel/exporters/otlp/otlpmetric*",
			"github.com/DataDog/datadog-go*",
		],
		"maven": ["io.micrometer:micrometer-registry-*", "io.prometheus:*", "io.opentelemetry:opentelemetry-sdk-metrics", "io.opentelemetry:opentelemetry-exporter-otlp"],
		"gradle": ["io.micrometer:micrometer-registry-*", "io.prometheus:*", "io.opentelemetry:opentelemetry-sdk-metrics", "io.opentelemetry:opentelemetry-exporter-otlp"],
		"cargo": ["prometheus", "prometheus-client", "metrics-exporter-*", "opentelemetry-prometheus", "opentelemetry-otlp"],
		"rubygems": ["prometheus-client", "yabeda-prometheus*", "opentelemetry-metrics-sdk", "opentelemetry-exporter-otlp-metrics", "dogstatsd-ruby", "statsd-instrument"],
		"packagist": ["promphp/prometheus_client_php", "open-telemetry/exporter-otlp"],
		"nuget": [
			"prometheus-net*", "OpenTelemetry.Exporter.Prometheus.*",
			"OpenTelemetry.Instrumentation.Runtime", "OpenTelemetry.Instrumentation.Process",
			"OpenTelemetry.Instrumentation.EventCounters", "OpenTelemetry.AutoInstrumentation",
		],
		"hex": ["prometheus_ex", "telemetry_metrics_prometheus*", "prom_ex", "opentelemetry_experimental"],
	},
	# A container argument, environment value or Dockerfile instruction matching this
	# attaches an agent that exports metrics (the OpenTelemetry Java agent does by default).
	"metrics_agent_pattern": `-javaagent:[^ ]*(opentelemetry|jmx_prometheus)`,
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
