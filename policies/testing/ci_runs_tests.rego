# METADATA
# title: CI runs the tests
# description: >-
#   Tests that CI does not run rot: they break unnoticed and stop protecting anything.
#   When the repository has tests and its CI commands are known, one of them must run a
#   test runner (pytest, go test, npm test, mvn verify, gradle test, cargo test, make
#   test, helm test, helm unittest, ct lint/install, terraform test, ...), including Cloud
#   Build steps and Prow jobs. Reads testing.test_commands and testing.test_files.
# related_resources:
#   - ref: https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing
# custom:
#   id: testing/ci-runs-tests
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Add a step that runs the test suite on every pull request, e.g. `run: pytest` or
#     `run: go test ./...` in the workflow.
#   config: [testing.test_commands, testing.test_files]
#   examples:
#     fail: |
#       files: [main.go, main_test.go]
#       .github/workflows/ci.yml runs: [go build ./...]
#     pass: |
#       files: [main.go, main_test.go]
#       .github/workflows/ci.yml runs: [go build ./..., go test ./...]
package paved.testing.ci_runs_tests

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

# The patterns as one alternation: one regex match per command instead of one per pattern
# (regorus compiles a matcher's cache afresh on every match, so matches are what cost).
command_pattern := concat("|", [sprintf("(%s)", [p]) | some p in config.setting("testing", "test_commands")])

runs_tests if {
	some ci in input.ci
	some command in repository.each(ci.commands)
	is_string(command)
	regex.match(command_pattern, lower(command))
}

# The root unit lists every file of the repository, so tests anywhere count.
has_tests if {
	some patterns in config.setting("testing", "test_files")
	repository.any_file_matches(patterns)
}

# The first CI configuration with commands: where a test step goes. Without any (a
# missing CI is testing/ci-config's finding; a CI of reusable actions only is unknown)
# nothing is judged.
first_ci := min({i | some i, ci in input.ci; is_array(ci.commands); count(ci.commands) > 0})

# CI belongs to the repository, not to one service of a monorepo: judge it at the root.
deny contains {"msg": msg, "path": ["ci", first_ci]} if {
	data.paved.lib.repository.is_root
	not runs_tests # cheap, and usually false: then the file scan below never runs
	has_tests
	msg := "no CI command runs the tests (such as pytest, go test, npm test, mvn verify, cargo test)"
}
