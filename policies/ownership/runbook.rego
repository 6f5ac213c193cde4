# METADATA
# title: Services link their runbook
# description: >-
#   Whoever is paged for a service needs its runbook (what the alerts mean, how to
#   mitigate, whom to escalate to) within a click. The service's catalog entity links it,
#   or the service keeps one beside its code (RUNBOOK.md, docs/runbook*.md), or its alerting
#   rules (PrometheusRule objects, rules files) link one in a `runbook_url` annotation. Reads
#   ownership.runbook_pattern and ownership.runbook_files.
# related_resources:
#   - ref: https://backstage.io/docs/features/software-catalog/descriptor-format/#links-optional
# custom:
#   id: ownership/runbook
#   severity: info
#   level: gold
#   input: repository
#   remediation: >-
#     Add a link titled "Runbook" to `metadata.links` of catalog-info.yaml, or write
#     RUNBOOK.md (or docs/runbook.md) next to the service.
#   config: [ownership.runbook_pattern, ownership.runbook_files]
#   examples:
#     fail: |
#       files: [README.md, src/app.py, catalog-info.yaml (no links)]
#     pass: |
#       files: [README.md, src/app.py, docs/runbook.md]
package paved.ownership.runbook

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

pattern := config.setting("ownership", "runbook_pattern")

declares_runbook(entity) if {
	some link in repository.each(entity.metadata.links)
	regex.match(pattern, repository.link_text(link))
}

declares_runbook(entity) if {
	some key, value in repository.each(entity.metadata.annotations)
	is_string(key)
	is_string(value)
	regex.match(pattern, lower(concat(" ", [key, value])))
}

has_runbook if {
	some entity in data.paved.lib.repository.catalog_entities
	declares_runbook(entity.value)
}

has_runbook if repository.any_file_matches(config.setting("ownership", "runbook_files"))

# An alert whose annotations link a runbook (`runbook_url`, the Prometheus convention): the
# page itself takes the on-call there.
has_runbook if {
	some alert in input.alerts
	some key, value in alert.annotations
	regex.match(pattern, lower(key))
	is_string(value)
	trim_space(value) != ""
}

deny contains {"msg": msg, "path": ["documents", key, "metadata", "links"]} if {
	data.paved.lib.repository.is_service
	not has_runbook
	key := data.paved.lib.repository.primary_entity_key
	msg := "no runbook: the catalog entity links none and the service has no RUNBOOK.md"
}

deny contains {"msg": "no runbook: the service has no RUNBOOK.md and no catalog entity linking one"} if {
	data.paved.lib.repository.is_service
	not has_runbook
	count(data.paved.lib.repository.catalog_entities) == 0
}
