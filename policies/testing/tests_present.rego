# METADATA
# title: Code has tests
# description: >-
#   Untested code cannot be changed safely: every refactoring, dependency bump and fix is
#   a gamble. For each language of a service, CLI or library, at least one file must follow
#   that language's test conventions (test_*.py, *_test.go, *.test.ts, src/test/, ...).
#   A Terraform module with CI is code too: it needs `terraform test` files (*.tftest.hcl)
#   or Terratest (Go tests under test/); a root configuration (tfvars, a backend, a lock
#   file) is applied, not called, and is not asked. Reads testing.code_kinds,
#   testing.test_files and testing.terraform_configuration_files.
# related_resources:
#   - ref: https://martinfowler.com/articles/practical-test-pyramid.html
# custom:
#   id: testing/tests-present
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Add tests where the language's test runner finds them (tests/test_*.py for pytest,
#     *_test.go beside the code, *.test.ts or __tests__/ for Jest and Vitest,
#     src/test/java for Maven and Gradle, tests/ for cargo, tests/*.tftest.hcl or
#     Terratest's test/*_test.go for a Terraform module).
#   config: [testing.code_kinds, testing.test_files, testing.terraform_configuration_files]
#   examples:
#     fail: |
#       languages: [python]
#       files: [pyproject.toml, src/app.py]
#     pass: |
#       languages: [python]
#       files: [pyproject.toml, src/app.py, tests/test_app.py]
package paved.testing.tests_present

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

code_unit if {
	some kind in config.setting("testing", "code_kinds")
	kind in input.kinds
}

conventions := config.setting("testing", "test_files")

# A Terraform module published from a pipeline: `.tf` files at the top of an
# infrastructure unit that has CI and nothing that marks a root configuration.
terraform_module if {
	"infrastructure" in input.kinds
	count(repository.each(input.ci)) > 0
	repository.any_file_matches(["*.tf"])
	not repository.any_file_matches(config.setting("testing", "terraform_configuration_files"))
}

languages contains language if {
	code_unit
	some language in input.languages
}

languages contains "terraform" if terraform_module

# Only languages with known conventions are checked (C has none worth guessing). Languages
# that share their conventions (JavaScript and TypeScript) are one finding.
deny contains {"msg": msg} if {
	some patterns in {conventions[language] | some language in languages}
	not repository.any_file_matches(patterns)
	names := sort([language | some language in languages; conventions[language] == patterns])
	msg := sprintf("no %s tests: no file matches %s", [concat("/", names), concat(", ", patterns)])
}
