# METADATA
# title: Services define alerts
# description: >-
#   Metrics nobody watches do not page anyone: without alerting rules an outage lasts until
#   a user complains. A service defines alerts as a PrometheusRule (or VMRule,
#   DatadogMonitor) object, or in alerting rule files; or an alerting rule elsewhere in
#   its repository watches it by name (a monorepo's central rules matching
#   `service_name="cart"`). Reads observability.alert_objects and
#   observability.alert_files.
# related_resources:
#   - ref: https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
# custom:
#   id: observability/alerting
#   severity: warning
#   level: gold
#   input: repository
#   remediation: >-
#     Add a PrometheusRule with alerts on the service's error rate and latency (ideally SLO
#     burn-rate alerts) routed to its on-call rotation.
#   config: [observability.alert_objects, observability.alert_files]
#   examples:
#     fail: |
#       kinds: [service]
#       objects: [Deployment api, ServiceMonitor api]
#     pass: |
#       kinds: [service]
#       objects: [Deployment api, ServiceMonitor api, PrometheusRule api-alerts]
package paved.observability.alerting

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

setting(key) := config.setting("observability", key)

alerts if count(repository.matching_objects(setting("alert_objects"))) > 0

alerts if repository.any_file_matches(setting("alert_files"))

# Alerting rules the model found: the unit's own, and those elsewhere that watch it.
alerts if count(input.alerts) > 0

deny contains {"msg": "no alerting: the service has no PrometheusRule or alerting rules file"} if {
	data.paved.lib.repository.is_service
	not alerts
}
