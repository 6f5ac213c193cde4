# Defaults for the terraform rules; override under `data.paved_config.terraform`.
package paved.lib.config

import rego.v1

terraform_defaults := {
	# Tag keys any one of which names the owner of a resource.
	"owner_tag_keys": ["owner", "team"],
	# owner-tags: resource types with these prefixes are judged. Those of the providers in the
	# generated table (lib/taggable.rego: AWS, Azure, Google) by the label attribute the
	# table gives them, and only if they have one; any other provider's by a `tags` map.
	"taggable_prefixes": ["aws_", "azurerm_", "google_"],
	# ...and these types never are, even when they take tags.
	"untaggable_types": [],
	# module-source-pinned: a git `?ref=` must match this (a version tag or a commit hash);
	# anything else (`main`, `develop`) is taken for a branch, which moves.
	"module_ref_pattern": `^(v?[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.+-]+)?|[0-9a-f]{7,40})$`,
	# remote-backend: backends that keep state remotely and lock it on their own. `s3` and
	# `http` are judged apart (they lock only when configured to), `local` is always reported.
	"locking_backends": ["azurerm", "consul", "cos", "gcs", "kubernetes", "oss", "pg", "remote"],
	# no-hardcoded-secrets: attribute, map key, variable and `name = ...` names that hold a
	# secret, matched case-insensitively against the whole name or its end after `_`, `-`,
	# `.` or `/` (`db_password`, `client_secret`, `api_token`, `/app/db_password`)...
	"secret_names": [
		"password", "passwd", "secret", "secret_key", "access_key", "private_key", "token",
		"api_key", "app_key", "secret_string", "plaintext_value",
	],
	# ...except inside these blocks, where such names are settings, not secrets.
	"secret_exempt_blocks": ["token_validity_units"],
	# no-public-ingress: sources that mean "the whole internet" (CIDRs, and Azure's `*`,
	# `Internet` and `Any`)...
	"public_sources": ["0.0.0.0/0", "::/0", "*", "Internet", "Any"],
	# ...and the ports that may be open to them.
	"public_ingress_ports": [80, 443],
}
