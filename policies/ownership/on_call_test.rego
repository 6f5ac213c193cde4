package paved.ownership.on_call_test

import data.paved.ownership.on_call
import rego.v1

service(metadata) := {
	"path": ".",
	"kinds": ["service"],
	"documents": {"catalog-info.yaml": {
		"apiVersion": "backstage.io/v1alpha1",
		"kind": "Component",
		"metadata": metadata,
		"spec": {"type": "service", "lifecycle": "production", "owner": "team-a"},
	}},
}

test_pagerduty_annotation_passes if {
	count(on_call.deny) == 0 with input as service({"name": "payments", "annotations": {"pagerduty.com/service-id": "PX1234"}})
}

test_opsgenie_annotation_passes if {
	count(on_call.deny) == 0 with input as service({"name": "payments", "annotations": {"opsgenie.com/team": "payments"}})
}

test_on_call_link_passes if {
	count(on_call.deny) == 0 with input as service({"name": "payments", "links": [{"url": "https://wiki.example.com/payments/rota", "title": "On-call rotation"}]})
}

test_no_on_call_fails if {
	on_call.deny == {{
		"msg": "the catalog entity names no on-call rotation (annotate one of pagerduty.com/service-id, pagerduty.com/integration-key, opsgenie.com/team, opsgenie.com/component-selector, splunk.com/on-call-routing-key)",
		"path": ["documents", "catalog-info.yaml", "metadata", "annotations"],
	}} with input as service({"name": "payments", "annotations": {"pagerduty.com/service-id": ""}})
}

test_service_without_catalog_fails if {
	on_call.deny == {{"msg": "no on-call rotation: the service has no catalog-info.yaml naming its PagerDuty or Opsgenie service"}} with input as {"path": "services/payments", "kinds": ["service"], "documents": {}}
}

test_library_is_not_asked if {
	count(on_call.deny) == 0 with input as {"path": ".", "kinds": ["library"], "documents": {}}
}

test_organisation_annotations if {
	count(on_call.deny) == 0 with input as service({"name": "payments", "annotations": {"incident.io/team": "payments"}})
		with data.paved_config as {"ownership": {"oncall_annotations": ["incident.io/team"]}}
}

test_entity_without_metadata_fails if {
	on_call.deny == {{
		"msg": "the catalog entity names no on-call rotation (annotate one of pagerduty.com/service-id)",
		"path": ["documents", "catalog-info.yaml", "metadata", "annotations"],
	}} with input as {"path": ".", "kinds": ["service"], "documents": {"catalog-info.yaml": {"apiVersion": "backstage.io/v1alpha1", "kind": "Component"}}}
		with data.paved_config as {"ownership": {"oncall_annotations": ["pagerduty.com/service-id"]}}
}

test_empty_links_and_annotations_fail if {
	count(on_call.deny) == 1 with input as service({"name": "payments", "links": null, "annotations": null})
}

# Other annotations, and none of the on-call ones, name no rotation.
test_unrelated_annotations_fail if {
	count(on_call.deny) == 1 with input as service({"name": "web", "annotations": {"backstage.io/kubernetes-id": "web"}})
	count(on_call.deny) == 1 with input as service({"name": "web", "annotations": "not a map"})
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(on_call.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(on_call.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
