package paved.observability.alerting_test

import data.paved.observability.alerting
import rego.v1

service(files, objects) := {"path": ".", "kinds": ["service"], "files": files, "objects": objects}

test_prometheus_rule_passes if {
	count(alerting.deny) == 0 with input as service(["k8s/rules.yaml"], [{"file": "k8s/rules.yaml", "apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "name": "api"}])
}

test_rules_file_passes if {
	count(alerting.deny) == 0 with input as service(["main.go", "monitoring/alerts.yml"], [])
	count(alerting.deny) == 0 with input as service(["main.go", "prometheus/api.rules.yaml"], [])
}

# A monorepo's central Grafana rules that watch the service by name.
test_an_alert_watching_the_service_passes if {
	count(alerting.deny) == 0 with input as object.union(service(["main.go"], []), {"alerts": [{
		"file": "grafana/alerting/cart.yml", "alert": "CartAddItemHighLatency",
		"annotations": {}, "services": ["cart"],
	}]})
}

test_no_alerts_fails if {
	alerting.deny == {{"msg": "no alerting: the service has no PrometheusRule or alerting rules file"}} with input as service(
		["main.go", "k8s/api.yaml"],
		[{"file": "k8s/api.yaml", "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "name": "api"}],
	)
}

test_library_is_not_asked if {
	count(alerting.deny) == 0 with input as {"path": ".", "kinds": ["library"], "files": [], "objects": []}
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(alerting.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(alerting.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
