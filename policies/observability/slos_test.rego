package paved.observability.slos_test

import data.paved.observability.slos
import rego.v1

failure := {{"msg": "no SLOs: the service declares no service level objective (OpenSLO, Sloth or a catalog annotation)"}}

service(extra) := object.union(
	{"path": ".", "kinds": ["service"], "files": ["main.go", "k8s/api.yaml"], "objects": [], "documents": {}},
	extra,
)

slo_object(api_version, kind) := {"file": "k8s/slo.yaml", "apiVersion": api_version, "kind": kind, "name": "api"}

entity(metadata) := {"catalog-info.yaml": {
	"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": metadata,
	"spec": {"type": "service", "lifecycle": "production", "owner": "team-a"},
}}

test_openslo_passes if {
	count(slos.deny) == 0 with input as service({"objects": [slo_object("openslo/v1", "SLO")]})
}

test_sloth_passes if {
	count(slos.deny) == 0 with input as service({"objects": [slo_object("sloth.slok.dev/v1", "PrometheusServiceLevel")]})
	count(slos.deny) == 0 with input as service({"files": ["main.go", "slos/api.yaml"]})
}

test_catalog_annotation_passes if {
	count(slos.deny) == 0 with input as service({"documents": entity({"name": "api", "annotations": {"example.com/slo-dashboard": "https://grafana/d/slo"}})})
	count(slos.deny) == 0 with input as service({"documents": entity({"name": "api", "links": [{"url": "https://grafana/d/1", "title": "SLO dashboard"}]})})
}

test_no_slo_fails if {
	slos.deny == failure with input as service({
		"objects": [slo_object("apps/v1", "Deployment"), slo_object("openslo/v1", "SLI")],
		"documents": entity({"name": "api", "annotations": {"backstage.io/source-location": "url:https://github.com/org/api", "github.com/project-slug": "org/api"}}),
	})
}

test_library_is_not_asked if {
	count(slos.deny) == 0 with input as {"path": ".", "kinds": ["library"], "files": [], "objects": [], "documents": {}}
}

test_malformed_objects_and_links_are_skipped if {
	slos.deny == failure with input as service({
		"objects": [{"file": "x.yaml", "apiVersion": null, "kind": "SLO", "name": null}],
		"documents": entity({"name": "api", "links": [{"url": null, "title": 3}, "https://x"]}),
	})
}

test_null_annotations_are_skipped if {
	slos.deny == failure with input as service({"documents": entity({"name": "api", "annotations": null})})
}

# Libraries, CLIs, Terraform modules, documentation sites and a monorepo root above its
# service units are not services: only a service is asked.
test_only_services_are_asked if {
	every kinds in [["library"], ["cli"], ["infrastructure"], ["docs"], ["monorepo"], ["monorepo", "library"]] {
		count(slos.deny) == 0 with input as unit_of_kinds(kinds)
	}
	count(slos.deny) == 1 with input as unit_of_kinds(["service"])
}

unit_of_kinds(kinds) := {"path": ".", "kinds": kinds, "files": ["main.go"], "documents": {}, "objects": [], "workloads": [], "alerts": [], "dependencies": []}
