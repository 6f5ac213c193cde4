# METADATA
# title: Images declare a HEALTHCHECK
# description: >-
#   Without a HEALTHCHECK, Docker, Compose and Swarm only know whether the process is
#   running, not whether it still serves: a deadlocked service looks healthy and never gets
#   restarted. Only the final stage counts. Where an orchestrator probes instead (Kubernetes
#   ignores HEALTHCHECK), `HEALTHCHECK NONE` records that decision and passes.
# related_resources:
#   - ref: https://docs.docker.com/reference/dockerfile/#healthcheck
# custom:
#   id: containers/healthcheck
#   severity: info
#   level: gold
#   input: dockerfile
#   remediation: >-
#     Add `HEALTHCHECK CMD <command that fails when the service is unhealthy>` to the final
#     stage, or `HEALTHCHECK NONE` when Kubernetes probes check the container.
#   examples:
#     fail: |
#       FROM nginx:1.27
#     pass: |
#       FROM nginx:1.27
#       HEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1
package paved.containers.healthcheck

import rego.v1

deny contains {"msg": "the final stage has no HEALTHCHECK (or `HEALTHCHECK NONE`)", "path": [data.paved.lib.docker.final_from]} if {
	not has_healthcheck
}

has_healthcheck if {
	some instruction in data.paved.lib.docker.final_instructions
	instruction.value.Cmd == "healthcheck"
}
