# METADATA
# title: Secrets are not written into container environment variables
# description: >-
#   A password or token written as a literal `env` value is in the repository's history, in
#   every copy of the manifest and in `kubectl describe` output for anyone who can read the
#   workload. Secrets belong in a Secret (or an external secret store) referenced with
#   `valueFrom.secretKeyRef`. A variable counts as a secret when its name ends with an entry of
#   the `kubernetes.secret_env_suffixes` setting (PASSWORD, TOKEN, API_KEY...) and its value is
#   a literal, not a file path or a `$(VAR)` reference.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
# custom:
#   id: kubernetes/no-env-secrets
#   severity: error
#   level: silver
#   input: kubernetes
#   config: [kubernetes.secret_env_suffixes]
#   remediation: >-
#     Move the value to a Secret and reference it with `valueFrom.secretKeyRef`, then rotate it:
#     it is already in the repository's history.
#   examples:
#     fail: |
#       env:
#         - name: DB_PASSWORD
#           value: hunter2
#     pass: |
#       env:
#         - name: DB_PASSWORD
#           valueFrom:
#             secretKeyRef: {name: db, key: password}
package paved.kubernetes.no_env_secrets

import data.paved.lib.config
import rego.v1

deny contains {"msg": msg, "path": array.concat(c.path, ["env", i, "value"])} if {
	some c in data.paved.lib.k8s.containers
	some i, env in c.value.env
	secret_name(env.name)
	literal(env.value)
	msg := sprintf("container %q sets %s to a literal value; reference a Secret instead", [c.value.name, env.name])
}

secret_name(name) if {
	some suffix in config.setting("kubernetes", "secret_env_suffixes")
	endswith(upper(name), upper(suffix))
}

# Empty values, file paths (`/var/run/secrets/token`) and `$(OTHER_VAR)` references hold no secret.
literal(value) if {
	is_string(value)
	value != ""
	not startswith(value, "/")
	not startswith(value, "$(")
}
