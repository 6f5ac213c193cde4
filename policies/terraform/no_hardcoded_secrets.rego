# METADATA
# title: Secrets are not written into Terraform files
# description: >-
#   A password, token or key written into a `.tf` or `.tfvars` file is in the git history for
#   good, readable by everyone with access to the repository and its forks. Reported: an
#   attribute or map key whose name is a secret's (the setting `terraform.secret_names`:
#   `password`, `db_password`, `client_secret`, `api_token`, provider `access_key` and
#   `secret_key`...) set to a literal string, the `value` of a `{name, value}` pair whose name
#   is a secret's (`environment_variable`, `aws_ssm_parameter`), and a literal string
#   `default` of a variable that is `sensitive` or named like a secret, and lines of a heredoc
#   (`user_data`) that set a secret (`export DB_PASSWORD=...`). References and
#   templates (`var.db_password`, `"${random_password.db.result}"`) are fine, and so are
#   names inside `terraform.secret_exempt_blocks` (Cognito's `token_validity_units`).
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables
# custom:
#   id: terraform/no-hardcoded-secrets
#   severity: error
#   level: bronze
#   input: terraform
#   config: [terraform.secret_names, terraform.secret_exempt_blocks]
#   remediation: >-
#     Remove the value and rotate the secret. Read it at apply time from a secret manager
#     (e.g. `data "aws_secretsmanager_secret_version"`), a generated `random_password`, or a
#     `sensitive` variable set through `TF_VAR_...` in CI; authenticate providers through
#     the environment or a role rather than keys in the configuration.
#   examples:
#     fail: |
#       resource "aws_db_instance" "main" {
#         username = "app"
#         password = "s3cr3t-Passw0rd"
#       }
#     pass: |
#       resource "aws_db_instance" "main" {
#         username                    = "app"
#         manage_master_user_password = true
#       }
package paved.terraform.no_hardcoded_secrets

import data.paved.lib.config
import data.paved.lib.terraform
import rego.v1

names := config.setting("terraform", "secret_names")

# `password = "..."`, and map keys alike (`variables = { DB_PASSWORD = "..." }`).
deny contains {"msg": msg, "path": path} if {
	some [path, value] in data.paved.lib.terraform.nodes
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	secret_name(key)
	hardcoded(value)
	not exempt(path)
	msg := sprintf("%s is a hardcoded secret; read it from a secret manager or a sensitive variable", [key])
}

# `{name = "DB_PASSWORD", value = "..."}` pairs (CodeBuild and container environments, Helm
# `set`, `aws_ssm_parameter`) name the secret in the sibling `name`.
deny contains {"msg": msg, "path": array.concat(path, ["value"])} if {
	some [path, node] in data.paved.lib.terraform.nodes
	is_object(node)
	is_string(node.name)
	secret_name(node.name)
	hardcoded(node.value)
	not exempt(path)
	msg := sprintf("%s is a hardcoded secret; read it from a secret manager or a sensitive variable", [node.name])
}

deny contains {"msg": msg, "path": array.concat(variable.path, ["default"])} if {
	some variable in data.paved.lib.terraform.variables
	secret_variable(variable)
	hardcoded(variable.value["default"])
	msg := sprintf("variable %q has a secret as its default; leave it without a default and set it at apply time", [variable.name])
}

# Inside a heredoc (`user_data = <<EOF`, cloud-init, container definitions), lines that set a
# secret: `export DB_PASSWORD=...`, `password: ...`, `"api_token": "...",`. Only multi-line
# strings are read line by line; shell and template references are fine.
heredoc_assignment := `(?m)^[ \t]*(?:export[ \t]+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*[=:][ \t]*(.*)$`

deny contains {"msg": msg, "path": path} if {
	some [path, value] in data.paved.lib.terraform.nodes
	is_string(value)
	contains(value, "\n")
	not expression(value)
	count(path) > 0
	not exempt(path)
	some match in regex.find_all_string_submatch_n(heredoc_assignment, value, -1)
	secret_name(match[1])
	hardcoded_line_value(match[2])
	msg := sprintf("%v sets %s to a hardcoded secret; read it from a secret manager or a sensitive variable", [path[count(path) - 1], match[1]])
}

# A multi-line expression (`templatefile("...", {\n password = var.p\n})`) arrives as one
# `${...}` string: its lines are arguments, not the text of a heredoc, which ends with a newline.
expression(value) if regex.match(`^\$\{[\s\S]*\}$`, value)

# The value as written after `=` or `:`, without quotes and a trailing comma; a nested
# block, a null or a boolean is not a secret, and `$VAR`, `$(...)`, `${...}` and `%{...}`
# are read at run time.
hardcoded_line_value(text) if {
	value := trim(trim_suffix(trim_space(text), ","), `"' `)
	value != ""
	not regex.match(`^[{\[$]`, value)
	not contains(value, "${")
	not contains(value, "%{")
	not lower(value) in {"null", "true", "false", "~"}
}

secret_variable(variable) if variable.value.sensitive == true

secret_variable(variable) if secret_name(variable.name)

# `password`, `db_password`, `DB_PASSWORD`, `admin-password`, `auth.password` and
# `/app/db_password` all name a password.
secret_name(key) if {
	name := lower(key)
	strings.any_suffix_match(name, names) # one call rules out almost every name
	some secret in names
	name_is(name, secret)
}

# One `endswith` per name and secret, then a look at the character before: this runs for
# every attribute of every file, so it stays cheap.
name_is(name, secret) if {
	endswith(name, secret)
	before := count(name) - count(secret)
	boundary(name, before)
}

boundary(_, before) if before == 0

boundary(name, before) if {
	before > 0
	substring(name, before - 1, 1) in {"_", "-", ".", "/"}
}

# Inside blocks such as Cognito's `token_validity_units { access_token = "hours" }` the names
# mean something else.
exempt(path) if {
	some element in path
	element in config.setting("terraform", "secret_exempt_blocks")
}

hardcoded(value) if {
	terraform.literal_string(value)
	trim_space(value) != ""
}
