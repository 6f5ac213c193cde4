# METADATA
# title: The repository is in the software catalog with an owner
# description: >-
#   A Backstage entity (catalog-info.yaml) is how people and tools find what a repository
#   is, who owns it and whether it is in production. The repository needs one, and every
#   Component, API, Resource, System or Domain in it needs the fields that make it useful
#   (name, owner, and for components type and lifecycle). Reads
#   ownership.catalog_required_fields.
# related_resources:
#   - ref: https://backstage.io/docs/features/software-catalog/descriptor-format/
# custom:
#   id: ownership/catalog-entity
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Add catalog-info.yaml at the repository root (or one per service) with
#     `metadata.name`, `spec.type`, `spec.lifecycle` and `spec.owner` naming the owning team.
#   config: [ownership.catalog_required_fields]
#   examples:
#     fail: |
#       catalog-info.yaml:
#         kind: Component
#         metadata: {name: payments}
#         spec: {type: service}
#     pass: |
#       catalog-info.yaml:
#         kind: Component
#         metadata: {name: payments}
#         spec: {type: service, lifecycle: production, owner: team-payments}
package paved.ownership.catalog_entity

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

required := config.setting("ownership", "catalog_required_fields")

# Entities that describe what the repository is (Locations, Groups and Users do not).
described contains entity if {
	some entity in data.paved.lib.repository.catalog_entities
	required[entity.value.kind]
}

# The root unit lists every file of the repository but only its own documents: a catalog
# file of a service unit counts there (that unit checks its fields).
catalog_elsewhere if {
	some file in data.paved.lib.repository.catalog_files
	not own_files[file]
}

own_files := {lower(key) | some key, _ in input.documents}

deny contains {"msg": "no catalog-info.yaml: the software catalog does not know this repository or its owner"} if {
	data.paved.lib.repository.is_root
	count(data.paved.lib.repository.catalog_entities) == 0
	not catalog_elsewhere
}

deny contains {"msg": msg, "path": ["documents", key]} if {
	data.paved.lib.repository.is_root
	count(data.paved.lib.repository.catalog_entities) > 0
	count(described) == 0
	not catalog_elsewhere
	key := data.paved.lib.repository.entity_keys[0]
	msg := sprintf("%s declares no Component, API, Resource, System or Domain: nothing in it names an owner", [repository.document_file(key)])
}

# Every unit checks the entities of its own documents.
deny contains {"msg": msg, "path": array.concat(["documents", entity.key], path)} if {
	some entity in described
	some field in required[entity.value.kind]
	path := split(field, ".")
	repository.field_missing(entity.value, path)
	msg := sprintf("catalog %s %q has no %s", [entity.value.kind, name(entity), field])
}

name(entity) := entity.value.metadata.name if not repository.blank(object.get(entity.value, ["metadata", "name"], null))

name(entity) := entity.key if repository.blank(object.get(entity.value, ["metadata", "name"], null))
