package paved.terraform.no_hardcoded_secrets_test

import data.paved.terraform.no_hardcoded_secrets
import rego.v1

db(attributes) := {"resource": {"aws_db_instance": {"main": [attributes]}}}

test_references_pass if {
	count(no_hardcoded_secrets.deny) == 0 with input as db({
		"username": "app",
		"password": "${var.db_password}",
		"master_password": "${random_password.db.result}",
	})
}

test_literal_password if {
	no_hardcoded_secrets.deny == {{
		"msg": "password is a hardcoded secret; read it from a secret manager or a sensitive variable",
		"path": ["resource", "aws_db_instance", "main", 0, "password"],
	}} with input as db({"username": "app", "password": "hunter2"})
}

test_provider_credentials if {
	no_hardcoded_secrets.deny == {
		{
			"msg": "access_key is a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["provider", "aws", 0, "access_key"],
		},
		{
			"msg": "secret_key is a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["provider", "aws", 0, "secret_key"],
		},
	} with input as {"provider": {"aws": [{
		"region": "eu-west-1",
		"access_key": "AKIAIOSFODNN7EXAMPLE",
		"secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}]}}
}

# Map keys inside nested blocks, in any case, are found too.
test_environment_variable_in_nested_block if {
	no_hardcoded_secrets.deny == {{
		"msg": "API_TOKEN is a hardcoded secret; read it from a secret manager or a sensitive variable",
		"path": ["resource", "aws_lambda_function", "api", 0, "environment", 0, "variables", "API_TOKEN"],
	}} with input as {"resource": {"aws_lambda_function": {"api": [{
		"function_name": "api",
		"environment": [{"variables": {"LOG_LEVEL": "info", "API_TOKEN": "tok_123"}}],
	}]}}}
}

test_tfvars_assignment if {
	no_hardcoded_secrets.deny == {{
		"msg": "db_password is a hardcoded secret; read it from a secret manager or a sensitive variable",
		"path": ["db_password"],
	}} with input as {"region": "eu-west-1", "db_password": "hunter2"}
}

test_sensitive_variable_default if {
	no_hardcoded_secrets.deny == {{
		"msg": "variable \"db_credentials\" has a secret as its default; leave it without a default and set it at apply time",
		"path": ["variable", "db_credentials", 0, "default"],
	}} with input as {"variable": {"db_credentials": [{"type": "${string}", "sensitive": true, "default": "app:hunter2"}]}}
}

test_secret_named_variable_default if {
	no_hardcoded_secrets.deny == {{
		"msg": "variable \"github_token\" has a secret as its default; leave it without a default and set it at apply time",
		"path": ["variable", "github_token", 0, "default"],
	}} with input as {"variable": {"github_token": [{"type": "${string}", "default": "ghp_abc"}]}}
}

# Templates, empty strings, non-strings and names that only contain a secret word pass.
test_not_secrets if {
	count(no_hardcoded_secrets.deny) == 0 with input as {
		"resource": {"aws_secretsmanager_secret": {"db": [{
			"name": "prod/db",
			"secret_name": "prod-db",
			"token_validity": 60,
			"password": "",
			"auth_token": "Bearer ${var.token}",
			"enable_token": true,
		}]}},
		"variable": {
			"db_password": [{"type": "${string}", "sensitive": true}],
			"region": [{"default": "eu-west-1"}],
		},
	}
}

test_organisation_secret_names if {
	no_hardcoded_secrets.deny == {{
		"msg": "license is a hardcoded secret; read it from a secret manager or a sensitive variable",
		"path": ["resource", "x", "y", 0, "license"],
	}} with input as {"resource": {"x": {"y": [{"license": "ABC-123", "password": "hunter2"}]}}}
		with data.paved_config as {"terraform": {"secret_names": ["license"]}}
}

test_name_value_pairs if {
	no_hardcoded_secrets.deny == {
		{
			"msg": "DB_PASSWORD is a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["resource", "aws_codebuild_project", "build", 0, "environment", 0, "environment_variable", 1, "value"],
		},
		{
			"msg": "/checkout/api_token is a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["resource", "aws_ssm_parameter", "token", 0, "value"],
		},
	} with input as {"resource": {
		"aws_codebuild_project": {"build": [{"environment": [{"environment_variable": [
			{"name": "STAGE", "value": "prod"},
			{"name": "DB_PASSWORD", "value": "hunter2"},
			{"name": "API_TOKEN", "value": "${var.api_token}"},
		]}]}]},
		"aws_ssm_parameter": {"token": [{"name": "/checkout/api_token", "type": "SecureString", "value": "tok_123"}]},
	}}
}

# Cognito's token_validity_units sets units, not tokens.
test_exempt_blocks if {
	count(no_hardcoded_secrets.deny) == 0 with input as {"resource": {"aws_cognito_user_pool_client": {"app": [{
		"name": "app",
		"token_validity_units": [{"access_token": "hours", "id_token": "hours", "refresh_token": "days"}],
	}]}}}
}

instance(user_data) := {"resource": {"aws_instance": {"web": [{"ami": "ami-123", "user_data": user_data}]}}}

test_secrets_in_a_heredoc_are_found if {
	no_hardcoded_secrets.deny == {
		{
			"msg": "user_data sets DB_PASSWORD to a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["resource", "aws_instance", "web", 0, "user_data"],
		},
		{
			"msg": "user_data sets api_token to a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["resource", "aws_instance", "web", 0, "user_data"],
		},
		{
			"msg": "user_data sets password to a hardcoded secret; read it from a secret manager or a sensitive variable",
			"path": ["resource", "aws_instance", "web", 0, "user_data"],
		},
	} with input as instance(concat("\n", [
		"#!/bin/bash",
		"export DB_PASSWORD=hunter2-Secret",
		"api_token: 'abc123'",
		`  "password": "s3cr3t",`,
		"",
	]))
}

test_references_in_a_heredoc_pass if {
	count(no_hardcoded_secrets.deny) == 0 with input as instance(concat("\n", [
		"export DB_PASSWORD=${var.db_password}",
		"PASSWORD=$(aws ssm get-parameter --name db --query Parameter.Value)",
		`export API_TOKEN="$TOKEN_FROM_ENV"`,
		"secret_key: %{ if var.x }a%{ endif }",
		`"password": {`,
		"token: null",
		"password:",
		"echo ready",
	]))
}

test_one_line_strings_are_not_read_as_heredocs if {
	count(no_hardcoded_secrets.deny) == 0 with input as instance("PASSWORD=x")
}

test_multi_line_expressions_are_not_heredocs if {
	count(no_hardcoded_secrets.deny) == 0 with input as instance("${templatefile(\"${path.module}/user_data.sh\", {\n  db_password = local.db_password\n})}")
}
