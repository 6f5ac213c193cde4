package paved.testing.tests_present_test

import data.paved.testing.tests_present
import rego.v1

unit(kinds, languages, files) := {"path": ".", "kinds": kinds, "languages": languages, "files": files}

test_python_tests_pass if {
	count(tests_present.deny) == 0 with input as unit(["service"], ["python"], ["pyproject.toml", "src/app.py", "tests/test_app.py"])
	count(tests_present.deny) == 0 with input as unit(["service"], ["python"], ["app.py", "app_test.py"])
	count(tests_present.deny) == 0 with input as unit(["service"], ["python"], ["app.py", "test_app.py"])
}

test_python_without_tests_fails if {
	tests_present.deny == {{"msg": "no python tests: no file matches **/test_*.py, **/*_test.py, **/tests/**, **/conftest.py"}} with input as unit(["service"], ["python"], ["pyproject.toml", "src/app.py", "src/testing.py"])
}

test_each_language_is_judged if {
	tests_present.deny == {{"msg": "no go tests: no file matches **/*_test.go"}} with input as unit(["service"], ["go", "python"], ["go.mod", "main.go", "scripts/tool.py", "scripts/tests/test_tool.py"])
}

test_other_languages_conventions if {
	count(tests_present.deny) == 0 with input as unit(["library"], ["go"], ["go.mod", "pkg/x/x.go", "pkg/x/x_test.go"])
	count(tests_present.deny) == 0 with input as unit(["service"], ["java"], ["pom.xml", "src/main/java/A.java", "src/test/java/ATest.java"])
	count(tests_present.deny) == 0 with input as unit(["service"], ["rust"], ["Cargo.toml", "src/main.rs", "tests/api.rs"])
	count(tests_present.deny) == 0 with input as unit(["library"], ["ruby"], ["Gemfile", "lib/a.rb", "spec/a_spec.rb"])
}

# TypeScript projects carry .js config files; tests in either language count for both.
test_javascript_and_typescript_share_tests if {
	count(tests_present.deny) == 0 with input as unit(["service"], ["javascript", "typescript"], ["package.json", "jest.config.js", "src/app.ts", "src/app.spec.ts"])
	count(tests_present.deny) == 0 with input as unit(["service"], ["typescript"], ["package.json", "src/app.ts", "src/__tests__/app.ts"])
}

test_typescript_without_tests_fails_once if {
	tests_present.deny == {{"msg": "no javascript/typescript tests: no file matches **/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}, **/__tests__/**, **/test/**/*.{js,mjs,cjs,ts}"}} with input as unit(["service"], ["javascript", "typescript"], ["package.json", "jest.config.js", "src/app.ts"])
}

test_languages_without_conventions_are_skipped if {
	count(tests_present.deny) == 0 with input as unit(["service"], ["c"], ["Makefile", "main.c"])
}

test_infrastructure_and_monorepo_roots_are_not_asked if {
	count(tests_present.deny) == 0 with input as unit(["infrastructure"], ["python"], ["main.tf", "scripts/gen.py"])
	count(tests_present.deny) == 0 with input as unit([], [], ["services/a/app.py"])
}

test_organisation_patterns if {
	count(tests_present.deny) == 0 with input as unit(["service"], ["python"], ["app.py", "checks/check_app.py"])
		with data.paved_config as {"testing": {"test_files": {"python": ["checks/**"]}}}
}

module(files) := {"path": ".", "kinds": ["infrastructure"], "languages": [], "files": files, "ci": [{"provider": "github-actions", "file": ".github/workflows/ci.yml", "commands": ["terraform validate"]}]}

test_terraform_module_without_tests_fails if {
	tests_present.deny == {{"msg": "no terraform tests: no file matches **/*.tftest.hcl, **/*.tftest.json, **/test/**/*_test.go, **/tests/**/*_test.go"}} with input as module([".github/workflows/ci.yml", "main.tf", "variables.tf", "outputs.tf", "examples/complete/main.tf"])
}

test_terraform_module_with_tests_passes if {
	count(tests_present.deny) == 0 with input as module(["main.tf", "variables.tf", "tests/defaults.tftest.hcl"])
	count(tests_present.deny) == 0 with input as module(["main.tf", "variables.tf", "test/go.mod", "test/module_test.go"])
}

test_terraform_root_configurations_and_modules_without_ci_are_not_asked if {
	count(tests_present.deny) == 0 with input as module(["main.tf", "backend.tf"])
	count(tests_present.deny) == 0 with input as module(["main.tf", "prod.tfvars"])
	count(tests_present.deny) == 0 with input as module(["main.tf", ".terraform.lock.hcl"])
	count(tests_present.deny) == 0 with input as module(["infra/main.tf", "infra/variables.tf"])
	count(tests_present.deny) == 0 with input as object.union(module(["main.tf"]), {"ci": []})
}

# A CLI is code and keeps its tests; a documentation site and a monorepo root without code
# of its own are not asked (their units are).
test_cli_is_code_and_docs_and_monorepo_roots_are_not if {
	tests_present.deny == {{"msg": "no go tests: no file matches **/*_test.go"}} with input as unit(["cli"], ["go"], ["go.mod", "cmd/tool/main.go"])
	count(tests_present.deny) == 0 with input as unit(["cli"], ["go"], ["go.mod", "cmd/tool/main.go", "cmd/tool/main_test.go"])
	count(tests_present.deny) == 0 with input as unit(["docs"], ["javascript"], ["package.json", "hugo.toml", "assets/site.js"])
	count(tests_present.deny) == 0 with input as unit(["monorepo"], ["python"], ["scripts/release.py"])
}
