package paved.kubernetes.no_env_secrets_test

import data.paved.kubernetes.no_env_secrets
import rego.v1

deployment(env) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": "api", "env": env}]}}},
}

test_secret_ref_and_plain_settings_pass if {
	count(no_env_secrets.deny) == 0 with input as deployment([
		{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
		{"name": "LOG_LEVEL", "value": "info"},
		{"name": "TOKEN_URL", "value": "https://auth.example.com/token"},
		{"name": "GITHUB_TOKEN", "value": ""},
		{"name": "VAULT_TOKEN", "value": "/var/run/secrets/vault/token"},
		{"name": "API_KEY", "value": "$(UPSTREAM_API_KEY)"},
	])
}

test_literal_password_fails if {
	no_env_secrets.deny == {{
		"msg": "container \"api\" sets db_password to a literal value; reference a Secret instead",
		"path": ["spec", "template", "spec", "containers", 0, "env", 1, "value"],
	}} with input as deployment([
		{"name": "LOG_LEVEL", "value": "info"},
		{"name": "db_password", "value": "hunter2"},
	])
}

test_cronjob_init_container if {
	no_env_secrets.deny == {{
		"msg": "container \"init\" sets STRIPE_API_KEY to a literal value; reference a Secret instead",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "env", 0, "value"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "init", "env": [{"name": "STRIPE_API_KEY", "value": "sk_live_123"}]}],
		"containers": [{"name": "job"}],
	}}}}}}
}

test_organisation_suffixes if {
	count(no_env_secrets.deny) == 1 with input as deployment([{"name": "SIGNING_SALT", "value": "abc"}])
		with data.paved_config as {"kubernetes": {"secret_env_suffixes": ["SALT"]}}
}
