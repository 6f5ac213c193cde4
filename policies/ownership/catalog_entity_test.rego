package paved.ownership.catalog_entity_test

import data.paved.ownership.catalog_entity
import rego.v1

component(spec) := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "Component",
	"metadata": {"name": "payments"},
	"spec": spec,
}

complete := component({"type": "service", "lifecycle": "production", "owner": "team-payments"})

test_complete_component_passes if {
	count(catalog_entity.deny) == 0 with input as {
		"path": ".",
		"files": ["catalog-info.yaml"],
		"documents": {"catalog-info.yaml": complete},
	}
}

test_missing_catalog_fails if {
	catalog_entity.deny == {{"msg": "no catalog-info.yaml: the software catalog does not know this repository or its owner"}} with input as {
		"path": ".",
		"files": ["README.md", "src/app.py"],
		"documents": {".github/workflows/ci.yml": {"on": "push"}},
	}
}

test_missing_owner_and_lifecycle_fail if {
	catalog_entity.deny == {
		{"msg": "catalog Component \"payments\" has no spec.owner", "path": ["documents", "catalog-info.yml", "spec", "owner"]},
		{"msg": "catalog Component \"payments\" has no spec.lifecycle", "path": ["documents", "catalog-info.yml", "spec", "lifecycle"]},
	} with input as {
		"path": ".",
		"files": ["catalog-info.yml"],
		"documents": {"catalog-info.yml": component({"type": "service", "owner": ""})},
	}
}

test_nameless_entity_is_named_by_its_document if {
	catalog_entity.deny == {
		{"msg": "catalog System \"catalog-info.yaml#1\" has no metadata.name", "path": ["documents", "catalog-info.yaml#1", "metadata", "name"]},
	} with input as {
		"path": ".",
		"files": ["catalog-info.yaml"],
		"documents": {
			"catalog-info.yaml": complete,
			"catalog-info.yaml#1": {"apiVersion": "backstage.io/v1alpha1", "kind": "System", "spec": {"owner": "team-payments"}},
		},
	}
}

test_only_a_location_fails if {
	catalog_entity.deny == {{
		"msg": "catalog-info.yaml declares no Component, API, Resource, System or Domain: nothing in it names an owner",
		"path": ["documents", "catalog-info.yaml"],
	}} with input as {
		"path": ".",
		"files": ["catalog-info.yaml"],
		"documents": {"catalog-info.yaml": {"apiVersion": "backstage.io/v1alpha1", "kind": "Location", "spec": {"targets": []}}},
	}
}

# A monorepo root with a Location and services cataloged in their own units.
test_monorepo_root_counts_service_catalog_files if {
	count(catalog_entity.deny) == 0 with input as {
		"path": ".",
		"files": ["catalog-info.yaml", "services/payments/catalog-info.yaml", "services/payments/go.mod"],
		"documents": {"catalog-info.yaml": {"apiVersion": "backstage.io/v1alpha1", "kind": "Location", "spec": {"targets": ["./services/*/catalog-info.yaml"]}}},
	}
}

test_service_unit_checks_its_own_entities if {
	catalog_entity.deny == {{
		"msg": "catalog Component \"payments\" has no spec.type",
		"path": ["documents", "catalog-info.yaml", "spec", "type"],
	}} with input as {
		"path": "services/payments",
		"kinds": ["service"],
		"files": ["catalog-info.yaml", "go.mod"],
		"documents": {"catalog-info.yaml": component({"lifecycle": "production", "owner": "team-payments"})},
	}
}

test_service_unit_without_catalog_is_left_to_the_root if {
	count(catalog_entity.deny) == 0 with input as {"path": "services/payments", "kinds": ["service"], "files": ["go.mod"], "documents": {}}
}

test_entities_outside_catalog_info_count if {
	count(catalog_entity.deny) == 0 with input as {
		"path": ".",
		"files": ["backstage/component.yaml"],
		"documents": {"backstage/component.yaml": complete},
	}
}
