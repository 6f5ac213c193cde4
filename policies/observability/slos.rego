# METADATA
# title: Services declare service level objectives
# description: >-
#   An SLO says how reliable the service must be and turns "is it broken?" into a number
#   with an error budget, so alerts page on user impact and teams know when to stop
#   shipping features. A service declares one as an OpenSLO SLO, a Sloth
#   PrometheusServiceLevel or Pyrra object, an SLO file, or an SLO annotation or link on
#   its catalog entity. Reads observability.slo_objects, observability.slo_files and
#   observability.slo_catalog_pattern.
# related_resources:
#   - ref: https://sre.google/workbook/implementing-slos/
#   - ref: https://github.com/OpenSLO/OpenSLO
# custom:
#   id: observability/slos
#   severity: info
#   level: gold
#   input: repository
#   remediation: >-
#     Define an availability and a latency SLO (an OpenSLO `kind: SLO` file, or a Sloth
#     PrometheusServiceLevel) next to the service, or link the SLO dashboard from
#     catalog-info.yaml.
#   config: [observability.slo_objects, observability.slo_files, observability.slo_catalog_pattern]
#   examples:
#     fail: |
#       kinds: [service]
#       objects: [Deployment api, Service api]
#     pass: |
#       kinds: [service]
#       objects: [Deployment api, Service api, openslo/v1 SLO api-availability]
package paved.observability.slos

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

setting(key) := config.setting("observability", key)

declared if count(repository.matching_objects(setting("slo_objects"))) > 0

declared if repository.any_file_matches(setting("slo_files"))

declared if {
	some entity in data.paved.lib.repository.catalog_entities
	some key, _ in repository.each(entity.value.metadata.annotations)
	is_string(key)
	regex.match(setting("slo_catalog_pattern"), lower(key))
}

declared if {
	some entity in data.paved.lib.repository.catalog_entities
	some link in repository.each(entity.value.metadata.links)
	regex.match(setting("slo_catalog_pattern"), repository.link_text(link))
}

deny contains {"msg": "no SLOs: the service declares no service level objective (OpenSLO, Sloth or a catalog annotation)"} if {
	data.paved.lib.repository.is_service
	not declared
}
