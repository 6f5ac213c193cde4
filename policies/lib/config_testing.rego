# Defaults for the testing rules; override under `data.paved_config.testing`.
package paved.lib.config

import rego.v1

testing_defaults := {
	# Units of these kinds must have tests (a monorepo root without code of its own is
	# judged through its service, CLI and library units).
	"code_kinds": ["service", "cli", "library"],
	# Per language, globs (case-insensitive) of which at least one file must exist. Only
	# the languages listed here are checked; JavaScript and TypeScript accept each other's
	# tests, as projects mix them (config files are often .js).
	"test_files": {
		"python": ["**/test_*.py", "**/*_test.py", "**/tests/**", "**/conftest.py"],
		"go": ["**/*_test.go"],
		"javascript": [
			"**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
			"**/__tests__/**", "**/test/**/*.{js,mjs,cjs,ts}",
		],
		"typescript": [
			"**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
			"**/__tests__/**", "**/test/**/*.{js,mjs,cjs,ts}",
		],
		"java": ["**/src/test/**", "**/*Test.java", "**/*Tests.java", "**/*IT.java"],
		"kotlin": ["**/src/test/**", "**/*Test.kt", "**/*Tests.kt"],
		"scala": ["**/src/test/**", "**/*Spec.scala", "**/*Test.scala", "**/*Suite.scala"],
		"rust": ["**/tests/**", "**/*_test.rs", "**/*_tests.rs", "**/tests.rs"],
		"ruby": ["**/spec/**", "**/test/**", "**/*_spec.rb", "**/*_test.rb"],
		"csharp": ["**/*Tests.cs", "**/*Test.cs", "**/*.Tests/**", "**/*.Test/**", "**/tests/**"],
		"php": ["**/tests/**", "**/*Test.php"],
		"elixir": ["**/test/**/*_test.exs"],
		"swift": ["**/Tests/**", "**/*Tests.swift"],
		# A Terraform module (see terraform_configuration_files): `terraform test` files or
		# Terratest's Go tests.
		"terraform": ["**/*.tftest.hcl", "**/*.tftest.json", "**/test/**/*_test.go", "**/tests/**/*_test.go"],
	},
	# Globs (from the unit's directory) of files that make its Terraform a root
	# configuration someone applies, not a module others call: only modules need tests.
	"terraform_configuration_files": [
		"*.tfvars", "*.tfvars.json", "backend.tf", ".terraform.lock.hcl", "terragrunt.hcl",
	],
	# Files that are a CI configuration when the model lists no `ci` entry for them.
	"ci_files": [
		".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml",
		"Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml", ".azure-pipelines/*.yml",
		"bitbucket-pipelines.yml", ".travis.yml", ".buildkite/*.yml", ".drone.yml",
		"cloudbuild.yaml", "buildspec.yml", ".tekton/*.yaml",
	],
	# Regular expressions, matched against each lower-cased CI command: one matching runs
	# the tests. (No \b or \s: the engine's regexes have no Unicode classes; spell them out.)
	"test_commands": [
		`(^|[^a-z0-9_-])(py\.?test|tox|nox)([^a-z0-9_-]|$)`, `python[0-9.]* -m (pytest|unittest)`,
		`(^|[^a-z0-9_-])go test([^a-z0-9_-]|$)`, `(^|[^a-z0-9_-])gotestsum([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])(npm|pnpm|yarn|bun)( run)? test([^a-z0-9_]|$)`,
		`(^|[^a-z0-9_-])(jest|vitest|mocha|ava|playwright test)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])mvnw?( [^|;&]*)? (test|verify|install)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])gradlew?( [^|;&]*)?[ :](test|check|build)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])cargo (test|nextest)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])make( [^|;&]*)? (test|check)([^a-z0-9_]|$)`,
		`(^|[^a-z0-9_-])(rspec|rake (test|spec)|phpunit)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])(dotnet|bazel|swift|terraform) test([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])sbt( [^|;&]*)? test([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])skaffold( [^|;&]*)? (test|verify)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])backstage-cli (repo|package) test([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])helm (test|unittest)([^a-z0-9_-]|$)`,
		`(^|[^a-z0-9_-])ct (lint|install|lint-and-install)([^a-z0-9_-]|$)`,
	],
}
