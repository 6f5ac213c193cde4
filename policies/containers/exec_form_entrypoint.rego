# METADATA
# title: ENTRYPOINT and CMD use exec form
# description: >-
#   In shell form (`CMD java -jar app.jar`) the process runs under `/bin/sh -c`, which does
#   not forward SIGTERM: on every deploy or scale-down the service gets no chance to drain
#   and is killed after the grace period. Only the instructions that take effect count: the
#   last ENTRYPOINT and CMD of the final stage. A shell form that starts with `exec` is fine.
# related_resources:
#   - ref: https://docs.docker.com/reference/build-checks/json-args-recommended/
# custom:
#   id: containers/exec-form-entrypoint
#   severity: warning
#   level: silver
#   input: dockerfile
#   remediation: >-
#     Write `ENTRYPOINT ["/app", "--flag"]` / `CMD ["java", "-jar", "app.jar"]`, or prefix a
#     shell form with `exec` when it needs variable expansion.
#   examples:
#     fail: |
#       CMD java -jar /app.jar
#     pass: |
#       CMD ["java", "-jar", "/app.jar"]
package paved.containers.exec_form_entrypoint

import rego.v1

deny contains {"msg": msg, "path": [index]} if {
	some cmd in {"entrypoint", "cmd"}
	index := max([instruction.index |
		some instruction in data.paved.lib.docker.final_instructions
		instruction.value.Cmd == cmd
	])
	shell_form(input[index])
	msg := sprintf("%s in shell form runs under /bin/sh, which does not pass SIGTERM on to the process", [upper(cmd)])
}

shell_form(instruction) if {
	not instruction.JSON
	not regex.match(`^[ \t]*exec[ \t]`, instruction.Value[0])
}
