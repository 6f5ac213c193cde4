# Defaults for the containers rules; override under `data.paved_config.containers`.
package paved.lib.config

import rego.v1

containers_defaults := {
	# ENV and ARG names containing any of these (case-insensitive) hold secrets...
	"secret_name_patterns": [
		"password", "passwd", "secret", "token", "api_key", "apikey",
		"access_key", "private_key", "credentials",
	],
	# ...unless they end with one of these: they name where the secret is, not the secret.
	"secret_name_exempt_suffixes": ["_file", "_path", "_dir"],
	# Image prefixes whose tags cannot move (a registry with immutable tags), so a tag is
	# as good as a digest, e.g. ["registry.example.com/"].
	"immutable_tag_images": [],
}
