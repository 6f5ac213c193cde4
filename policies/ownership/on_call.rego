# METADATA
# title: Services name their on-call rotation in the catalog
# description: >-
#   When a service breaks at night, alerting and incident tooling need to know whom to
#   page, and responders need to find the rotation from the catalog. A service's catalog
#   entity names it with a PagerDuty or Opsgenie annotation, or with an on-call link.
#   Reads ownership.oncall_annotations and ownership.oncall_link_pattern.
# related_resources:
#   - ref: https://backstage.io/docs/features/software-catalog/well-known-annotations/
# custom:
#   id: ownership/on-call
#   severity: warning
#   level: gold
#   input: repository
#   remediation: >-
#     Add the `pagerduty.com/service-id` (or `opsgenie.com/team`) annotation to the
#     service's catalog-info.yaml, or a link titled "On-call" to the rotation.
#   config: [ownership.oncall_annotations, ownership.oncall_link_pattern]
#   examples:
#     fail: |
#       catalog-info.yaml:
#         metadata: {name: payments, annotations: {github.com/project-slug: org/payments}}
#     pass: |
#       catalog-info.yaml:
#         metadata: {name: payments, annotations: {pagerduty.com/service-id: PX1234}}
package paved.ownership.on_call

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

# object.get rather than `value := entity.metadata.annotations[key]`: regorus' VM (0.14.1)
# binds an undefined value with `:=` instead of failing, and `not blank(undefined)` holds,
# so every entity looked on call.
declares_on_call(entity) if {
	some key in config.setting("ownership", "oncall_annotations")
	not repository.blank(object.get(entity, ["metadata", "annotations", key], null))
}

declares_on_call(entity) if {
	some link in repository.each(entity.metadata.links)
	regex.match(config.setting("ownership", "oncall_link_pattern"), repository.link_text(link))
}

on_call if {
	some entity in data.paved.lib.repository.catalog_entities
	declares_on_call(entity.value)
}

deny contains {"msg": msg, "path": ["documents", key, "metadata", "annotations"]} if {
	data.paved.lib.repository.is_service
	not on_call
	key := data.paved.lib.repository.primary_entity_key
	msg := sprintf("the catalog entity names no on-call rotation (annotate one of %s)", [concat(", ", config.setting("ownership", "oncall_annotations"))])
}

deny contains {"msg": "no on-call rotation: the service has no catalog-info.yaml naming its PagerDuty or Opsgenie service"} if {
	data.paved.lib.repository.is_service
	count(data.paved.lib.repository.catalog_entities) == 0
}
