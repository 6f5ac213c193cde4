package paved.ownership.runbook_test

import data.paved.ownership.runbook
import rego.v1

service(files, metadata) := {
	"path": ".",
	"kinds": ["service"],
	"files": files,
	"documents": {"catalog-info.yaml": {
		"apiVersion": "backstage.io/v1alpha1",
		"kind": "Component",
		"metadata": metadata,
		"spec": {"type": "service", "lifecycle": "production", "owner": "team-a"},
	}},
}

test_runbook_link_passes if {
	count(runbook.deny) == 0 with input as service(["catalog-info.yaml"], {"name": "payments", "links": [{"url": "https://wiki.example.com/payments", "title": "Runbook"}]})
}

test_runbook_annotation_passes if {
	count(runbook.deny) == 0 with input as service(["catalog-info.yaml"], {"name": "payments", "annotations": {"example.com/runbook-url": "https://wiki.example.com/p"}})
}

test_runbook_file_passes if {
	count(runbook.deny) == 0 with input as {"path": "services/payments", "kinds": ["service"], "files": ["main.go", "docs/Runbook-payments.md"], "documents": {}}
	count(runbook.deny) == 0 with input as {"path": ".", "kinds": ["service"], "files": ["RUNBOOK.md"], "documents": {}}
}

test_no_runbook_in_catalog_fails if {
	runbook.deny == {{
		"msg": "no runbook: the catalog entity links none and the service has no RUNBOOK.md",
		"path": ["documents", "catalog-info.yaml", "metadata", "links"],
	}} with input as service(["catalog-info.yaml", "README.md"], {"name": "payments", "links": [{"url": "https://grafana.example.com/d/1", "title": "Dashboard"}]})
}

test_service_without_catalog_or_runbook_fails if {
	runbook.deny == {{"msg": "no runbook: the service has no RUNBOOK.md and no catalog entity linking one"}} with input as {"path": ".", "kinds": ["service"], "files": ["README.md"], "documents": {}}
}

test_library_is_not_asked if {
	count(runbook.deny) == 0 with input as {"path": ".", "kinds": ["library"], "files": ["README.md"], "documents": {}}
}

test_empty_links_and_annotations_fail if {
	runbook.deny == {{
		"msg": "no runbook: the catalog entity links none and the service has no RUNBOOK.md",
		"path": ["documents", "catalog-info.yaml", "metadata", "links"],
	}} with input as service(["catalog-info.yaml"], {"name": "payments", "links": null, "annotations": null})
}

alerting(annotations) := {
	"path": ".",
	"kinds": ["service"],
	"files": ["README.md", "deploy/alerts.yaml"],
	"documents": {},
	"alerts": [
		{"file": "deploy/alerts.yaml", "alert": "HighLatency", "annotations": {"summary": "p99 above 1s"}},
		{"file": "deploy/alerts.yaml", "alert": "ApiDown", "annotations": annotations},
	],
}

test_runbook_url_on_an_alert_passes if {
	count(runbook.deny) == 0 with input as alerting({"runbook_url": "https://runbooks.example.com/api-down"})
	count(runbook.deny) == 0 with input as alerting({"runbook": "https://wiki.example.com/api"})
}

test_alerts_without_a_runbook_fail if {
	runbook.deny == {{"msg": "no runbook: the service has no RUNBOOK.md and no catalog entity linking one"}} with input as alerting({"description": "the API is down"})
	runbook.deny == {{"msg": "no runbook: the service has no RUNBOOK.md and no catalog entity linking one"}} with input as alerting({"runbook_url": " "})
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(runbook.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(runbook.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
