# METADATA
# title: Dockerfiles do not put secrets in ENV or ARG
# description: >-
#   ENV values are stored in the image config and ARG defaults in its history: anyone who can
#   pull the image can read them with `docker inspect` or `docker history`. An ENV that copies
#   a build argument (`ENV TOKEN=$TOKEN`) bakes the secret in just the same. Names are matched
#   against the settings `containers.secret_name_patterns` and
#   `containers.secret_name_exempt_suffixes` (`DB_PASSWORD_FILE` names a file, not a secret).
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
# custom:
#   id: containers/no-secrets-in-env
#   severity: error
#   level: silver
#   input: dockerfile
#   remediation: >-
#     Pass build-time secrets with `RUN --mount=type=secret,id=...` and runtime secrets from
#     the orchestrator (a Kubernetes Secret, a mounted file); never bake them into the image.
#   config: [containers.secret_name_patterns, containers.secret_name_exempt_suffixes]
#   examples:
#     fail: |
#       ENV API_KEY=sk_live_123
#       ARG NPM_TOKEN=npm_abc
#     pass: |
#       ENV DB_PASSWORD_FILE=/run/secrets/db_password
#       RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
package paved.containers.no_secrets_in_env

import data.paved.lib.config
import data.paved.lib.docker
import rego.v1

deny contains {"msg": msg, "path": [i]} if {
	some i, instruction in input
	instruction.Cmd == "env"
	some k, name in instruction.Value
	k % 2 == 0
	secret_name(name)
	instruction.Value[k + 1] != ""
	msg := sprintf("ENV stores %q in the image config, where anyone who can pull the image reads it", [name])
}

deny contains {"msg": msg, "path": [i]} if {
	some i, instruction in input
	instruction.Cmd == "arg"
	some declaration in instruction.Value
	[name, value] := docker.split_arg(declaration)
	secret_name(name)
	value != ""
	not startswith(value, "$")
	msg := sprintf("ARG %q has a literal default, which is kept in the image history", [name])
}

secret_name(name) if {
	some pattern in config.setting("containers", "secret_name_patterns")
	contains(lower(name), pattern)
	not exempt(lower(name))
}

exempt(name) if {
	some suffix in config.setting("containers", "secret_name_exempt_suffixes")
	endswith(name, suffix)
}
