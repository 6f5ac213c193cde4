package paved.testing.ci_runs_tests_test

import data.paved.testing.ci_runs_tests
import rego.v1

repo(commands) := {
	"path": ".",
	"files": [".github/workflows/ci.yml", "go.mod", "main.go", "main_test.go"],
	"ci": [{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": commands}],
}

test_go_test_passes if {
	count(ci_runs_tests.deny) == 0 with input as repo(["go build ./...", "go test -race ./..."])
}

test_common_runners_pass if {
	every command in [
		"pytest -q", "python -m pytest tests/", "tox -e py312", "npm test", "npm run test:unit",
		"yarn test --ci", "pnpm test", "./mvnw -B verify", "mvn test", "./gradlew build --no-daemon",
		"gradle :app:test", "cargo test --workspace", "make test", "make -C api check",
		"bundle exec rspec", "dotnet test", "npx jest --coverage",
		"helm test podinfo --timeout 5m", "helm unittest charts/app", "ct lint --config ct.yaml",
		"ct install --target-branch main", "terraform test -verbose", "cd test && go test -v -timeout 60m",
		"yarn backstage-cli repo test", "skaffold test --build-artifacts=/workspace/artifacts.json",
	] {
		count(ci_runs_tests.deny) == 0 with input as repo([command])
	}
}

test_build_only_fails if {
	ci_runs_tests.deny == {{
		"msg": "no CI command runs the tests (such as pytest, go test, npm test, mvn verify, cargo test)",
		"path": ["ci", 1],
	}} with input as {
		"path": ".",
		"files": ["main.go", "main_test.go"],
		"ci": [
			{"provider": "github-actions", "file": ".github/workflows/release.yml", "commands": []},
			{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": ["go build ./...", "go vet ./...", "echo latest"]},
		],
	}
}

test_similar_words_are_not_test_runners if {
	count(ci_runs_tests.deny) == 1 with input as repo(["npm install", "./contest.sh", "mvn -B package -DskipTests", "cargo build", "helm lint charts/app", "act lint", "helm install app ."])
}

test_unknown_commands_are_not_judged if {
	count(ci_runs_tests.deny) == 0 with input as repo([])
	count(ci_runs_tests.deny) == 0 with input as {"path": ".", "files": ["main.go", "main_test.go"], "ci": []}
}

test_repository_without_tests_is_left_to_tests_present if {
	count(ci_runs_tests.deny) == 0 with input as {"path": ".", "files": ["main.tf"], "ci": [{"provider": "gitlab-ci", "file": ".gitlab-ci.yml", "commands": ["terraform plan"]}]}
}

test_service_unit_of_a_monorepo_is_not_judged if {
	count(ci_runs_tests.deny) == 0 with input as {"path": "services/a", "files": ["main_test.go"], "ci": [{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": ["go build"]}]}
}

test_organisation_commands if {
	count(ci_runs_tests.deny) == 0 with input as repo(["./scripts/check.sh"])
		with data.paved_config as {"testing": {"test_commands": [`scripts/check\.sh`]}}
}

test_malformed_commands_are_skipped if {
	ci_runs_tests.deny == {{
		"msg": "no CI command runs the tests (such as pytest, go test, npm test, mvn verify, cargo test)",
		"path": ["ci", 1],
	}} with input as {"path": ".", "files": ["main_test.go"], "ci": [
		{"provider": "jenkins", "file": "Jenkinsfile", "commands": null},
		{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": [null, "go build ./..."]},
	]}
}

# Cloud Build steps and Prow containers, as the repository model joins their argument lists.
test_cloud_build_and_prow_steps if {
	count(ci_runs_tests.deny) == 0 with input as {"path": ".", "files": ["cloudbuild.yaml", "main_test.go"], "ci": [{"provider": "cloud-build", "file": "cloudbuild.yaml", "commands": ["go test ./..."]}]}
	count(ci_runs_tests.deny) == 0 with input as {"path": ".", "files": [".prow.yaml", "main_test.go"], "ci": [{"provider": "prow", "file": ".prow.yaml", "commands": ["make test", "make"]}]}
}
