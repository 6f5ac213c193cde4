package paved.lib.repository_test

import data.paved.lib.repository
import rego.v1

test_literal_piece_is_the_longest_plain_run if {
	repository.literal_piece("**/*alert*.yaml") == "alert"
	repository.literal_piece("**/runbooks/**") == "runbooks/"
	repository.literal_piece("go.sum") == "go.sum"
	repository.literal_piece("**") == ""
}

test_literal_piece_is_empty_for_classes_and_alternatives if {
	repository.literal_piece("**/*.{yml,yaml}") == ""
	repository.literal_piece("test?.py") == ""
	repository.literal_piece("[Mm]akefile") == ""
}

files := [
	"alerts.yaml", "deploy/prometheus/API-Alerts.yml", "docs/runbooks/oncall.md",
	"src/app.py", 42, "tests/test_app.py", "Makefile",
]

test_matching_files if {
	repository.matching_files(["**/*alert*.yml", "**/*alert*.yaml"]) == {0, 1} with input.files as files
	repository.matching_files(["**/runbooks/**"]) == {2} with input.files as files
	repository.matching_files(["tests/test_*.py", "**/*.{md,txt}"]) == {2, 5} with input.files as files
	repository.matching_files(["[Mm]akefile"]) == {6} with input.files as files
	repository.matching_files(["nothing*"]) == set() with input.files as files
}

test_matching_dependencies if {
	deps := [
		{"ecosystem": "pypi", "name": "OpenTelemetry_SDK"},
		{"ecosystem": "npm", "name": "@opentelemetry/sdk-node"},
		{"ecosystem": "go", "name": "go.opentelemetry.io/otel/sdk"},
		{"ecosystem": "npm", "name": "opentelemetry-sdk"},
		{"ecosystem": "pypi"},
	]
	patterns := {
		"pypi": ["opentelemetry-sdk"],
		"npm": ["@opentelemetry/sdk-*"],
		"go": ["go.opentelemetry.io/otel*"],
	}
	repository.matching_dependencies(patterns) == {0, 1, 2} with input.dependencies as deps
}
