# METADATA
# title: The repository has a CI configuration
# description: >-
#   Without CI nothing builds, tests or scans a change before it merges; breakage is found
#   by the next person or in production. Any CI the model knows (GitHub Actions, GitLab CI,
#   Jenkins, CircleCI, Azure Pipelines) counts, and so does a file of another CI service.
#   Reads testing.ci_files.
# related_resources:
#   - ref: https://docs.github.com/en/actions/about-github-actions/about-continuous-integration-with-github-actions
# custom:
#   id: testing/ci-config
#   severity: error
#   level: bronze
#   input: repository
#   remediation: >-
#     Add a workflow under .github/workflows/ (or .gitlab-ci.yml, Jenkinsfile, ...) that
#     builds and tests every pull request.
#   config: [testing.ci_files]
#   examples:
#     fail: |
#       files: [README.md, go.mod, main.go, main_test.go]
#     pass: |
#       files: [README.md, go.mod, main.go, main_test.go, .github/workflows/ci.yml]
package paved.testing.ci_config

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

has_ci if count(input.ci) > 0

has_ci if repository.any_file_matches(config.setting("testing", "ci_files"))

# CI belongs to the repository, not to one service of a monorepo: judge it at the root.
deny contains {"msg": "no CI configuration: nothing builds or tests a change before it merges"} if {
	data.paved.lib.repository.is_root
	not has_ci
}
