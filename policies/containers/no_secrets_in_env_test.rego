package paved.containers.no_secrets_in_env_test

import data.paved.containers.no_secrets_in_env
import rego.v1

from := {"Cmd": "from", "Value": ["alpine:3.19"], "Flags": [], "Stage": 0}

env(pairs) := {"Cmd": "env", "Value": pairs, "Flags": [], "Stage": 0}

arg(declarations) := {"Cmd": "arg", "Value": declarations, "Flags": [], "Stage": 0}

test_plain_settings_pass if {
	count(no_secrets_in_env.deny) == 0 with input as [
		from,
		env(["PORT", "8080", "LOG_LEVEL", "info"]),
		env(["DB_PASSWORD_FILE", "/run/secrets/db", "TOKEN_PATH", "/var/run/token"]),
		env(["API_KEY", ""]),
		arg(["NPM_TOKEN", "VERSION=1.2.3"]),
	]
}

test_env_secrets_fail if {
	no_secrets_in_env.deny == {
		{"msg": "ENV stores \"API_KEY\" in the image config, where anyone who can pull the image reads it", "path": [1]},
		{"msg": "ENV stores \"Db_Password\" in the image config, where anyone who can pull the image reads it", "path": [2]},
	} with input as [from, env(["API_KEY", "sk_live_123", "PORT", "8080"]), env(["Db_Password", "hunter2"])]
}

test_env_copying_a_build_arg_fails if {
	no_secrets_in_env.deny == {{
		"msg": "ENV stores \"NPM_TOKEN\" in the image config, where anyone who can pull the image reads it",
		"path": [2],
	}} with input as [from, arg(["NPM_TOKEN"]), env(["NPM_TOKEN", "$NPM_TOKEN"])]
}

test_arg_literal_default_fails if {
	no_secrets_in_env.deny == {{
		"msg": "ARG \"GITHUB_TOKEN\" has a literal default, which is kept in the image history",
		"path": [0],
	}} with input as [arg(["GITHUB_TOKEN=ghp_123", "CLIENT_SECRET=${SECRET}", "AWS_ACCESS_KEY_ID=\"\""]), from]
}

test_patterns_are_a_setting if {
	no_secrets_in_env.deny == {{
		"msg": "ENV stores \"SIGNING_KEY\" in the image config, where anyone who can pull the image reads it",
		"path": [1],
	}} with input as [from, env(["SIGNING_KEY", "abc", "PASSWORD", "x"])]
		with data.paved_config.containers.secret_name_patterns as ["signing_key"]
}
